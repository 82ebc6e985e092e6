"""The application list as Excel and the application as PDF."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from applications.models import Application
from finsam.downloads import render_pdf
from finsam.models import Association
from finsam.money import kronor_to_tkr
from finsam.spreadsheets import sheet_text, text_cell

LIST_COLUMNS = [
    # (header, width, value of an application, number format)
    ("Diarienummer", 14, lambda a: a.dnr or "–", None),
    ("Projektets namn", 48, lambda a: a.name, None),
    ("Typ", 22, lambda a: a.get_kind_display(), None),
    ("Status", 16, lambda a: a.get_state_display(), None),
    ("Beslut §", 10, lambda a: a.decided_paragraph, None),
    (
        "Beslutsdatum",
        12,
        lambda a: timezone.localdate(a.decided_on) if a.decided_on else None,
        "yyyy-mm-dd",
    ),
    ("Beviljat (tkr)", 14, lambda a: kronor_to_tkr(a.granted) if a.granted else None, "#,##0"),
    ("Huvudman", 24, lambda a: a.owner.name if a.owner else "", None),
    ("Insatsansvarig", 24, lambda a: a.lead_name, None),
    ("Inriktning", 20, lambda a: a.get_orientation_display(), None),
    ("Målgrupper", 48, lambda a: "; ".join(g.name for g in a.target_groups.all()), None),
    ("Startdatum", 12, lambda a: a.period_start, "yyyy-mm-dd"),
    ("Slutdatum", 12, lambda a: a.period_end, "yyyy-mm-dd"),
    (
        "Registrerad",
        12,
        lambda a: timezone.localdate(a.registered_at) if a.registered_at else None,
        "yyyy-mm-dd",
    ),
]


def application_list_xlsx(applications, *, association: Association) -> bytes:
    """The filtered list, one application per row: a header row that stays in view, an
    autofilter, dates as real dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ansökningar"
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for column, (header, width, _value, _format) in enumerate(LIST_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    row = 1
    for row, application in enumerate(applications, start=2):
        for column, (_header, _width, value, number_format) in enumerate(LIST_COLUMNS, start=1):
            cell = sheet.cell(row=row, column=column)
            cell_value = value(application)
            if isinstance(cell_value, str):
                text_cell(cell, cell_value)  # typed text stays text, never a formula
            else:
                cell.value = cell_value
            if number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(LIST_COLUMNS))}{row}"
    sheet.print_title_rows = "1:1"
    workbook.properties.title = sheet_text(f"Insatsansökningar – {association.name}")
    workbook.properties.creator = "Finsam"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def application_pdf(
    application: Application, *, criteria, budget, own_funds=None, decided_items=()
) -> bytes:
    """The filled-in form with Dnr, the criteria check and the assessment, as PDF/A.
    ``own_funds`` (criteria.OwnFunds) puts the parties' own contributions beside the budget's."""
    return render_pdf(
        "applications/pdf.html",
        {
            "application": application,
            "criteria": criteria,
            "budget": budget,
            "own_funds": own_funds,
            "decided_items": decided_items,
            "association": application.association,
            "printed": timezone.localdate(),
        },
    )


def meeting_pack_pdf(context: dict) -> bytes:
    """The kallelse with its agenda, then each application in full, with bookmarks."""
    return render_pdf("applications/meetings/pdf_pack.html", context)


def minutes_pdf(context: dict) -> bytes:
    """The protokoll: present, serving deputies, recusals per paragraph, signature lines."""
    return render_pdf("applications/meetings/pdf_minutes.html", context)


def minutes_extract_pdf(context: dict) -> bytes:
    """Protokollsutdrag: one paragraph with attendance, jäv and the justering attestation."""
    return render_pdf("applications/meetings/pdf_extract.html", context)
