import datetime

import pytest
from django.urls import reverse

from finsam import selectors
from finsam.expressions import Rank
from finsam.models import BoardSeat, Member, Person, term_containing
from tests.factories import (
    AssociationFactory,
    BoardSeatFactory,
    MemberFactory,
    PersonFactory,
    UserFactory,
    complete_association,
)


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (datetime.date(2026, 11, 23), (datetime.date(2023, 4, 1), datetime.date(2027, 3, 31))),
        (datetime.date(2027, 3, 31), (datetime.date(2023, 4, 1), datetime.date(2027, 3, 31))),
        (datetime.date(2027, 4, 1), (datetime.date(2027, 4, 1), datetime.date(2031, 3, 31))),
        (datetime.date(2010, 1, 1), (datetime.date(2007, 4, 1), datetime.date(2011, 3, 31))),
    ],
)
def test_board_term_is_four_years_from_1_april(day, term):
    assert term_containing(day) == term


TODAY = datetime.date(2026, 11, 23)
TERM_END = datetime.date(2027, 3, 31)


def organisation(association):
    return selectors.organisation_get(association=association, today=TODAY)


def everyone_reachable(association):
    """Gives every person of the förbund an e-mail address, so that the kallelse reaches the
    board and the tests of other rules see only their own warnings."""
    Person.objects.filter(association=association).update(email="ledamot@example.org")
    return association


@pytest.mark.django_db
def test_complete_association_has_no_warnings():
    assert organisation(everyone_reachable(complete_association())).warnings == []


@pytest.mark.django_db
def test_warns_for_each_missing_kind_of_member():
    association = AssociationFactory()
    MemberFactory(association=association, kind=Member.Kind.KOMMUN)

    warnings = organisation(association).warnings

    assert "Förbundet saknar Försäkringskassan som medlem (lag 2003:1210 § 3)." in warnings
    assert "Förbundet saknar Arbetsförmedlingen som medlem (lag 2003:1210 § 3)." in warnings
    assert "Förbundet saknar en region som medlem (lag 2003:1210 § 3)." in warnings
    assert not any("en kommun" in w for w in warnings)


@pytest.mark.django_db
def test_warns_for_member_without_ordinary_or_with_unequal_deputies():
    association = complete_association()
    lonely = MemberFactory(association=association, name="Åby kommun")
    svalov = Member.objects.get(association=association, name="Svalövs kommun")
    BoardSeatFactory(member=svalov, kind=BoardSeat.Kind.DEPUTY, deputy_order=2)

    warnings = organisation(association).warnings

    assert f"{lonely} har ingen ordinarie ledamot i styrelsen." in warnings
    assert "Svalövs kommun har 1 ordinarie ledamöter men 2 ersättare." in warnings


@pytest.mark.django_db
def test_warns_for_two_chairs_or_three_vice_chairs_in_a_term():
    association = complete_association()
    seats = BoardSeat.objects.filter(member__association=association, kind="ordinary")
    seats.filter(member__kind="kommun").update(office="chair")
    seats.exclude(member__kind="kommun").update(office="vice_chair")

    warnings = organisation(association).warnings

    assert "Styrelsen har 2 ordförande; den ska ha en." in warnings
    assert "Styrelsen har 3 vice ordförande; den ska ha högst två." in warnings


@pytest.mark.django_db
def test_offices_in_another_term_do_not_count():
    association = complete_association()
    member = Member.objects.get(association=association, name="Region Skåne")
    BoardSeatFactory(
        member=member,
        office="chair",
        term_start=datetime.date(2019, 4, 1),
        term_end=datetime.date(2023, 3, 31),
    )

    current = organisation(everyone_reachable(association))

    assert str(current.term) == "2023–2027"
    assert current.warnings == []
    assert [str(t) for t in current.terms] == ["2023–2027", "2019–2023"]


@pytest.mark.django_db
def test_board_table_pairs_ordinary_with_deputy_per_appointing_member_in_seed_order():
    association = complete_association()

    rows = organisation(association).board_rows

    assert [row.member.name for row in rows] == [
        "Landskrona stad",
        "Svalövs kommun",
        "Region Skåne",
        "Försäkringskassan",
        "Arbetsförmedlingen",
    ]
    assert all(row.ordinary.kind == "ordinary" and row.deputy.kind == "deputy" for row in rows)


