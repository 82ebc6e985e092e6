"""The files an insats hands in as its reports: PDF, Word (docx) or Excel (xlsx), at most 20 MB,
and each what its name says by its content too (its first bytes and, for docx and xlsx, the
parts inside the zip), so that a renamed program or an unreadable file is refused with a
Swedish message before it is kept."""

import io
import secrets
import zipfile
from pathlib import PurePath

from django.utils.text import get_valid_filename

from finsam.uploads import Limits, UploadError

LIMITS = Limits(purpose="en insatsrapport", max_bytes=20 * 1024 * 1024, max_rows=0)
# The kinds, by name ending: the first bytes and the zip part that the content must have.
KINDS = {
    ".pdf": ("PDF", b"%PDF-", None),
    ".docx": ("Word", b"PK\x03\x04", "word/document.xml"),
    ".xlsx": ("Excel", b"PK\x03\x04", "xl/workbook.xml"),
}
ACCEPT = ",".join(KINDS)  # the file input's accept attribute

WRONG_KIND = "Filen {name} är inte en PDF-, Word- (docx) eller Excel-fil (xlsx)."
NOT_WHAT_IT_SAYS = "Filen {name} heter {ending} men innehållet är inte en {kind}-fil."


def report_kind(file_name: str, content: bytes) -> str:
    """The file's kind ("PDF", "Word", "Excel") if its name and content agree; refused
    otherwise."""
    ending = PurePath(file_name).suffix.lower()
    if ending not in KINDS:
        raise UploadError(WRONG_KIND.format(name=file_name))
    kind, magic, part = KINDS[ending]
    refused = UploadError(NOT_WHAT_IT_SAYS.format(name=file_name, ending=ending, kind=kind))
    if not content.startswith(magic):
        raise refused
    if part is not None:
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except (zipfile.BadZipFile, ValueError):
            raise refused from None
        if part not in names:
            raise refused
    return kind


def stored_name(file_name: str) -> str:
    """The name the file is kept under: the name as sent, made safe, and a random part so that
    no one finds a report by guessing its name."""
    path = PurePath(get_valid_filename(file_name) or "rapport")
    return f"{path.stem[:80]}-{secrets.token_hex(8)}{path.suffix.lower()}"
