"""The auditors' report for a period, as xlsx and PDF.

In the workbook every sum is a real formula over the cells it sums (and the initiatives, the
carry-over, the results, the equity chain and the ceilings refer to the cells they come from), so
an auditor can follow each figure in Excel or LibreOffice. Each formula is stored with its
computed value, the app's own figure: a preview (an e-mail client, a phone) or a program that
does not recompute shows the figures too. XlsxWriter writes the workbook because openpyxl can
store a formula only without its value; openpyxl is kept for reading workbooks.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from xlsxwriter import Workbook

from budget.models import ChartLine
from budget.selectors import (
    INCOME,
    INITIATIVES,
    MEANS,
    RESULT_WITH_CARRY_OVER,
    YEAR_RESULT,
    Contributions,
    Period,
)
from finsam.downloads import render_pdf
from finsam.money import kronor_to_tkr
from finsam.spreadsheets import WORKBOOK_OPTIONS, sheet_text

G = ChartLine.Group
# Thousands of kronor, grouped in the reader's locale (Swedish: 5 440), minus as a sign.
TKR_FORMAT = "#,##0;-#,##0"
PERCENT_FORMAT = "0.0"
HEADER_COLOUR = "#1F4E79"
HEADER_ROW = 4  # as Excel numbers rows
SHEETS = ("Budget och utfall", "Insatser", "Eget kapital", "Ägarbidrag")
NOTES_HEADING = "Så räknas raderna (likadant i varje kolumn):"
COLUMN_WIDTH = 14
CHARACTERS_PER_WIDTH = 1.1  # how much text fits in a column of width 1, at the default font
LINE_HEIGHT = 15  # points


@dataclass(frozen=True)
class Formula:
    """A formula (without the leading =) and the figure it computes, in tkr."""

    text: str
    value: Decimal | None

    def __str__(self) -> str:
        return f"={self.text}"


def tkr(kronor: Decimal | None) -> Decimal | None:
    return None if kronor is None else kronor_to_tkr(kronor)


def version_text(period: Period) -> str:
    version = period.version
    text = f"Version {version.number}, {version.get_state_display().lower()}"
    if version.adopted_on:
        text += f" {version.adopted_on:%Y-%m-%d}"
    return text


def report_title(period: Period) -> str:
    return f"{period.budget.association.name} – Budget och utfall {period.budget.label}"


class Formats:
    """The workbook's cell formats, made once each (XlsxWriter keeps every one it is given)."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.made = {}
        self.title = workbook.add_format({"bold": True, "font_size": 12})
        self.header = workbook.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": HEADER_COLOUR,
                "pattern": 1,
                "text_wrap": True,
                "valign": "bottom",
            }
        )
        self.bold = workbook.add_format({"bold": True})
        self.note = workbook.add_format({"text_wrap": True, "valign": "top"})

    def number(self, number_format: str, bold: bool):
        key = (number_format, bold)
        if key not in self.made:
            self.made[key] = self.workbook.add_format(
                {"num_format": number_format, "align": "right", "bold": bold}
            )
        return self.made[key]


