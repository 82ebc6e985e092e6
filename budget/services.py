"""Every change to budgets, actuals and the chart: keyword-only with typed values (never a form),
atomic, with the acting user in the history; a refusal is a BudgetError with a Swedish message."""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications.models import AgendaItem, Decision, Initiative, Meeting
from budget.legacy import LegacyLine
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
from finsam import concurrency
from finsam.bounds import require_within_bounds
from finsam.concurrency import check_unchanged
from finsam.errors import DomainError
from finsam.models import Association, Member, User
from finsam.money import format_kronor, tkr_to_kronor

Group = ChartLine.Group
State = BudgetVersion.State

PERIOD_ORDER = "Periodens slut ska ligga efter dess början."
PERIOD_ONE_YEAR = (
    "En budgetperiod ligger inom ett kalenderår (beviljade insatser räknas per år); "
    "dela upp perioden."
)
PERIOD_YEAR_TAKEN = "Det finns redan en budget för {other}; en period per kalenderår."
PERIOD_OVERLAPS = "Perioden överlappar budgeten för {other}."
NOT_A_DRAFT = (
    "Version {number} är fastställd och kan inte ändras; gör en ny version för att revidera."
)
DRAFT_EXISTS = "Det finns redan ett utkast (version {number}); arbeta vidare i det."
NOTHING_TO_REVISE = "Bara en fastställd budget kan revideras."
NOT_LATEST = "Bara den senaste versionen kan fastställas."
ADOPTION_DATE_MISSING = "Ange datum för fastställandet eller välj beslutet."
WRONG_AGENDA_ITEM = "Ärendet är inte ett beslutat budgetärende i det här förbundets styrelse."
PERIOD_CLOSED = "Perioden är stängd; utfallet kan inte ändras. Öppna perioden först."
ALREADY_CLOSED = "Perioden är redan stängd."
NOT_CLOSED = "Perioden är inte stängd."
REOPEN_REASON = "Ange varför perioden öppnas igen."
ALREADY_IMPORTED = "Filen {name} är redan inläst för perioden ({when} av {who})."
IMPORT_HAS_ERRORS = "Filen har fel; ingenting är sparat. Rätta raderna och läs in den igen."
LINE_IN_USE = "Posten {name} används i en budget eller i utfallet och kan inte tas bort."
IMPORT_EMPTY = "Filen innehåller inga rader med belopp."
NOT_OWN_TARGET = (
    "En av raderna, insatserna eller medlemmarna hör inte till förbundet; ladda om sidan."
)
NOT_IN_CHART = "En av raderna finns inte längre i förbundets kontoplan; ladda om sidan."
ACCOUNT_TWICE = "Kontot {account} är kopplat till både {first} och {second}."
LINE_TWICE = "Posten {name} finns redan i gruppen {group}."
NOT_IN_GUIDELINE = "Ett av stegen finns inte längre i förbundets riktlinje; ladda om sidan."
LEVEL_TWICE = "Nivån {level} kr finns redan; varje nivå anges en gång."
CEILING_OPEN_TWICE = "Bara ett steg får sakna övre gräns (det gäller över alla andra)."
# What someone else changed meanwhile (finsam.errors.ChangedMeanwhile: "Någon annan har ändrat …").
LINES_WHAT = "budgetens poster"
CONTRIBUTIONS_WHAT = "ägarbidragen"
ACTUALS_WHAT = "utfallet"
FORECAST_WHAT = "prognosen"
CHART_WHAT = "kontoplanen"
GUIDELINE_WHAT = "riktlinjen för eget kapital"
# A förbund's chart has tens of lines (seed 004 has eleven); every line is a row on the chart page
# and the budget pages, and a field of the chart's form. A cap far above any real chart, so that
# repeated imports of old tables or saves cannot grow it without end (issue #13).
CHART_MAX = 300
CHART_FULL = (
    "Kontoplanen kan ha högst {max} poster och skulle få {count}; ta bort poster som inte "
    "används, eller använd befintliga poster, innan nya läggs till."
)
PERCENT_OUT_OF_RANGE = "Ange taket som en andel mellan 0 och 100 %."
# The labels a value out of bounds is named by (finsam.bounds.require_within_bounds).
PERIOD_START_LABEL = "Periodens första dag"
PERIOD_END_LABEL = "Periodens sista dag"
OPENING_EQUITY_LABEL = "Ingående eget kapital"
LINES_LABEL = "Budgetpost"
ADOPTED_ON_LABEL = "Fastställd den"
CONTRIBUTIONS_LABEL = "Ägarbidrag"
ACTUALS_LABEL = "Utfall"
ACTUALS_MONTH_LABEL = "Utfallets månad"
FORECAST_LABEL = "Prognos"
CEILING_LABEL = "Ägarbidrag upp till"

