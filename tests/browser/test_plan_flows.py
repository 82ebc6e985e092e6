"""The verksamhetsplan in the browser: the officer starts the plan for a year that has a budget,
writes a section with a list and emphasis, previews it, places the Budget part and downloads the
PDF (read by poppler); the board reads the plan; axe on every page."""

import re
import subprocess

from playwright.sync_api import expect

from budget.models import Budget, Plan
from tests.browser.conftest import SCREENSHOTS, check_accessibility, log_in, screenshot


def plan_year() -> int:
    """The latest year of the demo that has a budget and no plan yet."""
    planned = set(Plan.objects.values_list("first_year", flat=True))
    years = {budget.year for budget in Budget.objects.all()} - planned
    return max(years)


def test_officer_writes_previews_places_the_budget_and_downloads_the_pdf(
    page, live_server, demo, tmp_path
):
    year = plan_year()
    log_in(page, live_server, "kansli@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Verksamhetsplaner med budget").click()
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
    contents = page.get_by_role("navigation", name="Innehåll")
    expect(contents.get_by_role("link")).to_have_count(12)
    screenshot(page, "plan-new-officer")
    check_accessibility(page)

    # The introduction: paragraphs, a list and emphasis, previewed before it is saved.
    page.get_by_role("link", name="Redigera Inledning").click()
    check_accessibility(page)
    page.get_by_label("Text", exact=True).fill(
        "Förbundet arbetar för att *fler unga vuxna* kommer i arbete.\n\n"
        "Under året prioriterar vi:\n\n"
        "- samverkan med **vårdcentralerna**\n"
        "- insatser för långtidssjukskrivna\n\n"
        "<script>alert('inte här')</script>"
    )
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.locator(".plan-preview")
    expect(page.get_by_role("heading", name="Förhandsgranskning (inte sparad)")).to_be_visible()
    expect(preview.locator("em")).to_have_text("fler unga vuxna")
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator("strong")).to_have_text("vårdcentralerna")
    expect(preview).to_contain_text("<script>alert('inte här')</script>")  # shown as text
    screenshot(page, "plan-section-preview")
    check_accessibility(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").first).to_contain_text("”Inledning” är sparat.")
    introduction = page.locator("section.plan-section").first
    expect(introduction.locator("li")).to_have_count(2)
    expect(introduction.locator("em")).to_have_text("fler unga vuxna")

    # The Budget part under the Budget heading, and the board under Organisation.
    page.get_by_role("link", name="Redigera Budget").click()
    page.get_by_label("Genererad del efter texten").select_option(label="Budget")
    page.get_by_role("button", name="Spara").click()
    budget_table = page.get_by_role("table", name=re.compile(f"^Budget {year}"))
    expect(budget_table).to_be_visible()
    expect(
        budget_table.get_by_role("row", name=re.compile("Medel för insatser att fördela"))
    ).to_be_visible()
    page.get_by_role("link", name="Redigera Organisation").click()
    page.get_by_label("Genererad del efter texten").select_option(label="Styrelsen")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("table", name=re.compile("^Styrelsen mandatperioden"))).to_be_visible()

    # Reordered: Budget one step up.
    page.get_by_role("button", name="Flytta upp Budget").click()
    headings = page.locator("section.plan-section h2")
    expect(headings.nth(10)).to_have_text("Budget")
    screenshot(page, "plan-detail-officer")
    check_accessibility(page)

    page.get_by_role("link", name="Uppgifter om planen").click()
    check_accessibility(page)
    page.go_back()
    page.get_by_role("link", name="Sätt upp på dagordningen").click()
    check_accessibility(page)
    page.go_back()
    page.get_by_role("link", name="Nytt avsnitt").click()
    check_accessibility(page)
    page.go_back()
    page.get_by_role("link", name="Anta planen").click()
    expect(
        page.get_by_text("Beslutet antar planen och budgetversionen den anger (version")
    ).to_be_visible()
    check_accessibility(page)
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("link", name="Utkast som PDF").click()
    pdf = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf)
    assert pdf.name == f"verksamhetsplan-{year}-v1-utkast.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\xa0", " ")
    pages = [page_text for page_text in text.split("\f") if page_text.strip()]
    assert f"Verksamhetsplan med budget {year}" in pages[0]
    assert all("UTKAST" in page_text for page_text in pages)
    assert "Innehåll" in pages[1] and "Inledning" in pages[1]
    assert "• samverkan med vårdcentralerna" in text
    assert "Medel för insatser att fördela" in text
    # Every page of the PDF as PNG beside the screenshots, for people to look at.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(SCREENSHOTS / "plan-pdf-page")], check=True
    )
    page.get_by_role("button", name="Logga ut").click()

    # The board reads the draft; it has nothing to edit.
    log_in(page, live_server, "styrelse@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Verksamhetsplaner med budget").click()
    page.get_by_role("link", name=f"Verksamhetsplan med budget {year}", exact=True).click()
    expect(page.get_by_role("link", name="Redigera Inledning")).to_have_count(0)
    expect(page.get_by_role("table", name=re.compile(f"^Budget {year}"))).to_be_visible()
    screenshot(page, "plan-detail-board")
    check_accessibility(page)