class SheetWriter:
    """Writes rows under a title and a header row, and keeps track of where each row went (rows
    are numbered as Excel numbers them, from 1)."""

    def __init__(
        self, sheet, formats: Formats, period: Period, title: str, header: list[str], first=46
    ):
        self.sheet = sheet
        self.formats = formats
        self.columns = len(header)
        self.first_width = first  # column A's, for the labels; the others are COLUMN_WIDTH
        sheet.write_string(0, 0, sheet_text(title), formats.title)
        sheet.write_string(
            1,
            0,
            f"{version_text(period)}. Utskriven {timezone.localdate():%Y-%m-%d}. Belopp i tkr.",
        )
        for column, label in enumerate(header):
            sheet.write_string(HEADER_ROW - 1, column, sheet_text(label), formats.header)
        if any(len(label) > COLUMN_WIDTH for label in header[1:]):
            sheet.set_row(HEADER_ROW - 1, 2 * LINE_HEIGHT)  # the longer labels wrap
        self.row = HEADER_ROW

    def write(self, label, *values, bold=False, formats=None):
        """One row: the label in A, then each value (a number, a Formula or None) from B on."""
        self.row += 1
        index = self.row - 1
        # Line and insats names are typed by people: text, never a formula, no control character.
        self.sheet.write_string(index, 0, sheet_text(label), self.formats.bold if bold else None)
        for column, value in enumerate(values, start=1):
            cell_format = self.formats.number((formats or {}).get(column + 1, TKR_FORMAT), bold)
            if isinstance(value, Formula):
                computed = 0 if value.value is None else float(value.value)
                self.sheet.write_formula(index, column, str(value), cell_format, computed)
            elif value is None:
                self.sheet.write_blank(index, column, None, cell_format)
            else:
                self.sheet.write_number(index, column, float(value), cell_format)
        return self.row

    def notes(self, heading: str | None, texts) -> None:
        """Texts under the table, each across every column, wrapped."""
        self.row += 1
        if heading:
            self.row += 1
            self.sheet.write_string(self.row - 1, 0, heading, self.formats.bold)
        width = self.first_width + COLUMN_WIDTH * (self.columns - 1)
        for text in texts:
            self.row += 1
            index = self.row - 1
            lines = math.ceil(len(text) / (width * CHARACTERS_PER_WIDTH))
            self.sheet.merge_range(
                index, 0, index, self.columns - 1, sheet_text(text), self.formats.note
            )
            self.sheet.set_row(index, LINE_HEIGHT * max(lines, 1))

    def finish(self, association_name: str):
        sheet = self.sheet
        sheet.set_column(0, 0, self.first_width)
        sheet.set_column(1, self.columns - 1, COLUMN_WIDTH)
        sheet.freeze_panes(HEADER_ROW, 1)
        sheet.repeat_rows(HEADER_ROW - 1)
        sheet.set_paper(9)  # A4
        sheet.set_portrait()
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
        sheet.set_header("&C" + sheet_text(association_name).replace("&", "&&")[:200])
        sheet.set_footer("&RSida &P av &N")


def _sum(column: str, first: int, last: int) -> str:
    return f"SUM({column}{first}:{column}{last})" if last >= first else "0"


def _columns(period: Period, formula, figure: str) -> list[Formula]:
    """One derived row: the same formula in Budget, Utfall, Avvikelse and Prognos
    (``formula(column letter)``), each with the app's figure, the ``figure`` property of that
    column (avvikelse = utfall − budget)."""
    budget, actual = getattr(period.budgeted, figure), getattr(period.actual, figure)
    values = (budget, actual, actual - budget, getattr(period.forecast, figure))
    return [Formula(formula(x), tkr(v)) for x, v in zip("BCDE", values, strict=True)]


