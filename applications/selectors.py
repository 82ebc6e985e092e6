"""Reads of applications, each a fixed number of queries whatever the number of rows."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from applications import criteria
from applications.models import (
    AgendaItem,
    Application,
    Assessment,
    Attendance,
    BudgetRow,
    Meeting,
    PartyCommitment,
    Recusal,
    StateChange,
)
from finsam.models import Association, BoardSeat, PreparationGroupSeat, Role

DNR_PATTERN = re.compile(r"^\s*(\d{4})-0*(\d{1,5})\s*$")


def applications_for(*, association: Association, role: str) -> QuerySet[Application]:
    """The applications a role may read in the förbund."""
    return Application.objects.for_association(association).visible_to(role)


def application_list(
    *, association: Association, role: str, filters: dict, order_by: tuple[str, ...]
) -> QuerySet[Application]:
    """The list page and its Excel export: filtered, searched and sorted.

    Costs one query for the rows (with their owner) and one for their target groups, whatever
    the number of rows."""
    applications = applications_for(association=association, role=role)
    if filters.get("state"):
        applications = applications.filter(state=filters["state"])
    if filters.get("year"):
        year = filters["year"]
        applications = applications.filter(
            Q(dnr_year=year) | Q(dnr_year__isnull=True, date__year=year)
        )
    if filters.get("owner"):
        applications = applications.filter(owner=filters["owner"])
    if filters.get("orientation"):
        applications = applications.filter(orientation=filters["orientation"])
    if filters.get("target_group"):
        applications = applications.filter(target_groups=filters["target_group"])
    if filters.get("q"):
        applications = applications.filter(_search(filters["q"]))
    return (
        applications.select_related("owner")
        .prefetch_related("target_groups")
        .order_by(*order_by)
        .distinct()
    )


def _search(text: str) -> Q:
    query = Q(name__icontains=text) | Q(lead_name__icontains=text)
    dnr = DNR_PATTERN.match(text)
    if dnr:
        query |= Q(dnr_year=int(dnr.group(1)), dnr_number=int(dnr.group(2)))
    return query


def application_detail(*, association: Association, role: str, pk: int) -> Application:
    """One application with everything its page shows, for the roles that may read it.

    Raises Application.DoesNotExist for another förbund's application or one the role may not
    see, so the view answers 404."""
    assessments = Assessment.objects.select_related("written_by", "finalised_by")
    if role == Role.Kind.BOARD:
        # The board reads the beredningsgrupp's recommendation once the officer has made it final.
        assessments = assessments.filter(finalised_at__isnull=False)
    return (
        applications_for(association=association, role=role)
        .select_related("owner", "initiative", "association")
        .prefetch_related(
            "participants",
            "target_groups",
            "targets",
            "activities",
            Prefetch("commitments", PartyCommitment.objects.select_related("member")),
            "budget_rows",
            "planned_reports",
            Prefetch("assessments", assessments.order_by("round")),
            Prefetch("state_changes", StateChange.objects.select_related("by")),
            Prefetch("linked", applications_for(association=association, role=role)),
        )
        .get(pk=pk)
    )


@dataclass
class BudgetYear:
    year: int
    costs: list[BudgetRow] = field(default_factory=list)
    income: list[BudgetRow] = field(default_factory=list)
    own_funds: list[BudgetRow] = field(default_factory=list)

    @property
    def total_costs(self) -> Decimal:
        return sum((row.amount for row in self.costs), Decimal(0))

    @property
    def total_income(self) -> Decimal:
        return sum((row.amount for row in self.income), Decimal(0))

    @property
    def total_own_funds(self) -> Decimal:
        return sum((row.amount for row in self.own_funds), Decimal(0))

    @property
    def sought(self) -> Decimal:
        """What the förbund is asked for: the costs less income and the parties' own funds."""
        return self.total_costs - self.total_income - self.total_own_funds


@dataclass
class BudgetSummary:
    years: list[BudgetYear]

    @property
    def total_costs(self) -> Decimal:
        return sum((year.total_costs for year in self.years), Decimal(0))

    @property
    def total_income(self) -> Decimal:
        return sum((year.total_income for year in self.years), Decimal(0))

    @property
    def total_own_funds(self) -> Decimal:
        return sum((year.total_own_funds for year in self.years), Decimal(0))

    @property
    def sought(self) -> Decimal:
        return sum((year.sought for year in self.years), Decimal(0))


def budget_summary(application: Application) -> BudgetSummary:
    """The budget per year, every sum computed from the rows (uses the prefetched rows)."""
    years: dict[int, BudgetYear] = {}
    for row in application.budget_rows.all():
        year = years.setdefault(row.year, BudgetYear(row.year))
        {
            BudgetRow.Kind.COST: year.costs,
            BudgetRow.Kind.INCOME: year.income,
            BudgetRow.Kind.OWN_FUNDS: year.own_funds,
        }[row.kind].append(row)
    return BudgetSummary([years[year] for year in sorted(years)])


# Meetings ------------------------------------------------------------------------------------


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


