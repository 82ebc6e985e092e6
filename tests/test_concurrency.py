"""No lost update, no bare error on a double click (issue 13).

Every form two people can open at once: two officers (or preparers) open it, the first saves a
change, the second saves another. The second is refused with "Någon annan har ändrat …", sees
the page again as it is now, and nothing of theirs is saved; the first one's change stays.
The forms are read from the page as a browser would send them (with the hidden fingerprint).

Every move on a page's button: the same POST twice in a row answers the second time with the
object's page and a message saying it is already done, never 403, 404 or 500. The parallel
tests need PostgreSQL (SQLite serialises whole transactions, so they would prove nothing)."""

import datetime
import html
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from applications import services as application_services
from applications.models import Application, Assessment, Decision, DnrSequence, Meeting
from applications.services.assessment import ASSESSMENT_WHAT
from applications.services.decision import DECISION_WHAT
from applications.services.meeting import ATTENDANCE_WHAT, MEETING_WHAT
from budget import services as budget_services
from budget.models import (
    Actual,
    BudgetLine,
    ChartLine,
    ContributionOverride,
    EquityCeiling,
    Forecast,
)
from finsam import services as organisation_services
from finsam.errors import ChangedMeanwhile
from finsam.models import Member, Person, Role
from tests.factories import (
    ApplicationFactory,
    MeetingFactory,
    RoleFactory,
    all_present,
    assess,
    open_board_meeting,
    registered_application,
)
from tests.helpers import form_on

# Forms


def changed(form: dict, change: dict) -> dict:
    """``form`` with ``change`` applied; None unticks a box."""
    data = {**form, **change}
    return {name: value for name, value in data.items() if value is not None}


def page_text(response) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def race(first, second, url, first_change: dict, second_change: dict):
    """Both open ``url``; the first saves ``first_change``, then the second ``second_change``.
    Returns the second's answer, followed to the page it lands on."""
    first_form, second_form = form_on(first.get(url)), form_on(second.get(url))
    saved = first.post(url, changed(first_form, first_change))
    assert saved.status_code == 302, page_text(saved)
    return second.post(url, changed(second_form, second_change), follow=True)


def assert_refused(response, url, what):
    """Sent back to the form's page (a GET: the page as it is now), with the message."""
    assert response.redirect_chain == [(url, 302)]
    assert response.status_code == 200
    assert str(ChangedMeanwhile(what)) in page_text(response)


@pytest.fixture
def colleague(association):
    """A second officer of the same förbund."""
    return RoleFactory(association=association, kind=Role.Kind.OFFICER).user


@pytest.fixture
def clients(login, officer, colleague):
    return login(officer), login(colleague)


# Budget


def draft_budget(association, officer):
    """A 2027 draft with seed 004's chart, every line at 0 kr."""
    return budget_services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )


def chart_line(association, name) -> ChartLine:
    return ChartLine.objects.get(association=association, name=name)


@pytest.mark.django_db
def test_second_save_of_a_versions_lines_is_refused_and_the_first_is_kept(
    association, officer, clients
):
    budget = draft_budget(association, officer)
    contributions = chart_line(association, "Verksamhetens ägarbidrag")
    other_income = chart_line(association, "Övriga intäkter")
    url = reverse("budget:lines", args=[budget.pk])

    response = race(
        *clients, url, {f"line-{contributions.pk}": "5 440"}, {f"line-{other_income.pk}": "100"}
    )

    assert_refused(response, url, budget_services.LINES_WHAT)
    assert "Version 1 är sparad" not in page_text(response)
    amounts = dict(BudgetLine.objects.filter(version__budget=budget).values_list("line", "amount"))
    assert amounts[contributions.pk] == Decimal("5440000")
    assert amounts[other_income.pk] == 0
    # The page now shows the first officer's amount, ready to be changed again.
    shown = form_on(clients[1].get(url))[f"line-{contributions.pk}"]
    assert shown.replace("\xa0", " ") == "5 440"


@pytest.mark.django_db
def test_second_save_of_the_contributions_is_refused(association, officer, clients):
    budget = draft_budget(association, officer)
    first_member, second_member = Member.objects.filter(association=association)[:2]
    url = reverse("budget:contributions", args=[budget.pk])

    response = race(
        *clients, url, {f"member-{first_member.pk}": "100000"}, {f"member-{second_member.pk}": "1"}
    )

    assert_refused(response, url, budget_services.CONTRIBUTIONS_WHAT)
    overrides = ContributionOverride.objects.filter(version__budget=budget)
    assert dict(overrides.values_list("member", "amount")) == {first_member.pk: Decimal(100000)}


