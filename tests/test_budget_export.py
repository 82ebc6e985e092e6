"""The auditors' workbook, opened by LibreOffice: its formulas must compute the app's figures."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import Initiative
from budget import services
from budget.exports import SHEETS
from budget.models import Budget, ChartLine
from budget.selectors import contributions_for, period_with_chain
from finsam.models import User
from tests.factories import RoleFactory
from tests.helpers import computed_by_libreoffice, tkr

ORE_IN_TKR = Decimal("0.00001")


@pytest.fixture
def granted_year(seed):
    """The demo förbund with a budget for the year its demo initiative was granted, with actuals
    on lines and on the initiative, a forecast and a contribution override; 2010 closed."""
    association = seed
    officer = User.objects.get(email="kansli@example.org")
    initiative = Initiative.objects.filter(association=association, grants__isnull=False).first()
    year = initiative.grants.order_by("year").first().year
    services.period_close(user=officer, budget=Budget.objects.get(period_start__year=2010))
    budget = services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        copy_from=Budget.objects.get(period_start__year=2010),
    )
    office = ChartLine.objects.get(association=association, name="Kontor")
    interest = ChartLine.objects.get(association=association, name="Ränta", group="financial_cost")
    services.version_lines_save(
        user=officer, version=budget.versions.get(), amounts={interest.pk: Decimal(2500)}
    )
    services.actuals_save(
        user=officer,
        budget=budget,
        cells={
            ("line", office.pk, datetime.date(year, 2, 1)): Decimal("3412.40"),
            ("line", interest.pk, datetime.date(year, 3, 1)): Decimal(800),
            ("initiative", initiative.pk, datetime.date(year, 3, 1)): Decimal(125_000),
        },
    )
    services.forecasts_save(user=officer, budget=budget, amounts={office.pk: Decimal(41_000)})
    member = association.members.get(name="Svalövs kommun")
    services.contributions_save(
        user=officer, version=budget.versions.get(), overrides={member.pk: Decimal(300_000)}
    )
    return association, budget


@pytest.mark.django_db
def test_libreoffice_computes_the_same_figures_as_the_app(granted_year, login, tmp_path):
    association, budget = granted_year
    client = login(RoleFactory(association=association, kind="auditor").user)

    response = client.get(reverse("budget:report_xlsx", args=[budget.pk]))

    assert response["Content-Disposition"].startswith('attachment; filename="budget-och-utfall-')
    content = response.getvalue()
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == list(SHEETS)
    for sheet in workbook:
        assert sheet.freeze_panes == "B5"
        assert sheet.print_title_rows == "$4:$4"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.fitToWidth == 1
    main = workbook[SHEETS[0]]
    income_row = next(row for row in main.iter_rows() if row[0].value == "Summa intäkter")
    assert income_row[1].value.startswith("=SUM(B")  # a real formula over the cells it sums
    assert income_row[1].number_format == "#,##0;-#,##0"

    period, chain = period_with_chain(association, budget)
    contributions = contributions_for(period)
    computed = computed_by_libreoffice(content, tmp_path)

    lines = computed[SHEETS[0]]
    for label, attribute in [
        ("Summa intäkter", "income"),
        ("Summa verksamhetens kostnader", "operating_costs"),
        ("Summa finansiella poster", "financial_net"),
        ("Medel för insatser att fördela", "means_to_distribute"),
        ("Beviljade insatser (bladet Insatser)", "granted"),
        ("Ej fördelade medel", "unallocated"),
        ("Periodens resultat", "result"),
    ]:
        budgeted = getattr(period.budgeted, attribute)
        actual = getattr(period.actual, attribute)
        forecast = getattr(period.forecast, attribute)
        assert lines[label] == [tkr(budgeted), tkr(actual), tkr(actual - budgeted), tkr(forecast)]
    assert lines["Kontor"][2] == tkr(Decimal("3412.40") - 39_000)  # avvikelse per line
    assert lines["Överfört från föregående år"][0] == tkr(period.carry_over.amount)
    assert period.carry_over.from_actuals  # 2010 is closed: its actual result carries over

    initiatives = computed[SHEETS[1]]["Summa insatser"]
    assert initiatives == [
        tkr(period.budgeted.granted),
        tkr(period.actual.granted),
        tkr(period.actual.granted - period.budgeted.granted),
    ]

    equity = computed[SHEETS[2]]
    for item in chain:
        row = equity[f"{item.budget.label} ({item.equity.basis})"]
        assert row[0] == tkr(item.equity.opening)
        assert row[2] == tkr(item.equity.closing)
        assert row[5] == tkr(item.equity.ceiling)

    shares = computed[SHEETS[3]]
    assert shares["Summa medlemmarnas ägarbidrag"][0] == tkr(contributions.shares_total)
    assert shares["Skillnad"][0] == tkr(contributions.difference)
    assert contributions.difference == -(300_000 - 295_864)
