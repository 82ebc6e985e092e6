"""The verksamhetsplan's year in the browser: the officer starts next year's plan from this
year's adopted one, edits a section with a preview, places the budget and board parts, previews
the draft as PDF and puts it on the board's upcoming meeting; the board reads it on the meeting
page and in the meeting pack; the meeting is held and its minutes justerade (through the
services: the browser adds nothing there, and the meeting pages have their own flows); the
officer adopts the plan, which freezes it with its SHA-256 shown; the auditor downloads the
adopted PDF, byte for byte the stored one. axe on every page."""

import datetime
import hashlib
import re
import subprocess

from django.utils import timezone
from playwright.sync_api import expect

from applications import selectors as application_selectors
from applications import services as application_services
from applications.models import AgendaItem, Meeting
from budget import plan_exports
from budget import selectors as budget_selectors
from budget.models import Plan
from budget.plan_services import PART_TAKEN
from finsam.models import User
from finsam.money import format_tkr
from tests.browser.conftest import SCREENSHOTS, check_accessibility, log_in, screenshot


def pdf_pages(path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\xa0", " ")
    return [page for page in text.split("\f") if page.strip()]


def download(page, link_name: str, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def hold_the_meeting(meeting: Meeting, officer: User) -> None:
    """The board meets (yesterday, so that the minutes may be drawn up), everyone present; the
    application waits for its linked continuation (struck from this agenda); the board adopts
    the plan, and the minutes are justerade."""
    for item in meeting.agenda_items.filter(kind=AgendaItem.Kind.APPLICATION):
        application_services.agenda_item_remove(user=officer, item=item)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=yesterday.replace(hour=9, minute=0))
    meeting.refresh_from_db()
    ordinary = [s for s in application_selectors.board_seats_on(meeting) if s.kind == "ordinary"]
    application_services.attendance_record(
        user=officer,
        meeting=meeting,
        rows=[
            application_services.AttendanceRow(seat=seat, present=True, approver=index == 1)
            for index, seat in enumerate(ordinary)
        ],
    )
    application_services.minutes_open(user=officer, meeting=meeting)
    for item in meeting.agenda_items.filter(kind__in=AgendaItem.NEEDS_DECISION):
        application_services.decision_record(
            user=officer,
            item=item,
            text="Styrelsen beslutar att anta verksamhetsplanen med budget.",
        )
    application_services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )


