"""Reads of meetings: lists per role, the meeting page and pack, recipients and quorum."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from applications import criteria
from applications.agenda_plans import AgendaPlan, agenda_plans
from applications.criteria import CRITERIA_TEXTS, OwnFunds
from applications.models import (
    AgendaItem,
    Assessment,
    Attendance,
    Meeting,
    Notice,
    PartyCommitment,
    Recusal,
)
from applications.models.application import LONG_TEXTS
from applications.selectors.application import (
    BudgetSummary,
    budget_summary,
    linked_for,
)
from finsam.models import Association, BoardSeat, OfficeStaff, Person, PreparationGroupSeat, Role
from finsam.templatetags.finsam_shell import pk_url


def meetings_for(*, association: Association, role: str) -> QuerySet[Meeting]:
    """The meetings a role may see: the officer all; the board its published meetings; the
    beredningsgrupp its own; the auditor the board's meetings with approved minutes."""
    meetings = Meeting.objects.for_association(association)
    if role == Role.Kind.OFFICER:
        return meetings
    if role == Role.Kind.BOARD:
        return meetings.filter(body=Meeting.Body.BOARD, published_at__isnull=False)
    if role == Role.Kind.PREPARER:
        return meetings.filter(body=Meeting.Body.PREPARATION, published_at__isnull=False)
    if role == Role.Kind.AUDITOR:
        return meetings.filter(body=Meeting.Body.BOARD, approved_at__isnull=False)
    return meetings.none()


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as the meeting list shows it, in plain text and links."""

    url: str
    starts: str
    body: str
    place: str
    status: str
    pack_url: str
    minutes_url: str  # "" until the minutes are drawn up


# What the lists of meetings show (the meeting list's rows, the start page's cards: the body,
# the time and place, Meeting.status_text): of fifteen columns the rest are texts and who
# justerade, which no list shows (issue #12).
MEETING_ROW_FIELDS = (
    "body",
    "starts_at",
    "place",
    "published_at",
    "minutes_opened_at",
    "approved_at",
    "cancelled_at",
)


def meeting_rows(meetings) -> list[MeetingRow]:
    """The list's rows: each URL reversed once for the page, each label translated once, the
    time zone looked up once."""
    page_url = pk_url("applications:meeting")
    pack_url = pk_url("applications:pack_pdf")
    minutes_url = pk_url("applications:minutes_pdf")
    bodies = {value: str(label) for value, label in Meeting.Body.choices}
    zone = timezone.get_current_timezone()
    return [
        MeetingRow(
            url=page_url(meeting.pk),
            starts=f"{meeting.starts_at.astimezone(zone):%Y-%m-%d %H:%M}",
            body=bodies.get(meeting.body, meeting.body),
            place=meeting.place,
            status=meeting.status_text,
            pack_url=pack_url(meeting.pk),
            minutes_url=minutes_url(meeting.pk) if meeting.minutes_opened_at else "",
        )
        for meeting in meetings
    ]


def _attendance() -> QuerySet[Attendance]:
    return Attendance.objects.select_related("seat__person", "seat__member", "serving_for__person")


def _present_seats() -> QuerySet[Attendance]:
    """The seats present, each with its person's name: what the decision's jäv asks about.
    Eight columns of three tables, not the whole attendance's 44 of six (issue #12)."""
    return (
        Attendance.objects.filter(present=True)
        .select_related("seat__person")
        .only("meeting_id", "present", "seat__person__name")
    )


def _notices() -> QuerySet[Notice]:
    # Unordered: notices_sent puts a meeting's few in order (Notice.Meta.ordering), which
    # costs less than compiling the ORDER BY (~0.19 ms on PostgreSQL, issue #12).
    return Notice.objects.annotate(email_count=Count("emails")).order_by()


def notices_sent(meeting: Meeting) -> list[Notice]:
    """The kallelser sent for a meeting read with its notices, first sent first."""
    return sorted(meeting.notices.all(), key=lambda notice: (notice.sent_at, notice.pk))


