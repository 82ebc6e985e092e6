"""Seed 004's budgets for Landskrona-Svalöv: 2009 (September–December) and 2010, adopted.
2010's carry-over is computed from 2009's result (4 982 tkr), as the seed's "Övriga intäkter".
The chart maps ledger accounts to the seed's lines; 2010 has actuals for January–June.

From 2011 the history is generated, so that it runs unbroken to next year and carry-over and
eget kapital are right in every year: each past year adopted the November before and closed with
monthly actuals; this year adopted (by the board's decision on its verksamhetsplan, see
budget/plan_demo.py) with actuals up to last month; next year a draft that carries this year
over and holds what the demo's decisions granted for it. The amounts are deterministic (a seeded
random generator), so every run builds the same history.

Everything goes through the budget's services, as an officer's work would, except the monthly
actuals of the generated years: a service call per cell would write some 2 500 rows one by one,
so they are bulk-created with their history rows (bulk_create_with_history, as an import of a
ledger file would record them)."""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications.models import InitiativeGrant
from budget import selectors, services
from budget.models import Actual, Budget, ChartLine, EquityCeiling
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


# The generated years' lines: (group, name, tkr in 2011, yearly growth), the förbund's own costs
# after seed 004's 2010.
GENERATED = [
    (G.CONTRIBUTIONS, "Verksamhetens ägarbidrag", 5000, "0.02"),
    (G.OPERATING, "Styrelse och revisorer", 240, "0.025"),
    (G.OPERATING, "Samordnare", 540, "0.03"),
    (G.OPERATING, "Konsulter", 60, "0.02"),
    (G.OPERATING, "Marknadsföring", 70, "0.01"),
    (G.OPERATING, "Utvärdering", 120, "0.03"),
    (G.OPERATING, "Kontor", 45, "0.03"),
    (G.OPERATING, "Utbildning och resor", 180, "0.02"),
    (G.FINANCIAL_INCOME, "Ränta", 14, "0"),
]
FIRST_GENERATED = 2011
# Insatser granted before the förbund kept its decisions in Finsam are budgeted and booked on
# seed 2009's line "Åtgärder". Its amount leaves the year's budgeted result at about 12 % of the
# contributions (under the guideline's 20 %), drawing down at most 2 mkr a year of the eget
# kapital that 2009 and 2010 left (8,8 mkr: the early years are over the guideline, as they were).
MEASURES = (G.OPERATING, "Åtgärder")
RESULT_SHARE = Decimal("0.12")
DRAW_DOWN = Decimal(2_000_000)
ONE = Decimal(1)


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


def _seed_budgets(officer, association, chart) -> None:
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


def _tkr(amount: Decimal) -> Decimal:
    """Kronor rounded to whole tkr, as an officer types a budget line."""
    return (amount / 1000).quantize(ONE, ROUND_HALF_UP) * 1000


def _lines(year: int) -> dict[tuple[str, str], Decimal]:
    """The year's lines in kronor (without Åtgärder), grown from 2011's."""
    return {
        (group, name): _tkr(tkr_to_kronor(Decimal(tkr)) * (1 + Decimal(rate)) ** (year - 2011))
        for group, name, tkr, rate in GENERATED
    }


def _granted(association, year: int) -> Decimal:
    """What justerade decisions granted insatser for the year (the demo's: next year's)."""
    grants = InitiativeGrant.objects.filter(initiative__association=association, year=year)
    return sum(grants.values_list("amount", flat=True), Decimal(0))


def _with_measures(lines, opening: Decimal, granted: Decimal) -> dict:
    """The lines with Åtgärder set so that the budgeted result is the year's target."""
    contributions = lines[G.CONTRIBUTIONS, "Verksamhetens ägarbidrag"]
    costs = sum((a for (group, _n), a in lines.items() if group == G.OPERATING), Decimal(0))
    financial = lines[G.FINANCIAL_INCOME, "Ränta"]
    target = max(contributions * RESULT_SHARE, opening - DRAW_DOWN)
    measures = _tkr(contributions + opening + financial - costs - granted - target)
    return {**lines, MEASURES: max(measures, Decimal(0))}


