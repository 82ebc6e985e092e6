"""Budget tables in seed 004's layout: line names with tkr amounts and typed "Summa" rows.

Software never trusts a typed total: each typed sum is compared with the sum of the lines above
it (since the previous sum), and every disagreement is reported with its row.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


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


def typed_sum_mismatches(rows: list[TableRow]) -> list[SumMismatch]:
    """Each 'Summa' row against the lines since the previous 'Summa' (or heading with no amount
    after a sum), as seed 004 lays its tables out."""
    mismatches = []
    running = Decimal(0)
    for row in rows:
        if row.label.strip().lower().startswith("summa"):
            if row.amount is not None and row.amount != running:
                mismatches.append(SumMismatch(row.row, row.amount, running))
            running = Decimal(0)
        elif row.amount is not None:
            running += row.amount
    return mismatches
