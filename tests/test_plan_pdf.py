"""The verksamhetsplan as PDF/A, read by poppler as an archivist would: the table of contents
points at the right pages, the header and footer are on every page, the budget's figures are the
budget page's, the fonts are embedded and every heading is a bookmark."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from applications import services as application_services
from budget import plan_exports, plan_services, selectors
from budget.models import Plan
from budget.plan_demo import load_plan_demo
from budget.plan_selectors import budget_table_groups
from finsam.models import Member, User
from finsam.money import format_tkr
from tests.factories import InitiativeFactory, InitiativeGrantFactory, justerat_plan_decision

FÖRBUND = "Samordningsförbundet Landskrona-Svalöv"
TOC_LINE = re.compile(r"^\s*(?P<heading>\S.*?)\s*\.{3,}\s*(?P<page>\d+)\s*$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kansli(seed):
    return User.objects.get(email="kansli@example.org")


@pytest.fixture
def plan(seed, kansli):
    InitiativeGrantFactory(
        initiative=InitiativeFactory(
            association=seed,
            name="Resursteamen på vårdcentralerna",
            owner=Member.objects.get(association=seed, name="Region Skåne"),
            period_start=datetime.date(2009, 10, 1),
            period_end=datetime.date(2011, 9, 30),
        ),
        year=2010,
        amount=Decimal("780000"),
    )
    plan = load_plan_demo(2010)
    application_services.agenda_item_remove(user=kansli, item=plan.agenda_item)
    plan.refresh_from_db()
    return plan


def poppler(tool: str, path, *args) -> str:
    result = subprocess.run(
        [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, *args, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.replace("\xa0", " ")


def pages_of(path) -> list[str]:
    """The text of each page, as pdftotext lays it out."""
    text = poppler("pdftotext", path, "-layout")
    return [page for page in text.split("\f") if page.strip()]


def write(tmp_path, content: bytes, name="plan.pdf"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def toc_entries(pages: list[str]) -> list[tuple[str, int]]:
    toc = next(page for page in pages if "Innehåll" in page)
    return [
        (match["heading"], int(match["page"]))
        for line in toc.splitlines()
        if (match := TOC_LINE.match(line))
    ]


@pytest.mark.django_db
def test_every_toc_entry_points_at_the_page_with_its_heading(plan, tmp_path):
    path = write(tmp_path, plan_exports.plan_pdf(plan))
    pages = pages_of(path)

    entries = toc_entries(pages)

    headings = list(plan.sections.order_by("position").values_list("heading", flat=True))
    assert [heading for heading, _page in entries] == headings
    for heading, number in entries:
        lines = [line.strip() for line in pages[number - 1].splitlines()]
        assert heading in lines, (heading, number)
    assert entries[0][1] == 3  # title page, contents, then the text
    assert entries[-1][1] > entries[0][1]


@pytest.mark.django_db
def test_a_draft_says_so_on_every_page_with_header_and_page_numbers(plan, tmp_path):
    plan_services.plan_update(
        user=User.objects.get(email="kansli@example.org"),
        plan=plan,
        dnr="2009-00042",
        budget_version=plan.budget_version,
    )
    plan.refresh_from_db()
    pages = pages_of(write(tmp_path, plan_exports.plan_pdf(plan)))

    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        assert FÖRBUND in page.splitlines()[0]
        assert "Verksamhetsplan med budget 2010 · Dnr 2009-00042 · Utkast" in page
        assert "UTKAST" in page
        assert f"Sida {number} av {len(pages)}" in page
    assert "Antagen av styrelsen" not in pages[0]


@pytest.mark.django_db
def test_the_budget_figures_in_the_pdf_are_the_budget_pages(plan, tmp_path):
    pages = pages_of(write(tmp_path, plan_exports.plan_pdf(plan)))
    text = "\n".join(pages)
    version = plan.budget_version
    period = selectors.period_get(plan.association, version.budget, version.number)

    rows = [row for group in budget_table_groups(period) for row in group if row.amount is not None]

    assert len(rows) >= 15
    for row in rows:
        figure = format_tkr(row.amount).replace("\xa0", " ")
        assert re.search(rf"^\s*{re.escape(row.label)}\s+{re.escape(figure)}\s*$", text, re.M), (
            row.label,
            figure,
        )
    assert re.search(r"^\s*Resursteamen på vårdcentralerna\s+780\s*$", text, re.M)
    assert re.search(r"^\s*Överfört från föregående år\s+4 982\s*$", text, re.M)


@pytest.mark.django_db
def test_the_budget_table_is_not_split_and_keeps_its_header(plan, tmp_path):
    pages = pages_of(write(tmp_path, plan_exports.plan_pdf(plan)))
    with_table = [page for page in pages if "Medel för insatser att fördela" in page]

    [page] = with_table
    assert "Verksamhetens ägarbidrag" in page and "Årets resultat" in page
    assert re.search(rf"{FÖRBUND}\s+Budget 2010", page)


@pytest.mark.django_db
def test_fonts_are_embedded_every_heading_is_a_bookmark_and_it_is_pdf_a(plan, tmp_path):
    path = write(tmp_path, plan_exports.plan_pdf(plan))

    fonts = poppler("pdffonts", path).splitlines()[2:]
    assert fonts
    for font in fonts:
        assert font.split()[-5] == "yes", font  # the emb column
    outline = poppler("pdftohtml", path, "-xml", "-stdout", "-i", "-q")
    bookmarks = re.findall(r'<item page="(\d+)">([^<]+)</item>', outline)
    titles = [title for _page, title in bookmarks]
    for heading in plan.sections.values_list("heading", flat=True):
        assert heading in titles
    assert "Beredningsgrupp" in titles and "Kansli" in titles  # the parts' subheadings too
    meta = poppler("pdfinfo", path, "-meta")
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    # Swedish text is extractable as text, å, ä and ö included.
    assert "Övergripande mål, syfte och centrala begrepp" in poppler("pdftotext", path)


@pytest.mark.django_db
def test_the_adopted_pdf_names_the_decision_and_is_stored_once(plan, kansli, tmp_path, login):
    item = justerat_plan_decision(plan, kansli)
    adopted = plan_services.plan_adopt(user=kansli, plan=plan, agenda_item=item)

    response = login(kansli).get(reverse("budget:plan_pdf", args=[plan.pk]))
    content = b"".join(response.streaming_content)
    pages = pages_of(write(tmp_path, content))

    assert response["Content-Disposition"].endswith('"verksamhetsplan-2010-v1-antagen.pdf"')
    day = item.meeting.starts_at.date()
    assert f"Antagen av styrelsen {day:%Y-%m-%d}, § {item.paragraph}" in pages[0]
    assert all("Utkast" not in page and "UTKAST" not in page for page in pages)
    assert content == plan_exports.stored_pdf(adopted)
    assert Plan.objects.get(pk=plan.pk).pdf_sha256 == adopted.pdf_sha256


@pytest.mark.django_db
def test_the_management_command_writes_the_adopted_plan_as_stored(plan, kansli, tmp_path):
    item = justerat_plan_decision(plan, kansli)
    adopted = plan_services.plan_adopt(user=kansli, plan=plan, agenda_item=item)
    out = io.StringIO()

    call_command("plan_pdf", "222000-2733", "2010", "--out", str(tmp_path / "arkiv"), stdout=out)

    written = tmp_path / "arkiv" / "verksamhetsplan-2010-v1-antagen.pdf"
    assert written.read_bytes() == plan_exports.stored_pdf(adopted)
    assert adopted.pdf_sha256 in out.getvalue()


@pytest.mark.django_db
def test_the_management_command_writes_a_draft_and_refuses_a_year_without_a_plan(plan, tmp_path):
    call_command("plan_pdf", "222000-2733", "2010", "--out", str(tmp_path), stdout=io.StringIO())
    pages = pages_of(tmp_path / "verksamhetsplan-2010-v1-utkast.pdf")
    assert "Utkast" in pages[0]
    with pytest.raises(CommandError, match="ingen verksamhetsplan för 2031"):
        call_command("plan_pdf", "222000-2733", "2031", stdout=io.StringIO())