def meeting_detail(
    *, association: Association, role: str, pk: int, full_applications: bool = False
) -> Meeting:
    """A meeting with its agenda, each application's pack data, decisions and attendance.

    ``full_applications`` also reads every section's rows, for the pack that prints each
    application in full."""
    final_assessments = Assessment.objects.filter(finalised_at__isnull=False).order_by("round")
    items = AgendaItem.objects.select_related(
        "application__owner", "application__initiative", "application__association", "decision"
    ).prefetch_related(
        "application__participants",
        "application__budget_rows",
        Prefetch(
            "application__linked",
            applications_for(association=association, role=role),
        ),
        Prefetch("application__assessments", final_assessments),
        "decision__amounts",
        Prefetch("decision__recusals", Recusal.objects.select_related("seat__person")),
    )
    if full_applications:
        items = items.prefetch_related(
            "application__target_groups",
            "application__targets",
            "application__activities",
            Prefetch("application__commitments", PartyCommitment.objects.select_related("member")),
            "application__planned_reports",
        )
    return (
        meetings_for(association=association, role=role)
        .select_related("association")
        .prefetch_related(
            Prefetch("agenda_items", items.order_by("position")),
            Prefetch(
                "attendance",
                Attendance.objects.select_related(
                    "seat__person", "seat__member", "serving_for__person"
                ),
            ),
        )
        .get(pk=pk)
    )


@dataclass
class PackItem:
    item: AgendaItem
    criteria: list = field(default_factory=list)
    budget: BudgetSummary | None = None
    recommendation: Assessment | None = None

    @property
    def unmet(self) -> list:
        return [criterion for criterion in self.criteria if not criterion.met]


def meeting_page(meeting: Meeting, *, role: str) -> dict:
    """What the meeting page, the pack and the minutes show; reads only prefetched data."""
    max_years = meeting.association.max_initiative_years
    pack = []
    for item in meeting.agenda_items.all():
        entry = PackItem(item)
        if item.application_id:
            application = item.application
            entry.criteria = criteria.check(application, max_years)
            entry.budget = budget_summary(application)
            final = list(application.assessments.all())
            entry.recommendation = final[-1] if final else None
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
        "adjusters": [row for row in attendance if row.adjuster],
        "is_officer": role == Role.Kind.OFFICER,
    }
    if meeting.body == Meeting.Body.BOARD and attendance:
        context["quorum"] = quorum_of(meeting, board_seats_on(meeting), attendance)
    return context


def notice_days_left(meeting: Meeting, now: datetime.datetime) -> int:
    return (timezone.localdate(meeting.starts_at) - timezone.localdate(now)).days


def body_recipients(meeting: Meeting) -> list[str]:
    """The e-mail addresses of the body's members on the meeting day."""
    day = timezone.localdate(meeting.starts_at)
    if meeting.body == Meeting.Body.BOARD:
        seats = BoardSeat.objects.for_association(meeting.association).filter(
            term_start__lte=day, term_end__gte=day
        )
    else:
        seats = PreparationGroupSeat.objects.for_association(meeting.association)
    emails = seats.exclude(person__email="").values_list("person__email", flat=True)
    return sorted(set(emails))


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


def board_seats_on(meeting: Meeting) -> list[BoardSeat]:
    day = timezone.localdate(meeting.starts_at)
    return list(
        BoardSeat.objects.for_association(meeting.association)
        .filter(term_start__lte=day, term_end__gte=day)
        .select_related("person", "member")
        .in_seed_order()
    )


def quorum_of(meeting: Meeting, seats: list[BoardSeat], attendance: list[Attendance]) -> Quorum:
    present = {row.seat_id for row in attendance if row.present}
    served = {row.serving_for_id for row in attendance if row.present and row.serving_for_id}
    ordinary = [seat for seat in seats if seat.kind == BoardSeat.Kind.ORDINARY]
    filled = sum(1 for seat in ordinary if seat.pk in present or seat.pk in served)
    return Quorum(len(ordinary), filled, meeting.association.quorum_percent)


START_LIMIT = 10


def start_panel(*, association: Association, role: str, now: datetime.datetime) -> dict:
    """What each role's start page lists from applications and meetings (a few queries)."""
    meetings = meetings_for(association=association, role=role)
    applications = applications_for(association=association, role=role).select_related("owner")
    panel = {}
    if role == Role.Kind.OFFICER:
        panel["ready"] = list(applications.filter(state=Application.State.PREPARED)[:START_LIMIT])
        panel["to_prepare"] = list(
            meetings.filter(minutes_opened_at__isnull=True).order_by("starts_at")[:START_LIMIT]
        )
        panel["awaiting_approval"] = list(
            meetings.filter(minutes_opened_at__isnull=False, approved_at__isnull=True)[:START_LIMIT]
        )
    elif role == Role.Kind.PREPARER:
        panel["to_assess"] = list(
            applications.filter(
                state__in=[Application.State.REGISTERED, Application.State.IN_PREPARATION]
            )[:START_LIMIT]
        )
    if role == Role.Kind.BOARD:
        panel["upcoming"] = list(meetings.upcoming(now)[:START_LIMIT])
    if role in (Role.Kind.BOARD, Role.Kind.AUDITOR):
        panel["minutes"] = list(
            meetings.filter(approved_at__isnull=False).order_by("-starts_at")[:START_LIMIT]
        )
        panel["decisions"] = list(
            AgendaItem.objects.filter(
                meeting__association=association,
                meeting__approved_at__isnull=False,
                decision__isnull=False,
            )
            .select_related("decision", "meeting")
            .order_by("-meeting__starts_at", "paragraph")[:START_LIMIT]
        )
    return panel
