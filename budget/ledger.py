"""Reading the member municipality's ledger export (xlsx or CSV) into rows of actuals.

A file has a header row naming its columns: the amount (Belopp), when (Datum or Period) and what
it books to (Konto, mapped to a line in the förbund's chart; or Post, a line by name; or Insats,
an initiative by name). Every row is resolved or given its reason in Swedish; nothing is saved
here (budget.services.actuals_import saves all rows or none).
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from budget import selectors
from budget.models import Budget, ChartLine
from budget.services import ImportRow
from finsam.money import MAX_AMOUNT, AmountError, check_amount, format_kronor, parse_amount
from finsam.uploads import (
    Limits,
    UploadError,
    csv_rows,
    pending_delete,
    pending_read,
    pending_store,
    xlsx_rows,
)

# A year of a förbund's ledger has a few thousand rows; twenty thousand is generous.
LIMITS = Limits(
    "en fil från huvudboken", max_bytes=5 * 1024 * 1024, max_rows=20_000, max_columns=40
)
CENT = Decimal("0.01")
# What one file may move in all, its amounts added without their signs: ten times the largest
# single amount, far beyond a förbund's year (about 10 mkr), and far within what an actual
# (a column of 14 digits) can hold after many imports.
MAX_TURNOVER = 10 * MAX_AMOUNT
TURNOVER_TOO_LARGE = (
    "Filens belopp är sammanlagt mer än {limit} kr; det är inte en huvudbok för ett förbund. "
    "Inget har sparats."
)
FLOAT_NOISE = Decimal("1e-9")

HEADERS = {
    "amount": ("belopp", "summa", "amount"),
    "date": ("datum", "bokföringsdatum", "date"),
    "period": ("period", "månad", "kvartal"),
    "account": ("konto", "kontonummer", "account"),
    "line": ("post", "budgetpost", "rad"),
    "initiative": ("insats", "projekt", "objekt"),
}

NO_HEADER = "Filen saknar en rubrikrad med kolumnerna {missing}."
NO_TARGET = "kolumnen Konto, Post eller Insats"
ROW_NO_AMOUNT = "Rad {row}: belopp saknas."
ROW_BAD_AMOUNT = "Rad {row}: beloppet ”{value}” är inte ett tal."
ROW_ORE = "Rad {row}: beloppet {value} har fler än två decimaler; ange kronor och ören."
ROW_NO_WHEN = "Rad {row}: datum eller period saknas."
ROW_BAD_WHEN = (
    "Rad {row}: ”{value}” är inte ett datum (ÅÅÅÅ-MM-DD) eller en period (ÅÅÅÅ-MM, ÅÅÅÅ-Q1)."
)
ROW_OUTSIDE = "Rad {row}: {month} ligger utanför perioden {period}."
ROW_NO_TARGET = "Rad {row}: konto, post eller insats saknas."
ROW_UNMAPPED = (
    "Rad {row}: kontot {value} är inte kopplat till någon post. Koppla det i kontoplanen."
)
ROW_NO_LINE = "Rad {row}: posten ”{value}” finns inte i kontoplanen."
ROW_LINE_TWICE = "Rad {row}: posten ”{value}” finns i flera grupper; skriv gruppen först: {groups}."
ROW_NO_INITIATIVE = "Rad {row}: insatsen ”{value}” finns inte bland förbundets insatser."


class LedgerFileError(ValueError):
    """The file as a whole cannot be read; the message says why, in Swedish. A parse error (the
    form shows it at the file field), not a refusal of a service."""


@dataclass
class LedgerPreview:
    file_name: str
    sha256: str
    rows: list[ImportRow] = field(default_factory=list)
    content: bytes = field(default=b"", repr=False)  # kept for the confirmation (pending_dump)
    income_negative: bool = False

    @property
    def errors(self) -> list[str]:
        return [row.error for row in self.rows if row.error]

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows if not row.error), Decimal(0))

    def totals_by_target(self) -> list[tuple[str, Decimal]]:
        totals: dict[str, Decimal] = {}
        for row in self.rows:
            if not row.error:
                totals[row.target] = totals.get(row.target, Decimal(0)) + row.amount
        return sorted(totals.items())


def _table(content: bytes, file_name: str) -> list[list]:
    if file_name.lower().endswith(".xlsx"):
        return xlsx_rows(content, LIMITS)
    return csv_rows(content, LIMITS)


def _columns(header: list) -> dict[str, int]:
    names = [str(cell or "").strip().lower() for cell in header]
    found = {}
    for key, aliases in HEADERS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found.setdefault(key, index)
    return found


QUARTER = re.compile(r"(\d{4})\s*[-/ ]?\s*(?:q|kv|k)\s*([1-4])", re.IGNORECASE)
MONTH = re.compile(r"(\d{4})-?(\d{2})")


def parse_month(value) -> datetime.date | None:
    """A date, '2010-03-15', a period '2010-03' or '201003', or a quarter '2010-Q1' / '2010 kv 1'
    (booked on the quarter's last month) → the first day of the month; None if not readable."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = str(value).strip()
    if match := QUARTER.fullmatch(text):
        return datetime.date(int(match[1]), int(match[2]) * 3, 1)
    try:
        return datetime.date.fromisoformat(text).replace(day=1)
    except ValueError:
        pass
    if (match := MONTH.fullmatch(text)) and 1 <= int(match[2]) <= 12:
        return datetime.date(int(match[1]), int(match[2]), 1)
    return None


def _blank(value) -> bool:
    return value is None or str(value).strip() == ""


def read_ledger(
    content: bytes,
    file_name: str,
    *,
    budget: Budget,
    chart: list[ChartLine],
    initiatives: dict[str, object],
    income_negative: bool = False,
) -> LedgerPreview:
    """Every row of the file resolved against the förbund's chart and initiatives.
    ``income_negative``: the file books income with a minus sign (credit), as ledgers do."""
    try:
        table = _table(content, file_name)
    except UploadError as error:
        raise LedgerFileError(str(error)) from None
    header_at = next((i for i, row in enumerate(table) if "amount" in _columns(row)), None)
    if header_at is None:
        raise LedgerFileError(NO_HEADER.format(missing="Belopp och Datum eller Period"))
    columns = _columns(table[header_at])
    missing = []
    if "date" not in columns and "period" not in columns:
        missing.append("Datum eller Period")
    if not {"account", "line", "initiative"} & set(columns):
        missing.append(NO_TARGET)
    if missing:
        raise LedgerFileError(NO_HEADER.format(missing=" och ".join(missing)))

    by_account = {account: line for line in chart for account in line.account_list}
    names = [line.name.lower() for line in chart]

    def target(line: ChartLine) -> str:
        """The line as the preview names it: with its group where its name is not unique."""
        if names.count(line.name.lower()) > 1:
            return f"{line.get_group_display()}: {line.name}"
        return line.name

    # A line by its name, or by "Grupp: namn" where a name is in several groups (seed 004 has
    # "Ränta" both as financial income and as financial cost).
    by_name: dict[str, list[ChartLine]] = {}
    for line in chart:
        by_name.setdefault(line.name.lower(), []).append(line)
        by_name[f"{line.get_group_display()}: {line.name}".lower()] = [line]
    months = set(budget.months())
    income_groups = {
        ChartLine.Group.CONTRIBUTIONS,
        ChartLine.Group.OTHER_INCOME,
        ChartLine.Group.FINANCIAL_INCOME,
    }

    def cell(row, key):
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    preview = LedgerPreview(
        file_name,
        hashlib.sha256(content).hexdigest(),
        content=content,
        income_negative=income_negative,
    )
    for number, row in enumerate(table[header_at + 1 :], start=header_at + 2):
        if all(_blank(value) for value in row):
            continue
        account, line_name, initiative = (cell(row, k) for k in ("account", "line", "initiative"))
        text = next((str(v).strip() for v in (initiative, account, line_name) if not _blank(v)), "")
        result = ImportRow(row=number, text=text)
        preview.rows.append(result)
        raw_amount = cell(row, "amount")
        if _blank(raw_amount):
            result.error = ROW_NO_AMOUNT.format(row=number)
            continue
        try:
            amount = parse_amount(raw_amount)
        except AmountError as error:
            # Plain nonsense is "not a number"; a dot that could be thousands says why.
            result.error = (
                ROW_BAD_AMOUNT.format(row=number, value=str(raw_amount))
                if error.code == "invalid"
                else f"Rad {number}: {error}"
            )
            continue
        if isinstance(raw_amount, float) and abs(amount - amount.quantize(CENT)) < FLOAT_NOISE:
            amount = amount.quantize(CENT)  # a spreadsheet's binary float, e.g. 0.30000000000000004
        if amount != amount.quantize(CENT):
            result.error = ROW_ORE.format(row=number, value=str(raw_amount))
            continue
        try:
            check_amount(amount, text=str(raw_amount).strip())
        except AmountError as error:
            result.error = f"Rad {number}: {error}"
            continue
        when = cell(row, "date") if not _blank(cell(row, "date")) else cell(row, "period")
        if _blank(when):
            result.error = ROW_NO_WHEN.format(row=number)
            continue
        month = parse_month(when)
        if month is None:
            result.error = ROW_BAD_WHEN.format(row=number, value=str(when))
            continue
        if month not in months:
            result.error = ROW_OUTSIDE.format(
                row=number,
                month=f"{month:%Y-%m}",
                period=f"{budget.period_start:%Y-%m-%d} – {budget.period_end:%Y-%m-%d}",
            )
            continue
        if not _blank(initiative):
            found = initiatives.get(str(initiative).strip().lower())
            if found is None:
                result.error = ROW_NO_INITIATIVE.format(row=number, value=str(initiative).strip())
                continue
            result.key, result.target = ("initiative", found.pk, month), f"Insats: {found.name}"
        elif not _blank(account):
            account_text = str(account).strip().removesuffix(".0")
            line = by_account.get(account_text)
            if line is None:
                result.error = ROW_UNMAPPED.format(row=number, value=account_text)
                continue
            result.key, result.target = ("line", line.pk, month), target(line)
        elif not _blank(line_name):
            name = re.sub(r"\s*:\s*", ": ", str(line_name).strip())
            found = by_name.get(name.lower(), [])
            if not found:
                result.error = ROW_NO_LINE.format(row=number, value=name)
                continue
            if len(found) > 1:
                groups = " eller ".join(f"”{line.get_group_display()}: {name}”" for line in found)
                result.error = ROW_LINE_TWICE.format(row=number, value=name, groups=groups)
                continue
            line = found[0]
            result.key, result.target = ("line", line.pk, month), target(line)
        else:
            result.error = ROW_NO_TARGET.format(row=number)
            continue
        if income_negative and result.key[0] == "line" and line.group in income_groups:
            amount = -amount
        result.amount = amount
    turnover = sum((abs(row.amount) for row in preview.rows if not row.error), Decimal(0))
    if turnover > MAX_TURNOVER:
        raise LedgerFileError(TURNOVER_TOO_LARGE.format(limit=format_kronor(MAX_TURNOVER)))
    return preview


# The preview waits between the upload and the officer's confirmation: the session keeps only
# the stored file's name, its checksum and the period (finsam.uploads.pending_store), never the
# rows; the confirmation reads the file again, against the chart as it is then.


@dataclass
class PendingImport:
    budget_id: int
    file_name: str
    sha256: str
    rows: list[ImportRow]
    stored: str = ""


def pending_dump(budget: Budget, preview: LedgerPreview) -> dict:
    """A preview without errors, as the session keeps it: a reference to the stored file."""
    return {
        "budget": budget.pk,
        "file_name": preview.file_name,
        "sha256": preview.sha256,
        "income_negative": preview.income_negative,
        "rows": len(preview.rows),
        "stored": pending_store(preview.content, preview.file_name),
    }


def pending_load(data: dict | None, *, budget: Budget, sha256: str) -> PendingImport | None:
    """The preview the officer confirms, read again from the stored file; None when there is
    none for this period and file, or when it no longer reads without errors."""
    if not data or data.get("budget") != budget.pk or data.get("sha256") != sha256:
        return None
    content = pending_read(data.get("stored"), LIMITS)
    if content is None or hashlib.sha256(content).hexdigest() != sha256:
        return None
    try:
        preview = read_ledger(  # against the chart and insatser as they are now
            content,
            data["file_name"],
            budget=budget,
            chart=selectors.chart_lines(budget.association),
            initiatives=selectors.initiatives_by_name(budget.association),
            income_negative=bool(data.get("income_negative")),
        )
    except LedgerFileError:
        return None
    if preview.errors or not preview.rows:
        return None
    return PendingImport(budget.pk, data["file_name"], sha256, preview.rows, data["stored"])


def pending_discard(data: dict | None) -> None:
    """Deletes a preview's stored file (after its import, or when another replaces it)."""
    if data:
        pending_delete(data.get("stored"))
