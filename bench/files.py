"""Hostile uploads, built in memory: the benchmark's upload measurements and tests/test_uploads.py
use the same files."""

import io
import zipfile

import xlsxwriter

# The hostile uploads of issue #13, each posted once in a fresh process: (URL name, file, fields).
UPLOADS = {
    "budgettabell, 300 000 rader": ("budget:legacy_import", "long", "legacy"),
    "budgettabell, zip-bomb 3 milj. rader": ("budget:legacy_import", "bomb", "legacy"),
    "huvudbok, zip-bomb 3 milj. rader": ("budget:import", "bomb", "ledger"),
    "deltagarregister, zip-bomb 3 milj. rader": ("followup:register_import", "bomb", "register"),
}

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main"><sheetData>'
)


def long_workbook(rows: int, sheet_name: str | None = None) -> bytes:
    """A real xlsx of ``rows`` budget-table rows ("Ägarbidrag Kommun", 1000), as a careless
    export from a ledger system would be: 300 000 rows are about 4 MB."""
    buffer = io.BytesIO()
    # constant_memory writes row by row, as a large export from a ledger system would be.
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet(sheet_name)
    for number in range(rows):
        sheet.write_row(number, 0, [f"Ägarbidrag Kommun {number}", 1000])
    workbook.close()
    return buffer.getvalue()


def zip_bomb(rows: int = 3_000_000, sheet: str = "Blad1") -> bytes:
    """A real xlsx whose one sheet holds ``rows`` identical rows: a few hundred kilobytes that
    inflate to about a hundred megabytes (three million rows), written piece by piece."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
            'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships"><sheets><sheet name="{sheet}" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
        row = b'<row><c t="inlineStr"><is><t>Kontor</t></is></c><c><v>45</v></c></row>'
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet_xml:
            sheet_xml.write(SHEET_HEAD)
            chunk = row * 10_000
            for _ in range(rows // 10_000):
                sheet_xml.write(chunk)
            sheet_xml.write(b"</sheetData></worksheet>")
    return buffer.getvalue()