# Seed 004's lines: the chart a new förbund starts with.
DEFAULT_CHART = [
    (Group.CONTRIBUTIONS, "Verksamhetens ägarbidrag"),
    (Group.OTHER_INCOME, "Övriga intäkter"),
    (Group.OPERATING, "Styrelse och revisorer"),
    (Group.OPERATING, "Samordnare"),
    (Group.OPERATING, "Konsulter"),
    (Group.OPERATING, "Marknadsföring"),
    (Group.OPERATING, "Utvärdering"),
    (Group.OPERATING, "Kontor"),
    (Group.OPERATING, "Utbildning och resor"),
    (Group.FINANCIAL_INCOME, "Ränta"),
    (Group.FINANCIAL_COST, "Ränta"),
]


class BudgetError(DomainError):
    """A change to the budget refused; the message says why, in Swedish."""


def _require_draft(version: BudgetVersion) -> None:
    if version.state != State.DRAFT:
        raise BudgetError(NOT_A_DRAFT.format(number=version.number))


def _require_open(budget: Budget) -> None:
    if budget.closed_at is not None:
        raise BudgetError(PERIOD_CLOSED)


def _require_amounts(label: str, amounts) -> None:
    """finsam.bounds for a set of amounts: the largest one names the refusal (OutOfBounds)."""
    given = [amount for amount in amounts if amount is not None]
    if given:
        require_within_bounds(amounts={label: max(given, key=abs)})


def _require_months(months) -> None:
    """finsam.bounds for the months cells are booked on (the earliest and the latest)."""
    months = list(months)
    for month in (min(months), max(months)) if months else ():
        require_within_bounds(dates={ACTUALS_MONTH_LABEL: month})


def _require_chart_room(existing: int, after: int) -> None:
    """Refuses a chart that would grow beyond CHART_MAX lines (one already beyond it may still
    shrink or change). Call it under the förbund's row lock."""
    if after > CHART_MAX and after > existing:
        raise BudgetError(CHART_FULL.format(max=CHART_MAX, count=after))


def _lock(budget: Budget) -> Budget:
    """The period's row, locked for the transaction, so close and a save cannot interleave."""
    return Budget.objects.select_for_update().get(pk=budget.pk)


def amounts_fingerprint(amounts: dict) -> str:
    """The fingerprint (finsam/concurrency.py) of an amounts form: key → the stored amount the
    form shows, None or missing where there is no row. The page computes it from its form's
    initial amounts; the save from the rows under the lock, for the keys the form posted."""
    # Written out rather than through concurrency.fingerprint's general JSON: the actuals grid
    # has some 500 cells, and this runs on every view of it (issue #12). The same idea: each
    # key and amount as text that reads the same however it was obtained, in a fixed order.
    pairs = sorted(
        f"{_key_text(key)}={_amount_text(amount)}"
        for key, amount in amounts.items()
        if amount is not None
    )
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()[:32]


def _key_text(key) -> str:
    """A form's key as text: a line's or member's pk, or a grid cell (kind, pk, month)."""
    if isinstance(key, tuple):
        kind, pk, month = key
        return f"{kind}|{pk}|{month.isoformat()}"
    return str(key)


