"""Budget reads: every derived row computed from the stored lines, actuals and forecasts
(DESIGN.md § 4). Nothing here stores a sum."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import F, Sum
from django.db.models.functions import ExtractYear
from django.utils.formats import get_format

from applications.budget_room import BudgetRoom
from applications.models import AgendaItem, Initiative, Meeting
from budget.models import (
    Actual,
    ActualImport,
    Budget,
    BudgetLine,
    BudgetVersion,
    ChartLine,
    ContributionOverride,
    EquityCeiling,
    Forecast,
    PeriodEvent,
)
from finsam.contributions import ContributionSplitError, split_contributions
from finsam.models import Member, User
from finsam.money import MINUS, round_tkr

Group = ChartLine.Group
ZERO = Decimal(0)


@dataclass
class CarryOver:
    amount: Decimal
    source: Budget | None  # the previous period; None for a förbund's first budget
    basis: str  # what the amount comes from, in Swedish
    from_actuals: bool = False


@dataclass
class LineRow:
    """One line of the chart in one period: budget, actual and forecast in kronor."""

    line: ChartLine
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    forecast_set: Decimal | None = None

    @property
    def forecast(self) -> Decimal:
        return self.budget if self.forecast_set is None else self.forecast_set

    @property
    def deviation(self) -> Decimal:
        """Utfall − budget."""
        return self.actual - self.budget


@dataclass
class InitiativeRow:
    """A granted initiative in one period: the granted amount (from justerade decisions) and what
    was booked on it."""

    initiative_id: int
    name: str
    budget: Decimal = ZERO  # granted for the period's year
    actual: Decimal = ZERO

    @property
    def forecast(self) -> Decimal:
        return self.budget

    @property
    def deviation(self) -> Decimal:
        return self.actual - self.budget


# The derived rows, each with one definition that reads the same in every column (budget,
# utfall, avvikelse, prognos). The page, the PDF and the workbook show these texts under the
# table, so that no one has to guess what a sum includes.
INCOME = "Summa intäkter inkl. överfört"
MEANS = "Medel för insatser att fördela"
INITIATIVES = "Summa insatser"
RESULT_WITH_CARRY_OVER = "Resultat inkl. överfört från föregående år"
YEAR_RESULT = "Årets resultat"
DEFINITIONS = (
    f"{INCOME} = ägarbidrag + övriga intäkter + överfört från föregående år.",
    f"{MEANS} = {INCOME.lower()} − summa verksamhetens kostnader + summa finansiella poster.",
    f"{INITIATIVES} = summan i tabellen Insatser: i budget och prognos det som justerade beslut "
    "har beviljat för året, i utfallet det som har bokförts på insatserna.",
    f"{RESULT_WITH_CARRY_OVER} = {MEANS.lower()} − {INITIATIVES.lower()}. Det förs över till "
    "nästa år och är periodens utgående eget kapital.",
    f"{YEAR_RESULT} = {RESULT_WITH_CARRY_OVER.lower()} − överfört från föregående år: periodens "
    "eget resultat, detsamma som i tabellen Eget kapital.",
    "Avvikelse = utfall − budget, på varje rad. Prognosen följer budgeten där ingen annan är satt.",
    "Ej fördelade medel, det som ännu kan beviljas för året, är "
    f"{RESULT_WITH_CARRY_OVER.lower()} i kolumnen Budget.",
)
EQUITY_DEFINITIONS = (
    "Ingående eget kapital är föregående periods utgående, och detsamma som överfört från "
    "föregående år; för den första perioden är det förbundets ingående eget kapital.",
    f"{YEAR_RESULT} och utgående eget kapital räknas på utfallet för en stängd period och på "
    "budgeten för en öppen. Utgående = ingående + årets resultat = "
    f"{RESULT_WITH_CARRY_OVER.lower()}.",
)


class Column:
    """The derived rows of one column (budget, actual or forecast) of a period. Each is computed
    the same way in every column, from the rows above it in that column (see DEFINITIONS)."""

    def __init__(self, period: "Period", name: str):
        self.period = period
        self.name = name
        self._totals: dict[str, Decimal] = {}

    def total(self, group: str) -> Decimal:
        # Kept: every derived row asks for the groups' totals again (a period's rows do not
        # change once read).
        if group not in self._totals:
            rows = self.period.rows.get(group, [])
            self._totals[group] = sum((getattr(row, self.name) for row in rows), ZERO)
        return self._totals[group]

    @property
    def contributions(self) -> Decimal:
        return self.total(Group.CONTRIBUTIONS)

    @property
    def carried_over(self) -> Decimal:
        """Överfört från föregående år: the same in every column."""
        return self.period.carry_over.amount

    @property
    def income(self) -> Decimal:
        """Summa intäkter inkl. överfört: seed 004 counts the carry-over as income."""
        return self.total(Group.CONTRIBUTIONS) + self.total(Group.OTHER_INCOME) + self.carried_over

    @property
    def operating_costs(self) -> Decimal:
        return self.total(Group.OPERATING)

    @property
    def financial_net(self) -> Decimal:
        return self.total(Group.FINANCIAL_INCOME) - self.total(Group.FINANCIAL_COST)

    @property
    def means_to_distribute(self) -> Decimal:
        """Medel för insatser att fördela."""
        return self.income - self.operating_costs + self.financial_net

    @property
    def initiatives_total(self) -> Decimal:
        """Summa insatser: this column of the initiatives' table, granted in the budget and the
        forecast, booked in the actuals."""
        return sum((getattr(row, self.name) for row in self.period.initiatives), ZERO)

    @property
    def result_with_carry_over(self) -> Decimal:
        """Resultat inkl. överfört från föregående år: what is left after the initiatives; it is
        carried into the next period and is the period's closing equity."""
        return self.means_to_distribute - self.initiatives_total

    @property
    def year_result(self) -> Decimal:
        """Årets resultat: the period's own result, without what was carried into it."""
        return self.result_with_carry_over - self.carried_over