@pytest.mark.django_db
def test_seed_ordered_reads_as_in_seed_order_does():
    # Ranked in Python rather than by a CASE in the query: the same order, kommuner first by
    # name (Åstorp after Svalöv by code point, as C.UTF-8 and SQLite sort), each member's
    # ordinary before its deputies.
    association = complete_association()
    MemberFactory(association=association, kind="kommun", name="Åstorps kommun")
    for member in Member.objects.filter(association=association)[:2]:
        BoardSeatFactory(member=member, kind=BoardSeat.Kind.DEPUTY, deputy_order=2)
    members = Member.objects.filter(association=association)
    seats = BoardSeat.objects.for_association(association)

    assert members.seed_ordered() == list(members.in_seed_order())
    assert members.seed_ordered_choices() == [(m.pk, m.name) for m in members.in_seed_order()]
    assert [m.name for m in members.seed_ordered()][:3] == [
        "Landskrona stad",
        "Svalövs kommun",
        "Åstorps kommun",
    ]
    assert seats.seed_ordered() == list(seats.in_seed_order())


@pytest.mark.django_db
def test_seed_ordered_puts_a_before_a_umlaut_as_swedish_does_whatever_the_collation():
    # Code points (C.UTF-8, SQLite) put Ä before Å; the Swedish alphabet has Å, Ä, Ö after Z.
    association = complete_association()
    for name in ["Örkelljunga kommun", "Ängelholms kommun", "Åstorps kommun", "bjuvs kommun"]:
        member = MemberFactory(association=association, kind="kommun", name=name)
        BoardSeatFactory(member=member, kind=BoardSeat.Kind.DEPUTY, deputy_order=1)
        BoardSeatFactory(member=member)
    members = Member.objects.filter(association=association)
    expected = [
        "bjuvs kommun",
        "Landskrona stad",
        "Svalövs kommun",
        "Åstorps kommun",
        "Ängelholms kommun",
        "Örkelljunga kommun",
    ]

    assert [m.name for m in members.seed_ordered()][:6] == expected
    assert [name for _pk, name in members.seed_ordered_choices()][:6] == expected
    seats = BoardSeat.objects.for_association(association).seed_ordered()
    kommun_seats = [(s.member.name, s.kind) for s in seats if s.member.kind == "kommun"]
    assert [name for name, _kind in kommun_seats[::2]] == expected
    assert {kind for _name, kind in kommun_seats[::2]} == {"ordinary"}


@pytest.mark.django_db
def test_a_mid_term_replacement_does_not_split_the_board():
    association = complete_association()
    member = Member.objects.get(association=association, name="Region Skåne")
    BoardSeatFactory(
        member=member,
        kind=BoardSeat.Kind.DEPUTY,
        deputy_order=2,
        term_start=datetime.date(2024, 6, 1),
        term_end=datetime.date(2027, 3, 31),
    )

    current = organisation(everyone_reachable(association))

    assert [str(t) for t in current.terms] == ["2023–2027"]
    assert len(current.board_rows) == 6  # five pairs and the replacement deputy
    assert current.warnings == ["Region Skåne har 1 ordinarie ledamöter men 2 ersättare."]


@pytest.mark.django_db
def test_warns_when_the_board_has_no_chair():
    association = complete_association()
    BoardSeat.objects.filter(member__association=association).update(office="")

    assert organisation(everyone_reachable(association)).warnings == [
        "Styrelsen har ingen ordförande."
    ]