def _amount_text(amount) -> str:
    amount = Decimal(amount)
    return "0" if amount == 0 else str(amount.normalize())


def _check_amounts(expected: str | None, existing: dict, keys, *, what: str) -> None:
    """Refuses a save of ``keys`` whose rows someone changed since the form was opened."""
    shown = {key: existing[key].amount for key in keys if key in existing}
    check_unchanged(expected, amounts_fingerprint(shown), what=what)


def _set_amounts(*, user: User, existing: dict, amounts: dict, create) -> None:
    """Each key's amount: a new row where there was none, saved where it changed, deleted where
    the amount is None. ``existing`` maps a key to its row; ``create(key, amount)`` makes one."""
    for key, amount in amounts.items():
        row = existing.get(key)
        if amount is None:
            if row is not None:
                row._history_user = user
                row.delete()
            continue
        if row is None:
            row = create(key, amount)
        elif row.amount == amount:
            continue
        row.amount = amount
        row._history_user = user
        row.save()


def chart_ensure(*, user: User, association: Association) -> list[ChartLine]:
    """The förbund's chart, creating seed 004's lines for a förbund that has none yet."""
    lines = list(ChartLine.objects.for_association(association))
    if lines:
        return lines
    created = [
        ChartLine(association=association, group=group, name=name, position=position)
        for position, (group, name) in enumerate(DEFAULT_CHART)
    ]
    return bulk_create_with_history(created, ChartLine, default_user=user)


@transaction.atomic
def budget_create(
    *,
    user: User,
    association: Association,
    period_start: datetime.date,
    period_end: datetime.date,
    copy_from: Budget | None = None,
    empty: bool = False,
    opening_equity: Decimal | None = None,
) -> Budget:
    """A new period with a first draft: the lines of ``copy_from``'s current version, else every
    line of the chart at zero (none when ``empty``)."""
    require_within_bounds(
        dates={PERIOD_START_LABEL: period_start, PERIOD_END_LABEL: period_end},
        amounts={OPENING_EQUITY_LABEL: opening_equity},
    )
    if period_end < period_start:
        raise BudgetError(PERIOD_ORDER)
    if period_end.year != period_start.year:
        raise BudgetError(PERIOD_ONE_YEAR)
    # Two officers creating periods at once must not both pass the check below.
    Association.objects.select_for_update().get(pk=association.pk)
    budgets = Budget.objects.for_association(association)
    if other := budgets.filter(period_start__year=period_start.year).first():
        raise BudgetError(PERIOD_YEAR_TAKEN.format(other=other.label))
    overlapping = budgets.filter(period_start__lte=period_end, period_end__gte=period_start)
    if other := overlapping.first():
        raise BudgetError(PERIOD_OVERLAPS.format(other=other.label))
    budget = Budget(
        association=association,
        period_start=period_start,
        period_end=period_end,
        opening_equity=opening_equity,
    )
    budget._history_user = user
    budget.save()
    version = BudgetVersion(budget=budget, number=1, created_by=user)
    version._history_user = user
    version.save()
    if copy_from is not None:
        source = copy_from.versions.order_by("-number").filter(state=State.ADOPTED).first()
        source = source or copy_from.versions.order_by("-number").first()
        amounts = {item.line_id: item.amount for item in source.lines.all()} if source else {}
    elif not empty:
        amounts = {line.pk: Decimal(0) for line in chart_ensure(user=user, association=association)}
    else:
        amounts = {}
    bulk_create_with_history(
        [BudgetLine(version=version, line_id=pk, amount=amount) for pk, amount in amounts.items()],
        BudgetLine,
        default_user=user,
    )
    return budget


