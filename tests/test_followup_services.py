"""The participant register's rules, the anonymous counts and the end of an insats: refused by
the services with the Swedish messages the users see, and by the database where it can."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from applications import services as application_services
from applications.models import Initiative
from finsam.errors import DomainError
from followup import services
from followup.models import AnonymousCount, Participant, age_band
from followup.services import ParticipantEnd, ParticipantValues
from tests.factories import AnonymousCountFactory, InitiativeFactory, ParticipantFactory

START = datetime.date(2025, 3, 1)


def values(**changes) -> ParticipantValues:
    base = {
        "gender": "woman",
        "birth_year": 1995,
        "education": "upper_secondary",
        "income_source_start": "social_assistance",
        "occupation_start": "none",
        "support_time": "1_2",
        "started_on": START,
    }
    return ParticipantValues(**(base | changes))


WORK = ParticipantEnd(
    ended_on=datetime.date(2025, 9, 30),
    exit_reason="work",
    income_source_end="salary",
    occupation_end="employed",
)


@pytest.fixture
def initiative(association):
    return InitiativeFactory(association=association)


def refused(call, message_start: str):
    with pytest.raises(DomainError) as error:
        call()
    assert str(error.value).startswith(message_start), str(error.value)
    return str(error.value)


@pytest.mark.django_db
def test_codes_are_given_per_insats_in_order(initiative, officer, association):
    first = services.participant_add(user=officer, initiative=initiative, values=values())
    second = services.participant_add(user=officer, initiative=initiative, values=values())
    elsewhere = services.participant_add(
        user=officer, initiative=InitiativeFactory(association=association), values=values()
    )

    assert [first.code, second.code, elsewhere.code] == ["D-0001", "D-0002", "D-0001"]
    assert first.history.get().history_user == officer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"started_on": datetime.date(2023, 12, 31)}, "Startdatum 2023-12-31 ligger utanför"),
        ({"started_on": datetime.date(2027, 1, 1)}, "Startdatum 2027-01-01 ligger utanför"),
        ({"birth_year": 2010}, "Födelseår 2010 ger åldern 15 år vid start 2025"),
        ({"birth_year": 1957}, "Födelseår 1957 ger åldern 68 år vid start 2025"),
        ({"ended_on": datetime.date(2025, 6, 1)}, "Slutdatum, avslutsorsak"),
        ({"education": ""}, "Högsta utbildning saknas."),
        ({"gender": "annat"}, "Kön: ”annat” är inget av de tillåtna värdena."),
        (
            {
                "ended_on": datetime.date(2025, 2, 1),
                "exit_reason": "work",
                "income_source_end": "salary",
                "occupation_end": "employed",
            },
            "Slutdatum 2025-02-01 är före startdatum 2025-03-01.",
        ),
    ],
)
def test_a_participant_breaking_a_rule_is_refused_with_its_message(
    initiative, officer, changes, message, settings
):
    refused(
        lambda: services.participant_add(
            user=officer, initiative=initiative, values=values(**changes)
        ),
        message,
    )
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_participant_who_has_not_started_yet_is_refused(association, officer):
    long = InitiativeFactory(association=association, period_end=datetime.date(2099, 12, 31))

    refused(
        lambda: services.participant_add(
            user=officer, initiative=long, values=values(started_on=datetime.date(2099, 1, 1))
        ),
        "Startdatum 2099-01-01 ligger i framtiden",
    )


@pytest.mark.django_db
def test_ages_16_and_67_at_start_are_within_working_age(initiative, officer):
    young = services.participant_add(
        user=officer, initiative=initiative, values=values(birth_year=2009)
    )
    old = services.participant_add(
        user=officer, initiative=initiative, values=values(birth_year=1958)
    )

    assert (young.age_at_start, young.age_band) == (16, "16–19")
    assert (old.age_at_start, old.age_band) == (67, "60–")


def test_age_bands_are_the_follow_ups():
    assert [age_band(age) for age in (19, 20, 24, 25, 29, 30, 39, 40, 59, 60)] == [
        "16–19",
        "20–24",
        "20–24",
        "25–29",
        "25–29",
        "30–39",
        "30–39",
        "40–49",
        "50–59",
        "60–",
    ]


@pytest.mark.django_db
def test_a_participant_may_be_registered_already_ended(initiative, officer):
    participant = services.participant_add(
        user=officer, initiative=initiative, values=values().ended(WORK)
    )

    assert participant.exit_reason == "work"
    assert not participant.is_active


@pytest.mark.django_db
def test_a_structural_insats_keeps_no_register(association, officer):
    structural = InitiativeFactory(association=association, orientation="structural")

    refused(
        lambda: services.participant_add(user=officer, initiative=structural, values=values()),
        services.STRUCTURAL,
    )


@pytest.mark.django_db
def test_ending_a_participant_records_the_end_whole_and_once(initiative, officer):
    participant = services.participant_add(user=officer, initiative=initiative, values=values())

    ended = services.participant_end(user=officer, participant=participant, end=WORK)

    ended.refresh_from_db()
    assert (ended.ended_on, ended.exit_reason, ended.income_source_end, ended.occupation_end) == (
        datetime.date(2025, 9, 30),
        "work",
        "salary",
        "employed",
    )
    assert ended.history.first().history_user == officer
    refused(
        lambda: services.participant_end(user=officer, participant=participant, end=WORK),
        "D-0001 är redan avslutad (2025-09-30).",
    )


@pytest.mark.django_db
def test_an_end_before_the_start_or_missing_a_field_is_refused(initiative, officer):
    participant = services.participant_add(user=officer, initiative=initiative, values=values())

    early = ParticipantEnd(datetime.date(2025, 1, 2), "work", "salary", "employed")
    refused(
        lambda: services.participant_end(user=officer, participant=participant, end=early),
        "Slutdatum 2025-01-02 är före startdatum 2025-03-01.",
    )
    partial = ParticipantEnd(datetime.date(2025, 5, 2), "", "salary", "employed")
    refused(
        lambda: services.participant_end(user=officer, participant=participant, end=partial),
        "Slutdatum, avslutsorsak, försörjning vid avslut och sysselsättning vid avslut fylls i "
        "alla eller inga; avslutsorsak saknas.",
    )
    participant.refresh_from_db()
    assert participant.is_active


def _save(**fields):
    with transaction.atomic():
        ParticipantFactory(**fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"birth_year": 2010},  # 15 at start
        {"birth_year": 1957},  # 68 at start
        {"ended_on": datetime.date(2025, 6, 1)},  # an end without its reason
        {"exit_reason": "work"},  # a reason without an end
        {
            "ended_on": datetime.date(2025, 2, 1),
            "exit_reason": "work",
            "income_source_end": "salary",
            "occupation_end": "employed",
        },  # ends before it starts
        {"gender": "annat"},
        {"income_source_start": "Lön"},  # a label, not a code
        {"number": 0},
    ],
)
def test_the_database_refuses_what_the_register_must_never_hold(initiative, fields):
    with pytest.raises(IntegrityError):
        _save(initiative=initiative, **fields)


@pytest.mark.django_db
def test_the_database_refuses_a_code_twice_in_one_insats(initiative):
    ParticipantFactory(initiative=initiative, number=7)

    with pytest.raises(IntegrityError):
        _save(initiative=initiative, number=7)


@pytest.mark.django_db
def test_anonymous_counts_are_saved_changed_and_removed_by_month(initiative, officer):
    may, june = datetime.date(2025, 5, 1), datetime.date(2025, 6, 1)
    services.anonymous_counts_save(
        user=officer, initiative=initiative, counts={may: (3, 2), june: (0, 1)}
    )
    services.anonymous_counts_save(
        user=officer, initiative=initiative, counts={may: (0, 0), june: (4, 1)}
    )

    rows = list(AnonymousCount.objects.values_list("month", "women", "men"))
    assert rows == [(june, 4, 1)]
    refused(
        lambda: services.anonymous_counts_save(
            user=officer, initiative=initiative, counts={datetime.date(2027, 1, 1): (1, 1)}
        ),
        "2027-01 ligger utanför insatsens period 2024-01-01 – 2026-12-31.",
    )


@pytest.mark.django_db
def test_the_database_refuses_an_anonymous_count_that_is_not_a_month(initiative):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnonymousCountFactory(initiative=initiative, month=datetime.date(2025, 5, 2))


@pytest.mark.django_db
def test_an_insats_ends_only_when_its_participants_have(initiative, officer):
    participant = services.participant_add(user=officer, initiative=initiative, values=values())
    end_day = datetime.date(2025, 12, 31)

    def end():
        return services.initiative_end(
            user=officer, initiative=initiative, outcome="implemented", ended_on=end_day
        )

    refused(end, "1 deltagare är fortfarande aktiva.")
    services.participant_end(user=officer, participant=participant, end=WORK)

    ended = end()

    ended.refresh_from_db()
    assert (ended.state, ended.ended_on) == (Initiative.State.IMPLEMENTED, end_day)
    assert ended.history.first().history_user == officer
    assert ended.history.first().state == "implemented"
    refused(end, "Insatsen är redan avslutad (avslutad – implementerad i ordinarie verksamhet")


@pytest.mark.django_db
def test_an_insats_cannot_end_before_its_participants_did(initiative, officer):
    services.participant_add(user=officer, initiative=initiative, values=values().ended(WORK))

    refused(
        lambda: services.initiative_end(
            user=officer,
            initiative=initiative,
            outcome="discontinued",
            ended_on=datetime.date(2025, 9, 1),
        ),
        "1 deltagare har start- eller slutdatum efter 2025-09-01",
    )


@pytest.mark.django_db
def test_after_the_end_no_participant_may_be_active_or_start_later(initiative, officer):
    services.initiative_end(
        user=officer,
        initiative=initiative,
        outcome="discontinued",
        ended_on=datetime.date(2025, 6, 30),
    )

    message = refused(
        lambda: services.participant_add(user=officer, initiative=initiative, values=values()),
        "Insatsen avslutades 2025-06-30",
    )
    assert "fyll i avslutet" in message
    refused(
        lambda: services.participant_add(
            user=officer, initiative=initiative, values=values(started_on=datetime.date(2025, 7, 1))
        ),
        "Startdatum 2025-07-01 ligger utanför insatsens period 2024-01-01 – 2025-06-30.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "ended_on", "message"),
    [
        (
            "running",
            datetime.date(2025, 1, 1),
            application_services.initiative.INITIATIVE_END_OUTCOME,
        ),
        ("implemented", datetime.date(2023, 12, 31), "Insatsen kan inte avslutas före sin start"),
        ("implemented", datetime.date(2030, 1, 1), "Ett avslut registreras när det har skett"),
    ],
)
def test_the_insats_end_needs_a_way_and_a_day_that_has_come(
    initiative, officer, outcome, ended_on, message
):
    with pytest.raises(application_services.InitiativeError) as error:
        application_services.initiative_end(
            user=officer, initiative=initiative, outcome=outcome, ended_on=ended_on
        )
    assert str(error.value).startswith(message)
    initiative.refresh_from_db()
    assert initiative.is_running


@pytest.mark.django_db
def test_the_database_refuses_an_ended_insats_without_its_day(initiative):
    initiative.state = Initiative.State.DISCONTINUED
    with pytest.raises(IntegrityError), transaction.atomic():
        initiative.save()