def _budget_sheet(
    sheet, formats: Formats, period: Period, initiatives_total_row: int, equity_row: int
) -> int:
    """Post | Budget | Utfall | Avvikelse | Prognos; avvikelse = utfall − budget as a formula.
    Returns the row of Resultat inkl. överfört från föregående år."""
    w = SheetWriter(
        sheet,
        formats,
        period,
        report_title(period),
        ["Post", "Budget", "Utfall", "Avvikelse", "Prognos"],
    )

    def line(label, row):
        r = w.row + 1
        return w.write(
            label,
            tkr(row.budget),
            tkr(row.actual),
            Formula(f"C{r}-B{r}", tkr(row.deviation)),
            tkr(row.forecast),
        )

    def block(groups, prefix=""):
        first = w.row + 1
        for group in groups:
            for row in period.rows.get(group, []):
                line(f"{group.label}: {row.line.name}" if prefix else row.line.name, row)
        return first

    def sums(label, figure, first, last=None):
        last = w.row if last is None else last
        return w.write(label, *_columns(period, lambda x: _sum(x, first, last), figure), bold=True)

    income_first = block([G.CONTRIBUTIONS, G.OTHER_INCOME])
    # The carry-over is the equity sheet's opening for this period: the previous closing.
    r = w.row + 1
    carry = tkr(period.carry_over.amount)
    carry_row = w.write(
        "Överfört från föregående år",
        Formula(f"'{SHEETS[2]}'!B{equity_row}", carry),
        Formula(f"B{r}", carry),
        Formula(f"C{r}-B{r}", Decimal(0)),
        Formula(f"B{r}", carry),
    )
    income = sums(INCOME, "income", income_first)
    costs_first = block([G.OPERATING])
    costs = sums("Summa verksamhetens kostnader", "operating_costs", costs_first)
    # Financial costs are shown as the page shows them (positive) and subtracted in the sum.
    interest_first = block([G.FINANCIAL_INCOME], prefix="yes")
    interest_last = w.row
    cost_first = block([G.FINANCIAL_COST], prefix="yes")
    cost_last = w.row
    financial = w.write(
        "Summa finansiella poster",
        *_columns(
            period,
            lambda x: f"{_sum(x, interest_first, interest_last)}-{_sum(x, cost_first, cost_last)}",
            "financial_net",
        ),
        bold=True,
    )
    means = w.write(
        MEANS,
        *_columns(
            period,
            lambda x: f"{x}{income}-{x}{costs}+{x}{financial}",
            "means_to_distribute",
        ),
        bold=True,
    )
    # This column of the Insatser sheet: granted in the budget and the forecast, booked in the
    # actuals.
    ref = f"'{SHEETS[1]}'!"
    total = initiatives_total_row
    budget_granted, booked = period.budgeted.initiatives_total, period.actual.initiatives_total
    initiatives = w.write(
        INITIATIVES,
        Formula(f"{ref}B{total}", tkr(budget_granted)),
        Formula(f"{ref}C{total}", tkr(booked)),
        Formula(f"{ref}D{total}", tkr(booked - budget_granted)),
        Formula(f"{ref}B{total}", tkr(period.forecast.initiatives_total)),
    )
    result = w.write(
        RESULT_WITH_CARRY_OVER,
        *_columns(
            period,
            lambda x: f"{x}{means}-{x}{initiatives}",
            "result_with_carry_over",
        ),
        bold=True,
    )
    w.write(
        YEAR_RESULT,
        *_columns(period, lambda x: f"{x}{result}-{x}{carry_row}", "year_result"),
        bold=True,
    )
    w.notes(NOTES_HEADING, period.definitions)
    w.finish(period.budget.association.name)
    return result


def _initiatives_sheet(sheet, formats: Formats, period: Period) -> int:
    w = SheetWriter(
        sheet,
        formats,
        period,
        f"{period.budget.association.name} – Insatser {period.budget.label}",
        ["Insats", "Beviljat", "Utfall", "Avvikelse"],
        first=52,
    )
    first = w.row + 1
    for row in period.initiatives:
        r = w.row + 1
        w.write(
            row.name,
            tkr(row.budget),
            tkr(row.actual),
            Formula(f"C{r}-B{r}", tkr(row.deviation)),
        )
    last = w.row
    budget, actual = period.budgeted.initiatives_total, period.actual.initiatives_total
    total = w.write(
        INITIATIVES,
        *(
            Formula(_sum(c, first, last), tkr(v))
            for c, v in zip("BCD", (budget, actual, actual - budget), strict=True)
        ),
        bold=True,
    )
    w.notes(
        None,
        [
            "Beviljat: vad justerade beslut har beviljat insatsen för året. Utfall: vad som har "
            "bokförts på insatsen. Avvikelse = utfall − beviljat."
        ],
    )
    w.finish(period.budget.association.name)
    return total


