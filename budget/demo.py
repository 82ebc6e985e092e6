"""Seed 004's budgets for Landskrona-Svalöv: 2009 (September–December) and 2010, adopted.
2010's carry-over is computed from 2009's result (4 982 tkr), as the seed's "Övriga intäkter".
The chart maps ledger accounts to the seed's lines; 2010 has actuals for January–June. Everything
goes through the budget's services, as an officer's work would."""

import datetime
from decimal import Decimal

from budget import services
from budget.models import Budget, ChartLine
from budget.plan_demo import load_plan_demo
from finsam.models import Association, User
from finsam.money import tkr_to_kronor

G = ChartLine.Group
# (group, name, ledger accounts), seed 004's lines of both years in one chart.
CHART = [
    (G.CONTRIBUTIONS, "Verksamhetens ägarbidrag", "3510"),
    (G.OTHER_INCOME, "Övriga intäkter", "3990"),
    (G.OPERATING, "Styrelse och revisorer", "7010, 7015"),
    (G.OPERATING, "Samordnare", "7210"),
    (G.OPERATING, "Konsulttjänster", ""),
    (G.OPERATING, "Konsulter", "6550"),
    (G.OPERATING, "Marknadsföring", "5910"),
    (G.OPERATING, "Utvärdering", "6560"),
    (G.OPERATING, "Kontor", "5010, 6110"),
    (G.OPERATING, "Utbildning", ""),
    (G.OPERATING, "Utbildning och resor", "5810, 7610"),
    (G.OPERATING, "Åtgärder", ""),
    (G.FINANCIAL_INCOME, "Ränta", "8310"),
    (G.FINANCIAL_COST, "Ränta", "8410"),
]
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
# 2010's actuals, January–June, in kronor per month: (group, name, [jan … jun]).
ACTUALS_2010 = [
    (G.CONTRIBUTIONS, "Verksamhetens ägarbidrag", [1250000, 0, 0, 1250000, 0, 0]),
    (G.OPERATING, "Styrelse och revisorer", [4200, 18500, 9800, 21350, 8700, 19400]),
    (G.OPERATING, "Samordnare", [42500, 42500, 42500, 42500, 42500, 44125]),
    (G.OPERATING, "Marknadsföring", [0, 12400, 0, 8900, 3100, 0]),
    (G.OPERATING, "Kontor", [3250, 3250, 3250, 3250, 3250, 3250]),
    (G.OPERATING, "Utbildning och resor", [0, 6800, 24500, 3900, 11200, 2650]),
    (G.FINANCIAL_INCOME, "Ränta", [0, 0, 3120, 0, 0, 3480]),
]
# An example guideline: the förbund sets its own steps (DESIGN.md § 1).
CEILINGS = [(Decimal(10_000_000), Decimal(20)), (Decimal(25_000_000), Decimal(15)), (None, 10)]


def _budget(officer, association, chart, start, end, adopted_on, lines) -> Budget:
    """A period with one version, its lines in tkr, adopted on the date the seed gives."""
    budget = services.budget_create(
        user=officer, association=association, period_start=start, period_end=end, empty=True
    )
    version = budget.versions.get()
    services.version_lines_save(
        user=officer,
        version=version,
        amounts={chart[group, name]: tkr_to_kronor(Decimal(tkr)) for group, name, tkr in lines},
    )
    services.version_adopt(user=officer, version=version, adopted_on=adopted_on)
    return budget


def load_demo() -> None:
    association = Association.objects.get(org_number="222000-2733")
    if Budget.objects.filter(association=association).exists():
        return
    officer = User.objects.get(email="kansli@example.org")
    services.chart_save(
        user=officer,
        association=association,
        lines=[
            services.ChartLineChange(
                pk=None, group=group, name=name, position=position, accounts=accounts
            )
            for position, (group, name, accounts) in enumerate(CHART)
        ],
    )
    chart = {
        (line.group, line.name): line.pk for line in ChartLine.objects.for_association(association)
    }
    _budget(
        officer,
        association,
        chart,
        datetime.date(2009, 9, 1),
        datetime.date(2009, 12, 31),
        datetime.date(2009, 9, 1),
        BUDGET_2009,
    )
    budget_2010 = _budget(
        officer,
        association,
        chart,
        datetime.date(2010, 1, 1),
        datetime.date(2010, 12, 31),
        datetime.date(2009, 11, 30),
        BUDGET_2010,
    )
    services.actuals_save(
        user=officer,
        budget=budget_2010,
        cells={
            ("line", chart[group, name], datetime.date(2010, month, 1)): Decimal(amount)
            for group, name, amounts in ACTUALS_2010
            for month, amount in enumerate(amounts, start=1)
            if amount
        },
    )
    services.ceilings_save(
        user=officer,
        association=association,
        ceilings=[
            services.CeilingChange(pk=None, contributions_up_to=level, percent=Decimal(percent))
            for level, percent in CEILINGS
        ],
    )
    # The verksamhetsplan for the latest year with a budget, on the upcoming board meeting.
    load_plan_demo()