@pytest.mark.django_db
def test_second_save_of_the_actuals_grid_is_refused(association, officer, clients):
    budget = draft_budget(association, officer)
    office, consultants = chart_line(association, "Kontor"), chart_line(association, "Konsulter")
    url = reverse("budget:actuals", args=[budget.pk])

    response = race(
        *clients, url, {f"line-{office.pk}-202701": "25000"}, {f"line-{consultants.pk}-202702": "7"}
    )

    assert_refused(response, url, budget_services.ACTUALS_WHAT)
    actuals = Actual.objects.filter(budget=budget)
    assert list(actuals.values_list("line", "month", "amount")) == [
        (office.pk, datetime.date(2027, 1, 1), Decimal(25000))
    ]


@pytest.mark.django_db
def test_a_grid_opened_before_a_ledger_import_does_not_overwrite_it(association, officer, clients):
    budget = draft_budget(association, officer)
    office = chart_line(association, "Kontor")
    url = reverse("budget:actuals", args=[budget.pk])
    opened = form_on(clients[1].get(url))
    january = (
        "line",
        office.pk,
        datetime.date(2027, 1, 1),
    )
    budget_services.actuals_import(
        user=officer,
        budget=budget,
        rows=[budget_services.ImportRow(row=2, text="Kontor", key=january, amount=Decimal(900))],
        file_name="huvudbok.csv",
        sha256="a" * 64,
    )

    response = clients[1].post(url, changed(opened, {f"line-{office.pk}-202702": "7"}), follow=True)

    assert_refused(response, url, budget_services.ACTUALS_WHAT)
    assert list(Actual.objects.filter(budget=budget).values_list("amount", flat=True)) == [900]


@pytest.mark.django_db
def test_second_save_of_the_forecast_is_refused(association, officer, clients):
    budget = draft_budget(association, officer)
    office, consultants = chart_line(association, "Kontor"), chart_line(association, "Konsulter")
    url = reverse("budget:forecast", args=[budget.pk])

    response = race(*clients, url, {f"line-{office.pk}": "300"}, {f"line-{consultants.pk}": "5"})

    assert_refused(response, url, budget_services.FORECAST_WHAT)
    forecasts = Forecast.objects.filter(budget=budget)
    assert list(forecasts.values_list("line", "amount")) == [(office.pk, Decimal(300000))]


def row_of(form: dict, pk: int) -> str:
    """The formset prefix ("form-3") of the row that edits object ``pk``."""
    ids = {value: name for name, value in form.items() if name.endswith("-id")}
    return ids[str(pk)].removesuffix("-id")


@pytest.mark.django_db
def test_second_save_of_the_chart_is_refused(association, officer, clients, login):
    draft_budget(association, officer)
    office, consultants = chart_line(association, "Kontor"), chart_line(association, "Konsulter")
    url = reverse("budget:chart")
    form = form_on(clients[0].get(url))

    response = race(
        *clients,
        url,
        {f"{row_of(form, office.pk)}-name": "Kontor och lokaler"},
        {f"{row_of(form, consultants.pk)}-accounts": "4010"},
    )

    assert_refused(response, url, budget_services.CHART_WHAT)
    office.refresh_from_db()
    consultants.refresh_from_db()
    assert (office.name, consultants.accounts) == ("Kontor och lokaler", "")


@pytest.mark.django_db
def test_second_save_of_the_equity_guideline_is_refused(association, clients):
    url = reverse("budget:ceilings")

    response = race(
        *clients,
        url,
        {"form-0-percent": "20"},
        {"form-0-contributions_up_to": "1000000", "form-0-percent": "30"},
    )

    assert_refused(response, url, budget_services.GUIDELINE_WHAT)
    ceilings = EquityCeiling.objects.filter(association=association)
    assert list(ceilings.values_list("contributions_up_to", "percent")) == [(None, Decimal(20))]


# Applications and meetings


