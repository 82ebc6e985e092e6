"""Reads of the organisation, each a fixed number of queries whatever the number of rows."""

import datetime
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from simple_history.utils import get_history_model_for_model

from finsam.contributions import ContributionShare, ContributionSplitError, split_contributions
from finsam.models import (
    Association,
    BoardSeat,
    Member,
    OfficeStaff,
    Person,
    PreparationGroupSeat,
    TargetGroup,
    swedish_name_key,
    term_containing,
)

MISSING_MEMBER_KIND = "Förbundet saknar {kind} som medlem (lag 2003:1210 § 3)."
MEMBER_WITHOUT_ORDINARY = "{member} har ingen ordinarie ledamot i styrelsen."
DEPUTIES_DIFFER = "{member} har {ordinary} ordinarie ledamöter men {deputies} ersättare."
NO_CHAIR = "Styrelsen har ingen ordförande."
TOO_MANY_CHAIRS = "Styrelsen har {count} ordförande; den ska ha en."
TOO_MANY_VICE_CHAIRS = "Styrelsen har {count} vice ordförande; den ska ha högst två."
BOARD_WITHOUT_EMAIL = (
    "Kallelsen når inte {names}, som har en plats i styrelsen under mandatperioden {term} men "
    "saknar e-postadress."
)
NOT_A_MEMBER_TODAY = "Inte medlem i dag; andelen räknas bara för dagens medlemmar."


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


def board_without_email(seats: list[BoardSeat], today: datetime.date) -> str | None:
    """The warning naming whom the kallelse cannot reach: people with a board seat in the current
    mandate period, from today on, and no e-mail address. ``seats`` have their person loaded."""
    start, end = term_containing(today)
    unreachable = {
        seat.person.pk: seat.person.name
        for seat in seats
        if seat.term_start <= end and seat.term_end >= today and not seat.person.email
    }
    if not unreachable:
        return None
    names = sorted(unreachable.values())
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} och {names[-1]}"
    return BOARD_WITHOUT_EMAIL.format(names=listed, term=Term(start, end))


def _people_of(association: Association, rows: list, people: dict[int, Person]) -> None:
    """Sets each row's person from ``people`` (the förbund's, read once for the page) rather
    than joining the person into every row's query; a person not among them (none should be:
    the forms offer the förbund's own) is read in one more query."""
    missing = {row.person_id for row in rows} - people.keys()
    if missing:
        people.update((p.pk, p) for p in Person.objects.filter(pk__in=missing))
    for row in rows:
        row.person = people[row.person_id]


def _members_of(rows: list, members: dict[int, Member]) -> None:
    """Sets each row's member from the förbund's members, read once for the page. The rows
    were read through their member's förbund, so every member is among them."""
    for row in rows:
        row.member = members[row.member_id]


