"""PDFs read the installed fonts once per thread (finsam/downloads.py, issue #12): each PDF still
prints its own text, laid out and with the fonts of a PDF whose fonts were loaded afresh, and
another thread reads its own."""

import subprocess
import threading

import pytest
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from finsam import downloads

TEMPLATE = """<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
@page { size: A4; margin: 2cm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
h1 { font-size: 16pt; } .note { font-style: italic; font-size: 8pt; }
td.amount { text-align: right; font-weight: bold; }
</style></head><body><h1>{{ title }}</h1>
<table><tr><td>Beviljat år 2027</td><td class="amount">{{ amount }}</td></tr></table>
<p class="note">Åtgärder för ökad självförsörjning, § 14</p></body></html>"""


@pytest.fixture
def pdf_template(settings, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "prov.html").write_text(TEMPLATE, encoding="utf-8")
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [folder]}
    ]
    return "prov.html"


def printed(tmp_path, content: bytes, *command) -> str:
    """What poppler reads in the PDF: its text (pdftotext, the default) or its fonts."""
    path = tmp_path / "utskrift.pdf"
    path.write_bytes(content)
    command = command or ("pdftotext", "-layout")
    output = ["-"] if command[0] == "pdftotext" else []
    return subprocess.run(
        [*command, str(path), *output], capture_output=True, text=True, check=True
    ).stdout


def font_names(listing: str) -> list[str]:
    """pdffonts' font names without the random prefix of each embedded subset."""
    return sorted(line.split()[0].split("+")[-1] for line in listing.splitlines()[2:])


def test_pdfs_of_a_thread_share_the_fonts_and_print_as_with_fonts_loaded_afresh(
    pdf_template, tmp_path
):
    first = downloads.render_pdf(pdf_template, {"title": "Unga vuxna", "amount": "450 000"})
    configuration = downloads._font_configuration()
    # the PDF was laid out with it: WeasyPrint kept the line heights of its font styles there
    assert configuration.strut_layouts
    context = {"title": "Arbetslivsingången", "amount": "1 200 000"}
    second = downloads.render_pdf(pdf_template, context)

    assert downloads._font_configuration() is configuration
    assert "Unga vuxna" in printed(tmp_path, first)
    second_text = printed(tmp_path, second)
    assert "Arbetslivsingången" in second_text and "Unga vuxna" not in second_text
    assert "1 200 000" in second_text

    afresh = HTML(string=render_to_string(pdf_template, context)).write_pdf(
        pdf_variant="pdf/a-3b", font_config=FontConfiguration()
    )
    assert second_text == printed(tmp_path, afresh)
    fonts = font_names(printed(tmp_path, second, "pdffonts"))
    assert {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique"} <= set(fonts)
    assert fonts == font_names(printed(tmp_path, afresh, "pdffonts"))


def test_each_thread_reads_its_own_fonts(pdf_template):
    here = downloads._font_configuration()
    there = []
    thread = threading.Thread(target=lambda: there.append(downloads._font_configuration()))
    thread.start()
    thread.join()

    assert there[0] is not here
    assert downloads._font_configuration() is here
