"""Text in the workbooks and CSV files Finsam hands out, in one place.

What people typed is written as text, never as a formula: a name that starts with "=" would
otherwise become a live formula in the workbook an auditor opens (`=HYPERLINK("http://…"&A3,…)`),
and a control character, which XML 1.0 cannot hold, would make the workbook fail to be written.
XlsxWriter workbooks are opened with WORKBOOK_OPTIONS and write user text with write_string;
openpyxl cells get `text_cell`; CSV cells go through `csv_text` (OWASP's advice for CSV
injection: a cell that a spreadsheet program would read as a formula starts with a quote).
"""

from finsam.validators import without_control_characters

# XlsxWriter's write() would turn "=…" into a formula and "http://…" into a link; ours never do.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}

# What makes Excel, LibreOffice or Numbers read a CSV cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def sheet_text(value) -> str:
    """User text for a workbook cell: its control characters out (Word's vertical tab becomes a
    new line)."""
    return without_control_characters(str(value))


def text_cell(cell, value) -> None:
    """An openpyxl cell holding ``value`` as text whatever it starts with (openpyxl would read
    "=…" as a formula)."""
    cell.value = sheet_text(value)
    cell.data_type = "s"


def csv_text(value) -> str:
    """A CSV cell of user text: control characters out, and a leading quote where a spreadsheet
    program would otherwise start a formula. Numbers pass unchanged."""
    if not isinstance(value, str):
        return value
    text = sheet_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
