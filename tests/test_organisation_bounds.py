"""The organisation's services check the domain's bounds themselves (finsam.bounds), whoever
calls them: a date out of range is refused with OutOfBounds and nothing is written (#13: a board
seat from year 2 made the organisation page answer 500 for every role)."""

import datetime

import pytest
from django.urls import reverse

from finsam import services
from finsam.bounds import OutOfBounds
from finsam.models import Association, BoardSeat, Member
from tests.factories import BoardSeatFactory, MemberFactory, PersonFactory

YEAR_TWO = datetime.date(2, 6, 1)
YEAR_9999 = datetime.date(9999, 1, 1)
OUT_OF_RANGE = "Ange ett datum mellan 1990-01-01 och 2100-12-31."


def history_rows() -> int:
    return sum(
        model.history.count() for model in (Association, Member, BoardSeat)
    )  # every change the services record


@pytest.mark.django_db
def test_a_board_seat_from_year_two_is_refused_and_every_role_still_reads_the_organisation(
    association, officer, personas, login
):
    member = MemberFactory(association=association)
    person = PersonFactory(association=association)
    seats, history = BoardSeat.objects.count(), history_rows()
    with pytest.raises(OutOfBounds) as refused:
        services.organisation_object_create(
            user=officer,
            association=association,
            model=BoardSeat,
            values={
                "member": member,
                "person": person,
                "kind": BoardSeat.Kind.ORDINARY,
                "term_start": YEAR_TWO,
                "term_end": datetime.date(2027, 3, 31),
            },
        )
    assert str(refused.value) == f"Mandatperiod från: {OUT_OF_RANGE}"
    assert (BoardSeat.objects.count(), history_rows()) == (seats, history)
    for persona in ("officer", "preparer", "board", "auditor"):
        assert login(personas[persona]).get(reverse("organisation:overview")).status_code == 200


@pytest.mark.django_db
def test_a_board_seat_moved_to_year_9999_is_refused_and_keeps_its_term(association, officer):
    seat = BoardSeatFactory(member=MemberFactory(association=association))
    before, history = (seat.term_start, seat.term_end), history_rows()
    with pytest.raises(OutOfBounds, match="Mandatperiod till"):
        services.organisation_object_update(
            user=officer, association=association, instance=seat, values={"term_end": YEAR_9999}
        )
    seat.refresh_from_db()
    assert ((seat.term_start, seat.term_end), history_rows()) == (before, history)


@pytest.mark.django_db
def test_a_member_from_year_one_is_refused_on_creation_and_on_change(association, officer):
    members, history = Member.objects.count(), history_rows()
    with pytest.raises(OutOfBounds, match="Medlem från"):
        services.organisation_object_create(
            user=officer,
            association=association,
            model=Member,
            values={
                "kind": Member.Kind.KOMMUN,
                "name": "Gammal kommun",
                "population": 1000,
                "active_from": datetime.date(1, 1, 1),
            },
        )
    member = MemberFactory(association=association)
    history = history_rows()
    with pytest.raises(OutOfBounds, match="Medlem till och med"):
        services.organisation_object_update(
            user=officer,
            association=association,
            instance=member,
            values={"active_until": YEAR_9999},
        )
    member.refresh_from_db()
    assert member.active_until is None
    assert (Member.objects.count(), history_rows()) == (members + 1, history)


@pytest.mark.django_db
def test_a_forbund_founded_out_of_range_is_refused_on_creation_and_on_change(association, officer):
    associations, history = Association.objects.count(), history_rows()
    with pytest.raises(OutOfBounds, match="Bildat"):
        services.association_create(
            user=officer,
            values={"name": "Nytt förbund", "org_number": "222000-2733", "founded": YEAR_TWO},
        )
    founded = association.founded
    with pytest.raises(OutOfBounds, match="Bildat"):
        services.association_update(
            user=officer, association=association, values={"founded": YEAR_9999}
        )
    association.refresh_from_db()
    assert association.founded == founded
    assert (Association.objects.count(), history_rows()) == (associations, history)


@pytest.mark.django_db
def test_dates_at_the_edges_of_the_range_are_saved(association, officer):
    seat = BoardSeatFactory(member=MemberFactory(association=association))
    services.organisation_object_update(
        user=officer,
        association=association,
        instance=seat,
        values={"term_start": datetime.date(1990, 1, 1), "term_end": datetime.date(2100, 12, 31)},
    )
    seat.refresh_from_db()
    assert (seat.term_start.year, seat.term_end.year) == (1990, 2100)
