"""Budget tables in seed 004's layout: line names with tkr amounts and typed "Summa" rows.

Software never trusts a typed total: each typed sum is compared with the sum of the lines above
it (since the previous sum), and every disagreement is reported with its row and the sum's name.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from budget.models import ChartLine
from finsam.money import (
    MAX_AMOUNT,
    AmountError,
    check_amount,
    grouped,
    kronor_to_tkr,
    parse_amount,
    round_half_away,
    tkr_to_kronor,
)
from finsam.uploads import Limits, UploadError, xlsx_rows
from finsam.validators import clean_name

Group = ChartLine.Group

# A budget table has tens of lines (seed 004's has 40 rows with its headings and sums): two
# hundred rows is no budget, and a hundred lines would already make a chart too long to edit.
LIMITS = Limits("en budgettabell", max_bytes=1024 * 1024, max_rows=200, max_columns=30)
MAX_LINES = 100
TOO_MANY_LINES = (
    "Filen har {count} budgetposter; en budgettabell har högst {limit}. Inget har sparats."
)
NAME_MAX = ChartLine._meta.get_field("name").max_length
NAME_TOO_LONG = "Rad {row}: namnet är längre än {limit} tecken; korta det i filen."
MAX_TKR = kronor_to_tkr(MAX_AMOUNT)
AMOUNT_TOO_LARGE = (
    "Rad {row}: beloppet {amount} tkr är för stort för en budgetpost; högst {limit} tkr tas "
    "emot. Inget har sparats."
)
NO_LINES = "Filen innehåller inga budgetposter med belopp."
CARRY_OVER_TWICE = (
    "Posten {name} ({amount} tkr) är lika stor som det som förs över från föregående period. "
    "Finsam räknar fram överföringen själv; ta bort posten om den är överföringen."
)
CARRY_OVER_NAMED = (
    "Posten {name} ser ut att vara överföringen från föregående period. Finsam räknar fram den "
    "själv; ta bort posten så att den inte räknas två gånger."
)


class LegacyFileError(ValueError):
    """The file as a whole cannot be read as a budget table; the message says why, in Swedish.
    A parse error (the form shows it at the file field), not a refusal of a service."""


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
    label: str = "Summa"  # the sum's name: as typed, or what it sums where only "Summa" is typed

    def __str__(self):
        return (
            f"Rad {self.row}, {self.label}: summan är inskriven som {_tkr(self.typed)} tkr, "
            f"men raderna ovanför ger {_tkr(self.computed)} tkr."
        )


def _tkr(value: Decimal) -> str:
    return grouped(round_half_away(value))


# What a bare "Summa" sums, by the group it ends.
SUM_NAMES = {
    Group.CONTRIBUTIONS: "Summa intäkter",
    Group.OTHER_INCOME: "Summa intäkter",
    Group.OPERATING: "Summa verksamhetens kostnader",
    Group.FINANCIAL_INCOME: "Summa finansiella poster",
    Group.FINANCIAL_COST: "Summa finansiella poster",
}


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
                name = label if label.lower() != "summa" else SUM_NAMES[group]
                table.mismatches.append(SumMismatch(row.row, row.amount, running, name))
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
                table.mismatches.append(SumMismatch(row.row, row.amount, computed, label))
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


def rows_from_xlsx(content: bytes) -> list[TableRow]:
    """The first sheet's rows: the first text cell is the label, the last number the amount in
    tkr. Rows with a number and no label (a year in the header) are left out."""
    try:
        table = xlsx_rows(content, LIMITS)
    except UploadError as error:
        raise LegacyFileError(str(error)) from None
    rows = []
    for number, cells in enumerate(table, start=1):
        texts = [c for c in cells if isinstance(c, str) and c.strip()]
        label = next((t for t in texts if not _number(t)), "")
        amounts = [c for c in cells if c is not None and _number(c)]
        if not label:
            continue
        label = clean_name(label)
        if len(label) > NAME_MAX:
            raise LegacyFileError(NAME_TOO_LONG.format(row=number, limit=NAME_MAX))
        amount = parse_amount(amounts[-1]) if amounts else None
        if amount is not None:
            try:
                check_amount(tkr_to_kronor(amount))
            except AmountError:
                raise LegacyFileError(
                    AMOUNT_TOO_LARGE.format(row=number, amount=_tkr(amount), limit=_tkr(MAX_TKR))
                ) from None
        rows.append(TableRow(number, label, amount))
    return rows


def _number(value) -> bool:
    try:
        return parse_amount(value) is not None
    except AmountError:
        return False


def read_xlsx(content: bytes) -> LegacyTable:
    """The table of an xlsx file, with its lines and the typed sums that disagree; a file without
    a single line is refused as a whole."""
    table = read_table(rows_from_xlsx(content))
    if not table.lines:
        raise LegacyFileError(NO_LINES)
    if len(table.lines) > MAX_LINES:
        raise LegacyFileError(TOO_MANY_LINES.format(count=len(table.lines), limit=MAX_LINES))
    return table


def carry_over_listed(lines: list[LegacyLine], carry_over: Decimal) -> list[str]:
    """Other income that looks like the carry-over Finsam computes (kronor): by its name, or by
    its amount (the table's whole tkr against the carry-over rounded to tkr)."""
    carry_over_tkr = round_half_away(kronor_to_tkr(carry_over))
    warnings = []
    for line in lines:
        if line.group != Group.OTHER_INCOME:
            continue
        if line.name.lower().startswith("överfört"):
            warnings.append(CARRY_OVER_NAMED.format(name=line.name))
        elif carry_over and line.amount == carry_over_tkr:
            warnings.append(CARRY_OVER_TWICE.format(name=line.name, amount=_tkr(line.amount)))
    return warnings
