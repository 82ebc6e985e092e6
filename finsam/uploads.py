"""Uploaded spreadsheets read within bounds that fit their purpose.

A file is refused before it is read when it is larger than its purpose allows, an xlsx before it
is parsed when it would inflate beyond a limit (a zip bomb is a few kilobytes), and any file as
soon as it has more rows or columns than its purpose can have, so that an absurd file costs
seconds and bounded memory and writes nothing. Every refusal is an UploadError with a Swedish
message. Also the request-wide upload handler that stops receiving a file beyond the largest
limit of any purpose (FINSAM_UPLOAD_MAX_BYTES).
"""

import csv
import datetime
import io
import re
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils import timezone
from openpyxl import load_workbook

from finsam.errors import DomainError

TOO_LARGE = "Filen är {size} stor; högst {limit} tas emot. Dela upp den."
INFLATES = "Filen packas upp till mer än {limit}; det är inte en vanlig tabell. Inget har sparats."
# A sheet's XML packs about ten to one; a hundred to one is a file made to inflate (a zip bomb).
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024  # small files' parts may pack better; they cannot inflate far anyway
PACKED_TOO_TIGHT = (
    "Filen packas upp till {ratio} gånger sin storlek; det är inte en vanlig tabell. "
    "Inget har sparats."
)
NO_SHEET = "Filen saknar bladet ”{sheet}”."
TOO_MANY_ROWS = "Filen har fler än {limit} rader; {purpose} har färre. Inget har sparats."
TOO_MANY_TEXTS = "Filen har fler än {limit} olika texter; {purpose} har färre. Inget har sparats."
TOO_MANY_COLUMNS = "Filen har fler än {limit} kolumner; {purpose} har färre. Inget har sparats."
NOT_XLSX = "Filen kan inte läsas som ett Excel-ark (xlsx)."
NOT_TEXT = (
    "Filen kan inte läsas som text: byte {byte} på plats {position} finns inte i UTF-8, UTF-16 "
    "eller Windows-1252. Spara den som CSV (UTF-8) och försök igen."
)
EMPTY = "Filen är tom."
UTF16_WITHOUT_BOM = (
    "Filen ser ut att vara sparad som UTF-16 utan byteordningsmärke, och kan inte läsas säkert. "
    "Spara den som CSV (UTF-8) och försök igen."
)


class UploadError(DomainError):
    """An uploaded file refused as a whole; nothing of it is kept."""


@dataclass(frozen=True)
class Limits:
    """What one purpose accepts: the file's bytes, its unpacked bytes (xlsx), rows and columns."""

    purpose: str  # "en budgettabell", as the messages name it
    max_bytes: int
    max_rows: int
    max_columns: int = 50
    max_unpacked: int = 0  # 0: twenty times max_bytes

    @property
    def unpacked_limit(self) -> int:
        return self.max_unpacked or 20 * self.max_bytes


def megabytes(size: int) -> str:
    value = f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")
    return f"{value} MB"


def read_upload(file, limits: Limits) -> bytes:
    """The uploaded file's bytes; refused from its size before anything is read."""
    if file.size > limits.max_bytes:
        raise UploadError(
            TOO_LARGE.format(size=megabytes(file.size), limit=megabytes(limits.max_bytes))
        )
    content = file.read(limits.max_bytes + 1)
    if len(content) > limits.max_bytes:  # a size that was not what the upload said
        raise UploadError(
            TOO_LARGE.format(size=megabytes(len(content)), limit=megabytes(limits.max_bytes))
        )
    if not content:
        raise UploadError(EMPTY)
    return content