def _equity_sheet(
    sheet, formats: Formats, period: Period, chain: list[Period], result_row: int
) -> None:
    """Each period up to this one: the opening equity is the previous period's closing (a
    formula); the year's result is the period's Resultat inkl. överfört (for this period the
    budget sheet's row, on the same basis) less the opening; the closing is opening + the year's
    result; the ceiling is the guideline's share of the year's contributions."""
    w = SheetWriter(
        sheet,
        formats,
        period,
        f"{period.budget.association.name} – Eget kapital till och med {period.budget.label}",
        [
            "Period",
            "Ingående",
            "Resultat inkl. överfört",
            YEAR_RESULT,
            "Utgående",
            "Ägarbidrag",
            "Tak (%)",
            "Tak",
        ],
        first=40,
    )
    previous_row = None
    for item in chain:
        equity = item.equity
        r = w.row + 1
        opening = tkr(equity.opening)
        closing = tkr(equity.closing)
        if item.budget.pk == period.budget.pk:
            column = "C" if item.closed else "B"
            with_carry_over = Formula(f"'{SHEETS[0]}'!{column}{result_row}", closing)
        else:
            with_carry_over = closing
        percent = equity.ceiling_percent
        w.write(
            f"{item.budget.label} ({equity.basis})",
            # After a gap nothing is carried over: the opening is the one given, not a formula.
            Formula(f"E{previous_row}", opening)
            if previous_row and item.carry_over.source is not None
            else opening,
            with_carry_over,
            Formula(f"C{r}-B{r}", tkr(equity.year_result)),
            Formula(f"B{r}+D{r}", closing),
            tkr(equity.contributions),
            percent,
            Formula(f"F{r}*G{r}/100", tkr(equity.ceiling)) if percent is not None else None,
            formats={7: PERCENT_FORMAT},
        )
        previous_row = r
    w.notes(None, period.equity_definitions)
    w.finish(period.budget.association.name)


def _contributions_sheet(
    sheet, formats: Formats, period: Period, contributions: Contributions
) -> None:
    w = SheetWriter(
        sheet,
        formats,
        period,
        f"{period.budget.association.name} – Ägarbidrag {period.budget.label}",
        ["Medlem", "Enligt § 5", "Ändrat", "Ägarbidrag"],
        first=40,
    )
    first = w.row + 1
    for row in contributions.rows:
        r = w.row + 1
        w.write(
            row.member.name,
            tkr(row.split),
            tkr(row.override),
            Formula(f"IF(ISBLANK(C{r}),B{r},C{r})", tkr(row.amount)),
        )
    total = w.write(
        "Summa medlemmarnas ägarbidrag",
        Formula(_sum("D", first, w.row), tkr(contributions.shares_total)),
        bold=True,
    )
    budgeted = w.write("Ägarbidrag i budgeten", tkr(contributions.total))
    w.write("Skillnad", Formula(f"B{budgeted}-B{total}", tkr(contributions.difference)), bold=True)
    w.finish(period.budget.association.name)


def report_xlsx(period: Period, chain: list[Period], contributions: Contributions) -> bytes:
    """A sheet per part: budget and actuals, initiatives, equity, contributions. The same
    figures give the same bytes on the same day (the workbook is dated by the printing day)."""
    buffer = BytesIO()
    workbook = Workbook(buffer, {"in_memory": True, **WORKBOOK_OPTIONS})
    workbook.set_properties(
        {
            "title": sheet_text(report_title(period)),
            "author": sheet_text(period.budget.association.name),
            "created": datetime.datetime.combine(timezone.localdate(), datetime.time()),
        }
    )
    formats = Formats(workbook)
    budget_sheet, initiatives_sheet, equity_sheet, contributions_sheet = (
        workbook.add_worksheet(name) for name in SHEETS
    )
    equity_row = HEADER_ROW + 1 + [p.budget.pk for p in chain].index(period.budget.pk)
    initiatives_total = _initiatives_sheet(initiatives_sheet, formats, period)
    result_row = _budget_sheet(budget_sheet, formats, period, initiatives_total, equity_row)
    _equity_sheet(equity_sheet, formats, period, chain, result_row)
    _contributions_sheet(contributions_sheet, formats, period, contributions)
    workbook.close()
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