@transaction.atomic
def version_lines_save(
    *,
    user: User,
    version: BudgetVersion,
    amounts: dict[int, Decimal | None],
    fingerprint: str | None = None,
) -> None:
    """The draft's amount per chart line (kronor); None takes the line out of the budget.
    ``fingerprint`` is ``amounts_fingerprint`` of the lines the form showed (None: not checked)."""
    _require_amounts(LINES_LABEL, amounts.values())
    # Two officers saving the lines at once: the second waits here, then sees the first's lines.
    version = (
        BudgetVersion.objects.select_for_update(of=("self",))
        .select_related("budget")
        .get(pk=version.pk)
    )
    _require_draft(version)
    _require_own_targets(version.budget.association_id, lines=amounts)
    existing = {item.line_id: item for item in version.lines.all()}
    _check_amounts(fingerprint, existing, amounts, what=LINES_WHAT)
    _set_amounts(
        user=user,
        existing=existing,
        amounts=amounts,
        create=lambda line_id, amount: BudgetLine(version=version, line_id=line_id, amount=amount),
    )


@transaction.atomic
def version_adopt(
    *,
    user: User,
    version: BudgetVersion,
    adopted_on: datetime.date | None = None,
    agenda_item: AgendaItem | None = None,
) -> BudgetVersion:
    """Fastställ: by the board's decision on a budget item (its meeting date is the date), or on
    a date the officer records."""
    version = BudgetVersion.objects.select_for_update().select_related("budget").get(pk=version.pk)
    _require_draft(version)
    latest = version.budget.versions.aggregate(latest=Max("number"))["latest"]
    if version.number != latest:
        raise BudgetError(NOT_LATEST)
    if agenda_item is not None:
        decided = Decision.objects.filter(agenda_item=agenda_item).exists()
        meeting = agenda_item.meeting
        if (
            agenda_item.kind != AgendaItem.Kind.BUDGET
            or meeting.association_id != version.budget.association_id
            or meeting.body != Meeting.Body.BOARD
            or not decided
        ):
            raise BudgetError(WRONG_AGENDA_ITEM)
        adopted_on = timezone.localdate(agenda_item.meeting.starts_at)
    if adopted_on is None:
        raise BudgetError(ADOPTION_DATE_MISSING)
    require_within_bounds(dates={ADOPTED_ON_LABEL: adopted_on})
    version.state = State.ADOPTED
    version.adopted_on = adopted_on
    version.agenda_item = agenda_item
    version._history_user = user
    version.save()
    return version


@transaction.atomic
def version_revise(*, user: User, budget: Budget) -> BudgetVersion:
    """A new draft from the adopted version: its lines and contribution overrides; the adopted
    version stays as it was."""
    budget = _lock(budget)
    versions = list(budget.versions.order_by("number"))
    if versions and versions[-1].state == State.DRAFT:
        raise BudgetError(DRAFT_EXISTS.format(number=versions[-1].number))
    adopted = [v for v in versions if v.state == State.ADOPTED]
    if not adopted:
        raise BudgetError(NOTHING_TO_REVISE)
    source = adopted[-1]
    version = BudgetVersion(budget=budget, number=versions[-1].number + 1, created_by=user)
    version._history_user = user
    version.save()
    bulk_create_with_history(
        [
            BudgetLine(version=version, line_id=item.line_id, amount=item.amount)
            for item in source.lines.all()
        ],
        BudgetLine,
        default_user=user,
    )
    bulk_create_with_history(
        [
            ContributionOverride(version=version, member_id=o.member_id, amount=o.amount)
            for o in source.contribution_overrides.all()
        ],
        ContributionOverride,
        default_user=user,
    )
    return version


@transaction.atomic
def contributions_save(
    *,
    user: User,
    version: BudgetVersion,
    overrides: dict[int, Decimal | None],
    fingerprint: str | None = None,
) -> None:
    """A member's ägarbidrag set by hand (kronor), or None to follow the § 5 split again.
    ``fingerprint`` is ``amounts_fingerprint`` of the overrides the form showed."""
    _require_amounts(CONTRIBUTIONS_LABEL, overrides.values())
    version = (
        BudgetVersion.objects.select_for_update(of=("self",))
        .select_related("budget")
        .get(pk=version.pk)
    )
    _require_draft(version)
    _require_own_targets(version.budget.association_id, members=overrides)
    existing = {o.member_id: o for o in version.contribution_overrides.all()}
    _check_amounts(fingerprint, existing, overrides, what=CONTRIBUTIONS_WHAT)
    _set_amounts(
        user=user,
        existing=existing,
        amounts=overrides,
        create=lambda member_id, amount: ContributionOverride(
            version=version, member_id=member_id, amount=amount
        ),
    )


