"""Reads for the Verksamhetsplan med budget: the plans a role may see, a plan's sections with their
rendered text, and the generated parts, each read in a fixed number of queries whatever the
number of sections, members, seats or insatser. The other apps are read, never written: the
organisation through finsam's selectors and models, insatser and grants through the applications
models' querysets (as budget.selectors reads grants), the budget through budget.selectors."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.db.models import Sum
from django.utils.safestring import SafeString

from applications.models import (
    AgendaItem,
    Initiative,
    InitiativeGrant,
    Meeting,
    ParticipantTarget,
)
from budget import selectors
from budget.models import BudgetVersion, ChartLine, EquityCeiling
from budget.plan_markdown import render_markdown
from budget.plan_models import Plan, PlanSection
from finsam.contributions import ContributionSplitError, split_contributions
from finsam.models import (
    SEED_RANK,
    BoardSeat,
    Member,
    OfficeStaff,
    PreparationGroupSeat,
    Role,
    TargetGroup,
    swedish_name_key,
    term_containing,
)
from finsam.selectors import BoardRow, Term, board_rows, board_terms

Part = PlanSection.Part
G = ChartLine.Group
ZERO = Decimal(0)


def plans_for(association, role: str):
    """The plans a role may read: the officer and the board every version, drafts too (the
    board adopts them); the auditor the adopted ones; nobody else any."""
    # Not the förbund: the caller has it (request.association), and each join more costs the
    # database its planning on every plan page (issue #12). Nor for the order: Meta's
    # "association" orders by the förbund's name, a join to order the one förbund's plans.
    plans = (
        Plan.objects.for_association(association)
        .select_related("budget_version__budget", "agenda_item__meeting", "agenda_item__decision")
        .order_by("-first_year", "-number")
    )
    if role in (Role.Kind.OFFICER, Role.Kind.BOARD):
        return plans
    if role == Role.Kind.AUDITOR:
        return plans.filter(state=Plan.State.ADOPTED)
    return plans.none()


def budget_version_for_year(association, year: int) -> BudgetVersion | None:
    """The version a new plan names: the latest of the year's budget (a draft being worked on,
    else the adopted one), None without a budget for the year (one query)."""
    return (
        BudgetVersion.objects.filter(
            budget__association=association, budget__period_start__year=year
        )
        .select_related("budget")
        .order_by("-number")
        .first()
    )


def budget_versions_for_year(association, year: int):
    """Every version of the year's budget, for the plan's settings (one query when evaluated)."""
    return BudgetVersion.objects.filter(
        budget__association=association, budget__period_start__year=year
    ).select_related("budget")


def previous_plan(association, first_year: int) -> Plan | None:
    """The plan a new one copies its narrative from: the latest version of the latest earlier
    year (one query)."""
    return (
        Plan.objects.for_association(association)
        .filter(first_year__lt=first_year)
        .order_by("-first_year", "-number")
        .first()
    )


def latest_plan(association) -> Plan | None:
    """The förbund's plan for its latest year, in its latest version (one query)."""
    return Plan.objects.for_association(association).order_by("-first_year", "-number").first()


def schedulable_meetings(association):
    """Board meetings the plan may still be put on: not held yet or held without minutes drawn
    up, not cancelled, soonest first (one query when evaluated)."""
    return (
        Meeting.objects.for_association(association)
        .filter(
            body=Meeting.Body.BOARD,
            cancelled_at__isnull=True,
            minutes_opened_at__isnull=True,
            approved_at__isnull=True,
        )
        .order_by("starts_at")
    )


def adopting_items(association):
    """The board's budget items that are decided and justerade: what may adopt a plan, newest
    first (one query when evaluated)."""
    return (
        selectors.budget_agenda_items(association)
        .filter(meeting__approved_at__isnull=False)
        .select_related("meeting")
    )


def plans_on_agenda(items) -> dict[int, Plan]:
    """Agenda item pk → the plan that stands on it, for a meeting's page and pack (one query)."""
    return {
        plan.agenda_item_id: plan
        for plan in Plan.objects.filter(agenda_item__in=list(items)).select_related("association")
    }


def version_text(version: BudgetVersion | None) -> str:
    if version is None:
        return "Ingen budget vald"
    text = f"version {version.number}, {version.get_state_display().lower()}"
    if version.adopted_on:
        text += f" {version.adopted_on:%Y-%m-%d}"
    return text


# --- Generated parts -------------------------------------------------------------------------


@dataclass
class MemberRow:
    member: Member
    share: Fraction | None  # the exact § 5 share of the ägarbidrag
    contribution: Decimal | None  # the year's ägarbidrag in kronor (shown in tkr)
    note: str = ""