@dataclass
class Equity:
    """Eget kapital for a period, on the same basis as the carry-over to the next one."""

    opening: Decimal
    year_result: Decimal
    contributions: Decimal
    basis: str
    ceiling_percent: Decimal | None

    @property
    def closing(self) -> Decimal:
        """Utgående: the basis column's Resultat inkl. överfört från föregående år."""
        return self.opening + self.year_result

    @property
    def ceiling(self) -> Decimal | None:
        if self.ceiling_percent is None:
            return None
        return self.contributions * self.ceiling_percent / 100

    @property
    def over_ceiling(self) -> bool:
        return self.ceiling is not None and self.closing > self.ceiling


@dataclass
class Period:
    budget: Budget
    version: BudgetVersion
    versions: list[BudgetVersion]
    rows: dict[str, list[LineRow]]
    carry_over: CarryOver
    initiatives: list[InitiativeRow] = field(default_factory=list)
    equity: Equity | None = None
    # The version's own lines: chart line pk → kronor (a line may have actuals and no amount).
    amounts: dict[int, Decimal] = field(default_factory=dict)
    # The notes under the figures and the equity table, for the templates.
    definitions = DEFINITIONS
    equity_definitions = EQUITY_DEFINITIONS

    def __post_init__(self):
        self.budgeted = Column(self, "budget")
        self.actual = Column(self, "actual")
        self.forecast = Column(self, "forecast")

    @property
    def draft(self) -> BudgetVersion | None:
        """The version being worked on: the latest, while it is a draft."""
        latest = self.versions[-1] if self.versions else None
        return latest if latest is not None and latest.state == BudgetVersion.State.DRAFT else None

    @property
    def closed(self) -> bool:
        return self.budget.closed_at is not None

    @property
    def basis(self) -> Column:
        """What the period's result is taken from: its actuals once closed, else its budget."""
        return self.actual if self.closed else self.budgeted

    @property
    def unallocated(self) -> Decimal:
        """Ej fördelade medel: what the budget leaves to grant for the year, that is Medel för
        insatser att fördela less what justerade decisions have granted, in the budget column."""
        return self.budgeted.result_with_carry_over

    @property
    def has_actuals(self) -> bool:
        return any(row.actual for rows in self.rows.values() for row in rows) or any(
            row.actual for row in self.initiatives
        )

    @cached_property
    def figure_rows(self) -> list["FigureRow"]:
        """The table Budget och utfall as its page, the report and the plan show it: each line
        and each derived row with its four columns already in tkr (issue #12: formatted here
        once, not through a filter and an include per cell)."""
        return figure_rows(self)

    @cached_property
    def initiative_rows(self) -> list[tuple[str, str, str, str]]:
        """The table Insatser: name, beviljat, utfall and avvikelse in tkr."""
        return [
            (row.name, tkr_text(row.budget), tkr_text(row.actual), tkr_text(row.deviation))
            for row in self.initiatives
        ]

    @cached_property
    def initiatives_total_row(self) -> tuple[str, str, str]:
        budget, actual = self.budgeted.initiatives_total, self.actual.initiatives_total
        return tkr_text(budget), tkr_text(actual), tkr_text(actual - budget)


