"""No lost update on the verksamhetsplan's forms (issue 13): two officers open the same form
(a section, the plan's uppgifter, its place on the agenda), the first saves, the second is
refused with "Någon annan har ändrat …", sees the page as it is now, and nothing of theirs is
saved; the first one's change stays. The forms are read from the page as a browser sends them,
with the hidden fingerprint."""

import html

import pytest
from django.urls import reverse

from budget import plan_services
from budget.plan_models import Plan
from finsam.errors import ChangedMeanwhile
from finsam.models import Role
from tests.factories import MeetingFactory, RoleFactory
from tests.helpers import form_on

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ")


@pytest.fixture
def clients(login, officer, association):
    colleague = RoleFactory(association=association, kind=Role.Kind.OFFICER).user
    return login(officer), login(colleague)


@pytest.fixture
def plan(association, officer):
    return plan_services.plan_create(user=officer, association=association, first_year=2027)


def race(clients, url, first_change: dict, second_change: dict):
    """Both open ``url``; the first saves ``first_change``, then the second ``second_change``.
    Returns the second's answer, followed to the page it lands on."""
    first, second = clients
    first_form, second_form = form_on(first.get(url)), form_on(second.get(url))
    saved = first.post(url, {**first_form, **first_change})
    assert saved.status_code == 302, page_text(saved)
    return second.post(url, {**second_form, **second_change}, follow=True)


def assert_refused(response, url, what):
    """Sent back to the form's page (a GET: the page as it is now), with the message."""
    assert response.redirect_chain == [(url, 302)]
    assert response.status_code == 200
    assert str(ChangedMeanwhile(what)) in page_text(response)


def test_the_second_save_of_a_section_is_refused_and_the_first_is_kept(plan, clients):
    section = plan.sections.order_by("position").first()
    url = reverse("budget:plan_section", args=[plan.pk, section.pk])

    response = race(
        clients, url, {"text": "Förbundets syfte är samverkan."}, {"text": "Något helt annat."}
    )

    assert_refused(response, url, plan_services.SECTION_WHAT)
    section.refresh_from_db()
    assert section.text == "Förbundets syfte är samverkan."
    # The page now shows the first officer's text, ready to be changed again.
    assert form_on(clients[1].get(url))["text"] == "Förbundets syfte är samverkan."


def test_a_preview_keeps_the_fingerprint_the_section_was_opened_with(plan, clients):
    section = plan.sections.order_by("position").first()
    url = reverse("budget:plan_section", args=[plan.pk, section.pk])
    first, second = clients
    opened = form_on(second.get(url))
    saved = first.post(url, {**form_on(first.get(url)), "text": "Först."})
    assert saved.status_code == 302

    # The second officer previews (nothing saved), then saves from the preview's page.
    previewed = second.post(url, {**opened, "text": "Sedan.", "preview": "1"})
    response = second.post(url, form_on(previewed), follow=True)

    assert_refused(response, url, plan_services.SECTION_WHAT)
    section.refresh_from_db()
    assert section.text == "Först."


def test_the_second_save_of_the_plans_details_is_refused(plan, clients):
    url = reverse("budget:plan_edit", args=[plan.pk])

    response = race(clients, url, {"dnr": "2026-00012"}, {"dnr": "2026-99999"})

    assert_refused(response, url, plan_services.DETAILS_WHAT)
    plan.refresh_from_db()
    assert plan.dnr == "2026-00012"


def test_putting_the_plan_on_an_agenda_twice_at_once_is_refused(association, plan, clients):
    first_meeting = MeetingFactory(association=association)
    second_meeting = MeetingFactory(association=association)
    url = reverse("budget:plan_schedule", args=[plan.pk])

    response = race(
        clients, url, {"meeting": str(first_meeting.pk)}, {"meeting": str(second_meeting.pk)}
    )

    assert_refused(response, url, plan_services.SCHEDULE_WHAT)
    plan.refresh_from_db()
    assert plan.agenda_item.meeting == first_meeting
    assert not second_meeting.agenda_items.exists()


def test_a_save_without_a_fingerprint_is_not_checked(plan, officer):
    """A caller that shows no form (a script, the demo) passes none: as before."""
    section = plan.sections.order_by("position").first()
    plan_services.plan_section_save(user=officer, section=section, heading="Inledning", text="A")
    saved = plan_services.plan_update(user=officer, plan=plan, dnr="1", budget_version=None)
    assert (saved.dnr, Plan.objects.get(pk=plan.pk).sections.get(pk=section.pk).text) == ("1", "A")