@pytest.mark.django_db
def test_second_preparer_saving_the_same_round_is_refused(association, officer, preparer, login):
    application = registered_application(association, officer)
    assess(application, preparer, recommendation_text="Första utkastet.")
    colleague = RoleFactory(association=association, kind=Role.Kind.PREPARER).user
    url = reverse("applications:assess", args=[application.pk])

    response = race(
        login(preparer),
        login(colleague),
        url,
        {"recommendation_text": "Bevilja, med villkor om uppföljning."},
        {"duties_comment": "Tar inte över någon medlems uppgifter."},
    )

    assert_refused(response, url, ASSESSMENT_WHAT)
    assessment = Assessment.objects.get(application=application)
    assert assessment.recommendation_text == "Bevilja, med villkor om uppföljning."
    assert assessment.duties_comment == ""


@pytest.mark.django_db
def test_second_save_of_a_meeting_is_refused(association, clients):
    meeting = MeetingFactory(association=association)
    url = reverse("applications:meeting_edit", args=[meeting.pk])

    response = race(
        *clients, url, {"place": "Kommunhuset, sal 1"}, {"starts_at": "2026-12-11T13:00"}
    )

    assert_refused(response, url, MEETING_WHAT)
    meeting.refresh_from_db()
    assert meeting.place == "Kommunhuset, sal 1"
    assert meeting.starts_at == datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_second_save_of_the_attendance_is_refused(association, officer, clients):
    meeting = MeetingFactory(association=association)
    application_services.attendance_record(
        user=officer, meeting=meeting, rows=all_present(association)
    )
    url = reverse("applications:attendance", args=[meeting.pk])

    response = race(
        *clients, url, {"secretary": "Anna Ek, förbundschef"}, {"others_present": "Bo Ek"}
    )

    assert_refused(response, url, ATTENDANCE_WHAT)
    meeting.refresh_from_db()
    assert (meeting.secretary, meeting.others_present) == ("Anna Ek, förbundschef", "")


@pytest.mark.django_db
def test_second_record_of_a_decision_is_refused(association, officer, clients):
    meeting = open_board_meeting(association, officer)
    item = meeting.agenda_items.get(title="Information")
    url = reverse("applications:decision", args=[meeting.pk, item.pk])

    response = race(
        *clients,
        url,
        {"text": "Styrelsen noterar informationen."},
        {"text": "Styrelsen lägger informationen till handlingarna."},
    )

    assert_refused(response, url, DECISION_WHAT)
    assert Decision.objects.get(agenda_item=item).text == "Styrelsen noterar informationen."


# Organisation


@pytest.mark.django_db
def test_second_save_of_a_member_is_refused(association, clients):
    member = Member.objects.get(association=association, name="Svalövs kommun")
    url = reverse("organisation:section_edit", args=["medlemmar", member.pk])

    response = race(*clients, url, {"name": "Svalöv"}, {"population": "15000"})

    assert_refused(response, url, organisation_services.OBJECT_WHAT)
    member.refresh_from_db()
    assert (member.name, member.population) == ("Svalöv", 14_428)


@pytest.mark.django_db
def test_second_save_of_the_forbund_is_refused(association, clients):
    url = reverse("organisation:association_edit")
    phone = association.phone

    response = race(*clients, url, {"city": "Landskrona"}, {"phone": "0418-47 00 00"})

    assert_refused(response, url, organisation_services.ASSOCIATION_WHAT)
    association.refresh_from_db()
    assert (association.city, association.phone) == ("Landskrona", phone)


@pytest.mark.django_db
def test_a_form_sent_back_with_errors_keeps_the_fingerprint_it_was_opened_with(
    association, clients
):
    """Correcting an error does not make the form forget what it was opened on."""
    member = Member.objects.get(association=association, name="Svalövs kommun")
    url = reverse("organisation:section_edit", args=["medlemmar", member.pk])
    first, second = clients
    first_form, second_form = form_on(first.get(url)), form_on(second.get(url))
    first.post(url, changed(first_form, {"name": "Svalöv"}))

    with_error = second.post(url, changed(second_form, {"name": ""}))
    corrected = form_on(with_error)
    assert corrected["fingerprint"] == second_form["fingerprint"]
    response = second.post(url, changed(corrected, {"name": "Svalövs kommun (ny)"}), follow=True)

    assert_refused(response, url, organisation_services.OBJECT_WHAT)
    member.refresh_from_db()
    assert member.name == "Svalöv"


# A double click: the same POST twice


def twice(client, url, data=None):
    """The same POST twice in a row; the second's answer, followed."""
    first = client.post(url, data or {})
    assert first.status_code == 302
    return client.post(url, data or {}, follow=True)