def _monthly(rng: random.Random, group: str, budgeted: Decimal, months: int) -> list[Decimal]:
    """The year's actuals of a line, month by month in whole kronor: the ägarbidrag as budgeted,
    paid quarterly; the costs a little under or over their budget, booked every month."""
    if group == G.CONTRIBUTIONS:
        quarter = (budgeted / 4).quantize(ONE)
        amounts = [quarter if month % 3 == 0 else Decimal(0) for month in range(12)]
        amounts[9] += budgeted - 4 * quarter
        return amounts[:months]
    if group == G.FINANCIAL_INCOME:
        factor = Decimal(rng.randint(60, 140)) / 100
    elif (group, "Åtgärder") == MEASURES:
        factor = Decimal(rng.randint(93, 99)) / 100
    else:
        factor = Decimal(rng.randint(90, 105)) / 100
    total = (budgeted * factor).quantize(ONE)
    weights = [Decimal(rng.randint(80, 120)) for _month in range(12)]
    amounts = [(total * weight / sum(weights)).quantize(ONE) for weight in weights]
    amounts[-1] += total - sum(amounts)
    return amounts[:months]


def _history(officer, association, chart) -> None:
    """2011 up to next year: past years adopted and closed with their actuals, this year with
    actuals up to last month and its version left for the board's decision on the plan, next
    year a draft (see the module's docstring)."""
    today = timezone.localdate()
    last = today.year + 1
    periods = selectors.periods_for(association)
    opening = list(periods.values())[-1].equity.closing  # what 2010 leaves, on its basis
    groups = {pk: group for (group, _name), pk in chart.items()}
    actuals = []
    for year in range(FIRST_GENERATED, last + 1):
        lines = _with_measures(_lines(year), opening, _granted(association, year))
        budget = services.budget_create(
            user=officer,
            association=association,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            empty=True,
        )
        version = budget.versions.get()
        services.version_lines_save(
            user=officer,
            version=version,
            amounts={chart[key]: amount for key, amount in lines.items()},
        )
        if year >= today.year:
            # This year is adopted with its verksamhetsplan; next year is a draft. Both carry
            # over the budgeted result of the year before (an open period's basis).
            opening += sum(_signed(key, amount) for key, amount in lines.items())
            opening -= _granted(association, year)
            if year == today.year:
                actuals += _actuals(budget, chart, lines, today.month - 1)
            continue
        services.version_adopt(
            user=officer, version=version, adopted_on=datetime.date(year - 1, 11, 30)
        )
        booked = _actuals(budget, chart, lines, 12)
        actuals += booked
        # Closed: the next year carries over this year's result from its actuals.
        opening += sum(_signed((groups[a.line_id], ""), a.amount) for a in booked)
    bulk_create_with_history(actuals, Actual, default_user=officer)
    for budget in Budget.objects.for_association(association).filter(
        period_start__year__gte=FIRST_GENERATED, period_end__lt=datetime.date(today.year, 1, 1)
    ):
        services.period_close(user=officer, budget=budget)


def _actuals(budget, chart, lines, months: int) -> list[Actual]:
    rng = random.Random(budget.year)  # the same history every run
    return [
        Actual(budget=budget, line_id=chart[key], month=datetime.date(budget.year, m, 1), amount=a)
        for key, budgeted in lines.items()
        for m, a in enumerate(_monthly(rng, key[0], budgeted, months), start=1)
        if a
    ]


def _signed(key, amount: Decimal) -> Decimal:
    """A line's part of the result: income and interest count up, costs down."""
    return -amount if key[0] in (G.OPERATING, G.FINANCIAL_COST) else amount


def load_demo() -> None:
    """The chart, seed 004's budgets, the guideline for eget kapital and the generated history,
    each once (a förbund that has them keeps them). The verksamhetsplaner come with the
    follow-up's demo (budget.plan_demo.load_plans), as the adopted plan lists the insatser
    running in its year and the follow-up registers three of them."""
    association = Association.objects.get(org_number="222000-2733")
    officer = User.objects.get(email="kansli@example.org")
    if not ChartLine.objects.for_association(association).exists():
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
    budgets = Budget.objects.for_association(association)
    if not budgets.exists():
        _seed_budgets(officer, association, chart)
    if not EquityCeiling.objects.for_association(association).exists():
        services.ceilings_save(
            user=officer,
            association=association,
            ceilings=[
                services.CeilingChange(pk=None, contributions_up_to=level, percent=Decimal(percent))
                for level, percent in CEILINGS
            ],
        )
    # Tests that build their own later periods on seed 004's two years turn the generated
    # history off (settings.FINSAM_DEMO_HISTORY = False); `manage.py demo` always has it.
    history = getattr(settings, "FINSAM_DEMO_HISTORY", True)
    if history and not budgets.filter(period_start__year__gte=FIRST_GENERATED).exists():
        _history(officer, association, chart)