def meeting_to_change(
    *, association: Association, role: str, pk: int, attendance: bool = False, notices: bool = False
) -> Meeting:
    """A meeting for the officer's forms that change it and show none of its agenda (its time
    and place, the attendance, the kallelse): found as meeting_detail finds it, with its
    attendance and its notices when asked, and not its agenda, which meeting_detail reads in
    two to eight queries (issue #12). The services read what they change again, under a lock.
    Its förbund is the caller's, not joined again. The attendance form takes its seats, their
    people and members from board_seats_on: of the attendance only its own columns are read."""
    parts = ["attendance"] if attendance else []
    if notices:
        parts.append(Prefetch("notices", _notices()))
    meeting = meetings_for(association=association, role=role).prefetch_related(*parts).get(pk=pk)
    meeting.association = association
    return meeting


def meeting_detail(
    *,
    association: Association,
    role: str,
    pk: int,
    full_applications: bool = False,
    decision_amounts: bool = True,
    only_item: int | None = None,
    assessed: bool = True,
    notices: bool = True,
    present_only: bool = False,
    approved_by: bool = False,
) -> Meeting:
    """A meeting with its agenda, each application's pack data, decisions and attendance, and
    with ``notices`` the kallelser sent (the page and the minutes show them).

    ``full_applications`` also reads every section's rows, for the pack that prints each
    application in full; without ``decision_amounts`` the decisions' amounts are left (the
    meeting page does not show them); ``only_item`` reads that one ärende of the agenda (a
    protokollsutdrag prints one paragraph of the minutes); without ``assessed`` the
    applications' parties, budget rows, commitments, links and assessments are left, which only
    the criteria, budget summary and recommendation read (meeting_page's ``assessed``): the
    minutes and their extracts show none of them (issue #12). The applications' long texts are
    read only for the pack (``full_applications``), and the two the criteria ask about
    (``CRITERIA_TEXTS``) with ``assessed``; with ``present_only`` the attendance is the seats
    present with their people's names alone (the decision's form); ``approved_by`` reads who
    registered the justering, whom only a protokollsutdrag names. The forms that change a
    meeting without showing its agenda read it with meeting_to_change."""
    # The huvudman and the insats of each application for the meeting page and the pack, which
    # show them; not for the minutes, their extracts and the decision's form (issue #12).
    joined = ("application__owner", "application__initiative") if assessed else ()
    items = AgendaItem.objects.select_related("application", "decision", *joined).prefetch_related(
        Prefetch("decision__recusals", Recusal.objects.select_related("seat__person")),
    )
    if assessed:
        final_assessments = Assessment.objects.filter(finalised_at__isnull=False).order_by("round")
        items = items.prefetch_related(
            "application__parties",
            "application__budget_rows",
            # the criteria compare the parties' own contributions with the budget's own funds
            Prefetch("application__commitments", PartyCommitment.objects.select_related("member")),
            Prefetch("application__linked", linked_for(association=association, role=role)),
            Prefetch("application__assessments", final_assessments),
        )
    if not full_applications:
        # Only the pack prints an application's texts; the criteria ask whether two of them
        # are written. The others are left unread: they cost more than the rest of the agenda.
        kept = CRITERIA_TEXTS if assessed else ()
        items = items.defer(*(f"application__{name}" for name in LONG_TEXTS if name not in kept))
    if decision_amounts:
        items = items.prefetch_related("decision__amounts")
    if only_item is not None:
        # One row: ordering it would cost compiling the ORDER BY (~0.25 ms, issue #12).
        items = items.filter(pk=only_item).order_by()
    else:
        items = items.order_by("position")
    if full_applications:
        items = items.prefetch_related(
            "application__target_groups",
            "application__targets",
            "application__activities",
            "application__planned_reports",
            # the recommended amounts the pack prints with each recommendation
            "application__assessments__amounts",
        )
    meetings = meetings_for(association=association, role=role)
    if approved_by:
        # Joined only for the extract: on every other page its columns were compiled and
        # converted for nothing (issue #12).
        meetings = meetings.select_related("approved_by")
    meeting = meetings.prefetch_related(
        Prefetch("agenda_items", items),
        Prefetch("attendance", _present_seats() if present_only else _attendance()),
        *([Prefetch("notices", _notices())] if notices else []),
    ).get(pk=pk)
    # The meeting and the applications on its agenda are the förbund's the caller read (the
    # query finds its meetings only; the pack names it): set, not joined, as each join costs
    # compiling and converting its columns and the database its planning (issue #12).
    meeting.association = association
    for item in meeting.agenda_items.all():
        if item.application_id:
            item.application.association = association
    return meeting


