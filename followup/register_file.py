"""The register file: the xlsx the system hands out (followup.exports.register_template_xlsx) read
back, every row into values or its reasons in Swedish. Nothing is saved here
(services.participants_import saves all rows or none).

Bounded before anything is read, by finsam.uploads with LIMITS: a file over MAX_BYTES, an archive
that unpacks to more than MAX_UNPACKED or packs like a zip bomb, a sheet of more than
MAX_SHEET_ROWS rows of any kind (or MAX_ROWS participants) is refused at once, with nothing
written.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field, fields

from openpyxl.utils.datetime import from_excel

from applications.models import Initiative
from finsam.uploads import (
    Limits,
    UploadError,
    pending_delete,
    pending_read,
    pending_store,
    xlsx_rows,
)
from finsam.validators import DATE_OUT_OF_RANGE, date_in_range
from followup.models import (
    Education,
    ExitReason,
    Gender,
    IncomeSource,
    Occupation,
    Participant,
    SupportTime,
)
from followup.services import ParticipantValues, RegisterRow, label, plan_import

MAX_BYTES = 2 * 1024 * 1024  # a template with 5 000 participants is about 250 kB
MAX_UNPACKED = 40 * 1024 * 1024  # what the xlsx's parts may unpack to
MAX_ROWS = 5000  # participants in one file
MAX_SHEET_ROWS = 20000  # rows of any kind, empty formatted ones included
SHEET = "Deltagare"
LIMITS = Limits(
    "ett deltagarregister",
    max_bytes=MAX_BYTES,
    max_rows=MAX_SHEET_ROWS,
    max_columns=40,  # the template's columns and a few of the officer's own notes
    max_unpacked=MAX_UNPACKED,
)

# The columns of the file, in order: (key, header). "code" is the participant's code.
COLUMNS = [("code", "Kod")] + [(f.name, label(f.name)) for f in fields(ParticipantValues)]
CHOICES = {
    "gender": Gender,
    "education": Education,
    "income_source_start": IncomeSource,
    "occupation_start": Occupation,
    "support_time": SupportTime,
    "exit_reason": ExitReason,
    "income_source_end": IncomeSource,
    "occupation_end": Occupation,
}
DATES = ("started_on", "ended_on")

TOO_LARGE = f"Filen är större än {MAX_BYTES // (1024 * 1024)} MB; ingenting är inläst."
TOO_MANY_ROWS = (
    f"Filen har fler än {MAX_ROWS:,} deltagare; dela upp den. Ingenting är inläst.".replace(
        ",", "\u00a0"
    )
)
NOT_XLSX = "Läs in deltagarregistret som Excel-fil (xlsx), helst den mall som Finsam ger ut."
UNREADABLE = "Filen kan inte läsas som Excel (xlsx)."
NO_HEADER = (
    "Filen saknar rubrikraden med kolumnerna {missing}. Hämta mallen och fyll i den, utan att "
    "ändra rubrikerna."
)
BAD_CODE = "Kod: ”{value}” är ingen deltagarkod (som D-0042)."
BAD_CHOICE = "{field}: ”{value}” finns inte i listan ({choices})."
BAD_DATE = "{field}: ”{value}” är inget datum (ÅÅÅÅ-MM-DD)."
BAD_YEAR = "Födelseår: ”{value}” är inget årtal (ÅÅÅÅ)."

CODE = re.compile(r"D-?0*(\d{1,6})", re.IGNORECASE)


class RegisterFileError(ValueError):
    """The file as a whole cannot be read; the message says why, in Swedish. A parse error (the
    form shows it at the file field), not a refusal of a service."""


@dataclass
class RegisterPreview:
    file_name: str
    sha256: str
    rows: list[RegisterRow] = field(default_factory=list)
    content: bytes = field(default=b"", repr=False)  # kept for the confirmation (pending_dump)

    @property
    def wrong(self) -> list[RegisterRow]:
        return [row for row in self.rows if row.errors]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new(self) -> int:
        return self.count(RegisterRow.NEW)

    @property
    def changed(self) -> int:
        return self.count(RegisterRow.CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(RegisterRow.UNCHANGED)

    @property
    def can_save(self) -> bool:
        return bool(self.rows) and not self.wrong and bool(self.new or self.changed)


def _sheet_rows(content: bytes) -> list[list]:
    """The rows of the register sheet (or of the only sheet of a file of one's own), within
    LIMITS."""
    try:
        try:
            return xlsx_rows(content, LIMITS, sheet=SHEET)
        except UploadError as error:
            if str(error) != NO_SHEET:
                raise
        return xlsx_rows(content, LIMITS)
    except UploadError as error:
        raise RegisterFileError(_message(error)) from None


NO_SHEET = f"Filen saknar bladet ”{SHEET}”."


def _message(error: UploadError) -> str:
    """finsam.uploads's reason, in the words this page has always used where they exist."""
    text = str(error)
    if text.startswith("Filen kan inte läsas som ett Excel-ark"):
        return UNREADABLE
    if text.startswith("Filen har fler än"):
        return TOO_MANY_ROWS
    return text


def _blank(value) -> bool:
    return value is None or str(value).strip() == ""


def _header(row) -> dict[str, int] | None:
    names = [str(cell or "").strip().lower() for cell in row]
    found = {}
    for key, header in COLUMNS:
        if header.lower() in names:
            found[key] = names.index(header.lower())
    return found if len(found) == len(COLUMNS) else None


def _date(value, name: str, errors: list[str]) -> datetime.date | None:
    if _blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return _in_range(value.date(), name, errors)
    if isinstance(value, datetime.date):
        return _in_range(value, name, errors)
    if isinstance(value, int | float) and 20000 < value < 80000:
        return _in_range(from_excel(value).date(), name, errors)  # a number formatted as a date
    try:
        day = datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        errors.append(BAD_DATE.format(field=label(name), value=value))
        return None
    return _in_range(day, name, errors)


def _in_range(day: datetime.date, name: str, errors: list[str]) -> datetime.date | None:
    if date_in_range(day):
        return day
    errors.append(f"{label(name)}: {DATE_OUT_OF_RANGE}")
    return None


def _year(value, errors: list[str]) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if isinstance(value, int) or re.fullmatch(r"[0-9]{4}", text):
        return int(text)
    errors.append(BAD_YEAR.format(value=value))
    return None


LABELS = {
    name: {str(choice_label).lower(): value for value, choice_label in choices.choices}
    for name, choices in CHOICES.items()
}


def _choice(value, name: str, errors: list[str]) -> str:
    if _blank(value):
        return ""
    text = " ".join(str(value).split()).lower()
    found = LABELS[name].get(text)
    if found is None:
        listed = ", ".join(str(choice) for choice in CHOICES[name].labels)
        errors.append(BAD_CHOICE.format(field=label(name), value=value, choices=listed))
        return ""
    return found


def _row(number: int, cells: dict) -> RegisterRow:
    errors: list[str] = []
    code = cells["code"]
    participant_number = None
    if not _blank(code):
        match = CODE.fullmatch(str(code).strip())
        if match and int(match[1]) > 0:
            participant_number = int(match[1])
        else:
            errors.append(BAD_CODE.format(value=code))
    values = {}
    for key, _header_text in COLUMNS[1:]:
        if key in CHOICES:
            values[key] = _choice(cells[key], key, errors)
        elif key in DATES:
            values[key] = _date(cells[key], key, errors)
        else:
            values[key] = _year(cells[key], errors)
    item = RegisterRow(row=number, number=participant_number, errors=errors)
    if not errors:
        item.values = ParticipantValues(**values)
    return item


def read_register(
    content: bytes, file_name: str, *, initiative: Initiative, existing: dict[int, Participant]
) -> RegisterPreview:
    """Every row of the file, read and checked against the insats and its register (``existing``
    participants by number), with what saving it would do."""
    if len(content) > MAX_BYTES:
        raise RegisterFileError(TOO_LARGE)
    if not file_name.lower().endswith(".xlsx"):
        raise RegisterFileError(NOT_XLSX)
    preview = RegisterPreview(file_name, hashlib.sha256(content).hexdigest(), content=content)
    columns = None
    for number, row in enumerate(_sheet_rows(content), start=1):
        if columns is None:
            columns = _header(row)
            if columns is None and number >= 10:
                break
            continue
        if all(_blank(value) for value in row):
            continue
        if len(preview.rows) >= MAX_ROWS:
            raise RegisterFileError(TOO_MANY_ROWS)
        cells = {key: row[index] if index < len(row) else None for key, index in columns.items()}
        preview.rows.append(_row(number, cells))
    if columns is None:
        missing = ", ".join(header for _key, header in COLUMNS)
        raise RegisterFileError(NO_HEADER.format(missing=missing))
    plan_import(initiative, preview.rows, existing)
    return preview


# The preview waits between the upload and the officer's confirmation: the session keeps only
# the stored file's name, its checksum and the insats (finsam.uploads.pending_store), never the
# rows; the confirmation reads the file again, against the register as it is then.


@dataclass
class PendingImport:
    file_name: str
    sha256: str
    rows: list[RegisterRow]
    stored: str = ""


def pending_dump(initiative: Initiative, preview: RegisterPreview) -> dict:
    return {
        "initiative": initiative.pk,
        "file_name": preview.file_name,
        "sha256": preview.sha256,
        "rows": len(preview.rows),
        "stored": pending_store(preview.content, preview.file_name),
    }


def pending_load(
    data: dict | None, *, initiative: Initiative, sha256: str, existing=None
) -> PendingImport | None:
    """The preview the officer confirms, read again from the stored file; None when there is
    none for this insats and file, or when it no longer reads without errors. ``existing``: the
    register by number (a callable, or the dict), as read_register takes it."""
    if not data or data.get("initiative") != initiative.pk or data.get("sha256") != sha256:
        return None
    content = pending_read(data.get("stored"), LIMITS)
    if content is None or hashlib.sha256(content).hexdigest() != sha256:
        return None
    if callable(existing):
        existing = existing()
    try:
        preview = read_register(
            content, data["file_name"], initiative=initiative, existing=existing or {}
        )
    except RegisterFileError:
        return None
    if not preview.can_save:
        return None
    return PendingImport(data["file_name"], sha256, preview.rows, data["stored"])


def pending_discard(data: dict | None) -> None:
    """Deletes a preview's stored file (after its import, or when another replaces it)."""
    if data:
        pending_delete(data.get("stored"))
