"""The auditors' workbook, opened by LibreOffice: its formulas must compute the app's figures."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
import xlsxwriter
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
    # The years between, empty and closed, so that 2010's actual result carries over the chain
    # (a period carries over only from the one that ends the day before it).
    for between in range(2011, year):
        services.period_close(
            user=officer,
            budget=services.budget_create(
                user=officer,
                association=association,
                period_start=datetime.date(between, 1, 1),
                period_end=datetime.date(between, 12, 31),
                empty=True,
            ),
        )
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


def rows_of(sheet) -> dict[str, list[Decimal | None]]:
    """A sheet's rows with a number, as computed_by_libreoffice gives them: label → the row's
    numbers in tkr (None where a cell is empty)."""
    values = {}
    for row in sheet.iter_rows(values_only=True):
        numbers = [
            Decimal(repr(cell)).quantize(ORE_IN_TKR) if isinstance(cell, int | float) else None
            for cell in row[1:]
        ]
        if any(n is not None for n in numbers):
            values[row[0]] = numbers
    return values


def stored_values(content: bytes) -> dict[str, dict[str, list[Decimal | None]]]:
    """What a program that does not recompute shows: the values stored with the formulas."""
    workbook = load_workbook(BytesIO(content), data_only=True)
    return {sheet.title: rows_of(sheet) for sheet in workbook}


def without_trailing_blanks(sheets):
    def trimmed(numbers):
        while numbers and numbers[-1] is None:
            numbers = numbers[:-1]
        return numbers

    return {
        name: {label: trimmed(numbers) for label, numbers in rows.items()}
        for name, rows in sheets.items()
    }


def assert_the_apps_figures(sheets, period, chain, contributions):
    """Every derived row of every sheet holds the app's figure (on the page and in the PDF)."""
    lines = sheets[SHEETS[0]]
    for label, attribute in [
        ("Överfört från föregående år", "carried_over"),
        ("Summa intäkter inkl. överfört", "income"),
        ("Summa verksamhetens kostnader", "operating_costs"),
        ("Summa finansiella poster", "financial_net"),
        ("Medel för insatser att fördela", "means_to_distribute"),
        ("Summa insatser", "initiatives_total"),
        ("Resultat inkl. överfört från föregående år", "result_with_carry_over"),
        ("Årets resultat", "year_result"),
    ]:
        budgeted = getattr(period.budgeted, attribute)
        actual = getattr(period.actual, attribute)
        forecast = getattr(period.forecast, attribute)
        assert lines[label] == [tkr(budgeted), tkr(actual), tkr(actual - budgeted), tkr(forecast)]
    assert lines["Kontor"][2] == tkr(Decimal("3412.40") - 39_000)  # avvikelse per line

    initiatives = sheets[SHEETS[1]]["Summa insatser"]
    assert initiatives == [
        tkr(period.budgeted.initiatives_total),
        tkr(period.actual.initiatives_total),
        tkr(period.actual.initiatives_total - period.budgeted.initiatives_total),
    ]

    equity = sheets[SHEETS[2]]
    for item in chain:
        row = equity[f"{item.budget.label} ({item.equity.basis})"]
        assert row[:4] == [
            tkr(item.equity.opening),
            tkr(item.equity.closing),
            tkr(item.equity.year_result),
            tkr(item.equity.closing),
        ]
        assert row[6] == tkr(item.equity.ceiling)
    # The equity table's Årets resultat is the budget sheet's, in the column it is taken from.
    basis = 1 if period.closed else 0
    current = equity[f"{period.budget.label} ({period.equity.basis})"]
    assert current[2] == lines["Årets resultat"][basis]
    assert current[3] == lines["Resultat inkl. överfört från föregående år"][basis]

    shares = sheets[SHEETS[3]]
    assert shares["Summa medlemmarnas ägarbidrag"][0] == tkr(contributions.shares_total)
    assert shares["Skillnad"][0] == tkr(contributions.difference)