def tkr_text(kronor: Decimal | None) -> str:
    """finsam.money.format_tkr's text (5 440 000 → 5 440, −458 500 → −459), written here without
    Django's general number formatting: a budget page shows some hundreds of amounts."""
    if kronor is None:
        return ""
    whole = int(round_tkr(kronor))
    text = f"{abs(whole):,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    return MINUS + text if whole < 0 else text


@dataclass
class FigureRow:
    """One row of the table Budget och utfall: budget, utfall, avvikelse and prognos in tkr.
    A derived row (a sum) is a row header, as the page has always shown it; ``css`` is its
    class (subtotal or total); ``carry_over`` marks the row that names the previous period."""

    label: str
    cells: tuple[str, str, str, str]
    derived: bool = False
    css: str = ""
    carry_over: bool = False


def _figures(label, budget, actual, forecast, **kwargs) -> FigureRow:
    cells = (tkr_text(budget), tkr_text(actual), tkr_text(actual - budget), tkr_text(forecast))
    return FigureRow(label, cells, **kwargs)


def figure_rows(period: Period) -> list[FigureRow]:
    columns = (period.budgeted, period.actual, period.forecast)

    def derived(label, name, css="subtotal"):
        return _figures(label, *(getattr(c, name) for c in columns), derived=True, css=css)

    def lines(group, prefix=""):
        return [
            _figures(prefix + row.line.name, row.budget, row.actual, row.forecast)
            for row in period.rows.get(group, [])
        ]

    return [
        *lines(Group.CONTRIBUTIONS),
        *lines(Group.OTHER_INCOME),
        _figures(
            "Överfört från föregående år", *(c.carried_over for c in columns), carry_over=True
        ),
        derived(INCOME, "income"),
        *lines(Group.OPERATING),
        derived("Summa verksamhetens kostnader", "operating_costs"),
        *lines(Group.FINANCIAL_INCOME, "Finansiella intäkter: "),
        *lines(Group.FINANCIAL_COST, "Finansiella kostnader: "),
        derived("Summa finansiella poster", "financial_net"),
        derived(MEANS, "means_to_distribute"),
        derived(INITIATIVES, "initiatives_total", css=""),
        derived(RESULT_WITH_CARRY_OVER, "result_with_carry_over", css="total"),
        derived(YEAR_RESULT, "year_result", css="total"),
    ]


def current_version(versions: list[BudgetVersion]) -> BudgetVersion | None:
    """The latest adopted version, else the latest draft, of a budget's versions."""
    versions = sorted(versions, key=lambda v: v.number)
    adopted = [v for v in versions if v.state == BudgetVersion.State.ADOPTED]
    return (adopted or versions or [None])[-1]