@dataclass
class MembersPart:
    year: int
    rows: list[MemberRow]
    total: Decimal | None
    version: BudgetVersion | None
    split_error: str = ""


@dataclass
class BoardPart:
    term: Term | None
    rows: list[BoardRow]
    chair: BoardSeat | None
    vice_chairs: list[BoardSeat]


@dataclass
class OfficePart:
    preparation_seats: list[PreparationGroupSeat]
    staff: list[OfficeStaff]


@dataclass
class InitiativeLine:
    initiative: Initiative
    granted: list[Decimal]  # per year of the plan, kronor
    targets: list  # ParticipantTarget, from the latest application that states any


@dataclass
class InitiativesPart:
    year: int
    years: list[int]
    new: list[InitiativeLine] = field(default_factory=list)
    continuing: list[InitiativeLine] = field(default_factory=list)
    ending: list[InitiativeLine] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list[InitiativeLine]]]:
        return [
            (f"Nya insatser {self.year}", self.new),
            ("Pågående insatser som fortsätter", self.continuing),
            (f"Insatser som avslutas under {self.year}", self.ending),
        ]

    @property
    def totals_by_year(self) -> list[tuple[int, Decimal]]:
        lines = self.new + self.continuing + self.ending
        return [
            (year, sum((line.granted[i] for line in lines), ZERO))
            for i, year in enumerate(self.years)
        ]


@dataclass
class TableRow:
    """A row of seed 004's budget table: a line, a group heading (no amount), a sum or a total."""

    label: str
    amount: Decimal | None = None
    style: str = ""  # "" | "group" | "subtotal" | "total"


@dataclass
class BudgetTable:
    year: int
    period: selectors.Period | None
    preliminary: bool
    groups: list[list[TableRow]]  # each kept on one page where it fits

    @property
    def caption(self) -> str:
        kind = "Preliminär budget" if self.preliminary else "Budget"
        label = self.period.budget.label if self.period else str(self.year)
        return f"{kind} {label}, tkr"


@dataclass
class BudgetPart:
    tables: list[BudgetTable]
    version: BudgetVersion | None


@dataclass
class EquityPart:
    chain: list[selectors.Period]
    ceilings: list[EquityCeiling]

    @property
    def over(self) -> list[selectors.Period]:
        return [period for period in self.chain if period.equity.over_ceiling]


def budget_table_groups(period: selectors.Period) -> list[list[TableRow]]:
    """Seed 004's layout, with the budget page's rows and figures (its budget column): intäkter,
    verksamhetens kostnader, finansiella poster, medel för insatser att fördela, beviljade
    insatser, the result with and without what was carried over."""
    column = period.budgeted
    rows = period.rows

    def lines(group):
        return [TableRow(row.line.name, row.budget) for row in rows.get(group, [])]

    def grouped(heading, group_rows):
        """A group's heading over its lines; nothing where it has none."""
        return [TableRow(heading, style="group"), *group_rows] if group_rows else []

    income = [
        *lines(G.CONTRIBUTIONS),
        *lines(G.OTHER_INCOME),
        TableRow("Överfört från föregående år", column.carried_over),
        TableRow(selectors.INCOME, column.income, "subtotal"),
    ]
    costs = [
        TableRow("Verksamhetens kostnader", style="group"),
        *lines(G.OPERATING),
        TableRow("Summa verksamhetens kostnader", column.operating_costs, "subtotal"),
    ]
    financial = [
        *grouped("Finansiella intäkter", lines(G.FINANCIAL_INCOME)),
        *grouped("Finansiella kostnader", lines(G.FINANCIAL_COST)),
        TableRow("Summa finansiella poster", column.financial_net, "subtotal"),
    ]
    means = [TableRow(selectors.MEANS, column.means_to_distribute, "total")]
    granted = [
        *grouped("Beviljade insatser", [TableRow(r.name, r.budget) for r in period.initiatives]),
        TableRow(selectors.INITIATIVES, column.initiatives_total, "subtotal"),
    ]
    result = [
        TableRow(selectors.RESULT_WITH_CARRY_OVER, column.result_with_carry_over, "total"),
        TableRow(selectors.YEAR_RESULT, column.year_result, "total"),
    ]
    return [income, costs, financial, means, granted, result]