def report(client, association, budget):
    response = client.get(reverse("budget:report_xlsx", args=[budget.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="budget-och-utfall-')
    period, chain = period_with_chain(association, budget)
    return response.getvalue(), period, chain, contributions_for(period)


@pytest.mark.django_db
def test_libreoffice_computes_the_same_figures_as_the_app(granted_year, login, tmp_path):
    association, budget = granted_year
    client = login(RoleFactory(association=association, kind="auditor").user)

    content, period, chain, contributions = report(client, association, budget)

    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == list(SHEETS)
    for sheet in workbook:
        assert sheet.freeze_panes == "B5"
        assert sheet.print_title_rows == "$4:$4"
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth or 1) == 1  # 1 page wide, the default when left out
        assert sheet.page_setup.fitToHeight == 0
        header = sheet["A4"]
        assert header.font.b and header.fill.fgColor.rgb.endswith("1F4E79")
        assert sheet.column_dimensions["B"].width >= 14
    main = workbook[SHEETS[0]]
    assert main.column_dimensions["A"].width >= 46
    by_label = {row[0].value: row for row in main.iter_rows() if row[0].value}
    income_row = by_label["Summa intäkter inkl. överfört"]
    assert income_row[1].value.startswith("=SUM(B")  # a real formula over the cells it sums
    assert income_row[1].number_format == "#,##0;-#,##0"
    # The carry-over is the equity sheet's opening, and Årets resultat subtracts it.
    carry_over = by_label["Överfört från föregående år"]
    assert carry_over[1].value.startswith(f"='{SHEETS[2]}'!B")
    assert by_label["Årets resultat"][1].value == (
        f"=B{by_label['Resultat inkl. överfört från föregående år'][1].row}-B{carry_over[1].row}"
    )
    # Under the table, what each derived row is.
    assert "Så räknas raderna (likadant i varje kolumn):" in by_label
    assert any(label.startswith("Årets resultat = resultat inkl. överfört") for label in by_label)
    equity = workbook[SHEETS[2]]
    year_results = [row[3].value for row in equity.iter_rows(min_row=5) if row[3].value]
    assert year_results and all(value.startswith("=C") for value in year_results)

    computed = computed_by_libreoffice(content, tmp_path)

    assert_the_apps_figures(computed, period, chain, contributions)
    assert period.carry_over.from_actuals  # 2010 is closed: its actual result carries over
    assert contributions.difference == -(300_000 - 295_864)


@pytest.mark.django_db
def test_the_workbook_stores_each_formulas_value_for_programs_that_do_not_recompute(
    granted_year, login, tmp_path
):
    """A preview (an e-mail client, a phone) shows the values stored with the formulas: they
    are the app's figures, and what LibreOffice computes. Here the period is closed, so that its
    equity is taken from the actuals column."""
    association, budget = granted_year
    services.period_close(user=User.objects.get(email="kansli@example.org"), budget=budget)
    client = login(RoleFactory(association=association, kind="auditor").user)

    content, period, chain, contributions = report(client, association, budget)
    stored = stored_values(content)

    assert period.closed and period.equity.basis == "utfall"
    assert_the_apps_figures(stored, period, chain, contributions)
    formulas = load_workbook(BytesIO(content))
    for sheet in formulas:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    value = stored[sheet.title][sheet.cell(cell.row, 1).value][cell.column - 2]
                    assert value is not None, f"{sheet.title}!{cell.coordinate} has no value"
    computed = computed_by_libreoffice(content, tmp_path)
    assert without_trailing_blanks(stored) == without_trailing_blanks(computed)


@pytest.mark.django_db
def test_the_workbook_is_the_same_bytes_for_the_same_figures(granted_year, login):
    association, budget = granted_year
    client = login(RoleFactory(association=association, kind="auditor").user)

    first = report(client, association, budget)[0]
    second = report(client, association, budget)[0]

    assert first == second


def test_libreoffice_recomputes_rather_than_reading_the_stored_values(tmp_path):
    """Else the test above that compares with LibreOffice would compare the stored values with
    themselves."""
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Blad")
    sheet.write_string(0, 0, "Summa")
    sheet.write_number(0, 1, 1)
    sheet.write_formula(0, 2, "=B1+1", None, 5)  # a wrong stored value
    workbook.close()

    assert computed_by_libreoffice(buffer.getvalue(), tmp_path)["Blad"]["Summa"] == [1, 2]
    assert stored_values(buffer.getvalue())["Blad"]["Summa"] == [1, 5]
