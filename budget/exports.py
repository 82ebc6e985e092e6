"""The auditors' report for a period, as xlsx and PDF.

In the workbook every sum is a real formula over the cells it sums (and the granted initiatives,
the equity chain and the ceilings refer to the cells they come from), so an auditor can follow
each figure in Excel or LibreOffice.
"""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.page import PageMargins

from budget.models import ChartLine
from budget.selectors import Contributions, Period
from finsam.downloads import render_pdf
from finsam.money import kronor_to_tkr

G = ChartLine.Group
# Thousands of kronor, grouped in the reader's locale (Swedish: 5 440), minus as a sign.
TKR_FORMAT = "#,##0;-#,##0"
PERCENT_FORMAT = "0.0"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_ROW = 4
SHEETS = ("Budget och utfall", "Insatser", "Eget kapital", "Ägarbidrag")


def version_text(period: Period) -> str:
    version = period.version
    text = f"Version {version.number}, {version.get_state_display().lower()}"
    if version.adopted_on:
        text += f" {version.adopted_on:%Y-%m-%d}"
    return text


def report_title(period: Period) -> str:
    return f"{period.budget.association.name} – Budget och utfall {period.budget.label}"


class SheetWriter:
    """Writes rows under a title and a header row, and keeps track of where each row went."""

    def __init__(self, sheet, period: Period, title: str, header: list[str]):
        self.sheet = sheet
        self.columns = len(header)
        sheet["A1"] = title
        sheet["A1"].font = Font(bold=True, size=12)
        sheet["A2"] = (
            f"{version_text(period)}. Utskriven {timezone.localdate():%Y-%m-%d}. Belopp i tkr."
        )
        for column, label in enumerate(header, start=1):
            cell = sheet.cell(row=HEADER_ROW, column=column, value=label)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER_FILL
        self.row = HEADER_ROW

    def write(self, label, *values, bold=False, formats=None):
        self.row += 1
        self.sheet.cell(row=self.row, column=1, value=label).font = Font(bold=bold)
        for column, value in enumerate(values, start=2):
            cell = self.sheet.cell(row=self.row, column=column, value=value)
            cell.number_format = (formats or {}).get(column, TKR_FORMAT)
            cell.font = Font(bold=bold)
            cell.alignment = Alignment(horizontal="right")
        return self.row

    def finish(self, association_name: str, widths=(46,)):
        sheet = self.sheet
        sheet.column_dimensions["A"].width = widths[0]
        for index in range(2, self.columns + 1):
            sheet.column_dimensions[chr(64 + index)].width = 14
        sheet.freeze_panes = f"B{HEADER_ROW + 1}"
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "portrait"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8)
        sheet.oddHeader.center.text = association_name
        sheet.oddFooter.right.text = "Sida &P av &N"


def _sum(column: str, first: int, last: int) -> str | int:
    return f"SUM({column}{first}:{column}{last})" if last >= first else "0"


def _budget_sheet(sheet, period: Period, initiatives_total_row: int) -> None:
    """Post | Budget | Utfall | Avvikelse | Prognos; avvikelse = utfall − budget as a formula."""
    w = SheetWriter(
        sheet, period, report_title(period), ["Post", "Budget", "Utfall", "Avvikelse", "Prognos"]
    )

    def line(label, row):
        r = w.row + 1
        return w.write(
            label,
            kronor_to_tkr(row.budget),
            kronor_to_tkr(row.actual),
            f"=C{r}-B{r}",
            kronor_to_tkr(row.forecast),
        )

    def block(groups, prefix=""):
        first = w.row + 1
        for group in groups:
            for row in period.rows.get(group, []):
                line(f"{group.label}: {row.line.name}" if prefix else row.line.name, row)
        return first

    def sums(label, first, last=None):
        last = w.row if last is None else last
        return w.write(label, *(f"={_sum(c, first, last)}" for c in "BCDE"), bold=True)

    income_first = block([G.CONTRIBUTIONS, G.OTHER_INCOME])
    carry = kronor_to_tkr(period.carry_over.amount)
    r = w.row + 1
    w.write("Överfört från föregående år", carry, carry, f"=C{r}-B{r}", carry)
    income = sums("Summa intäkter", income_first)
    costs_first = block([G.OPERATING])
    costs = sums("Summa verksamhetens kostnader", costs_first)
    # Financial costs are shown as the page shows them (positive) and subtracted in the sum.
    interest_first = block([G.FINANCIAL_INCOME], prefix="yes")
    interest_last = w.row
    cost_first = block([G.FINANCIAL_COST], prefix="yes")
    financial = w.write(
        "Summa finansiella poster",
        *(
            f"={_sum(c, interest_first, interest_last)}-{_sum(c, cost_first, w.row)}"
            for c in "BCDE"
        ),
        bold=True,
    )
    means = w.write(
        "Medel för insatser att fördela",
        *(f"={c}{income}-{c}{costs}+{c}{financial}" for c in "BCDE"),
        bold=True,
    )
    ref = f"'{SHEETS[1]}'!"
    granted = w.write(
        "Beviljade insatser (bladet Insatser)",
        f"={ref}B{initiatives_total_row}",
        f"={ref}C{initiatives_total_row}",
        f"={ref}D{initiatives_total_row}",
        f"={ref}B{initiatives_total_row}",
    )
    # What the granted (budgeted) initiatives leave of each column's means.
    r = w.row + 1
    w.write(
        "Ej fördelade medel",
        f"=B{means}-$B${granted}",
        f"=C{means}-$B${granted}",
        f"=C{r}-B{r}",
        f"=E{means}-$B${granted}",
    )
    w.write("Periodens resultat", *(f"={c}{means}-{c}{granted}" for c in "BCDE"), bold=True)
    w.finish(period.budget.association.name)