@dataclass
class PackItem:
    item: AgendaItem
    # The ärende's number on the agenda before the minutes are drawn up: 1, 2, 3 … in order.
    # Not the stored position, which keeps a gap where an ärende was struck (moved ärenden
    # swap positions; a struck one is deleted and will never be a §). Once the minutes are
    # drawn up, the item's paragraph (§) is shown instead, the same for every role.
    number: int = 0
    criteria: list = field(default_factory=list)
    budget: BudgetSummary | None = None
    own_funds: OwnFunds | None = None
    recommendation: Assessment | None = None
    plan: AgendaPlan | None = None  # the verksamhetsplan on a budget item

    @property
    def unmet(self) -> list:
        return [criterion for criterion in self.criteria if not criterion.met]


def meeting_page(
    meeting: Meeting,
    *,
    plans_for_role: str = "",
    full_plans: bool = False,
    assessed: bool = True,
    notices: bool = False,
    quorum: bool = False,
) -> dict:
    """What the meeting page, the pack and the minutes show; reads only prefetched data, and
    with ``plans_for_role`` the verksamhetsplan on a budget item that role reads (through
    FINSAM_AGENDA_PLANS; a fixed number of queries, none without a budget item): a summary on
    the page, and with ``full_plans`` the pack's pointer and the draft in full as an appendix.
    Without ``assessed`` (a meeting read without meeting_detail's ``assessed``: the minutes)
    the applications' criteria, budget summary and recommendation are left out. ``notices``
    (the page and the minutes) lists the kallelser sent, read by meeting_detail's ``notices``;
    ``quorum`` (the page's) reads the board's seats on the day (one query). The pack and the
    protokollsutdrag show neither."""
    plans = (
        agenda_plans(meeting=meeting, role=plans_for_role, full=full_plans)
        if plans_for_role
        else {}
    )
    max_years = meeting.association.max_initiative_years
    pack = []
    for number, item in enumerate(meeting.agenda_items.all(), start=1):
        entry = PackItem(item, number)
        if item.application_id and assessed:
            application = item.application
            if "assessments" not in getattr(application, "_prefetched_objects_cache", {}):
                # Read without meeting_detail's ``assessed``, the criteria would read each
                # application's rows one query at a time, and its links unfiltered by role.
                raise ValueError("meeting_page(assessed=True) needs meeting_detail(assessed=True)")
            entry.criteria = criteria.check(application, max_years)
            entry.budget = budget_summary(application)
            entry.own_funds = criteria.own_funds(application)
            final = list(application.assessments.all())
            entry.recommendation = final[-1] if final else None
        entry.plan = plans.get(item.pk)
        pack.append(entry)
    attendance = list(meeting.attendance.all())
    context = {
        "meeting": meeting,
        "pack": pack,
        "attendance": attendance,
        "present": [
            row for row in attendance if row.present and row.seat.kind == BoardSeat.Kind.ORDINARY
        ],
        "other_deputies": [
            row
            for row in attendance
            if row.present and row.seat.kind == BoardSeat.Kind.DEPUTY and not row.serving_for_id
        ],
        "serving": [row for row in attendance if row.present and row.serving_for_id],
        "approvers": [row for row in attendance if row.approver],
        "notices": notices_sent(meeting) if notices else [],
        "appendices": [entry.plan for entry in pack if entry.plan and entry.plan.appendix],
    }
    if quorum and meeting.body == Meeting.Body.BOARD and attendance:
        context["quorum"] = quorum_of(meeting, board_seats_on(meeting), attendance)
    return context


