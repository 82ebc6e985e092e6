"""Reads of the organisation, each a fixed number of queries whatever the number of rows."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import zip_longest

from finsam.contributions import ContributionShare, ContributionSplitError, split_contributions
from finsam.models import (
    Association,
    BoardSeat,
    Member,
    OfficeStaff,
    Person,
    PreparationGroupSeat,
    TargetGroup,
    term_containing,
)

MISSING_MEMBER_KIND = "Förbundet saknar {kind} som medlem (lag 2003:1210 § 3)."
MEMBER_WITHOUT_ORDINARY = "{member} har ingen ordinarie ledamot i styrelsen."
DEPUTIES_DIFFER = "{member} har {ordinary} ordinarie ledamöter men {deputies} ersättare."
NO_CHAIR = "Styrelsen har ingen ordförande."
TOO_MANY_CHAIRS = "Styrelsen har {count} ordförande; den ska ha en."
TOO_MANY_VICE_CHAIRS = "Styrelsen har {count} vice ordförande; den ska ha högst två."


@dataclass
class BoardRow:
    """One line of the board table of seed 004: ordinarie ledamot, ersättare, uppdragsgivare."""

    member: Member
    ordinary: BoardSeat | None
    deputy: BoardSeat | None


@dataclass
class Term:
    start: datetime.date
    end: datetime.date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    def __str__(self):
        return f"{self.start.year}–{self.end.year}"


@dataclass
class Organisation:
    association: Association
    members: list[Member]
    term: Term | None
    terms: list[Term]
    board_rows: list[BoardRow]
    preparation_seats: list[PreparationGroupSeat]
    staff: list[OfficeStaff]
    target_groups: list[TargetGroup]
    people: list[Person]
    warnings: list[str] = field(default_factory=list)


def board_terms(seats: list[BoardSeat]) -> list[Term]:
    """The mandate periods the seats fall in, latest first. A seat taken over mid-term (a
    replacement) belongs to the period it starts in."""
    spans = sorted({term_containing(seat.term_start) for seat in seats}, reverse=True)
    return [Term(start, end) for start, end in spans]


def choose_term(terms: list[Term], requested: str | None, today: datetime.date) -> Term | None:
    """The term asked for; else the one running today; else the latest; None without seats."""
    current_start, _ = term_containing(today)
    for wanted in (requested, current_start.isoformat()):
        for term in terms:
            if term.key == wanted:
                return term
    return terms[0] if terms else None


def seats_on(seats: list[BoardSeat], day: datetime.date) -> list[BoardSeat]:
    return [seat for seat in seats if seat.term_start <= day <= seat.term_end]


def board_rows(members: list[Member], seats: list[BoardSeat]) -> list[BoardRow]:
    """Pairs each member's ordinary members with its deputies in deputy order."""
    by_member = defaultdict(lambda: {"ordinary": [], "deputy": []})
    for seat in seats:
        by_member[seat.member_id][seat.kind].append(seat)
    rows = []
    for member in members:
        if member.pk not in by_member:
            continue
        ordinary = by_member[member.pk]["ordinary"]
        deputies = sorted(by_member[member.pk]["deputy"], key=lambda s: s.deputy_order or 0)
        for pair in zip_longest(ordinary, deputies):
            rows.append(BoardRow(member=member, ordinary=pair[0], deputy=pair[1]))
    return rows