def test_the_plans_year_from_draft_to_the_auditors_archived_pdf(page, live_server, demo, tmp_path):
    year = timezone.localdate().year + 1
    officer = User.objects.get(email="kansli@example.org")
    # The demo has written next year's draft already; this flow writes it anew from the start.
    demo_draft = Plan.objects.get(first_year=year)
    application_services.agenda_item_remove(user=officer, item=demo_draft.agenda_item)
    demo_draft.sections.all().delete()
    demo_draft.delete()

    # --- The officer starts next year's plan from this year's adopted one.
    log_in(page, live_server, "kansli@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Verksamhetsplaner med budget").click()
    expect(page.get_by_role("cell", name=re.compile(f"Antagen {year - 2}-11-20"))).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Ny verksamhetsplan").click()
    check_accessibility(page)
    page.get_by_label(re.compile(r"^\s*År\*?\s*$")).fill(str(year))
    page.get_by_label("Diarienummer").fill(f"{year - 1}-00042")
    page.get_by_role("button", name="Skapa").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Verksamhetsplan med budget {year}"
    )
    expect(page.get_by_role("status").first).to_contain_text("är skapad som utkast")
    # Last year's fourteen sections, text and parts; its year still in the text.
    contents = page.get_by_role("navigation", name="Innehåll")
    expect(contents.get_by_role("link")).to_have_count(14)
    expect(page.get_by_text(f"Under {year - 1} fortsätter förbundet")).to_be_visible()
    check_accessibility(page)

    # --- A section edited: next year's text, with a list and emphasis, previewed first.
    page.get_by_role("link", name="Redigera Verksamhet och insatser").click()
    check_accessibility(page)
    page.get_by_label("Text", exact=True).fill(
        f"Under {year} prioriterar förbundet *unga vuxna* och:\n\n"
        "- samverkan med **vårdcentralerna**\n"
        "- insatser för långtidssjukskrivna\n\n"
        "<script>alert('inte här')</script>"
    )
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.locator(".plan-preview")
    expect(page.get_by_role("heading", name="Förhandsgranskning (inte sparad)")).to_be_visible()
    expect(preview.locator("em")).to_have_text("unga vuxna")
    expect(preview.locator("li")).to_have_count(2)
    expect(preview).to_contain_text("<script>alert('inte här')</script>")  # shown as text
    screenshot(page, "plan-section-preview")
    check_accessibility(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").first).to_contain_text("”Verksamhet och insatser” är sparat.")
    expect(page.get_by_text(f"Under {year} prioriterar förbundet")).to_be_visible()

    # --- The board part under a section of its own: refused while Organisation holds it.
    page.get_by_role("link", name="Nytt avsnitt").click()
    check_accessibility(page)
    page.get_by_label("Rubrik").fill("Styrelsen")
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_label("Genererad del efter texten").select_option(label="Styrelsen")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        PART_TAKEN.format(part="Styrelsen", heading="Organisation")
    )
    check_accessibility(page)
    page.get_by_role("link", name="Tillbaka till planen").click()
    page.get_by_role("link", name="Redigera Organisation").click()
    page.get_by_label("Genererad del efter texten").select_option(label="Ingen")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Redigera Styrelsen", exact=True).click()
    page.get_by_label("Genererad del efter texten").select_option(label="Styrelsen")
    page.get_by_role("button", name="Spara").click()
    board_section = page.locator(
        "section.plan-section", has=page.get_by_role("heading", name="Styrelsen", exact=True)
    )
    expect(
        board_section.get_by_role("table", name=re.compile("^Styrelsen mandatperioden"))
    ).to_be_visible()

    # --- The budget part: the Budget section goes, a new one takes its place with the tables.
    page.get_by_role("button", name="Ta bort Budget").click()
    expect(page.get_by_role("status").first).to_contain_text("Avsnittet ”Budget” är borttaget.")
    page.get_by_role("link", name="Nytt avsnitt").click()
    page.get_by_label("Rubrik").fill("Ekonomi och budget")
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_label("Text", exact=True).fill(
        f"Budgeten för {year} bygger på ägarbidragen och det som förs över från {year - 1}."
    )
    page.get_by_label("Genererad del efter texten").select_option(label="Budget")
    page.get_by_role("button", name="Spara").click()
    budget_table = page.get_by_role("table", name=f"Budget {year}, tkr")
    means = budget_table.get_by_role("row", name=re.compile("Medel för insatser att fördela"))
    expect(means).to_be_visible()
    # The same figure as the budget's own page.
    figure = means.get_by_role("cell").last.inner_text().replace("\xa0", " ").strip()
    periods = budget_selectors.periods_for(officer.roles.get().association).values()
    period = next(period for period in periods if period.budget.year == year)
    assert figure == format_tkr(period.budgeted.means_to_distribute).replace("\xa0", " ")
    # It stands before Eget kapital, where the budget used to be.
    headings = page.locator("section.plan-section h2")
    page.get_by_role("button", name="Flytta upp Ekonomi och budget").click()
    expect(headings.nth(13)).to_have_text("Ekonomi och budget")
    page.get_by_role("button", name="Flytta upp Ekonomi och budget").click()
    expect(headings.nth(12)).to_have_text("Ekonomi och budget")
    expect(headings.nth(13)).to_have_text("Eget kapital")
    expect(headings.nth(14)).to_have_text("Styrelsen")
    screenshot(page, "plan-detail-officer")
    check_accessibility(page)

    page.get_by_role("link", name="Uppgifter om planen").click()
    check_accessibility(page)
    page.go_back()

    # --- The draft as PDF: "Utkast" on every page, the edited text, the budget's figure.
    pdf = download(page, "Utkast som PDF", tmp_path)
    assert pdf.name == f"verksamhetsplan-{year}-v1-utkast.pdf"
    pages = pdf_pages(pdf)
    assert f"Verksamhetsplan med budget {year}" in pages[0]
    assert all("UTKAST" in text for text in pages)
    assert "• samverkan med vårdcentralerna" in "\n".join(pages)
    assert re.search(rf"Medel för insatser att fördela\s+{re.escape(figure)}", "\n".join(pages))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf), str(SCREENSHOTS / "plan-draft-page")],
        check=True,
    )

    # --- On the agenda of the board's upcoming meeting.
    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now(), body="board").get()
    page.get_by_role("link", name="Sätt upp på dagordningen").click()
    check_accessibility(page)
    page.get_by_label("Styrelsens sammanträde").select_option(value=str(upcoming.pk))
    page.get_by_role("button", name="Sätt upp").click()
    expect(page.get_by_role("status").first).to_contain_text("står på dagordningen för")
    expect(page.get_by_text("På dagordningen:")).to_be_visible()
    page.get_by_role("button", name="Logga ut").click()

    # --- The board reads it under its item and in full in the meeting pack.
    log_in(page, live_server, "styrelse@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Sammanträden"
    ).click()
    page.get_by_role(
        "link", name=f"{timezone.localtime(upcoming.starts_at):%Y-%m-%d %H:%M}"
    ).click()
    plan_on_agenda = page.locator(".agenda-plan")
    expect(plan_on_agenda).to_contain_text(f"Verksamhetsplan med budget {year}, version 1 · utkast")
    expect(plan_on_agenda).to_contain_text("Ekonomi och budget")
    screenshot(page, "plan-on-the-meeting-page-board")
    check_accessibility(page)
    # The pack opens in the browser's PDF viewer; read with the board member's session.
    pack_url = page.get_by_role("link", name="Kallelse med handlingar (PDF)").get_attribute("href")
    pack = tmp_path / "kallelse.pdf"
    pack.write_bytes(page.request.get(live_server.url + pack_url).body())
    pack_pages = pdf_pages(pack)
    appendix = [p for p in pack_pages if f"Bilaga: Verksamhetsplan med budget {year}, utkast" in p]
    assert appendix, "the plan is in the pack as its own section"
    assert "• samverkan med vårdcentralerna" in "\n".join(appendix)
    assert re.search(rf"Medel för insatser att fördela\s+{re.escape(figure)}", "\n".join(appendix))
    plan_on_agenda.get_by_role("link", name=re.compile("^Läs planen")).click()
    expect(page.get_by_role("link", name="Redigera Inledning")).to_have_count(0)
    check_accessibility(page)
    page.get_by_role("button", name="Logga ut").click()

    # --- The meeting is held, the board decides, the minutes are justerade.
    hold_the_meeting(upcoming, officer)

    # --- The officer adopts the plan: frozen, its SHA-256 shown.
    log_in(page, live_server, "kansli@example.org")
    plan = Plan.objects.get(first_year=year)
    page.goto(live_server.url + plan.get_absolute_url())
    expect(page.get_by_text("beslutat och justerat")).to_be_visible()
    page.get_by_role("link", name="Anta planen").click()
    check_accessibility(page)
    page.get_by_role("button", name="Anta planen").click()
    expect(page.get_by_role("status").first).to_contain_text("är antagen och sparad som PDF/A")
    plan.refresh_from_db()
    expect(page.locator("code.sha256")).to_have_text(plan.pdf_sha256)
    expect(page.get_by_role("link", name=re.compile("^Redigera"))).to_have_count(0)
    expect(page.get_by_role("button", name="Revidera (ny version)")).to_be_visible()
    screenshot(page, "plan-adopted-officer")
    check_accessibility(page)
    page.get_by_role("button", name="Logga ut").click()

    # --- The auditor finds it under Budget and downloads the stored PDF.
    log_in(page, live_server, "revisor@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Verksamhetsplaner med budget").click()
    check_accessibility(page)
    page.get_by_role("link", name=f"Verksamhetsplan med budget {year}", exact=True).click()
    expect(page.locator("code.sha256")).to_have_text(plan.pdf_sha256)
    screenshot(page, "plan-adopted-auditor")
    check_accessibility(page)
    archived = download(page, "Antagen plan som PDF", tmp_path)
    assert archived.name == f"verksamhetsplan-{year}-v1-antagen.pdf"
    content = archived.read_bytes()
    assert hashlib.sha256(content).hexdigest() == plan.pdf_sha256
    assert content == plan_exports.stored_pdf(plan)
    archived_pages = pdf_pages(archived)
    item = plan.agenda_item
    assert (
        f"Antagen av styrelsen {plan.adopted_on:%Y-%m-%d}, § {item.paragraph}" in archived_pages[0]
    )
    assert not any("UTKAST" in text for text in archived_pages)