def notice_days_left(meeting: Meeting, now: datetime.datetime) -> int:
    return (timezone.localdate(meeting.starts_at) - timezone.localdate(now)).days


@dataclass(frozen=True)
class Recipient:
    """Someone the kallelse goes to, why (their seat or post), and their address ("" if none)."""

    person: Person
    role: str

    @property
    def address(self) -> str:
        return self.person.email


def notice_recipients(meeting: Meeting) -> list[Recipient]:
    """Who the kallelse goes to, in two queries: for the board its ordinarie ledamöter and
    ersättare of the mandate period that holds the meeting day, for the beredningsgrupp its
    members; and in both cases the förbund's kansli. Each person once, by the first reason."""
    # The labels looked up once, not by get_FOO_display, which walks every choice on each call.
    if meeting.body == Meeting.Body.BOARD:
        kinds = dict(BoardSeat.Kind.choices)
        seats = [
            Recipient(seat.person, f"{kinds.get(seat.kind, seat.kind)}, {seat.member}")
            for seat in board_seats_on(meeting, also=("person__email",))
        ]
    else:
        seats = [
            Recipient(seat.person, f"Beredningsgruppen, {seat.member}")
            for seat in PreparationGroupSeat.objects.for_association(meeting.association)
            .select_related("person", "member")
            .only("member", "member__name", "person", "person__name", "person__email")
            .order_by("member__name")
        ]
    positions = dict(OfficeStaff.Position.choices)
    staff = [
        Recipient(row.person, f"Kansliet, {positions.get(row.position, row.position).lower()}")
        for row in OfficeStaff.objects.for_association(meeting.association)
        .select_related("person")
        .only("position", "person", "person__name", "person__email")
    ]
    seen, recipients = set(), []
    for recipient in seats + staff:
        if recipient.person.pk not in seen:
            seen.add(recipient.person.pk)
            recipients.append(recipient)
    return recipients


@dataclass(frozen=True)
class Quorum:
    seats: int  # ordinary seats on the board that day
    filled: int  # by present ordinary members or serving deputies
    percent: int  # the förbund's rule: more than this share of the seats

    @property
    def needed(self) -> int:
        """The fewest filled seats that make the board beslutför."""
        return self.seats * self.percent // 100 + 1

    @property
    def reached(self) -> bool:
        return self.seats > 0 and self.filled >= self.needed


# What the attendance, the quorum, the deputies' rules and the kallelse read of a board seat:
# its kind, deputy order and party, its member's name (and kind, for the order) and its
# person's name. The seats' and people's other columns cost more to compile and convert than
# the attendance page's and the kallelse's own work (issue #12).
SEAT_COLUMNS = (
    "kind",
    "deputy_order",
    "party",
    "member",
    "member__name",
    "member__kind",
    "person",
    "person__name",
)


def board_seats_on(meeting: Meeting, *, also: tuple[str, ...] = ()) -> list[BoardSeat]:
    """The board's seats on the meeting's day in seed order, with SEAT_COLUMNS and ``also``."""
    day = timezone.localdate(meeting.starts_at)
    return (
        BoardSeat.objects.for_association(meeting.association)
        .filter(term_start__lte=day, term_end__gte=day)
        .select_related("person")
        .only(*SEAT_COLUMNS, *also)
        .seed_ordered()
    )


def quorum_of(meeting: Meeting, seats: list[BoardSeat], attendance: list[Attendance]) -> Quorum:
    present = {row.seat_id for row in attendance if row.present}
    served = {row.serving_for_id for row in attendance if row.present and row.serving_for_id}
    ordinary = [seat for seat in seats if seat.kind == BoardSeat.Kind.ORDINARY]
    filled = sum(1 for seat in ordinary if seat.pk in present or seat.pk in served)
    return Quorum(len(ordinary), filled, meeting.association.quorum_percent)