def organisation_warnings(members: list[Member], seats: list[BoardSeat]) -> list[str]:
    """What the förbund lacks under the law and its board rules. Flags; never blocks.

    ``members`` are the members of the day looked at, ``seats`` the seats held that day."""
    warnings = []
    kinds = {member.kind for member in members}
    for kind in (Member.Kind.FK, Member.Kind.AF, Member.Kind.REGION, Member.Kind.KOMMUN):
        if kind not in kinds:
            label = {"region": "en region", "kommun": "en kommun"}.get(kind, kind.label)
            warnings.append(MISSING_MEMBER_KIND.format(kind=label))
    counts = Counter((seat.member_id, seat.kind) for seat in seats)
    for member in members:
        ordinary = counts[(member.pk, BoardSeat.Kind.ORDINARY)]
        deputies = counts[(member.pk, BoardSeat.Kind.DEPUTY)]
        if ordinary == 0:
            warnings.append(MEMBER_WITHOUT_ORDINARY.format(member=member))
        elif ordinary != deputies:
            warnings.append(
                DEPUTIES_DIFFER.format(member=member, ordinary=ordinary, deputies=deputies)
            )
    offices = Counter(seat.office for seat in seats)
    if seats and offices[BoardSeat.Office.CHAIR] == 0:
        warnings.append(NO_CHAIR)
    if offices[BoardSeat.Office.CHAIR] > 1:
        warnings.append(TOO_MANY_CHAIRS.format(count=offices[BoardSeat.Office.CHAIR]))
    if offices[BoardSeat.Office.VICE_CHAIR] > 2:
        warnings.append(TOO_MANY_VICE_CHAIRS.format(count=offices[BoardSeat.Office.VICE_CHAIR]))
    return warnings


def organisation_get(
    *, association: Association, requested_term: str | None = None, today: datetime.date
) -> Organisation:
    """Everything the organisation page shows, in six queries:
    members, board seats, beredningsgrupp, office, target groups, people."""
    all_members = list(Member.objects.for_association(association).in_seed_order())
    all_seats = list(
        BoardSeat.objects.for_association(association).select_related("person", "member")
    )
    terms = board_terms(all_seats)
    term = choose_term(terms, requested_term, today)
    # The table shows every seat held during the term; the checks look at one day of it.
    seats = [s for s in all_seats if term and s.term_start <= term.end and s.term_end >= term.start]
    day = today if term is None or term.start <= today <= term.end else term.end
    members = [member for member in all_members if member.is_active(today)]
    members_that_day = [member for member in all_members if member.is_active(day)]
    return Organisation(
        association=association,
        members=members,
        term=term,
        terms=terms,
        board_rows=board_rows(all_members, seats),
        preparation_seats=list(
            PreparationGroupSeat.objects.for_association(association).select_related(
                "person", "member"
            )
        ),
        staff=list(OfficeStaff.objects.for_association(association).select_related("person")),
        target_groups=list(TargetGroup.objects.for_association(association)),
        people=list(Person.objects.for_association(association)),
        warnings=organisation_warnings(members_that_day, seats_on(seats, day)),
    )


def contribution_shares(
    members: list[Member], key: str, total: int = 0
) -> tuple[list[ContributionShare], str]:
    """Each member's part of ``total`` (with total 0: just the exact shares of the key), or the
    reason the split cannot be made."""
    try:
        return split_contributions(total, members, key), ""
    except ContributionSplitError as error:
        return [], str(error)


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str
    changes: list[str]


HISTORY_ACTIONS = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}


def history_for(instance) -> list[HistoryEntry]:
    """Who changed ``instance``, when, and which fields, newest first, in one query."""
    records = list(instance.history.select_related("history_user").order_by("history_date"))
    # Many-to-many changes are kept in the history tables too; comparing them here would cost
    # two queries per record, so the page lists the changed plain fields.
    many_to_many = [field.name for field in instance._meta.many_to_many]
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=many_to_many)
            for change in delta.changes:
                model_field = instance._meta.get_field(change.field)
                label = str(model_field.verbose_name).capitalize()
                if model_field.is_relation:
                    changes.append(f"{label} ändrad")
                else:
                    old = _display(model_field, change.old)
                    new = _display(model_field, change.new)
                    changes.append(f"{label}: {old} → {new}")
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "Systemet",
                action=HISTORY_ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
        previous = record
    return list(reversed(entries))


def _display(model_field, value) -> str:
    if value in (None, ""):
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
