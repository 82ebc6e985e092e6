"""The budget's and the plan's services check what they take themselves (issue 13): a date or an
amount out of finsam.bounds' range, or a chart beyond CHART_MAX lines, is refused before
anything is written, whoever calls (the forms refuse the same input earlier, next to the field;
these call the services directly, as the demo, the generator or a shell would)."""

import datetime
from decimal import Decimal

import pytest

from applications.models import Meeting
from budget import plan_services, services
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
)
from budget.plan_models import Plan
from budget.services import CHART_MAX, BudgetError, CeilingChange, ChartLineChange, ImportRow
from finsam.bounds import OutOfBounds
from finsam.models import Member
from tests.factories import InitiativeFactory, justerat_plan_decision

pytestmark = pytest.mark.django_db

G = ChartLine.Group
TOO_MUCH = Decimal(10) ** 12  # kronor: beyond finsam.money.MAX_AMOUNT
YEAR_ONE = datetime.date(1, 6, 1)


def draft(association, officer, year=2027) -> Budget:
    return services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )


def chart_line(association, name="Samordnare") -> ChartLine:
    return ChartLine.objects.get(association=association, name=name)


def test_a_period_out_of_range_is_refused_and_no_budget_is_made(association, officer):
    with pytest.raises(OutOfBounds, match="Periodens första dag"):
        services.budget_create(
            user=officer,
            association=association,
            period_start=YEAR_ONE,
            period_end=datetime.date(1, 12, 31),
        )
    with pytest.raises(OutOfBounds, match="Ingående eget kapital: beloppet är för stort"):
        services.budget_create(
            user=officer,
            association=association,
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 12, 31),
            opening_equity=TOO_MUCH,
        )
    assert not Budget.objects.filter(association=association).exists()
    assert not ChartLine.objects.filter(association=association).exists()


def test_a_budget_line_out_of_range_is_refused_and_the_lines_stay(association, officer):
    version = draft(association, officer).versions.get()
    before = list(BudgetLine.objects.filter(version=version).values_list("line", "amount"))
    line, other = chart_line(association), chart_line(association, "Kontor")

    with pytest.raises(OutOfBounds, match="Budgetpost: beloppet är för stort"):
        services.version_lines_save(
            user=officer, version=version, amounts={other.pk: Decimal(5), line.pk: TOO_MUCH}
        )

    assert list(BudgetLine.objects.filter(version=version).values_list("line", "amount")) == before


def test_an_adoption_date_out_of_range_is_refused_and_the_version_stays_a_draft(
    association, officer
):
    version = draft(association, officer).versions.get()

    with pytest.raises(OutOfBounds, match="Fastställd den"):
        services.version_adopt(user=officer, version=version, adopted_on=datetime.date(9999, 1, 1))

    version.refresh_from_db()
    assert (version.state, version.adopted_on) == (BudgetVersion.State.DRAFT, None)


def test_a_contribution_out_of_range_is_refused(association, officer):
    version = draft(association, officer).versions.get()
    member = Member.objects.filter(association=association).first()

    with pytest.raises(OutOfBounds, match="Ägarbidrag: beloppet är för stort"):
        services.contributions_save(user=officer, version=version, overrides={member.pk: TOO_MUCH})

    assert not ContributionOverride.objects.filter(version=version).exists()


def test_actuals_out_of_range_are_refused_and_nothing_is_booked(association, officer):
    budget = draft(association, officer)
    line = chart_line(association)
    march, april = datetime.date(2027, 3, 1), datetime.date(2027, 4, 1)

    with pytest.raises(OutOfBounds, match="Utfall: beloppet är för stort"):
        services.actuals_save(
            user=officer,
            budget=budget,
            cells={("line", line.pk, march): Decimal(100), ("line", line.pk, april): -TOO_MUCH},
        )
    with pytest.raises(OutOfBounds, match="Utfallets månad"):
        services.actuals_save(
            user=officer, budget=budget, cells={("line", line.pk, YEAR_ONE): Decimal(100)}
        )

    assert not Actual.objects.filter(budget=budget).exists()


def test_a_ledger_import_that_would_put_a_cell_out_of_range_is_refused(association, officer):
    budget = draft(association, officer)
    initiative = InitiativeFactory(association=association)
    cell = ("initiative", initiative.pk, datetime.date(2027, 4, 1))
    # Each row within the range; together, on one cell, beyond it.
    half = Decimal(600_000_000)
    rows = [ImportRow(row=n, text="Insats", key=cell, amount=half) for n in (2, 3)]

    with pytest.raises(OutOfBounds, match="Utfall: beloppet är för stort"):
        services.actuals_import(
            user=officer, budget=budget, rows=rows, file_name="huvudbok.csv", sha256="a" * 64
        )

    assert not Actual.objects.filter(budget=budget).exists()
    assert not ActualImport.objects.filter(budget=budget).exists()


def test_a_forecast_out_of_range_is_refused(association, officer):
    budget = draft(association, officer)
    line = chart_line(association)

    with pytest.raises(OutOfBounds, match="Prognos: beloppet är för stort"):
        services.forecasts_save(user=officer, budget=budget, amounts={line.pk: TOO_MUCH})

    assert not Forecast.objects.filter(budget=budget).exists()


