"""The follow-up's services check the domain's bounds themselves (finsam.bounds), whoever calls
them (a form, the register file, the demo, a shell): a day out of range or a count too large is
refused with OutOfBounds and nothing is written (#13)."""

import datetime

import pytest
from django.utils import timezone

from applications.models import Initiative
from finsam.bounds import MAX_COUNT, OutOfBounds
from followup import services
from followup.models import AnonymousCount, Participant, Report
from followup.services import ParticipantEnd, ParticipantValues, RegisterRow
from tests.factories import InitiativeFactory, ParticipantFactory, report_due

YEAR_TWO = datetime.date(2, 6, 1)
YEAR_9999 = datetime.date(9999, 1, 1)
OUT_OF_RANGE = "Ange ett datum mellan 1990-01-01 och 2100-12-31."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def values(**changes) -> ParticipantValues:
    return ParticipantValues(
        **{
            "gender": "woman",
            "birth_year": 1995,
            "education": "upper_secondary",
            "income_source_start": "social_assistance",
            "occupation_start": "none",
            "support_time": "1_2",
            "started_on": datetime.date(2025, 3, 1),
            **changes,
        }
    )


def written(initiative) -> tuple:
    """Everything the follow-up's services write for an insats, with its history."""
    return (
        list(Participant.objects.filter(initiative=initiative).values_list("pk", "ended_on")),
        Participant.history.filter(initiative_id=initiative.pk).count(),
        list(initiative.anonymous_counts.values_list("month", "women", "men")),
        AnonymousCount.history.filter(initiative_id=initiative.pk).count(),
        initiative.participant_imports.count(),
        Initiative.objects.values_list("state", "ended_on").get(pk=initiative.pk),
        Report.objects.count(),
    )


@pytest.fixture
def initiative(association):
    return InitiativeFactory(association=association)


@pytest.mark.django_db
@pytest.mark.parametrize("day", [YEAR_TWO, YEAR_9999])
def test_a_participant_started_out_of_range_is_refused_and_nothing_written(
    officer, initiative, day
):
    before = written(initiative)
    with pytest.raises(OutOfBounds) as refused:
        services.participant_add(user=officer, initiative=initiative, values=values(started_on=day))
    assert str(refused.value) == f"Startdatum: {OUT_OF_RANGE}"
    assert written(initiative) == before


@pytest.mark.django_db
def test_a_participant_ended_in_year_9999_is_refused_and_stays_active(officer, initiative):
    participant = ParticipantFactory(initiative=initiative)
    before = written(initiative)
    end = ParticipantEnd(YEAR_9999, "work", "salary", "employed")
    with pytest.raises(OutOfBounds, match="Slutdatum"):
        services.participant_end(user=officer, participant=participant, end=end)
    assert written(initiative) == before


@pytest.mark.django_db
def test_a_register_file_with_a_row_from_year_two_is_refused_whole(officer, initiative):
    rows = [
        RegisterRow(row=2, values=values()),
        RegisterRow(row=3, values=values(started_on=YEAR_TWO)),
    ]
    before = written(initiative)
    with pytest.raises(OutOfBounds, match="Startdatum"):
        services.participants_import(
            user=officer, initiative=initiative, rows=rows, file_name="r.xlsx", sha256="ab" * 32
        )
    assert written(initiative) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({YEAR_TWO.replace(day=1): (1, 1)}, f"Månad: {OUT_OF_RANGE}"),
        (
            {datetime.date(2025, 2, 1): (MAX_COUNT + 1, 0)},
            "Kvinnor 2025-02: ange ett antal mellan 0 och 1 000 000.",
        ),
    ],
)
def test_anonymous_counts_of_year_two_or_of_millions_are_refused(
    officer, initiative, counts, message
):
    before = written(initiative)
    with pytest.raises(OutOfBounds) as refused:
        services.anonymous_counts_save(user=officer, initiative=initiative, counts=counts)
    assert str(refused.value).replace("\xa0", " ") == message
    assert written(initiative) == before


@pytest.mark.django_db
def test_an_insats_ended_in_year_two_is_refused_and_keeps_running(officer, initiative):
    before = written(initiative)
    with pytest.raises(OutOfBounds, match="Avslutad den"):
        services.initiative_end(
            user=officer, initiative=initiative, outcome="implemented", ended_on=YEAR_TWO
        )
    assert written(initiative) == before


@pytest.mark.django_db
def test_a_report_received_in_year_two_is_refused_and_not_kept(lead, lead_initiative, settings):
    planned = report_due(lead_initiative, due=timezone.localdate())
    before = written(lead_initiative)
    with pytest.raises(OutOfBounds, match="Mottagen den"):
        services.report_receive(
            user=lead,
            planned_report=planned,
            file_name="Delrapport.pdf",
            content=PDF,
            received_on=YEAR_TWO,
        )
    assert written(lead_initiative) == before