def assert_already(response, page_url, message):
    assert response.redirect_chain[0] == (page_url, 302), response.redirect_chain
    assert response.status_code == 200
    assert message in page_text(response)


@pytest.mark.django_db
def test_registering_twice_answers_with_the_page_and_the_number(association, officer_client):
    application = ApplicationFactory(association=association)
    url = reverse("applications:register", args=[application.pk])

    response = twice(officer_client, url)

    application.refresh_from_db()
    assert_already(
        response,
        application.get_absolute_url(),
        f"Ansökan är redan registrerad med diarienummer {application.dnr}.",
    )
    assert application.dnr_number == 1


@pytest.mark.django_db
def test_withdrawing_twice_answers_with_the_page(association, officer, officer_client):
    application = registered_application(association, officer)
    url = reverse("applications:withdraw", args=[application.pk])

    response = twice(officer_client, url, {"confirm": "on", "comment": "Sökanden återtar."})

    assert_already(response, application.get_absolute_url(), "Ansökan är redan återtagen.")
    assert application.state_changes.filter(to_state=Application.State.WITHDRAWN).count() == 1


@pytest.mark.django_db
def test_finalising_twice_answers_with_the_page(association, officer, preparer, officer_client):
    application = registered_application(association, officer)
    assess(application, preparer)
    url = reverse("applications:finalise", args=[application.pk])

    response = twice(officer_client, url)

    assert_already(
        response, application.get_absolute_url(), "Rekommendationen är redan fastställd."
    )


@pytest.mark.django_db
def test_an_assessment_saved_after_it_was_made_final_answers_with_the_page(
    association, officer, preparer, login
):
    application = registered_application(association, officer)
    assess(application, preparer)
    client = login(preparer)
    url = reverse("applications:assess", args=[application.pk])
    form = form_on(client.get(url))
    application_services.assessment_finalise(user=officer, application=application)

    response = client.post(url, changed(form, {"duties_comment": "Sent tillägg."}), follow=True)

    assert_already(
        response,
        application.get_absolute_url(),
        application_services.assessment.ASSESSMENT_NOT_OPEN,
    )
    assert Assessment.objects.get(application=application).duties_comment == ""


@pytest.mark.django_db
def test_an_application_saved_after_it_moved_on_answers_with_the_page(
    association, officer, preparer, officer_client
):
    from tests.helpers import edit_data

    application = ApplicationFactory(association=association, name="Ursprungligt namn")
    url = reverse("applications:edit", args=[application.pk])
    data = edit_data(officer_client.get(url).context, name="Nytt namn")
    application_services.application_register(user=officer, application=application)
    assess(application, preparer)
    application_services.assessment_finalise(user=officer, application=application)

    response = officer_client.post(url, data, follow=True)

    assert_already(
        response, application.get_absolute_url(), "En ansökan som är beredd kan inte ändras."
    )
    application.refresh_from_db()
    assert application.name == "Ursprungligt namn"


@pytest.mark.django_db
def test_cancelling_a_meeting_twice_answers_with_the_page(association, officer_client):
    meeting = MeetingFactory(association=association)
    url = reverse("applications:meeting_cancel", args=[meeting.pk])

    response = twice(officer_client, url, {"reason": "För få ärenden."})

    assert_already(response, meeting.get_absolute_url(), "Sammanträdet är redan inställt.")


@pytest.mark.django_db
def test_opening_and_approving_the_minutes_twice_answer_with_the_page(
    association, officer, officer_client
):
    meeting = MeetingFactory(
        association=association,
        starts_at=datetime.datetime(2026, 1, 10, 9, 0, tzinfo=datetime.UTC),
    )
    application_services.agenda_item_add(
        user=officer, meeting=meeting, kind="information", title="Information"
    )
    application_services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    application_services.attendance_record(
        user=officer, meeting=meeting, rows=all_present(association)
    )

    opened = twice(officer_client, reverse("applications:minutes_open", args=[meeting.pk]))
    assert_already(opened, meeting.get_absolute_url(), "Protokollet är redan upprättat.")

    item = meeting.agenda_items.get(title="Information")
    application_services.decision_record(user=officer, item=item, text="Noteras.")
    signed = {"chair_approved": "on", "approvers_approved": "on"}
    approved = twice(officer_client, reverse("applications:approve", args=[meeting.pk]), signed)
    assert_already(approved, meeting.get_absolute_url(), "Protokollet är redan justerat.")


