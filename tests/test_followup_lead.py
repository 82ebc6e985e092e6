"""The insatsansvarig (role `lead`): the officer gives a person access from the insats page,
the person chooses a password through the e-mailed link, and then sees their own insatser only:
the register, the counts and the reports of those, and nothing else of the förbund."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from finsam.models import Role
from followup import access, services
from followup.models import InitiativeLead, Participant
from tests.factories import InitiativeFactory, ParticipantFactory, UserFactory, lead_for
from tests.helpers import LOGGED_IN

User = get_user_model()
PARTICIPANT = {
    "gender": "woman",
    "birth_year": "1994",
    "education": "upper_secondary",
    "income_source_start": "social_assistance",
    "occupation_start": "none",
    "support_time": "1_2",
    "started_on": "2025-04-01",
}


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def link_in(message) -> str:
    return re.search(r"https?://\S+/konto/losenord/\S+/", message.body).group(0)


# Giving access


@pytest.mark.django_db
def test_the_officer_gives_a_new_person_access_and_the_link_sets_a_password(
    officer_client, lead_initiative, django_capture_on_commit_callbacks
):
    url = reverse("followup:lead_add", args=[lead_initiative.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            url,
            {"email": "Petra.Holm@Example.org", "first_name": "Petra", "last_name": "Holm"},
            follow=True,
        )

    person = User.objects.get(email="petra.holm@example.org")
    assert "petra.holm@example.org är insatsansvarig för Steget vidare" in text(response)
    assert not person.has_usable_password()
    assert Role.objects.get(user=person).kind == Role.Kind.LEAD
    assert InitiativeLead.objects.get(role__user=person).initiative == lead_initiative
    # Recorded in the history with the officer who gave it.
    lead = InitiativeLead.objects.get(role__user=person)
    assert lead.history.get().history_user.roles.get().kind == Role.Kind.OFFICER
    [message] = mail.outbox
    assert message.to == ["petra.holm@example.org"]
    assert "insatsansvarig för Steget vidare" in message.body

    # The link lets the person choose a password once, and then log in.
    client = Client()
    form = client.get(link_in(message), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Kvällssol-2026!", "new_password2": "Kvällssol-2026!"},
        follow=True,
    )
    assert done.status_code == 200
    assert Client().login(email="petra.holm@example.org", password="Kvällssol-2026!")
    again = Client().get(link_in(message), follow=True)
    assert "new_password1" not in text(again)  # the token is used up with the old password


@pytest.mark.django_db
def test_a_person_with_an_account_gets_a_login_link_and_no_new_password(
    officer, lead_initiative, django_capture_on_commit_callbacks
):
    person = UserFactory(email="kent@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.initiative_lead_add(
            user=officer,
            initiative=lead_initiative,
            email="kent@example.org",
            base_url="https://finsam.example.se/",
        )

    [message] = mail.outbox
    assert "https://finsam.example.se/konto/logga-in/" in message.body
    assert "/konto/losenord/" not in message.body
    person.refresh_from_db()
    assert person.has_usable_password()


@pytest.mark.django_db
def test_a_second_insats_joins_the_same_lead_role(officer, association, lead, lead_initiative):
    other = InitiativeFactory(association=association, name="Andra chansen")

    services.initiative_lead_add(
        user=officer, initiative=other, email=lead.email, base_url="https://x.se"
    )

    role = Role.objects.get(user=lead, association=association)
    assert set(role.initiative_leads.values_list("initiative__name", flat=True)) == {
        "Steget vidare",
        "Andra chansen",
    }


@pytest.mark.django_db
def test_a_person_with_another_role_in_the_forbund_is_refused(
    officer, board_member, lead_initiative
):
    with pytest.raises(services.FollowupError) as refused:
        services.initiative_lead_add(
            user=officer,
            initiative=lead_initiative,
            email=board_member.email,
            base_url="https://x.se",
        )
    assert "har redan rollen styrelse i förbundet" in str(refused.value)
    assert not InitiativeLead.objects.exists()


@pytest.mark.django_db
def test_the_same_lead_twice_is_refused_on_the_page(officer_client, lead, lead_initiative):
    response = officer_client.post(
        reverse("followup:lead_add", args=[lead_initiative.pk]), {"email": lead.email}
    )
    assert services.LEAD_ALREADY.format(email=lead.email, initiative="Steget vidare") in text(
        response
    )
    assert InitiativeLead.objects.count() == 1
    assert not mail.outbox


@pytest.mark.django_db
def test_only_the_officer_gives_access(login, board_member, lead, lead_initiative):
    url = reverse("followup:lead_add", args=[lead_initiative.pk])
    assert login(board_member).get(url).status_code == 403
    assert login(lead).post(url, {"email": "x@example.org"}).status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()


# What the lead sees


@pytest.mark.django_db
def test_the_lead_lists_and_opens_only_its_own_insatser(login, lead, lead_initiative, association):
    other = InitiativeFactory(association=association, name="Annans insats")
    client = login(lead)

    listing = text(client.get(reverse("followup:list")))
    page = client.get(reverse("followup:detail", args=[lead_initiative.pk]))

    assert "Steget vidare" in listing
    assert "Annans insats" not in listing
    assert page.status_code == 200
    assert "Deltagarregistret" in text(page)
    # Not the decisions, the money or the timeline of the insats: those are the förbund's.
    assert "Beviljat och utfall per år" not in text(page)
    assert "Tidslinje" not in text(page)
    assert client.get(reverse("followup:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("followup:register", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_the_lead_enters_and_ends_participants_and_reads_the_register_file(
    login, lead, lead_initiative
):
    client = login(lead)
    pk = lead_initiative.pk

    added = client.post(reverse("followup:participant_add", args=[pk]), PARTICIPANT)
    participant = Participant.objects.get(initiative=lead_initiative)
    ended = client.post(
        reverse("followup:participant_end", args=[pk, participant.pk]),
        {
            "ended_on": "2025-10-01",
            "exit_reason": "work",
            "income_source_end": "salary",
            "occupation_end": "employed",
        },
    )
    template = client.get(reverse("followup:register_template", args=[pk]))
    counts = client.get(reverse("followup:anonymous_counts", args=[pk]) + "?ar=2025")

    assert added.status_code == 302
    assert ended.status_code == 302
    participant.refresh_from_db()
    assert participant.exit_reason == "work"
    assert participant.history.first().history_user == lead
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert counts.status_code == 200


@pytest.mark.django_db
def test_the_start_page_shows_the_lead_its_insatser_and_nothing_else(login, lead):
    page = text(login(lead).get(reverse("start")))

    assert "Mina insatser" in page
    assert "Steget vidare" in page
    assert "Visa organisationen" not in page
    assert "Alla ansökningar" not in page


@pytest.mark.django_db
def test_the_lead_start_page_costs_the_same_for_many_insatser(
    login, lead, association, django_assert_num_queries
):
    client = login(lead)
    # the lead's reports due, the lead's insatser (with owners)
    with django_assert_num_queries(LOGGED_IN + 2):
        assert client.get(reverse("start")).status_code == 200
    for _ in range(5):
        lead_for(InitiativeFactory(association=association), email=lead.email)
    with django_assert_num_queries(LOGGED_IN + 2):
        assert client.get(reverse("start")).status_code == 200


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", pattern


# The pages the lead reaches (for its own insatser), and those anyone reaches.
LEAD_PAGES = {
    "start",
    "association_switch",
    "followup:list",
    "followup:detail",
    "followup:register",
    "followup:participant_add",
    "followup:participant_end",
    "followup:register_template",
    "followup:register_import",
    "followup:register_import_confirm",
    "followup:anonymous_counts",
    "followup:report_upload",
    "followup:report_file",
}
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "login_code",
    "healthz",
    "accessibility_statement",
    # Everyone's own second factor.
    "second_factor",
    "second_factor_enrol",
    "second_factor_qr",
    "second_factor_recovery_codes",
    "second_factor_remove",
    # Everyone's own session: its time left, asked by the idle-time warning on every page.
    "session_status",
}


def _example_url(name, pattern) -> str:
    kwargs = {
        key: ("x" if converter.__class__.__name__ == "StringConverter" else 1)
        for key, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
def test_every_other_page_of_the_app_answers_the_lead_403(login, lead):
    client = login(lead)
    checked = []
    for name, pattern in _patterns():
        if name in LEAD_PAGES or name in PUBLIC or name.startswith("admin:"):
            continue
        url = _example_url(name, pattern)
        by_get = client.get(url).status_code
        by_post = client.post(url).status_code
        # 405 where the view takes the other method only; 403 by the one it takes.
        assert {by_get, by_post} <= {403, 405} and 403 in {by_get, by_post}, (name, url)
        checked.append(name)
    assert "organisation:overview" in checked
    assert "applications:meetings" in checked
    assert "budget:overview" in checked
    assert "followup:export_xlsx" in checked
    assert "followup:lead_add" in checked
    assert "followup:report_agenda" in checked


@pytest.mark.django_db
def test_the_lead_of_another_forbund_finds_nothing_here(other_association, login, lead_initiative):
    stranger = lead_for(InitiativeFactory(association=other_association))
    client = login(stranger)
    assert client.get(reverse("followup:detail", args=[lead_initiative.pk])).status_code == 404
    assert "Steget vidare" not in text(client.get(reverse("followup:list")))


@pytest.mark.parametrize("role", list(Role.Kind))
def test_only_the_lead_is_scoped_to_named_insatser(role):
    from applications.models import Initiative

    permissions = access.permissions_for(role, Initiative(state="running"))
    assert permissions.sees_decisions == (role != Role.Kind.LEAD)
    assert permissions.can_give_access == (role == Role.Kind.OFFICER)
    assert permissions.can_register == (role in (Role.Kind.OFFICER, Role.Kind.LEAD))


@pytest.mark.django_db
def test_participants_of_the_lead_insats_exist_only_there(lead_initiative, association, lead):
    ParticipantFactory(initiative=InitiativeFactory(association=association))
    assert list(
        access.initiatives_visible(association=association, role=Role.Kind.LEAD, user=lead)
    ) == [lead_initiative]
