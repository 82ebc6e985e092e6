"""The applications services bound what they are given themselves (finsam.bounds): called
directly, not through a form, with a date or amount out of range they refuse with OutOfBounds and
write nothing (issue #13)."""

import datetime

import pytest

from applications import services
from applications.models import (
    Application,
    AssessmentAmount,
    BudgetRow,
    Decision,
    Initiative,
    Meeting,
    PartyCommitment,
)
from finsam.bounds import OutOfBounds
from finsam.money import MAX_AMOUNT
from tests.factories import (
    HELD,
    ApplicationFactory,
    InitiativeFactory,
    MeetingFactory,
    all_present,
    prepared_application,
    registered_application,
)

YEAR_TWO = datetime.date(2, 6, 1)
TOO_MUCH = MAX_AMOUNT + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "starts_at",
    [
        datetime.datetime(1, 1, 1, 0, 0, tzinfo=datetime.UTC),
        datetime.datetime(9999, 1, 1, 9, 0, tzinfo=datetime.UTC),
    ],
)
def test_a_meeting_in_year_1_or_9999_is_refused_and_not_created(association, officer, starts_at):
    with pytest.raises(OutOfBounds, match="Sammanträdets tid"):
        services.meeting_create(
            user=officer, association=association, body="board", starts_at=starts_at, place="Sal"
        )
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_meeting_moved_to_year_1_is_refused_and_keeps_its_time(association, officer):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    with pytest.raises(OutOfBounds, match="Sammanträdets tid"):
        services.meeting_update(
            user=officer,
            meeting=meeting,
            body="board",
            starts_at=datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
            place="Annan sal",
        )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place) == (HELD, "Stadshuset, sal 3")


@pytest.mark.django_db
def test_a_grant_above_the_maximum_is_refused_and_no_decision_is_written(
    association, officer, preparer
):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    application = prepared_application(association, officer, preparer)
    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)
    item = meeting.agenda_items.get(application=application)
    with pytest.raises(OutOfBounds, match="Beviljat 2027"):
        services.decision_record(
            user=officer,
            item=item,
            text="",
            outcome="grant",
            amounts={2027: TOO_MUCH},
            confirm_exceeding=True,
        )
    assert not Decision.objects.exists()


VALUES = {"name": "Ny insats", "date": datetime.date(2026, 3, 1)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "tables", "named"),
    [
        ({**VALUES, "date": YEAR_TWO}, {}, "Datum"),
        ({**VALUES, "period_start": YEAR_TWO}, {}, "Startdatum"),
        ({**VALUES, "period_end": datetime.date(9999, 12, 31)}, {}, "Slutdatum"),
        (
            VALUES,
            {"budget_rows": [{"year": 2027, "kind": "cost", "label": "Lön", "amount": TOO_MUCH}]},
            "rad 1",
        ),
        (
            VALUES,
            {"activities": [{"activity": "Start", "start": YEAR_TWO, "end": YEAR_TWO}]},
            "rad 1",
        ),
        (VALUES, {"planned_reports": [{"kind": "interim", "due": YEAR_TWO}]}, "rad 1"),
        (VALUES, {"targets": [{"text": "Deltagare", "number": 10**9}]}, "rad 1"),
    ],
)
def test_an_application_created_with_a_date_or_amount_out_of_range_is_refused_and_not_written(
    association, officer, values, tables, named
):
    with pytest.raises(OutOfBounds, match=named):
        services.application_create(
            user=officer, association=association, values=values, tables=tables
        )
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_an_own_contribution_out_of_range_is_refused_and_the_application_is_unchanged(
    association, officer
):
    application = ApplicationFactory(association=association)
    member = association.members.first()
    with pytest.raises(OutOfBounds, match="rad 1"):
        services.application_update(
            user=officer,
            application=application,
            values={"name": "Ändrat namn"},
            tables={
                "commitments": [
                    {"member": member, "commitment": "Lokaler", "own_contribution": -TOO_MUCH}
                ]
            },
        )
    application.refresh_from_db()
    assert application.name != "Ändrat namn"
    assert application.version == 1
    assert not PartyCommitment.objects.exists()
    assert BudgetRow.objects.filter(application=application).count() == 2


@pytest.mark.django_db
def test_a_recommended_amount_above_the_maximum_is_refused_and_not_written(
    association, officer, preparer
):
    application = registered_application(association, officer)
    with pytest.raises(OutOfBounds, match="Rekommenderat belopp 2027"):
        services.assessment_save(
            user=preparer,
            application=application,
            values={"recommendation": "grant"},
            amounts={2027: TOO_MUCH},
        )
    application.refresh_from_db()
    assert application.state == Application.State.REGISTERED
    assert not application.assessments.exists()
    assert not AssessmentAmount.objects.exists()


@pytest.mark.django_db
def test_an_insats_registered_or_ended_in_year_2_is_refused(association, officer):
    with pytest.raises(OutOfBounds, match="Startdatum"):
        services.initiative_register(
            user=officer,
            association=association,
            name="Gammal insats",
            owner=association.members.first(),
            orientation="individual",
            period_start=YEAR_TWO,
            period_end=datetime.date(2026, 12, 31),
        )
    assert not Initiative.objects.exists()
    initiative = InitiativeFactory(association=association)
    with pytest.raises(OutOfBounds, match="Avslutad"):
        services.initiative_end(
            user=officer, initiative=initiative, outcome="implemented", ended_on=YEAR_TWO
        )
    initiative.refresh_from_db()
    assert initiative.ended_on is None and initiative.is_running