def ceiling_percent(ceilings: list[EquityCeiling], contributions: Decimal) -> Decimal | None:
    """The guideline's step for a year's contributions: the lowest level that covers them, else
    the open step above all levels."""
    for ceiling in ceilings:
        if ceiling.contributions_up_to is None or contributions <= ceiling.contributions_up_to:
            return ceiling.percent
    return None


CLOSING = "dess utgående eget kapital"


ONE_DAY = datetime.timedelta(days=1)
GAP = (
    "Ingen budgetperiod slutar dagen före ({latest} är den senaste före), så inget förs över; "
    "{what}"
)


def _carry_over(budget: Budget, previous: Period | None) -> CarryOver:
    """What the period starts with: the result of the period that ends the day before it,
    else the opening eget kapital the officer gave (a period after a gap carries nothing over
    from an earlier one without a word)."""
    if previous is not None and previous.budget.period_end + ONE_DAY != budget.period_start:
        what = (
            "ingående eget kapital enligt vad som angavs för perioden."
            if budget.opening_equity is not None
            else "ange periodens ingående eget kapital."
        )
        basis = GAP.format(latest=previous.budget.label, what=what)
        return CarryOver(budget.opening_equity or ZERO, None, basis)
    if previous is None:
        if budget.opening_equity is not None:
            return CarryOver(budget.opening_equity, None, "Ingående eget kapital.")
        return CarryOver(ZERO, None, "Inget föregående budgetår.")
    before = previous.budget
    if previous.closed:
        return CarryOver(
            previous.actual.result_with_carry_over,
            before,
            f"Resultatet enligt utfallet för {before.label}, inkl. överfört: {CLOSING}.",
            True,
        )
    adopted = previous.version.state == BudgetVersion.State.ADOPTED
    which = "den fastställda" if adopted else "utkastet till"
    return CarryOver(
        previous.budgeted.result_with_carry_over,
        before,
        f"Resultatet i {which} budgeten för {before.label}, inkl. överfört: {CLOSING}.",
    )


DRAFT = "draft"


