"""Seed 004's budgets for Landskrona-Svalöv: 2009 (September–December) and 2010, adopted.
2010's carry-over is computed from 2009's result (4 982 tkr), as the seed's "Övriga intäkter"."""

import datetime
from decimal import Decimal

from budget.models import Budget, BudgetLine, BudgetVersion
from finsam.models import Association

G = BudgetLine.Group
# (group, name, tkr), in the seed's order.
BUDGET_2009 = [
    (G.CONTRIBUTIONS, "Verksamhetens ägarbidrag", 5440),
    (G.OTHER_INCOME, "Övriga intäkter", 0),
    (G.OPERATING, "Styrelse och revisorer", 45),
    (G.OPERATING, "Samordnare", 170),
    (G.OPERATING, "Konsulttjänster", 30),
    (G.OPERATING, "Kontor", 13),
    (G.OPERATING, "Utbildning", 40),
    (G.OPERATING, "Åtgärder", 160),
    (G.FINANCIAL_INCOME, "Ränta", 0),
    (G.FINANCIAL_COST, "Ränta", 0),
]
BUDGET_2010 = [
    (G.CONTRIBUTIONS, "Verksamhetens ägarbidrag", 5000),
    (G.OPERATING, "Styrelse och revisorer", 230),
    (G.OPERATING, "Samordnare", 510),
    (G.OPERATING, "Konsulter", 60),
    (G.OPERATING, "Marknadsföring", 70),
    (G.OPERATING, "Utvärdering", 100),
    (G.OPERATING, "Kontor", 39),
    (G.OPERATING, "Utbildning och resor", 200),
    (G.FINANCIAL_INCOME, "Ränta", 14),
]


def _budget(association, start, end, adopted_on, lines):
    budget = Budget.objects.create(association=association, period_start=start, period_end=end)
    version = BudgetVersion.objects.create(
        budget=budget, number=1, status=BudgetVersion.Status.ADOPTED, adopted_on=adopted_on
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, group=group, name=name, amount=Decimal(tkr) * 1000, position=i)
        for i, (group, name, tkr) in enumerate(lines)
    )


def load_demo() -> None:
    association = Association.objects.get(org_number="222000-2733")
    if Budget.objects.filter(association=association).exists():
        return
    _budget(
        association,
        datetime.date(2009, 9, 1),
        datetime.date(2009, 12, 31),
        datetime.date(2009, 9, 1),
        BUDGET_2009,
    )
    _budget(
        association,
        datetime.date(2010, 1, 1),
        datetime.date(2010, 12, 31),
        datetime.date(2009, 11, 30),
        BUDGET_2010,
    )
