"""Files the app hands out: PDFs rendered with WeasyPrint, and downloads of any kind."""

import threading
from io import BytesIO

from django.http import FileResponse
from django.template.loader import render_to_string

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_fonts = threading.local()


def _font_configuration():
    """The system's fonts as WeasyPrint reads them, once per thread rather than once per PDF.

    Without one, every PDF loads fontconfig's configuration and every installed font anew:
    13 ms of a 55 ms protokollsutdrag (issue #12). It holds no user's or förbund's data, only
    the installed fonts and metrics keyed by font style (our templates declare no @font-face),
    so a PDF reads the same with it; per thread because Pango's font map is not thread-safe."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "configuration"):
        _fonts.configuration = FontConfiguration()
    return _fonts.configuration


def render_pdf(template: str, context: dict) -> bytes:
    """A template as PDF/A-3b, the archival variant WeasyPrint writes."""
    # WeasyPrint takes a second to import; only PDF requests should pay for it.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf(
        pdf_variant="pdf/a-3b", font_config=_font_configuration()
    )


def file_download(content: bytes, filename: str, content_type: str, *, inline=False):
    """A download with a safe Content-Disposition: PDFs open in the browser (inline), workbooks
    are saved (attachment)."""
    return FileResponse(
        BytesIO(content),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type,
    )
