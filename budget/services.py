"""Every change to budgets, actuals and the chart: atomic, with the acting user in the history."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications.models import AgendaItem, Decision, Meeting
from budget.models import (
    Actual,
    ActualImport,
    Budget,
    BudgetLine,
    BudgetVersion,
    ChartLine,
    ContributionOverride,
    Forecast,
    PeriodEvent,
)
from finsam.models import Association, User

Group = ChartLine.Group
Status = BudgetVersion.Status

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


class BudgetError(ValueError):
    """A change refused; the message says why, in Swedish."""


def _require_draft(version: BudgetVersion) -> None:
    if version.status != Status.DRAFT:
        raise BudgetError(NOT_A_DRAFT.format(number=version.number))


def _require_open(budget: Budget) -> None:
    if budget.closed_at is not None:
        raise BudgetError(PERIOD_CLOSED)


def _lock(budget: Budget) -> Budget:
    """The period's row, locked for the transaction, so close and a save cannot interleave."""
    return Budget.objects.select_for_update().get(pk=budget.pk)


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


def chart_for(association: Association, user: User) -> list[ChartLine]:
    """The förbund's chart; a förbund without one starts with seed 004's lines."""
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
        source = copy_from.versions.order_by("-number").filter(status=Status.ADOPTED).first()
        source = source or copy_from.versions.order_by("-number").first()
        amounts = {item.line_id: item.amount for item in source.lines.all()} if source else {}
    elif not empty:
        amounts = {line.pk: Decimal(0) for line in chart_for(association, user)}
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
    *, user: User, version: BudgetVersion, amounts: dict[int, Decimal | None]
) -> None:
    """The draft's amount per chart line (kronor); None takes the line out of the budget."""
    version = BudgetVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    _set_amounts(
        user=user,
        existing={item.line_id: item for item in version.lines.all()},
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
    version.status = Status.ADOPTED
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
    if versions and versions[-1].status == Status.DRAFT:
        raise BudgetError(DRAFT_EXISTS.format(number=versions[-1].number))
    adopted = [v for v in versions if v.status == Status.ADOPTED]
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
    *, user: User, version: BudgetVersion, overrides: dict[int, Decimal | None]
) -> None:
    """A member's ägarbidrag set by hand (kronor), or None to follow the § 5 split again."""
    version = BudgetVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    _set_amounts(
        user=user,
        existing={o.member_id: o for o in version.contribution_overrides.all()},
        amounts=overrides,
        create=lambda member_id, amount: ContributionOverride(
            version=version, member_id=member_id, amount=amount
        ),
    )


CellKey = tuple[str, int, datetime.date]  # ("line" | "initiative", pk, first of month)


def _target(kind: str, pk: int) -> dict:
    return {"line_id": pk} if kind == "line" else {"initiative_id": pk}


def _cells(budget: Budget) -> dict[CellKey, Actual]:
    return {
        ("line" if a.line_id else "initiative", a.line_id or a.initiative_id, a.month): a
        for a in budget.actuals.all()
    }


def _new_actual(budget: Budget, key: CellKey, amount: Decimal) -> Actual:
    kind, pk, month = key
    return Actual(budget=budget, month=month, amount=amount, **_target(kind, pk))


@transaction.atomic
def actuals_save(*, user: User, budget: Budget, cells: dict[CellKey, Decimal | None]) -> None:
    """The grid: each cell's amount for its month (kronor); None or 0 empties it."""
    budget = _lock(budget)
    _require_open(budget)
    _set_amounts(
        user=user,
        existing=_cells(budget),
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
    existing = _cells(budget)
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
def forecasts_save(*, user: User, budget: Budget, amounts: dict[int, Decimal | None]) -> None:
    """Prognos per line (kronor); None returns the line to its budget."""
    budget = _lock(budget)
    _require_open(budget)
    _set_amounts(
        user=user,
        existing={f.line_id: f for f in budget.forecasts.all()},
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


@transaction.atomic
def formset_save(*, user: User, formset, association: Association) -> None:
    """The chart or the equity guideline, as one formset: all rows or none."""
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._history_user = user
            try:
                form.instance.delete()
            except ProtectedError:
                raise BudgetError(LINE_IN_USE.format(name=form.instance)) from None
    for form in formset.forms:
        if form in formset.deleted_forms or not form.has_changed():
            continue
        instance = form.save(commit=False)
        instance.association = association
        instance._history_user = user
        instance.save()


@transaction.atomic
def legacy_budget_import(
    *,
    user: User,
    association: Association,
    period_start: datetime.date,
    period_end: datetime.date,
    lines: list,
) -> Budget:
    """A draft budget from a table in seed 004's layout (``budget.legacy.read_table``'s lines,
    in tkr): each line finds its chart line by group and name, or is added to the chart."""
    budget = budget_create(
        user=user,
        association=association,
        period_start=period_start,
        period_end=period_end,
        empty=True,
    )
    version = budget.versions.get()
    chart = {(line.group, line.name.lower()): line for line in chart_for(association, user)}
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
        amounts[line.pk] = amounts.get(line.pk, Decimal(0)) + item.amount * 1000
    bulk_create_with_history(
        [BudgetLine(version=version, line_id=pk, amount=amount) for pk, amount in amounts.items()],
        BudgetLine,
        default_user=user,
    )
    return budget
