"""Budget reads: every derived row computed from the stored lines (DESIGN.md § 4)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from applications.models import InitiativeGrant
from budget.models import Budget, BudgetLine, BudgetVersion

Group = BudgetLine.Group
ZERO = Decimal(0)


@dataclass
class CarryOver:
    amount: Decimal
    source: Budget | None  # the previous period; None for a förbund's first budget
    basis: str  # what the amount comes from, in Swedish


@dataclass
class BudgetFigures:
    version: BudgetVersion
    lines: dict[str, list[BudgetLine]]
    carry_over: CarryOver
    grants: list[tuple[str, Decimal]] = field(default_factory=list)

    def total(self, group: str) -> Decimal:
        return sum((line.amount for line in self.lines.get(group, [])), ZERO)

    @property
    def income(self) -> Decimal:
        return (
            self.total(Group.CONTRIBUTIONS)
            + self.total(Group.OTHER_INCOME)
            + self.carry_over.amount
        )

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
    def granted(self) -> Decimal:
        return sum((amount for _name, amount in self.grants), ZERO)

    @property
    def result(self) -> Decimal:
        """Periodens resultat: what is left after the granted initiatives."""
        return self.means_to_distribute - self.granted


def current_version(budget: Budget) -> BudgetVersion | None:
    """The latest adopted version, else the latest draft (uses prefetched versions)."""
    versions = sorted(budget.versions.all(), key=lambda v: v.number)
    adopted = [v for v in versions if v.status == BudgetVersion.Status.ADOPTED]
    return (adopted or versions or [None])[-1]


def budget_figures_by_period(association) -> dict[int, BudgetFigures]:
    """Every budget of the förbund, oldest first, each with the carry-over from the one before:
    four queries however many years there are (budgets, versions, lines, grants)."""
    budgets = list(
        Budget.objects.for_association(association)
        .order_by("period_start")
        .select_related("association")
        .prefetch_related("versions__lines")
    )
    grants: dict[int, list[tuple[str, Decimal]]] = {}
    rows = (
        InitiativeGrant.objects.filter(initiative__association=association)
        .values("year", "initiative__name")
        .annotate(total=Sum("amount"))
        .order_by("year", "initiative__name")
    )
    for row in rows:
        grants.setdefault(row["year"], []).append((row["initiative__name"], row["total"]))
    figures: dict[int, BudgetFigures] = {}
    previous: tuple[Budget, BudgetFigures] | None = None
    for budget in budgets:
        version = current_version(budget)
        if version is None:
            continue
        if previous is None:
            carry = CarryOver(ZERO, None, "Inget föregående budgetår.")
        else:
            before, before_figures = previous
            status = (
                "fastställda"
                if before_figures.version.status == BudgetVersion.Status.ADOPTED
                else "preliminära"
            )
            carry = CarryOver(before_figures.result, before, f"Resultatet i {status} {before}.")
        lines: dict[str, list[BudgetLine]] = {}
        for line in sorted(version.lines.all(), key=lambda line: (line.position, line.pk)):
            lines.setdefault(line.group, []).append(line)
        figures[budget.pk] = BudgetFigures(version, lines, carry, grants.get(budget.year, []))
        previous = (budget, figures[budget.pk])
    return figures
