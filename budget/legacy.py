"""Budget tables in seed 004's layout: line names with tkr amounts and typed "Summa" rows.

Software never trusts a typed total: each typed sum is compared with the sum of the lines above
it (since the previous sum), and every disagreement is reported with its row.
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook

from budget.models import ChartLine

Group = ChartLine.Group


@dataclass(frozen=True)
class TableRow:
    row: int  # 1-based, as the spreadsheet shows it
    label: str
    amount: Decimal | None  # tkr


@dataclass(frozen=True)
class SumMismatch:
    row: int
    typed: Decimal
    computed: Decimal

    def __str__(self):
        return (
            f"Rad {self.row}: summan är inskriven som {_tkr(self.typed)} tkr, men raderna ovanför "
            f"ger {_tkr(self.computed)} tkr."
        )


def _tkr(value: Decimal) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0")


def parse_amount(raw) -> Decimal | None:
    """'5 440', 5440, '−458' or '' → Decimal tkr (None when empty)."""
    if raw is None:
        return None
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = str(raw).replace("\u00a0", "").replace(" ", "").replace("−", "-").replace(",", ".")
    if not text:
        return None
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError(f"Beloppet {raw!r} är inte ett tal.")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"Beloppet {raw!r} är inte ett tal.") from None


def _heading_group(label: str) -> str | None:
    text = label.strip().lower()
    if text.startswith("verksamhetens kostnader"):
        return Group.OPERATING
    if text.startswith("finansiella intäkter"):
        return Group.FINANCIAL_INCOME
    if text.startswith("finansiella kostnader"):
        return Group.FINANCIAL_COST
    return None


def _is_sum(label: str) -> bool:
    return label.strip().lower().startswith("summa")


DERIVED = "medel för insatser att fördela"
NOT_COMPARED = "periodens resultat"  # depends on the grants, which the table does not list


@dataclass(frozen=True)
class LegacyLine:
    row: int
    group: str
    name: str
    amount: Decimal  # tkr


@dataclass
class LegacyTable:
    lines: list[LegacyLine] = field(default_factory=list)
    mismatches: list[SumMismatch] = field(default_factory=list)


def read_table(rows: list[TableRow]) -> LegacyTable:
    """Seed 004's layout: income lines, a 'Summa'; headings for the cost and financial groups,
    each ended by a 'Summa' (financial costs count negative in the financial sum); then "Medel för
    insatser att fördela". Every typed sum is checked against the lines it sums."""
    table = LegacyTable()
    group = Group.CONTRIBUTIONS
    running = Decimal(0)
    totals = {g: Decimal(0) for g in Group}
    for row in rows:
        label = row.label.strip()
        heading = _heading_group(label)
        if heading and row.amount is None:
            group = heading
            if heading == Group.OPERATING:
                running = Decimal(0)
            continue
        if _is_sum(label):
            if row.amount is not None and row.amount != running:
                table.mismatches.append(SumMismatch(row.row, row.amount, running))
            running = Decimal(0)
            if group in (Group.CONTRIBUTIONS, Group.OTHER_INCOME):
                group = Group.OPERATING
            continue
        if label.lower().startswith(DERIVED):
            computed = (
                totals[Group.CONTRIBUTIONS]
                + totals[Group.OTHER_INCOME]
                - totals[Group.OPERATING]
                + totals[Group.FINANCIAL_INCOME]
                - totals[Group.FINANCIAL_COST]
            )
            if row.amount is not None and row.amount != computed:
                table.mismatches.append(SumMismatch(row.row, row.amount, computed))
            continue
        if label.lower().startswith(NOT_COMPARED) or row.amount is None:
            continue
        line_group = group
        if group in (Group.CONTRIBUTIONS, Group.OTHER_INCOME):
            line_group = (
                Group.CONTRIBUTIONS if "ägarbidrag" in label.lower() else Group.OTHER_INCOME
            )
        table.lines.append(LegacyLine(row.row, line_group, label, row.amount))
        totals[line_group] += row.amount
        running += -row.amount if line_group == Group.FINANCIAL_COST else row.amount
    return table


def typed_sum_mismatches(rows: list[TableRow]) -> list[SumMismatch]:
    return read_table(rows).mismatches


UNREADABLE = "Filen kan inte läsas som ett Excel-ark (xlsx)."
NO_LINES = "Filen innehåller inga budgetposter med belopp."


def rows_from_xlsx(content: bytes) -> list[TableRow]:
    """The first sheet's rows: the first text cell is the label, the last number the amount in
    tkr. Rows with a number and no label (a year in the header) are left out."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ValueError(UNREADABLE) from error
    rows = []
    for number, cells in enumerate(table, start=1):
        texts = [c for c in cells if isinstance(c, str) and c.strip()]
        label = next((t for t in texts if not _number(t)), "")
        amounts = [c for c in cells if c is not None and _number(c)]
        if not label:
            continue
        rows.append(TableRow(number, label, parse_amount(amounts[-1]) if amounts else None))
    return rows


def _number(value) -> bool:
    try:
        return parse_amount(value) is not None
    except ValueError:
        return False