def test_a_ceiling_out_of_range_is_refused_and_the_guideline_stays(association, officer):
    with pytest.raises(OutOfBounds, match="Ägarbidrag upp till: beloppet är för stort"):
        services.ceilings_save(
            user=officer,
            association=association,
            ceilings=[CeilingChange(pk=None, contributions_up_to=TOO_MUCH, percent=Decimal(10))],
        )
    with pytest.raises(BudgetError, match=services.PERCENT_OUT_OF_RANGE):
        services.ceilings_save(
            user=officer,
            association=association,
            ceilings=[CeilingChange(pk=None, contributions_up_to=None, percent=Decimal(150))],
        )

    assert not EquityCeiling.objects.filter(association=association).exists()


def test_an_old_table_out_of_range_is_refused_and_no_budget_is_made(association, officer):
    lines = [LegacyLine(row=1, group=G.CONTRIBUTIONS, name="Ägarbidrag Kommun", amount=10**9)]

    with pytest.raises(OutOfBounds, match="Budgetpost: beloppet är för stort"):
        services.legacy_budget_import(
            user=officer,
            association=association,
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 12, 31),
            lines=lines,
        )

    assert not Budget.objects.filter(association=association).exists()
    assert not ChartLine.objects.filter(association=association).exists()


def test_a_plan_adopted_on_a_date_out_of_range_is_refused_and_stays_a_draft(association, officer):
    budget = draft(association, officer)
    plan = plan_services.plan_create(user=officer, association=association, first_year=2027)
    item = justerat_plan_decision(plan, officer)
    # A meeting date beyond the range (as a bad row read back from the database would be).
    Meeting.objects.filter(pk=item.meeting_id).update(
        starts_at=datetime.datetime(2101, 3, 1, 9, tzinfo=datetime.UTC)
    )
    item.meeting.refresh_from_db()

    with pytest.raises(OutOfBounds, match="Antagen den"):
        plan_services.plan_adopt(user=officer, plan=plan, agenda_item=item)

    plan.refresh_from_db()
    assert (plan.state, plan.adopted_on, plan.pdf.name or "") == (Plan.State.DRAFT, None, "")
    assert budget.versions.get().state == BudgetVersion.State.DRAFT


# The chart's cap: a förbund's kontoplan has tens of lines.


def fill_chart(association, count):
    ChartLine.objects.bulk_create(
        ChartLine(association=association, group=G.OPERATING, name=f"Post {n}", position=n)
        for n in range(count)
    )


def new_lines(count, start=0):
    return [
        ChartLineChange(pk=None, group=G.OPERATING, name=f"Ny post {n}", position=900 + n)
        for n in range(start, start + count)
    ]


def test_the_chart_takes_lines_up_to_its_cap_and_refuses_more(association, officer):
    fill_chart(association, CHART_MAX - 2)

    with pytest.raises(BudgetError, match=f"högst {CHART_MAX} poster och skulle få 301"):
        services.chart_save(user=officer, association=association, lines=new_lines(3))
    assert ChartLine.objects.filter(association=association).count() == CHART_MAX - 2

    services.chart_save(user=officer, association=association, lines=new_lines(2))
    assert ChartLine.objects.filter(association=association).count() == CHART_MAX


def test_a_chart_beyond_the_cap_may_still_shrink_and_change(association, officer):
    fill_chart(association, CHART_MAX + 5)
    first, second = ChartLine.objects.filter(association=association).order_by("position")[:2]

    services.chart_save(
        user=officer,
        association=association,
        lines=[
            ChartLineChange(pk=first.pk, delete=True),
            ChartLineChange(pk=second.pk, group=G.OPERATING, name="Omdöpt", position=1),
        ],
    )

    assert ChartLine.objects.filter(association=association).count() == CHART_MAX + 4
    with pytest.raises(BudgetError, match=f"högst {CHART_MAX} poster"):
        services.chart_save(user=officer, association=association, lines=new_lines(1))


def test_an_old_table_that_would_grow_the_chart_beyond_its_cap_writes_nothing(association, officer):
    fill_chart(association, CHART_MAX - 5)
    table = [
        LegacyLine(row=n, group=G.OPERATING, name=f"Tabellpost {n}", amount=Decimal(10))
        for n in range(6)
    ] + [LegacyLine(row=9, group=G.OPERATING, name="Post 1", amount=Decimal(5))]  # known

    with pytest.raises(BudgetError, match=f"högst {CHART_MAX} poster och skulle få 301"):
        services.legacy_budget_import(
            user=officer,
            association=association,
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 12, 31),
            lines=table,
        )

    assert ChartLine.objects.filter(association=association).count() == CHART_MAX - 5
    assert not Budget.objects.filter(association=association).exists()
    # Five new lines still fit.
    budget = services.legacy_budget_import(
        user=officer,
        association=association,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        lines=table[1:],
    )
    assert ChartLine.objects.filter(association=association).count() == CHART_MAX
    assert budget.versions.get().lines.count() == 6