class PartReader:
    """Reads the generated parts a plan places, each at most once, sharing the budget periods
    between the parts that need them."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.association = plan.association
        self._periods: dict[int, selectors.Period] | None = None

    @cached_property
    def ceilings(self) -> list[EquityCeiling]:
        """The förbund's guideline for the equity (one query, shared with the periods)."""
        return list(EquityCeiling.objects.for_association(self.association))

    @cached_property
    def all_members(self) -> list[Member]:
        """The förbund's members in seed order (one query, shared by the parts)."""
        return list(Member.objects.for_association(self.association).seed_ordered())

    @property
    def periods(self) -> dict[int, selectors.Period]:
        """Every period, the first year's in the version the plan names (six queries, and the
        guideline's)."""
        if self._periods is None:
            version = self.plan.budget_version
            shown = (version.budget, version.number) if version is not None else ()
            self._periods = selectors.periods_for(self.association, *shown, ceilings=self.ceilings)
        return self._periods

    def period_of(self, year: int) -> selectors.Period | None:
        return next((p for p in self.periods.values() if p.budget.year == year), None)

    def first_period(self) -> selectors.Period | None:
        """The first year's period in the named version; None without one."""
        version = self.plan.budget_version
        if version is None:
            return None
        return self.periods.get(version.budget_id)

    def read(self, parts: set[str]) -> dict[str, object]:
        readers = {
            Part.MEMBERS: self.members,
            Part.BOARD: self.board,
            Part.OFFICE: self.office,
            Part.TARGET_GROUPS: self.target_groups,
            Part.INITIATIVES: self.initiatives,
            Part.BUDGET: self.budget,
            Part.EQUITY: self.equity,
        }
        return {key: readers[key]() for key in parts if key in readers}

    def members(self) -> MembersPart:
        """Members with their § 5 share and the year's ägarbidrag as the budget page shows it
        (the periods, the members and the overrides)."""
        period = self.first_period()
        if period is None:
            members = self.all_members
            contributions, total, error = {}, None, ""
        else:
            result = selectors.contributions_for(period, self.all_members)
            members = [row.member for row in result.rows]
            contributions = {row.member.pk: row.amount for row in result.rows}
            total, error = result.shares_total, result.split_error
        try:
            shares = {
                share.member.pk: share
                for share in split_contributions(0, members, self.association.municipal_split_key)
            }
        except ContributionSplitError as exc:
            shares, error = {}, error or str(exc)
        rows = [
            MemberRow(
                member,
                shares[member.pk].share if member.pk in shares else None,
                contributions.get(member.pk),
                shares[member.pk].note if member.pk in shares else "",
            )
            for member in members
        ]
        return MembersPart(self.plan.first_year, rows, total, self.plan.budget_version, error)

    def board(self) -> BoardPart:
        """The board of the mandate period running on the plan's first day (else the latest one
        begun by its last year), as seed 004's table (two queries: members, seats; one more
        for a plan with no board registered in its periods)."""
        members = self.all_members
        first_day = datetime.date(self.plan.first_year, 1, 1)
        every_seat = BoardSeat.objects.for_association(self.association).select_related(
            "person", "member"
        )
        # The seats from the period of the plan's first day to that of its last day: those of
        # the period chosen below when it is one of these, as it is but for a plan with no
        # board registered. Not every period's seats: 70 on the national dataset for the 14
        # shown, 5% of the page's instructions (issue #12).
        earliest, _end = term_containing(first_day)
        _start, latest = term_containing(datetime.date(self.plan.last_year, 12, 31))
        seats = list(every_seat.filter(term_end__gte=earliest, term_start__lte=latest))
        if not any(term_containing(seat.term_start)[0] >= earliest for seat in seats):
            seats = list(every_seat)  # the latest period before the plan's: all seats
        terms = board_terms(seats)
        term = next((t for t in terms if t.start <= first_day <= t.end), None)
        term = term or next((t for t in terms if t.start.year <= self.plan.last_year), None)
        if term is None:
            return BoardPart(None, [], None, [])
        held = [s for s in seats if s.term_start <= term.end and s.term_end >= term.start]
        chair = next((s for s in held if s.office == BoardSeat.Office.CHAIR), None)
        vice = [s for s in held if s.office == BoardSeat.Office.VICE_CHAIR]
        return BoardPart(term, board_rows(members, held), chair, vice)

    def office(self) -> OfficePart:
        """The beredningsgrupp and the kansli (two queries)."""
        # By the member's kind, the member and the person, put in order in Python: a rank in
        # the query, or an ORDER BY on the joined names, costs more than the sort (issue #12).
        preparation = sorted(
            PreparationGroupSeat.objects.for_association(self.association)
            .select_related("person", "member")
            .order_by(),
            key=lambda seat: (
                SEED_RANK[seat.member.kind],
                swedish_name_key(seat.member.name),
                seat.member_id,
                swedish_name_key(seat.person.name),
                seat.pk,
            ),
        )
        ranks = {position: rank for rank, position in enumerate(OfficeStaff.Position.values)}
        staff = sorted(
            OfficeStaff.objects.for_association(self.association)
            .select_related("person")
            .order_by(),  # sorted here, by position and name
            key=lambda row: (ranks.get(row.position, len(ranks)), row.person.name),
        )
        return OfficePart(preparation, staff)

    def target_groups(self) -> list[TargetGroup]:
        """The förbund's prioritised målgrupper in order (one query)."""
        return list(TargetGroup.objects.for_association(self.association))

    def initiatives(self) -> InitiativesPart:
        """Insatser running in the plan's first year: new (starting that year), continuing, and
        ending (their period ends that year), with owner, period, what justerade decisions
        granted for each year of the plan, and their numeric targets (three queries: insatser
        with owners, the targets of their applications, the grants)."""
        year = self.plan.first_year
        years = self.plan.years
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        initiatives = list(
            Initiative.objects.for_association(self.association)
            .filter(period_start__lte=end, period_end__gte=start)
            .select_related("owner")
            .order_by("period_start", "name")
        )
        # The targets of each insats's latest application that states any, read as plain
        # values rather than an application and a target object each (issue #12).
        by_application: dict[int, dict[int, list[ParticipantTarget]]] = defaultdict(dict)
        for initiative_id, application_id, text, number in (
            ParticipantTarget.objects.filter(application__initiative__in=initiatives)
            .order_by("-application_id", "id")
            .values_list("application__initiative", "application_id", "text", "number")
        ):
            stated = by_application[initiative_id].setdefault(application_id, [])
            stated.append(ParticipantTarget(text=text, number=number))
        granted: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for row in (
            InitiativeGrant.objects.filter(initiative__association=self.association, year__in=years)
            .values("initiative_id", "year")
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            granted[row["initiative_id"]][row["year"]] = row["total"]
        part = InitiativesPart(year, years)
        for initiative in initiatives:
            # dicts keep the order read: the latest application first
            targets = next(iter(by_application[initiative.pk].values()), [])
            line = InitiativeLine(
                initiative,
                [granted[initiative.pk].get(y, ZERO) for y in years],
                targets,
            )
            if initiative.period_start.year == year:
                part.new.append(line)
            elif initiative.period_end.year == year:
                part.ending.append(line)
            else:
                part.continuing.append(line)
        return part

    def budget(self) -> BudgetPart:
        """The first year's table in the named version, and a preliminary table for each later
        year of the plan that has a budget (the periods' seven queries)."""
        tables = []
        first = self.first_period()
        if first is not None:
            tables.append(BudgetTable(first.budget.year, first, False, budget_table_groups(first)))
            for year in self.plan.years[1:]:
                period = self.period_of(year)
                if period is not None:
                    tables.append(BudgetTable(year, period, True, budget_table_groups(period)))
        return BudgetPart(tables, self.plan.budget_version)

    def equity(self) -> EquityPart:
        """Eget kapital for the year before the plan and each year of it, against the förbund's
        guideline (the periods' seven queries and the guideline's one)."""
        wanted = {self.plan.first_year - 1, *self.plan.years}
        chain = [p for p in self.periods.values() if p.budget.year in wanted]
        chain.sort(key=lambda p: p.budget.period_start)
        return EquityPart(chain, self.ceilings)


@dataclass
class SectionView:
    section: PlanSection
    html: SafeString
    part: object | None = None

    @property
    def anchor(self) -> str:
        return f"avsnitt-{self.section.pk}"


@dataclass
class PlanContent:
    plan: Plan
    sections: list[SectionView]
    parts: dict[str, object]


def plan_content(plan: Plan) -> PlanContent:
    """The plan's sections in order, each with its text rendered (Markdown, sanitised) and the
    generated part it places: one query for the sections and a fixed number per part placed."""
    sections = list(plan.sections.all())
    parts = PartReader(plan).read({section.part for section in sections if section.part})
    views = [
        SectionView(section, render_markdown(section.text), parts.get(section.part))
        for section in sections
    ]
    return PlanContent(plan, views, parts)


def plan_adoption(plan: Plan) -> dict:
    """What the plan page says about the board's handling: the item it stands on, whether that
    is decided and justerat (reads the plan's select_related item and meeting)."""
    item: AgendaItem | None = plan.agenda_item
    if item is None:
        return {"item": None, "decided": False, "justerat": False}
    decided = hasattr(item, "decision")
    return {
        "item": item,
        "decided": decided,
        "justerat": decided and item.meeting.approved_at is not None,
    }