def organisation_get(
    *, association: Association, requested_term: str | None = None, today: datetime.date
) -> Organisation:
    """Everything the organisation page shows, in six queries:
    members, people, board seats, beredningsgrupp, office, target groups.

    The members and people are read once and set on the rows that name them (issue #12:
    joining them into each row's query built three objects per board seat)."""
    all_members = Member.objects.filter(association=association).seed_ordered()
    members_by_pk = {member.pk: member for member in all_members}
    # Ordered by name within the förbund (the model's ordering starts with the förbund).
    people = list(Person.objects.filter(association=association).order_by("name"))
    people_by_pk = {person.pk: person for person in people}
    # Through the members' ids rather than a join. The order of the seats matters only among
    # a member's ordinary members (board_rows sorts the rest): the order they were added.
    all_seats = list(BoardSeat.objects.filter(member_id__in=members_by_pk).order_by("pk"))
    # Grouped by member, the members by kind and then name, as the model orders them.
    member_order = {
        pk: rank
        for rank, pk in enumerate(
            member.pk for member in sorted(all_members, key=lambda member: member.kind)
        )
    }
    preparation_seats = sorted(
        PreparationGroupSeat.objects.filter(member_id__in=members_by_pk).order_by("pk"),
        key=lambda seat: member_order[seat.member_id],
    )
    staff = list(
        OfficeStaff.objects.filter(association=association).order_by("position", "person__name")
    )
    for rows in (all_seats, preparation_seats):
        _members_of(rows, members_by_pk)
    _people_of(association, [*all_seats, *preparation_seats, *staff], people_by_pk)
    terms = board_terms(all_seats)
    term = choose_term(terms, requested_term, today)
    # The table shows every seat held during the term; the checks look at one day of it.
    seats = [s for s in all_seats if term and s.term_start <= term.end and s.term_end >= term.start]
    day = today if term is None or term.start <= today <= term.end else term.end
    members = [member for member in all_members if member.is_active(today)]
    members_that_day = [member for member in all_members if member.is_active(day)]
    warnings = organisation_warnings(members_that_day, seats_on(seats, day))
    # Whom the kallelse cannot reach is about the meetings to come, whichever term is shown.
    unreachable = board_without_email(all_seats, today)
    if unreachable:
        warnings.append(unreachable)
    return Organisation(
        association=association,
        members=members,
        term=term,
        terms=terms,
        board_rows=board_rows(all_members, seats),
        preparation_seats=preparation_seats,
        staff=staff,
        target_groups=list(
            TargetGroup.objects.filter(association=association).order_by("position", "name")
        ),
        people=people,
        warnings=warnings,
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
class MemberPage:
    """What the read-only page of a member shows."""

    member: Member
    term: Term  # the current mandate period
    board_seats: list[BoardSeat]  # in the current mandate period, ordinary before deputies
    preparation_seats: list[PreparationGroupSeat]
    share: ContributionShare | None  # its exact part of the ägarbidrag (§ 5) under today's key
    share_note: str  # why there is no share, where there is none


def member_page_get(
    *,
    association: Association,
    member: Member,
    today: datetime.date,
    members: list[Member] | None = None,
) -> MemberPage:
    """A member's facts in three queries: its board seats of the current mandate period (with
    their people), its beredningsgrupp seats (with their people), and the förbund's members of
    today, which the § 5 share needs (none where ``members``, all the förbund's, are given)."""
    start, end = term_containing(today)
    # Both lists put in order here: the queries' ORDER BY on the person's name cost more to
    # compile than sorting a member's few seats, 7% of the page (issue #12).
    board_seats = sorted(
        BoardSeat.objects.filter(member=member, term_start__lte=end, term_end__gte=start)
        .select_related("person")
        .order_by(),
        key=lambda seat: (
            *seat.place_key,
            seat.term_start,
            swedish_name_key(seat.person.name),
            seat.pk,
        ),
    )
    preparation_seats = sorted(
        PreparationGroupSeat.objects.filter(member=member).select_related("person").order_by(),
        key=lambda seat: (swedish_name_key(seat.person.name), seat.pk),
    )
    share, note = None, NOT_A_MEMBER_TODAY
    if member.is_active(today):
        if members is None:
            members = list(Member.objects.for_association(association).active(today))
        else:
            members = [m for m in members if m.is_active(today)]
        shares, note = contribution_shares(members, association.municipal_split_key)
        share = next((s for s in shares if s.member.pk == member.pk), None)
    return MemberPage(
        member=member,
        term=Term(start, end),
        board_seats=board_seats,
        preparation_seats=preparation_seats,
        share=share,
        share_note=note,
    )


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str  # Skapad, Ändrad, Borttagen
    fields: list[str] = field(default_factory=list)  # the changed fields, named as the form does
    changes: list[str] = field(default_factory=list)  # "Folkmängd: 46 529 → 46 600", short

    @property
    def summary(self) -> str:
        """'Ändrad: Namn, Folkmängd', or just the action where no field is named."""
        return f"{self.action}: {', '.join(self.fields)}" if self.fields else self.action


HISTORY_ACTIONS = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}
SAVED_UNCHANGED = "Sparad utan ändringar"
LINKS_NOT_SHOWN = "Vilka som lades till eller togs bort visas inte i historiken."
# Values longer than this are named, not shown: the history is a list, not a copy of the text.
SHORT_VALUE = 60