@pytest.mark.django_db
def test_warns_naming_the_board_members_the_kallelse_cannot_reach():
    association = everyone_reachable(complete_association())
    region = Member.objects.get(association=association, name="Region Skåne")
    # Two seats, one warning for the person: ordinary now, and a deputy later in the term.
    eva = PersonFactory(association=association, name="Eva Ek")
    BoardSeatFactory(member=region, person=eva, kind=BoardSeat.Kind.DEPUTY, deputy_order=2)
    BoardSeatFactory(
        member=region, person=eva, term_start=datetime.date(2027, 1, 1), term_end=TERM_END
    )
    BoardSeatFactory(member=region, person=PersonFactory(association=association, name="Bo Al"))
    # Not reached either, but no longer on the board: not warned about.
    BoardSeatFactory(
        member=region,
        person=PersonFactory(association=association, name="Ulf Gammal"),
        term_start=datetime.date(2019, 4, 1),
        term_end=datetime.date(2023, 3, 31),
    )
    BoardSeatFactory(
        member=region,
        person=PersonFactory(association=association, name="Ida Avgått"),
        term_end=datetime.date(2025, 6, 30),
    )

    warnings = organisation(association).warnings

    assert selectors.BOARD_WITHOUT_EMAIL.format(names="Bo Al och Eva Ek", term="2023–2027") in (
        warnings
    )
    assert not any("Ulf Gammal" in w or "Ida Avgått" in w for w in warnings)


@pytest.mark.django_db
def test_the_email_warning_looks_at_the_current_term_whichever_term_is_shown():
    association = everyone_reachable(complete_association())
    region = Member.objects.get(association=association, name="Region Skåne")
    BoardSeatFactory(
        member=region,
        person=PersonFactory(association=association, name="Ulf Gammal"),
        term_start=datetime.date(2019, 4, 1),
        term_end=datetime.date(2023, 3, 31),
    )
    no_email = BoardSeat.objects.filter(member=region, kind="ordinary").first().person
    Person.objects.filter(pk=no_email.pk).update(email="")

    old_term = selectors.organisation_get(
        association=association, requested_term="2019-04-01", today=TODAY
    )

    assert str(old_term.term) == "2019–2023"
    assert any(no_email.name in w and "2023–2027" in w for w in old_term.warnings)
    assert not any("Ulf Gammal" in w for w in old_term.warnings)


@pytest.mark.django_db
def test_the_admin_lists_every_förbunds_rows_by_the_förbunds_name(login):
    # The models order a förbund's rows by its id (its own pages need no join to sort them);
    # the admin, which lists every förbund's, groups them by name as before.
    later = AssociationFactory(name="Samordningsförbundet Östra")
    earlier = AssociationFactory(name="Samordningsförbundet Alfa")
    MemberFactory(association=later, name="Östra kommun")
    MemberFactory(association=earlier, name="Alfa kommun")
    admin = login(UserFactory(is_staff=True, is_superuser=True))

    for name in ("member", "person", "targetgroup", "officestaff"):
        assert admin.get(reverse(f"admin:finsam_{name}_changelist")).status_code == 200
    page = admin.get(reverse("admin:finsam_member_changelist")).content.decode()
    assert page.index("Alfa kommun") < page.index("Östra kommun")


@pytest.mark.django_db
def test_rank_orders_by_the_place_of_a_value_in_the_list_and_puts_any_other_last():
    association = AssociationFactory()
    for kind, name in [("af", "A"), ("fk", "B"), ("region", "C"), ("kommun", "D")]:
        MemberFactory(association=association, kind=kind, name=name)
    members = Member.objects.filter(association=association)

    ranked = members.annotate(rank=Rank("kind", Member.Kind.values)).order_by("rank")
    assert [(m.name, m.rank) for m in ranked] == [("D", 0), ("C", 1), ("B", 2), ("A", 3)]
    # A choice as the enum member, and the kinds not listed after it, by name.
    fk_first = members.annotate(rank=Rank("kind", [Member.Kind.FK])).order_by("rank", "name")
    assert [(m.name, m.rank) for m in fk_first] == [("B", 0), ("A", 1), ("C", 1), ("D", 1)]
    # Through a relation, as the board seats are ordered by their member's kind.
    seats = BoardSeat.objects.for_association(association)
    for member in members:
        BoardSeatFactory(member=member)
    assert [seat.member.name for seat in seats.in_seed_order().select_related("member")] == [
        "D",
        "C",
        "B",
        "A",
    ]