def _initiatives_sheet(sheet, period: Period) -> int:
    w = SheetWriter(
        sheet,
        period,
        f"{period.budget.association.name} – Insatser {period.budget.label}",
        ["Insats", "Beviljat", "Utfall", "Avvikelse"],
    )
    first = w.row + 1
    for row in period.initiatives:
        r = w.row + 1
        w.write(row.name, kronor_to_tkr(row.budget), kronor_to_tkr(row.actual), f"=C{r}-B{r}")
    total = w.write("Summa insatser", *(f"={_sum(c, first, w.row)}" for c in "BCD"), bold=True)
    w.finish(period.budget.association.name, widths=(52,))
    return total


def _equity_sheet(sheet, period: Period, chain: list[Period]) -> None:
    """Each period up to this one: the opening equity is the previous period's closing (a
    formula), the closing is opening + the year's result, the ceiling is the guideline's share of
    the year's contributions."""
    w = SheetWriter(
        sheet,
        period,
        f"{period.budget.association.name} – Eget kapital till och med {period.budget.label}",
        ["Period", "Ingående", "Årets resultat", "Utgående", "Ägarbidrag", "Tak (%)", "Tak"],
    )
    previous_row = None
    for item in chain:
        equity = item.equity
        r = w.row + 1
        opening = f"=D{previous_row}" if previous_row else kronor_to_tkr(equity.opening)
        percent = float(equity.ceiling_percent) if equity.ceiling_percent is not None else None
        w.write(
            f"{item.budget.label} ({equity.basis})",
            opening,
            kronor_to_tkr(equity.year_result),
            f"=B{r}+C{r}",
            kronor_to_tkr(equity.contributions),
            percent,
            f"=E{r}*F{r}/100" if percent is not None else None,
            formats={6: PERCENT_FORMAT},
        )
        previous_row = r
    w.finish(period.budget.association.name, widths=(40,))


def _contributions_sheet(sheet, period: Period, contributions: Contributions) -> None:
    w = SheetWriter(
        sheet,
        period,
        f"{period.budget.association.name} – Ägarbidrag {period.budget.label}",
        ["Medlem", "Enligt § 5", "Ändrat", "Ägarbidrag"],
    )
    first = w.row + 1
    for row in contributions.rows:
        split = kronor_to_tkr(row.split) if row.split is not None else None
        override = kronor_to_tkr(row.override) if row.override is not None else None
        r = w.row + 1
        w.write(row.member.name, split, override, f"=IF(ISBLANK(C{r}),B{r},C{r})")
    total = w.write("Summa medlemmarnas ägarbidrag", f"={_sum('D', first, w.row)}", bold=True)
    budgeted = w.write("Ägarbidrag i budgeten", kronor_to_tkr(contributions.total))
    w.write("Skillnad", f"=B{budgeted}-B{total}", bold=True)
    w.finish(period.budget.association.name, widths=(40,))


def report_xlsx(period: Period, chain: list[Period], contributions: Contributions) -> bytes:
    """A sheet per part: budget and actuals, initiatives, equity, contributions."""
    workbook = Workbook()
    budget_sheet = workbook.active
    budget_sheet.title = SHEETS[0]
    initiatives_total = _initiatives_sheet(workbook.create_sheet(SHEETS[1]), period)
    _budget_sheet(budget_sheet, period, initiatives_total)
    _equity_sheet(workbook.create_sheet(SHEETS[2]), period, chain)
    _contributions_sheet(workbook.create_sheet(SHEETS[3]), period, contributions)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(period: Period, chain: list[Period], contributions: Contributions) -> bytes:
    return render_pdf(
        "budget/report_pdf.html",
        {
            "period": period,
            "chain": chain,
            "contributions": contributions,
            "version_text": version_text(period),
            "title": report_title(period),
            "printed": timezone.localdate(),
        },
    )


def report_filename(period: Period, extension: str) -> str:
    budget = period.budget
    return f"budget-och-utfall-{budget.period_start:%Y-%m}-v{period.version.number}.{extension}"
