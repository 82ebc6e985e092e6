"""Files the app hands out: PDFs rendered with WeasyPrint, and downloads of any kind."""

from io import BytesIO

from django.http import FileResponse
from django.template.loader import render_to_string

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_pdf(template: str, context: dict) -> bytes:
    """A template as PDF/A-3b, the archival variant WeasyPrint writes."""
    # WeasyPrint takes a second to import; only PDF requests should pay for it.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf(pdf_variant="pdf/a-3b")


def file_download(content: bytes, filename: str, content_type: str, *, inline=False):
    """A download with a safe Content-Disposition: PDFs open in the browser (inline), workbooks
    are saved (attachment)."""
    return FileResponse(
        BytesIO(content),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