CellKey = tuple[str, int, datetime.date]  # ("line" | "initiative", pk, first of month)


def _target(kind: str, pk: int) -> dict:
    return {"line_id": pk} if kind == "line" else {"initiative_id": pk}


def _require_own_targets(association_id: int, *, lines=(), initiatives=(), members=()) -> None:
    """Every line, insats and member the amounts go to is the förbund's: its pages offer no
    other, and the budget's pages name each insats from the förbund's own (periods_for). A cell
    booked on nothing is the database's to refuse (Actual's constraint). One query per kind."""
    own = {"association_id": association_id}
    for model, pks in ((ChartLine, lines), (Initiative, initiatives), (Member, members)):
        pks = set(pks) - {None}
        if pks and model.objects.filter(pk__in=pks, **own).count() != len(pks):
            raise BudgetError(NOT_OWN_TARGET)


def _require_own_cells(budget: Budget, keys) -> None:
    _require_own_targets(
        budget.association_id,
        lines=[pk for kind, pk, _month in keys if kind == "line"],
        initiatives=[pk for kind, pk, _month in keys if kind != "line"],
    )


def _cells(budget: Budget) -> dict[CellKey, Actual]:
    return {
        ("line" if a.line_id else "initiative", a.line_id or a.initiative_id, a.month): a
        for a in budget.actuals.all()
    }


def _new_actual(budget: Budget, key: CellKey, amount: Decimal) -> Actual:
    kind, pk, month = key
    return Actual(budget=budget, month=month, amount=amount, **_target(kind, pk))


@transaction.atomic
def actuals_save(
    *,
    user: User,
    budget: Budget,
    cells: dict[CellKey, Decimal | None],
    fingerprint: str | None = None,
) -> None:
    """The grid: each cell's amount for its month (kronor); None or 0 empties it.
    ``fingerprint`` is ``amounts_fingerprint`` of the cells the grid showed: a ledger file read
    meanwhile refuses the save instead of being overwritten by the grid's older amounts."""
    _require_amounts(ACTUALS_LABEL, cells.values())
    _require_months([month for _kind, _pk, month in cells])
    budget = _lock(budget)
    _require_own_cells(budget, cells)
    _require_open(budget)
    existing = _cells(budget)
    _check_amounts(fingerprint, existing, cells, what=ACTUALS_WHAT)
    _set_amounts(
        user=user,
        existing=existing,
        amounts={key: amount or None for key, amount in cells.items()},
        create=lambda key, amount: _new_actual(budget, key, amount),
    )


@dataclass
class ImportRow:
    """One ledger row, resolved: its target cell and amount, or the reason it cannot be read."""

    row: int
    text: str  # the row's account, line or initiative as written
    target: str = ""  # the line or initiative it books to
    key: CellKey | None = None
    amount: Decimal | None = None
    error: str = ""