@pytest.mark.django_db
def test_striking_an_item_twice_answers_with_the_page(association, officer, officer_client):
    meeting = MeetingFactory(association=association)
    item = application_services.agenda_item_add(
        user=officer, meeting=meeting, kind="information", title="Information"
    )
    url = reverse("applications:agenda_remove", args=[meeting.pk, item.pk])

    response = twice(officer_client, url)

    assert_already(
        response, meeting.get_absolute_url(), "Ärendet är redan struket från dagordningen."
    )


@pytest.mark.django_db
def test_striking_an_item_of_another_meeting_is_still_not_found(
    association, officer, officer_client
):
    meeting, other = (
        MeetingFactory(association=association),
        MeetingFactory(association=association),
    )
    item = application_services.agenda_item_add(
        user=officer, meeting=other, kind="information", title="Information"
    )

    url = reverse("applications:agenda_remove", args=[meeting.pk, item.pk])
    assert officer_client.post(url).status_code == 404
    assert Meeting.objects.get(pk=other.pk).agenda_items.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_removing_an_organisation_object_twice_answers_with_the_section(
    association, officer_client, login, other_officer
):
    person = organisation_services.organisation_object_create(
        user=None,
        association=association,
        model=Person,
        values={"name": "Bo Ek"},
    )
    url = reverse("organisation:section_delete", args=["personer", person.pk])

    response = twice(officer_client, url)

    assert_already(
        response, reverse("organisation:overview") + "#personer", "Uppgiften är redan borttagen."
    )
    # Whoever did not remove it learns nothing: not found, as for any other förbund's object.
    assert login(other_officer).post(url).status_code == 404


@pytest.mark.django_db
def test_adopting_and_closing_a_budget_twice_answer_with_the_budget(
    association, officer, officer_client
):
    budget = draft_budget(association, officer)
    adopt = reverse("budget:adopt", args=[budget.pk])

    adopted = twice(officer_client, adopt, {"adopted_on": "2026-11-20"})
    assert_already(adopted, budget.get_absolute_url(), f"{budget}, version 1 är redan fastställd.")

    closed = twice(officer_client, reverse("budget:close", args=[budget.pk]))
    assert_already(closed, budget.get_absolute_url(), budget_services.ALREADY_CLOSED)


# Two saves at the same moment (PostgreSQL)


def in_parallel(*calls) -> list:
    """Runs each call in its own thread and connection, started together; what each returned
    or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # reported to the test through outcomes
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_saves_of_the_same_lines_at_once_one_wins_the_other_is_refused(
    association, officer, colleague
):
    budget = draft_budget(association, officer)
    version = budget.versions.get()
    contributions = chart_line(association, "Verksamhetens ägarbidrag")
    other_income = chart_line(association, "Övriga intäkter")
    # As the lines page: it shows every line and posts them all back, one of them changed.
    shown = dict(version.lines.values_list("line", "amount"))
    opened = budget_services.amounts_fingerprint(shown)

    def save(user, line, amount):
        return lambda: budget_services.version_lines_save(
            user=user, version=version, amounts={**shown, line.pk: amount}, fingerprint=opened
        )

    outcomes = in_parallel(
        save(officer, contributions, Decimal(5_440_000)),
        save(colleague, other_income, Decimal(100_000)),
    )

    refused = [outcome for outcome in outcomes if isinstance(outcome, ChangedMeanwhile)]
    assert len(refused) == 1 and outcomes.count(None) == 1, outcomes
    amounts = dict(version.lines.values_list("line", "amount"))
    assert sorted([amounts[contributions.pk], amounts[other_income.pk]]) in (
        [0, Decimal(5_440_000)],
        [0, Decimal(100_000)],
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_registrations_of_one_draft_at_once_give_one_number_and_a_message(
    association, officer, colleague
):
    application = ApplicationFactory(association=association)

    outcomes = in_parallel(
        lambda: application_services.application_register(user=officer, application=application),
        lambda: application_services.application_register(user=colleague, application=application),
    )

    refused = [str(outcome) for outcome in outcomes if isinstance(outcome, Exception)]
    application.refresh_from_db()
    assert refused == [f"Ansökan är redan registrerad med diarienummer {application.dnr}."]
    assert application.dnr_number == 1
    assert DnrSequence.objects.get(association=association).last_number == 1