def check_unpacked(content: bytes, limits: Limits) -> None:
    """Refuses an archive (xlsx, docx) from its directory alone, before a part is unpacked: one
    that is not a zip, one whose parts would unpack beyond the purpose's limit, and one that
    packs far tighter than a spreadsheet does (a zip bomb)."""
    if not content.startswith(b"PK\x03\x04"):
        raise UploadError(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UploadError(NOT_XLSX) from error
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if unpacked > limits.unpacked_limit:
        raise UploadError(INFLATES.format(limit=megabytes(limits.unpacked_limit)))
    if unpacked > RATIO_FROM and unpacked > MAX_RATIO * max(packed, 1):
        raise UploadError(PACKED_TOO_TIGHT.format(ratio=unpacked // max(packed, 1)))
    if limits.max_rows:
        _check_shared_strings(content, entries, limits)


# openpyxl reads a workbook's table of texts whole before the first row, so a table of hundreds
# of thousands of texts costs seconds even when the sheet is refused at its first surplus row.
# A table the purpose can use has at most a few different texts per row.
TEXTS_PER_ROW = 2
_UNIQUE_COUNT = re.compile(rb'uniqueCount="(\d+)"')


def _check_shared_strings(content: bytes, entries, limits: Limits) -> None:
    limit = TEXTS_PER_ROW * limits.max_rows
    for entry in entries:
        if entry.filename.lower() != "xl/sharedstrings.xml":
            continue
        with zipfile.ZipFile(io.BytesIO(content)) as archive, archive.open(entry) as part:
            head = part.read(1024)
        match = _UNIQUE_COUNT.search(head)
        # Without the count, its size says it: a text in the table takes some 30 bytes.
        too_many = int(match[1]) > limit if match else entry.file_size > 100 * limit
        if too_many:
            raise UploadError(TOO_MANY_TEXTS.format(limit=limit, purpose=limits.purpose))


def xlsx_rows(content: bytes, limits: Limits, *, sheet: str | None = None) -> list[list]:
    """The rows of the sheet named ``sheet`` (else the active one) as values, each cut to its
    last non-empty cell."""
    check_unpacked(content, limits)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            if sheet is None:
                chosen = workbook.active
            elif sheet in workbook.sheetnames:
                chosen = workbook[sheet]
            else:
                raise UploadError(NO_SHEET.format(sheet=sheet))
            return _bounded(chosen.iter_rows(values_only=True), limits)
        finally:
            workbook.close()
    except UploadError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise UploadError(NOT_XLSX) from error


def decode_text(content: bytes) -> str:
    """A CSV file's text: UTF-16 or UTF-8 by its byte-order mark, else UTF-8, else Windows-1252
    (Excel's "CSV" on a Swedish computer); a byte none of them has is named."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UploadError(
                NOT_TEXT.format(byte=f"0x{content[error.start]:02X}", position=error.start + 1)
            ) from None
    if b"\x00" in content[:4096]:
        # No text file has NUL bytes; UTF-16 has one in every ASCII letter.
        raise UploadError(
            UTF16_WITHOUT_BOM
            if _looks_utf16(content)
            else NOT_TEXT.format(byte="0x00", position=content.index(b"\x00") + 1)
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UploadError(
            NOT_TEXT.format(byte=f"0x{content[error.start]:02X}", position=error.start + 1)
        ) from None


def _looks_utf16(content: bytes) -> bool:
    head = content[:4096]
    return head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4


class SwedishCsv(csv.excel):
    """Excel's CSV on a Swedish computer: semicolons, since the comma is the decimal sign."""

    delimiter = ";"


def csv_rows(content: bytes, limits: Limits) -> list[list]:
    text = decode_text(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = SwedishCsv
    try:
        return _bounded(csv.reader(io.StringIO(text), dialect), limits)
    except csv.Error as error:
        raise UploadError(f"Filen kan inte läsas som CSV: {error}.") from None


def _bounded(rows, limits: Limits) -> list[list]:
    """The rows, refused as soon as there is one more than the limit, each cut to its last
    non-empty cell (sheets often carry empty formatted cells far to the right)."""
    table = []
    for number, row in enumerate(rows, start=1):
        if number > limits.max_rows:
            raise UploadError(TOO_MANY_ROWS.format(limit=limits.max_rows, purpose=limits.purpose))
        cells = list(row)
        while cells and cells[-1] in (None, ""):
            cells.pop()
        if len(cells) > limits.max_columns:
            raise UploadError(
                TOO_MANY_COLUMNS.format(limit=limits.max_columns, purpose=limits.purpose)
            )
        table.append(cells)
    return table


class BoundedUploadHandler(FileUploadHandler):
    """Stops receiving a file as soon as it passes FINSAM_UPLOAD_MAX_BYTES, the largest any
    purpose accepts: the form then finds no file and says so, and the server has spent neither
    disk nor memory on the rest. Each purpose's own, smaller limit is read_upload's."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.FINSAM_UPLOAD_MAX_BYTES:
            self.request.upload_refused = True
            # The rest of the body is read and dropped, so that the browser gets the page.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


# An import's preview waits between the upload and the officer's confirmation. The session keeps
# only a small reference (the stored name, the checksum, a count); the file itself waits in the
# default storage under a random name, is read again on confirmation and deleted after it.
# Files of previews never confirmed are deleted a day later, when another preview is stored.
PENDING_DIR = "forhandsgranskning"
PENDING_KEPT = datetime.timedelta(days=1)
_PENDING_NAME = re.compile(rf"{PENDING_DIR}/[0-9a-f]{{32}}\.(xlsx|csv)")


def pending_store(content: bytes, file_name: str) -> str:
    """Keeps the uploaded file for its confirmation; returns the name to keep in the session."""
    _pending_prune()
    suffix = ".xlsx" if file_name.lower().endswith(".xlsx") else ".csv"
    name = f"{PENDING_DIR}/{secrets.token_hex(16)}{suffix}"
    return default_storage.save(name, ContentFile(content))


def pending_read(name, limits: Limits) -> bytes | None:
    """The kept file's bytes; None where there is none (deleted, or not a name we gave)."""
    if not isinstance(name, str) or not _PENDING_NAME.fullmatch(name):
        return None
    try:
        with default_storage.open(name, "rb") as stored:
            content = stored.read(limits.max_bytes + 1)
    except OSError:
        return None
    return content if len(content) <= limits.max_bytes else None


def pending_delete(name) -> None:
    if isinstance(name, str) and _PENDING_NAME.fullmatch(name):
        default_storage.delete(name)


def _pending_prune() -> None:
    try:
        _dirs, files = default_storage.listdir(PENDING_DIR)
    except (OSError, NotImplementedError):
        return
    oldest = timezone.now() - PENDING_KEPT
    for file in files:
        name = f"{PENDING_DIR}/{file}"
        try:
            if default_storage.get_modified_time(name) < oldest:
                default_storage.delete(name)
        except (OSError, NotImplementedError):
            continue