@transaction.atomic
def actuals_import(
    *, user: User, budget: Budget, rows: list[ImportRow], file_name: str, sha256: str
) -> ActualImport:
    """Adds every row of a ledger file to the actuals, or none: a row with an error, a closed
    period or a file read before refuses the whole file."""
    budget = _lock(budget)
    _require_open(budget)
    if any(row.error for row in rows):
        raise BudgetError(IMPORT_HAS_ERRORS)
    if not rows:
        raise BudgetError(IMPORT_EMPTY)
    earlier = budget.imports.filter(sha256=sha256).select_related("imported_by").first()
    if earlier:
        raise BudgetError(
            ALREADY_IMPORTED.format(
                name=earlier.file_name,
                when=f"{timezone.localtime(earlier.imported_at):%Y-%m-%d %H:%M}",
                who=earlier.imported_by,
            )
        )
    sums: dict[CellKey, Decimal] = {}
    for row in rows:
        sums[row.key] = sums.get(row.key, Decimal(0)) + row.amount
    _require_amounts(ACTUALS_LABEL, [row.amount for row in rows])
    _require_months([month for _kind, _pk, month in sums])
    _require_own_cells(budget, sums)
    existing = _cells(budget)
    # What each cell holds after the file, bounded too: many rows may add up on one cell.
    after = {key: (existing[key].amount if key in existing else 0) + sums[key] for key in sums}
    _require_amounts(ACTUALS_LABEL, after.values())
    for key, amount in sums.items():
        actual = existing.get(key) or _new_actual(budget, key, Decimal(0))
        actual.amount += amount
        actual._history_user = user
        actual.save()
    try:
        with transaction.atomic():
            return ActualImport.objects.create(
                budget=budget,
                file_name=file_name[:255],
                sha256=sha256,
                rows=len(rows),
                total=sum(sums.values(), Decimal(0)),
                imported_by=user,
            )
    except IntegrityError:  # the same file, read in a parallel request
        raise BudgetError(
            ALREADY_IMPORTED.format(name=file_name, when="nyss", who="någon annan")
        ) from None


@transaction.atomic
def forecasts_save(
    *,
    user: User,
    budget: Budget,
    amounts: dict[int, Decimal | None],
    fingerprint: str | None = None,
) -> None:
    """Prognos per line (kronor); None returns the line to its budget. ``fingerprint`` is
    ``amounts_fingerprint`` of the forecasts the form showed."""
    _require_amounts(FORECAST_LABEL, amounts.values())
    budget = _lock(budget)
    _require_open(budget)
    _require_own_targets(budget.association_id, lines=amounts)
    existing = {f.line_id: f for f in budget.forecasts.all()}
    _check_amounts(fingerprint, existing, amounts, what=FORECAST_WHAT)
    _set_amounts(
        user=user,
        existing=existing,
        amounts=amounts,
        create=lambda line_id, amount: Forecast(budget=budget, line_id=line_id, amount=amount),
    )


@transaction.atomic
def period_close(*, user: User, budget: Budget) -> Budget:
    """Locks the actuals; from now on the period's result from actuals is carried over."""
    budget = _lock(budget)
    if budget.closed_at is not None:
        raise BudgetError(ALREADY_CLOSED)
    budget.closed_at = timezone.now()
    budget._history_user = user
    budget.save()
    PeriodEvent.objects.create(budget=budget, action=PeriodEvent.Action.CLOSED, by=user)
    return budget


@transaction.atomic
def period_reopen(*, user: User, budget: Budget, reason: str) -> Budget:
    """Opens a closed period again: a recorded act with its reason."""
    if not reason.strip():
        raise BudgetError(REOPEN_REASON)
    budget = _lock(budget)
    if budget.closed_at is None:
        raise BudgetError(NOT_CLOSED)
    budget.closed_at = None
    budget._history_user = user
    budget.save()
    PeriodEvent.objects.create(
        budget=budget, action=PeriodEvent.Action.REOPENED, by=user, reason=reason.strip()
    )
    return budget


@dataclass(frozen=True)
class ChartLineChange:
    """A line of the chart as the officer left it: ``pk`` None for a new line; ``delete`` to
    take an existing line away."""

    pk: int | None
    group: str = ""
    name: str = ""
    position: int = 0
    accounts: str = ""  # "4010, 4011"
    delete: bool = False


def _account_list(accounts: str) -> list[str]:
    return [account.strip() for account in accounts.split(",") if account.strip()]


