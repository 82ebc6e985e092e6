"""Uploaded spreadsheets read within bounds that fit their purpose.

A file is refused before it is read when it is larger than its purpose allows, an xlsx before it
is parsed when it would inflate beyond a limit (a zip bomb is a few kilobytes), and any file as
soon as it has more rows or columns than its purpose can have, so that an absurd file costs
seconds and bounded memory and writes nothing. Every refusal is an UploadError with a Swedish
message. Also the request-wide upload handler that stops receiving a file beyond the largest
limit of any purpose (FINSAM_UPLOAD_MAX_BYTES).
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from openpyxl import load_workbook

from finsam.errors import DomainError

TOO_LARGE = "Filen är {size} stor; högst {limit} tas emot. Dela upp den."
INFLATES = "Filen packas upp till mer än {limit}; det är inte en vanlig tabell. Inget har sparats."
TOO_MANY_ROWS = "Filen har fler än {limit} rader; {purpose} har färre. Inget har sparats."
TOO_MANY_COLUMNS = "Filen har fler än {limit} kolumner; {purpose} har färre. Inget har sparats."
NOT_XLSX = "Filen kan inte läsas som ett Excel-ark (xlsx)."
NOT_TEXT = (
    "Filen kan inte läsas som text: byte {byte} på plats {position} finns inte i UTF-8, UTF-16 "
    "eller Windows-1252. Spara den som CSV (UTF-8) och försök igen."
)
EMPTY = "Filen är tom."


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


def xlsx_rows(content: bytes, limits: Limits) -> list[list]:
    """The first sheet's rows as values, each cut to its last non-empty cell."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise UploadError(NOT_XLSX) from error
    if unpacked > limits.unpacked_limit:
        raise UploadError(INFLATES.format(limit=megabytes(limits.unpacked_limit)))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.active
        return _bounded(sheet.iter_rows(values_only=True), limits)
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
