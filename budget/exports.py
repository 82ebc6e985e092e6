"""The budget for auditors as xlsx: every sum is a real formula over the cells it sums, so an
auditor can follow it in Excel or LibreOffice."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.page import PageMargins

from budget.models import BudgetLine
from budget.selectors import BudgetFigures

G = BudgetLine.Group
# Thousands of kronor, grouped in the reader's locale (Swedish: 5 440), minus as a sign.
TKR_FORMAT = "#,##0;-#,##0"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def _write_period(sheet, figures: BudgetFigures) -> None:
    budget = figures.version.budget
    sheet["A1"] = f"{budget.association.name} – Budget {budget.label}"
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A2"] = (
        f"Version {figures.version.number}, {figures.version.get_status_display().lower()}"
        + (f" {figures.version.adopted_on:%Y-%m-%d}" if figures.version.adopted_on else "")
        + ". Belopp i tkr."
    )
    sheet.append([])
    sheet.append(["Post", "tkr"])
    for cell in sheet[4]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
    row = 4

    def line(label, kronor, bold=False):
        nonlocal row
        row += 1
        sheet.cell(row=row, column=1, value=label).font = Font(bold=bold)
        cell = sheet.cell(row=row, column=2, value=kronor)
        cell.number_format = TKR_FORMAT
        cell.font = Font(bold=bold)
        return row

    def tkr(amount):
        return float(amount / 1000)

    prefixes = {
        G.FINANCIAL_INCOME: "Finansiella intäkter: ",
        G.FINANCIAL_COST: "Finansiella kostnader: ",
    }

    def block(groups):
        """The groups' lines; returns the first row, so a sum can span them. Costs among the
        financial items are written negative, so one SUM nets them."""
        first = row + 1
        for group in groups:
            for item in figures.lines.get(group, []):
                amount = -item.amount if group == G.FINANCIAL_COST else item.amount
                line(prefixes.get(group, "") + item.name, tkr(amount))
        return first

    income_first = block([G.CONTRIBUTIONS, G.OTHER_INCOME])
    line("Överfört från föregående år", tkr(figures.carry_over.amount))
    income_total = line("Summa intäkter", f"=SUM(B{income_first}:B{row})", bold=True)
    costs_first = block([G.OPERATING])
    costs_total = line(
        "Summa verksamhetens kostnader",
        f"=SUM(B{costs_first}:B{row})" if row >= costs_first else 0,
        bold=True,
    )
    financial_first = block([G.FINANCIAL_INCOME, G.FINANCIAL_COST])
    financial = f"+SUM(B{financial_first}:B{row})" if row >= financial_first else ""
    means = line(
        "Medel för insatser att fördela", f"=B{income_total}-B{costs_total}{financial}", bold=True
    )
    grants_first = row + 1
    for name, amount in figures.grants:
        line(f"Beviljad insats: {name}", tkr(amount))
    granted = f"-SUM(B{grants_first}:B{row})" if row >= grants_first else ""
    line("Periodens resultat", f"=B{means}{granted}", bold=True)

    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 14
    for cells in sheet.iter_rows(min_row=5, min_col=2, max_col=2):
        cells[0].alignment = Alignment(horizontal="right")
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    sheet.oddHeader.center.text = budget.association.name
    sheet.oddFooter.right.text = "Sida &P av &N"


def sheet_title(budget) -> str:
    """'Budget 2010', or for a part year its first month: 'Budget 2009-09'."""
    return f"Budget {budget.period_start:%Y-%m}" if budget.is_part_year else f"Budget {budget.year}"


def budget_xlsx(periods: list[BudgetFigures]) -> bytes:
    """A sheet per budget period, newest first."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for figures in periods:
        _write_period(workbook.create_sheet(sheet_title(figures.version.budget)), figures)
    if not periods:
        workbook.create_sheet("Budget")["A1"] = "Inga budgetar."
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