def _check_chart(lines: list[tuple[str, str, str]]) -> None:
    """(group, name, accounts) of the whole chart after a save: a name once per group, and each
    ledger account booking to one line, so the ledger import finds one line per account."""
    names: set[tuple[str, str]] = set()
    accounts: dict[str, str] = {}
    for group, name, line_accounts in lines:
        if (group, name.lower()) in names:
            raise BudgetError(LINE_TWICE.format(name=name, group=Group(group).label))
        names.add((group, name.lower()))
        for account in _account_list(line_accounts):
            if account in accounts:
                raise BudgetError(
                    ACCOUNT_TWICE.format(account=account, first=accounts[account], second=name)
                )
            accounts[account] = name


def chart_fingerprint(lines) -> str:
    """The fingerprint (finsam/concurrency.py) of the chart as its form shows it."""
    return concurrency.fingerprint(
        {line.pk: (line.group, line.name, line.position, line.accounts) for line in lines}
    )


@transaction.atomic
def chart_save(
    *,
    user: User,
    association: Association,
    lines: list[ChartLineChange],
    fingerprint: str | None = None,
) -> None:
    """The förbund's chart: new, changed and removed lines together, all or none. A line that a
    budget or the actuals use cannot be removed. ``fingerprint`` is ``chart_fingerprint`` of the
    chart the form showed (None: not checked)."""
    # Two officers saving the chart at once must not both pass the checks below.
    Association.objects.select_for_update().get(pk=association.pk)
    existing = {line.pk: line for line in ChartLine.objects.for_association(association)}
    check_unchanged(fingerprint, chart_fingerprint(existing.values()), what=CHART_WHAT)
    if any(item.pk is not None and item.pk not in existing for item in lines):
        raise BudgetError(NOT_IN_CHART)
    removed = {item.pk for item in lines if item.delete and item.pk is not None}
    kept = [item for item in lines if not item.delete]
    after = {pk: (line.group, line.name, line.accounts) for pk, line in existing.items()}
    for pk in removed:
        del after[pk]
    for index, item in enumerate(kept):
        after[item.pk or f"new-{index}"] = (item.group, item.name, item.accounts)
    _require_chart_room(len(existing), len(after))
    _check_chart(list(after.values()))
    for pk in removed:
        line = existing[pk]
        line._history_user = user
        try:
            line.delete()
        except ProtectedError:
            raise BudgetError(LINE_IN_USE.format(name=line)) from None
    for item in kept:
        line = existing.get(item.pk) or ChartLine(association=association)
        values = {
            "group": item.group,
            "name": item.name,
            "position": item.position,
            "accounts": ", ".join(_account_list(item.accounts)),
        }
        if line.pk and all(getattr(line, key) == value for key, value in values.items()):
            continue
        for key, value in values.items():
            setattr(line, key, value)
        line._history_user = user
        line.save()


@dataclass(frozen=True)
class CeilingChange:
    """A step of the guideline for eget kapital as the officer left it: ``pk`` None for a new
    step; ``delete`` to take one away; ``contributions_up_to`` None for the open step."""

    pk: int | None
    contributions_up_to: Decimal | None = None
    percent: Decimal = Decimal(0)
    delete: bool = False


def ceilings_fingerprint(ceilings) -> str:
    """The fingerprint (finsam/concurrency.py) of the guideline as its form shows it."""
    return concurrency.fingerprint({c.pk: (c.contributions_up_to, c.percent) for c in ceilings})


