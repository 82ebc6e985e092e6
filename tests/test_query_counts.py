"""Every page's query count, pinned, measured before and after adding many rows.

Common to every logged-in page: the session, the user, the user's roles (tenancy middleware).
"""

import pytest
from django.urls import reverse

from finsam.models import BoardSeat, Member
from tests.factories import (
    BoardSeatFactory,
    MemberFactory,
    OfficeStaffFactory,
    PersonFactory,
    PreparationGroupSeatFactory,
    TargetGroupFactory,
    objects_of,
)
from tests.helpers import LOGGED_IN


def add_rows(association, count=25):
    """Many more rows of everything the organisation pages list, and history for each."""
    for index in range(count):
        member = MemberFactory(association=association, population=1000 + index)
        BoardSeatFactory(member=member)
        BoardSeatFactory(member=member, kind=BoardSeat.Kind.DEPUTY, deputy_order=1)
        PreparationGroupSeatFactory(member=member)
        OfficeStaffFactory(association=association)
        TargetGroupFactory(association=association)
        PersonFactory(association=association)
    for member in Member.objects.filter(association=association)[:5]:
        for population in range(count):
            member.population = 2000 + population
            member.save()
    association.name = association.name + " "
    for _ in range(count):
        association.save()


@pytest.fixture
def measure(django_assert_num_queries, association):
    def check(client, url, expected):
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
        add_rows(association)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200

    return check


# Each role's start page lists: the officer applications ready for a meeting, meetings to
# prepare and minutes awaiting justering; the beredningsgrupp applications to assess; the board
# upcoming meetings, minutes and decisions; the auditor minutes and decisions.
START = {"officer": 3, "preparer": 1, "board": 3, "auditor": 2}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(START))
def test_start_page_costs_the_same_for_many_rows_per_role(measure, personas, login, persona):
    measure(login(personas[persona]), reverse("start"), LOGGED_IN + START[persona])


@pytest.mark.django_db
def test_organisation_overview_for_officer_costs_the_same_for_many_rows(measure, officer_client):
    # members, people, board seats, beredningsgrupp, kansli (each row's person and member set
    # from the first two), target groups, and the förbund's history.
    measure(officer_client, reverse("organisation:overview") + "?total=5440000", LOGGED_IN + 7)


@pytest.mark.django_db
def test_organisation_overview_for_board_member_reads_all_but_the_history(
    measure, login, board_member
):
    # As for the officer, less the history.
    measure(login(board_member), reverse("organisation:overview"), LOGGED_IN + 6)


@pytest.mark.django_db
def test_association_form_reads_the_forbund_and_its_history_once(measure, officer_client):
    # the förbund (a fresh copy for the form), its history
    measure(officer_client, reverse("organisation:association_edit"), LOGGED_IN + 2)


# A member's page: the förbund's members (the member itself and, of them, those its § 5 share
# is counted among; one query since issue #12, where the member and the members of today were
# two), its board seats of the mandate period (with their people), its beredningsgrupp seats
# (with their people); the officer also reads the member's history.
MEMBER_PAGE = {"officer": 4, "preparer": 3, "board": 3, "auditor": 3}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(MEMBER_PAGE))
def test_member_page_costs_the_same_for_many_seats_and_history_rows(
    django_assert_num_queries, personas, login, association, persona
):
    member = Member.objects.get(association=association, name="Landskrona stad")
    client = login(personas[persona])
    url = reverse("organisation:member_detail", args=[member.pk])
    expected = LOGGED_IN + MEMBER_PAGE[persona]
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    add_rows(association)
    for order in range(1, 11):
        BoardSeatFactory(member=member)
        BoardSeatFactory(member=member, kind=BoardSeat.Kind.DEPUTY, deputy_order=order)
        PreparationGroupSeatFactory(member=member)
        member.name, member.population = f"{member.name}.", member.population + 1
        member.save()  # a history row naming two changed fields
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


# Per section of the organisation page: the choices its form lists (members and/or people).
FORM_CHOICES = {
    "medlemmar": 0,
    "personer": 0,
    "styrelse": 2,
    "beredningsgrupp": 2,
    "kansli": 1,
    "malgrupper": 0,
}


@pytest.mark.django_db
@pytest.mark.parametrize("section", sorted(FORM_CHOICES))
def test_section_create_form_reads_only_its_choices(measure, officer_client, section):
    measure(
        officer_client,
        reverse("organisation:section_create", args=[section]),
        LOGGED_IN + FORM_CHOICES[section],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("section", sorted(FORM_CHOICES))
def test_section_edit_form_reads_object_choices_and_history_once(
    measure, officer_client, association, section
):
    obj = objects_of(association)[section]
    # the object, the form's choices, the object's history
    expected = LOGGED_IN + 1 + FORM_CHOICES[section] + 1
    measure(officer_client, reverse("organisation:section_edit", args=[section, obj.pk]), expected)


@pytest.mark.django_db
@pytest.mark.parametrize("section", sorted(FORM_CHOICES))
def test_section_delete_page_reads_only_the_object(measure, officer_client, association, section):
    obj = objects_of(association)[section]
    measure(
        officer_client,
        reverse("organisation:section_delete", args=[section, obj.pk]),
        LOGGED_IN + 1,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_public_pages_query_nothing(django_assert_num_queries, client, name):
    with django_assert_num_queries(0):
        assert client.get(reverse(name)).status_code == 200