def periods_for(
    association,
    shown: Budget | None = None,
    version: int | str | None = None,
    *,
    up_to_shown: bool = False,
    alone: bool = False,
    ceilings: list[EquityCeiling] | None = None,
) -> dict[int, Period]:
    """Every budget period of the förbund, oldest first, each with the carry-over from the one
    before and its equity: seven queries however many years, lines and actuals there are.
    ``version`` (a number, or DRAFT for the latest draft) shows that version of ``shown``
    instead of the current one. ``up_to_shown`` reads only the periods up to ``shown``: what
    comes after it changes neither its carry-over nor its equity (issue #12). ``alone`` reads
    ``shown`` only, without its carry-over and equity (period_alone). ``ceilings``, the
    förbund's guideline where the caller has read it to show it, saves reading it again."""
    version_asked = version
    # The filter on the budget, for the queries through it (none when all periods are read).
    until = {"budget__period_start__lte": shown.period_start} if up_to_shown and shown else {}
    if alone:
        until = {"budget": shown}
    # The versions with their budgets in one query, and the lines as plain values: the chain of
    # 15+ years is read on every budget page (issue #12). A budget without a version has no
    # period (and a budget always has one: budget_create makes version 1). Of the decision that
    # adopted a version, the title its page names, not the whole agenda item for every year.
    budgets: dict[int, Budget] = {}
    versions_of: dict[int, list[BudgetVersion]] = {}
    for item in (
        BudgetVersion.objects.filter(budget__association=association, **until)
        .select_related("budget")
        .annotate(decision_title=F("agenda_item__title"))
        .order_by("budget__period_start", "number")
    ):
        budget = budgets.setdefault(item.budget_id, item.budget)
        budget.association = association
        item.budget = budget
        versions_of.setdefault(budget.pk, []).append(item)
    amounts_of: dict[int, list[tuple[int, Decimal]]] = {}
    lines = BudgetLine.objects.filter(
        version__budget__association=association,
        **{f"version__{key}": value for key, value in until.items()},
    ).order_by()
    # A förbund without a budget yet (a new one, the grant room before the first) asks no lines.
    for version_id, line_id, amount in (
        lines.values_list("version_id", "line_id", "amount") if versions_of else ()
    ):
        amounts_of.setdefault(version_id, []).append((line_id, amount))
    chart = {line.pk: line for line in ChartLine.objects.for_association(association)}
    actuals: dict[int, dict[int, Decimal]] = {}
    initiative_actuals: dict[int, dict[int, Decimal]] = {}
    # The insatser's names come with their grants (below): joined here they would hash every
    # förbund's insatser for each page (issue #12).
    for budget_id, line_id, initiative_id, total in (
        Actual.objects.filter(budget__association=association, **until)
        .values_list("budget_id", "line_id", "initiative_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        if line_id:
            actuals.setdefault(budget_id, {})[line_id] = total
        else:
            initiative_actuals.setdefault(budget_id, {})[initiative_id] = total
    forecasts: dict[int, dict[int, Decimal]] = {}
    for budget_id, line_id, amount in Forecast.objects.filter(
        budget__association=association, **until
    ).values_list("budget_id", "line_id", "amount"):
        forecasts.setdefault(budget_id, {})[line_id] = amount
    # Every insats of the förbund with its grants by year (one row without a year for an insats
    # without grants, whose actuals still need its name): read from the förbund's insatser and
    # their grants' index, never a scan of every förbund's grants (issue #12).
    grants: dict[int, dict[int, Decimal]] = {}
    names: dict[int, str] = {}
    for initiative_id, name, year, total in (
        Initiative.objects.filter(association=association)
        .values_list("pk", "name", "grants__year")
        .annotate(total=Sum("grants__amount"))
        .order_by()
    ):
        names[initiative_id] = name
        if year is not None and not (until and year > shown.year):
            grants.setdefault(year, {})[initiative_id] = total
    # The guideline is for the equity, which a period read alone has not.
    if alone:
        ceilings = []
    elif ceilings is None:
        ceilings = list(EquityCeiling.objects.for_association(association))

    periods: dict[int, Period] = {}
    previous: Period | None = None
    for budget in budgets.values():
        versions = versions_of[budget.pk]
        version = current_version(versions)
        if versions and shown is not None and budget.pk == shown.pk and version_asked is not None:
            if version_asked == DRAFT:
                version = versions[-1] if versions[-1].state == BudgetVersion.State.DRAFT else None
            else:
                version = next((v for v in versions if v.number == version_asked), None)
        if version is None:
            continue
        by_line: dict[int, LineRow] = {}
        for line_id, amount in amounts_of.get(version.pk, []):
            by_line[line_id] = LineRow(chart[line_id], budget=amount)
        for line_id, amount in actuals.get(budget.pk, {}).items():
            by_line.setdefault(line_id, LineRow(chart[line_id])).actual = amount
        for line_id, amount in forecasts.get(budget.pk, {}).items():
            by_line.setdefault(line_id, LineRow(chart[line_id])).forecast_set = amount
        rows: dict[str, list[LineRow]] = {}
        for row in sorted(by_line.values(), key=lambda row: (row.line.position, row.line.pk)):
            rows.setdefault(row.line.group, []).append(row)
        granted = grants.get(budget.year, {})
        booked = initiative_actuals.get(budget.pk, {})
        initiatives = [
            InitiativeRow(pk, names[pk], granted.get(pk, ZERO), booked.get(pk, ZERO))
            for pk in sorted(set(granted) | set(booked), key=lambda pk: names[pk])
        ]
        period = Period(
            budget,
            version,
            versions,
            rows,
            NOT_READ if alone else _carry_over(budget, previous),
            initiatives,
            amounts=dict(amounts_of.get(version.pk, [])),
        )
        periods[budget.pk] = period
        if alone:
            continue
        basis = period.basis
        period.equity = Equity(
            opening=period.carry_over.amount,
            year_result=basis.year_result,
            contributions=basis.contributions,
            basis="utfall" if period.closed else "budget",
            ceiling_percent=ceiling_percent(ceilings, basis.contributions),
        )
        previous = period
    return periods


def periods_newest_first(association) -> list[Period]:
    return sorted(
        periods_for(association).values(), key=lambda p: p.budget.period_start, reverse=True
    )


def period_with_chain(
    association, budget: Budget, version: int | str | None = None
) -> tuple[Period | None, list[Period]]:
    """One period (in the version asked for, else the current one) and every period up to and
    including it, for the carry-over and equity chain."""
    periods = periods_for(association, budget, version, up_to_shown=True)
    period = periods.get(budget.pk)
    chain = [p for p in periods.values() if p.budget.period_start <= budget.period_start]
    return period, chain


def period_get(association, budget: Budget, version: int | str | None = None) -> Period | None:
    """One period; None when it has no such version."""
    return periods_for(association, budget, version, up_to_shown=True).get(budget.pk)


# The carry-over of a period read alone: not read. A sum that includes it (income, the results,
# the equity) fails on None rather than showing a figure without it.
NOT_READ = CarryOver(None, None, "")


def period_alone(association, budget: Budget, version: int | str | None = None) -> Period | None:
    """One period without the chain of years before it, for the pages that show neither its
    carry-over nor its equity (its lines, ägarbidrag, actuals, prognos): six queries over this
    period's rows rather than seven over every year's up to it (issue #12). None when it has no
    such version."""
    return periods_for(association, budget, version, alone=True).get(budget.pk)


@dataclass
class ContributionRow:
    member: Member
    split: Decimal | None  # the § 5 split of the total; None when it cannot be made
    override: Decimal | None

    @property
    def amount(self) -> Decimal | None:
        return self.override if self.override is not None else self.split


@dataclass
class Contributions:
    total: Decimal
    rows: list[ContributionRow]
    split_error: str = ""

    @property
    def shares_total(self) -> Decimal:
        return sum((row.amount or ZERO for row in self.rows), ZERO)

    @property
    def difference(self) -> Decimal:
        """What the members' shares lack (positive) or exceed (negative) against the total."""
        return self.total - self.shares_total

    @property
    def adds_up(self) -> bool:
        return not self.split_error and self.difference == 0


def contributions_for(period: Period, members: list[Member] | None = None) -> Contributions:
    """Each member's ägarbidrag: the § 5 split of the version's contribution lines, unless the
    officer set it (two queries: members, overrides; one given the förbund's ``members`` in
    seed order, as a page that shows them anyway has read them)."""
    association = period.budget.association
    if members is None:
        members = Member.objects.for_association(association).seed_ordered()
    overrides = {
        override.member_id: override.amount
        for override in ContributionOverride.objects.filter(version=period.version)
    }
    total = period.budgeted.contributions
    error = ""
    try:
        split = {
            share.member.pk: share.amount
            for share in split_contributions(total, members, association.municipal_split_key)
        }
    except ContributionSplitError as exc:
        split, error = {}, str(exc)
    rows = [ContributionRow(m, split.get(m.pk), overrides.get(m.pk)) for m in members]
    return Contributions(total, rows, error)


@dataclass
class Grid:
    """The period's actuals by month: one row per line or initiative, one cell per month."""

    months: list
    lines: list[ChartLine]
    initiatives: list[InitiativeRow]
    cells: dict[tuple[str, int, object], Decimal]  # ("line"|"initiative", pk, month) → kronor


def actuals_grid(period: Period) -> Grid:
    """Lines in the budget or with actuals, and the initiatives granted for the year or with
    actuals (one query: the actuals)."""
    budget = period.budget
    cells = {}
    for line_id, initiative_id, month, amount in Actual.objects.filter(budget=budget).values_list(
        "line_id", "initiative_id", "month", "amount"
    ):
        if line_id:
            cells["line", line_id, month] = amount
        else:
            cells["initiative", initiative_id, month] = amount
    # The period's rows hold every line of its version, with actuals or a forecast, the chart
    # lines already read (those with actuals here among them): no query for them (issue #12).
    lines = sorted(
        (row.line for rows in period.rows.values() for row in rows),
        key=lambda line: (line.position, line.pk),
    )
    # Its insatser likewise: those granted for the year and every one with actuals in it (the
    # period's sums are of the same actuals), by name.
    return Grid(budget.months(), lines, period.initiatives, cells)


def booked_cells(budget: Budget) -> set[tuple[str, int, object]]:
    """The (kind, target, month) cells that already have actuals (one query)."""
    return {
        ("line", line, month) if line else ("initiative", initiative, month)
        for line, initiative, month in budget.actuals.values_list(
            "line_id", "initiative_id", "month"
        )
    }


def rows_already_booked(budget: Budget, rows) -> int:
    """How many of a ledger file's rows land on cells that already have actuals (one query)."""
    booked = booked_cells(budget)
    return sum(1 for row in rows if row.key in booked)


def budget_agenda_items(association):
    """The board's decided budget items, newest first, for recording an adoption."""
    return (
        AgendaItem.objects.filter(
            meeting__association=association,
            meeting__body=Meeting.Body.BOARD,
            kind=AgendaItem.Kind.BUDGET,
            decision__isnull=False,
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )


def period_log(budget: Budget):
    """Imports and closings of the period, for its page (two queries): what the log shows, and
    of who did it the name (issue #12: not the login's other columns, nor the file's hash)."""
    return {
        "imports": list(
            ActualImport.objects.filter(budget=budget)
            .select_related("imported_by")
            .only("file_name", "rows", "total", "imported_at", *User.name_fields("imported_by"))
        ),
        "events": list(
            PeriodEvent.objects.filter(budget=budget)
            .select_related("by")
            .only("action", "reason", "at", *User.name_fields("by"))
        ),
    }


def chart_lines(association) -> list[ChartLine]:
    """The förbund's chart in its order (one query)."""
    return list(ChartLine.objects.for_association(association))


def chart_lines_queryset(association):
    """The chart as the chart page's formset edits it (one query when evaluated)."""
    return ChartLine.objects.for_association(association)


def ceilings_queryset(association):
    """The guideline for eget kapital as its page's formset edits it (one query when evaluated)."""
    return EquityCeiling.objects.for_association(association)


def initiatives_by_name(association) -> dict[str, Initiative]:
    """The förbund's initiatives by lower-case name, as the ledger names them (one query)."""
    return {
        initiative.name.lower(): initiative
        for initiative in Initiative.objects.filter(association=association)
    }


def grant_room(*, association, years: list[int]) -> dict[int, BudgetRoom]:
    """What each year's budget has left to distribute to insatser: Medel för insatser att fördela
    less what justerade decisions have granted for the year (the budget's Ej fördelade medel),
    in the adopted version, else the draft. Named by FINSAM_BUDGET_ROOM, so that the decision
    form can ask without `applications` importing `budget`."""
    room = {}
    for period in periods_for(association).values():
        year = period.budget.year
        if year not in years:
            continue
        adopted = period.version.state == BudgetVersion.State.ADOPTED
        source = (
            f"fastställd budget {year}, version {period.version.number}"
            if adopted
            else f"utkast till budget {year}"
        )
        room[year] = BudgetRoom(year, period.unallocated, source, adopted)
    return room


def initiative_actuals_by_year(initiative: Initiative) -> dict[int, Decimal]:
    """What the budget's actuals have booked on one insats, per calendar year (one query)."""
    return {
        row["year"]: row["total"]
        for row in Actual.objects.filter(initiative=initiative)
        .annotate(year=ExtractYear("month"))
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by()
    }