@transaction.atomic
def ceilings_save(
    *,
    user: User,
    association: Association,
    ceilings: list[CeilingChange],
    fingerprint: str | None = None,
) -> None:
    """The förbund's guideline for eget kapital, all steps or none: each level once, and at most
    one step without a level (it applies above all others). ``fingerprint`` is
    ``ceilings_fingerprint`` of the steps the form showed (None: not checked)."""
    kept_steps = [item for item in ceilings if not item.delete]
    _require_amounts(CEILING_LABEL, [item.contributions_up_to for item in kept_steps])
    if any(not 0 <= item.percent <= 100 for item in kept_steps):
        raise BudgetError(PERCENT_OUT_OF_RANGE)
    # Two officers saving the guideline at once must not both pass the checks below.
    Association.objects.select_for_update().get(pk=association.pk)
    existing = {c.pk: c for c in EquityCeiling.objects.for_association(association)}
    check_unchanged(fingerprint, ceilings_fingerprint(existing.values()), what=GUIDELINE_WHAT)
    if any(item.pk is not None and item.pk not in existing for item in ceilings):
        raise BudgetError(NOT_IN_GUIDELINE)
    removed = {item.pk for item in ceilings if item.delete and item.pk is not None}
    kept = [item for item in ceilings if not item.delete]
    levels = {pk: c.contributions_up_to for pk, c in existing.items() if pk not in removed}
    for index, item in enumerate(kept):
        levels[item.pk or f"new-{index}"] = item.contributions_up_to
    if list(levels.values()).count(None) > 1:
        raise BudgetError(CEILING_OPEN_TWICE)
    seen: set[Decimal] = set()
    for level in levels.values():
        if level is not None and level in seen:
            raise BudgetError(LEVEL_TWICE.format(level=format_kronor(level)))
        seen.add(level)
    for pk in removed:
        existing[pk]._history_user = user
        existing[pk].delete()
    for item in kept:
        ceiling = existing.get(item.pk) or EquityCeiling(association=association)
        if ceiling.pk and (ceiling.contributions_up_to, ceiling.percent) == (
            item.contributions_up_to,
            item.percent,
        ):
            continue
        ceiling.contributions_up_to = item.contributions_up_to
        ceiling.percent = item.percent
        ceiling._history_user = user
        ceiling.save()


@transaction.atomic
def legacy_budget_import(
    *,
    user: User,
    association: Association,
    period_start: datetime.date,
    period_end: datetime.date,
    lines: list[LegacyLine],
) -> Budget:
    """A draft budget from a table in seed 004's layout (``budget.legacy.read_xlsx``'s lines,
    in tkr): each line finds its chart line by group and name, or is added to the chart, within
    CHART_MAX lines; nothing is written when the table does not fit."""
    totals: dict[tuple[str, str], Decimal] = {}
    for item in lines:
        key = (item.group, item.name.lower())
        totals[key] = totals.get(key, Decimal(0)) + tkr_to_kronor(item.amount)
    _require_amounts(LINES_LABEL, totals.values())
    require_within_bounds(dates={PERIOD_START_LABEL: period_start, PERIOD_END_LABEL: period_end})
    # Two imports (or an import and a chart save) at once must not both find room for their
    # new lines: the förbund's row is locked before the chart is counted.
    Association.objects.select_for_update().get(pk=association.pk)
    current = list(ChartLine.objects.for_association(association))
    # A förbund without a chart gets seed 004's (chart_ensure).
    known = {(line.group, line.name.lower()) for line in current} or {
        (group, name.lower()) for group, name in DEFAULT_CHART
    }
    count = len(current) or len(DEFAULT_CHART)
    _require_chart_room(count, count + len(set(totals) - known))
    budget = budget_create(
        user=user,
        association=association,
        period_start=period_start,
        period_end=period_end,
        empty=True,
    )
    version = budget.versions.get()
    chart = {
        (line.group, line.name.lower()): line
        for line in chart_ensure(user=user, association=association)
    }
    position = max((line.position for line in chart.values()), default=0)
    amounts: dict[int, Decimal] = {}
    for item in lines:
        line = chart.get((item.group, item.name.lower()))
        if line is None:
            position += 1
            line = ChartLine(
                association=association, group=item.group, name=item.name, position=position
            )
            line._history_user = user
            line.save()
            chart[item.group, item.name.lower()] = line
        amounts[line.pk] = amounts.get(line.pk, Decimal(0)) + tkr_to_kronor(item.amount)
    bulk_create_with_history(
        [BudgetLine(version=version, line_id=pk, amount=amount) for pk, amount in amounts.items()],
        BudgetLine,
        default_user=user,
    )
    return budget