def history_records(instance) -> list:
    """``instance``'s historical records, oldest first, with who made each (one query). For a
    page that shows them twice, as history_for's list and as something else (the insats's
    timeline), so that it reads them once."""
    records = (
        historical_model(type(instance))
        ._default_manager.filter(**{instance._meta.pk.attname: instance.pk})
        .select_related("history_user")
        # Put in order here: compiling the ORDER BY cost ~0.17 ms, more than sorting an
        # object's records (issue #12).
        .order_by()
    )
    return sorted(records, key=lambda record: (record.history_date, record.history_id))


def history_for(instance, *, records: list | None = None) -> list[HistoryEntry]:
    """Who changed ``instance``, when, and which fields, newest first, in one query (none if
    given its ``history_records``).

    Consecutive records are compared in memory (simple-history's ``diff_against`` reads the
    records' own columns; foreign keys as ids, so no query per row). Every changed field is named;
    its old and new value are shown where both are short and need no query to read: choices,
    dates, numbers, yes/no and one-line text up to SHORT_VALUE characters. Long texts, lists and
    links to other objects are named only."""
    history_model = historical_model(type(instance))
    if records is None:
        records = history_records(instance)
    # Many-to-many changes are kept in the history tables too; comparing them here would cost
    # two queries per record. A change that names no plain field is named after those links.
    many_to_many = [f.name for f in instance._meta.many_to_many]
    tracked = {f.name for f in getattr(history_model, "_history_m2m_fields", ())}
    links = [_label(f) for f in instance._meta.many_to_many if f.name in tracked]
    order = {f.name: index for index, f in enumerate(instance._meta.fields)}
    entries = []
    previous = None
    for record in records:
        entry = HistoryEntry(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "Systemet",
            action=HISTORY_ACTIONS.get(record.history_type, record.history_type),
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=many_to_many)
            for change in sorted(delta.changes, key=lambda c: order.get(c.field, len(order))):
                model_field = instance._meta.get_field(change.field)
                label = _label(model_field)
                entry.fields.append(label)
                old, new = _display(model_field, change.old), _display(model_field, change.new)
                if _shown(model_field, old, new):
                    entry.changes.append(f"{label}: {old} → {new}")
            if not entry.fields and links:
                entry.fields.append(" eller ".join(links))
                entry.changes.append(LINKS_NOT_SHOWN)
            elif not entry.fields:
                entry.action = SAVED_UNCHANGED
        entries.append(entry)
        previous = record
    return list(reversed(entries))


@functools.cache
def historical_model(model: type[models.Model]) -> type[models.Model]:
    """The model's historical model, to query its records through. Read once: simple-history's
    ``Model.history`` builds a new manager class on every access (``from_queryset``, which walks
    the queryset class's members), which cost more than the history's query."""
    return get_history_model_for_model(model)


def _label(model_field) -> str:
    return capfirst(str(model_field.verbose_name))


def _shown(model_field, old: str, new: str) -> bool:
    if model_field.is_relation or isinstance(model_field, models.TextField | models.JSONField):
        return False
    return len(old) <= SHORT_VALUE and len(new) <= SHORT_VALUE and "\n" not in old + new


def _display(model_field, value) -> str:
    if value in (None, ""):
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | Decimal):
        return _number(value)
    return str(value)


def _number(value: int | Decimal) -> str:
    """46529 → '46 529', 8200 → '8200', Decimal('12.5000') → '12,5': no trailing zeros; digits
    grouped from five on, as Swedish text writes them (so that a year stays 2027)."""
    value = Decimal(value)
    value = value.to_integral_value() if value == value.to_integral_value() else value.normalize()
    places = max(0, -value.as_tuple().exponent)
    text = formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    if abs(value) < 10_000:
        text = text.replace(formats.get_format("THOUSAND_SEPARATOR"), "")
    return text
