"""The budget in the browser: the officer builds and adopts a budget and imports the ledger's
actuals; the auditor downloads the report as PDF (read by poppler) and as xlsx (computed by
LibreOffice)."""

import re
import subprocess

from playwright.sync_api import expect

from budget.models import Budget
from budget.selectors import period_with_chain
from tests.browser.conftest import check_accessibility, log_in, screenshot
from tests.helpers import SEED_2010_TABLE, computed_by_libreoffice, seed_layout_xlsx, tkr

LEDGER = """Konto;Datum;Belopp;Text
3510;2011-01-31;-1 300 000;Ägarbidrag kvartal 1
7210;2011-01-31;43 000;Samordnare januari
6110;2011-02-28;3 500,50;Kontor februari
"""


def test_officer_builds_adopts_and_imports_then_the_auditor_downloads(
    page, live_server, seed_demo, tmp_path
):
    log_in(page, live_server, "kansli@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    check_accessibility(page)
    page.get_by_role("link", name="Ny budgetperiod").click()
    expect(page.get_by_label("Periodens första dag")).to_have_value("2011-01-01")
    check_accessibility(page)
    page.get_by_role("button", name="Skapa").click()

    # The lines, in tkr, copied from 2010; the officer changes two.
    expect(page.get_by_role("heading", name=re.compile("Poster i Budget 2011"))).to_be_visible()
    page.get_by_label("Kontor").fill("45")
    page.get_by_label("Marknadsföring").fill("1 080")
    screenshot(page, "budget-lines-officer")
    check_accessibility(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").first).to_contain_text("Version 1 är sparad")
    expect(
        page.get_by_role("row", name=re.compile("Summa verksamhetens kostnader"))
    ).to_contain_text("2 225")

    # Contributions: one member set by hand makes the budget warn.
    page.get_by_role("link", name="Ägarbidrag per medlem").click()
    page.get_by_label("Svalövs kommun").fill("300 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("skillnad \u22124 136 kr")).to_be_visible()
    screenshot(page, "budget-contributions-officer")
    check_accessibility(page)
    page.get_by_label("Svalövs kommun").fill("")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Varning: medlemmarnas ägarbidrag")).to_have_count(0)
    page.get_by_role("link", name="Tillbaka till budgeten").click()

    # Adopted on a date the officer records.
    page.get_by_role("link", name="Fastställ").click()
    page.get_by_label("Fastställd den").fill("2010-11-29")
    check_accessibility(page)
    page.get_by_role("button", name="Fastställ").click()
    expect(page.get_by_text("Version 1, fastställd 2010-11-29")).to_be_visible()

    # The ledger's actuals: a preview first, then every row.
    page.get_by_role("link", name="Läs in utfall från huvudboken").click()
    ledger = tmp_path / "huvudbok-2011.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    page.get_by_label("Fil från huvudboken (xlsx eller csv)").set_input_files(str(ledger))
    page.get_by_label("Intäkter har minustecken i filen").check()
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_text("3 rader, summa 1 346 501 kr")).to_be_visible()
    screenshot(page, "budget-import-preview")
    check_accessibility(page)
    page.get_by_role("button", name="Spara alla 3 rader").click()
    expect(page.get_by_role("status").first).to_contain_text("3 rader från huvudbok-2011.csv")
    row = page.get_by_role("row", name=re.compile("^Samordnare"))
    expect(row).to_contain_text("43")  # utfall, tkr
    screenshot(page, "budget-detail-officer")
    check_accessibility(page)

    # The other officer pages: grid, forecast, chart and the equity guideline.
    for link in ("Skriv in utfall", "Prognos"):
        page.get_by_role("link", name=link).click()
        check_accessibility(page)
        page.go_back()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    for link in ("Kontoplan", "Riktlinje för eget kapital"):
        page.get_by_role("link", name=link).click()
        check_accessibility(page)
        page.go_back()
    page.get_by_role("button", name="Logga ut").click()

    # The auditor reads the period and downloads both files.
    log_in(page, live_server, "revisor@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Budget 2011").click()
    expect(page.get_by_role("link", name="Fastställ")).to_have_count(0)
    for label in ("Resultat inkl. överfört från föregående år", "Årets resultat"):
        expect(page.get_by_role("row", name=re.compile(f"^{label}"))).to_be_visible()
    expect(page.get_by_text("Så räknas raderna")).to_be_visible()
    expect(page.get_by_role("link", name="Läs in utfall från huvudboken")).to_have_count(0)
    screenshot(page, "budget-detail-auditor")
    check_accessibility(page)
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Rapport som PDF").click()
    pdf = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\xa0", " ")
    assert pdf.name == "budget-och-utfall-2011-01-v1.pdf"
    for page_text in filter(str.strip, text.split("\f")):
        assert "Samordningsförbundet Landskrona-Svalöv" in page_text
        assert "Budget och utfall 2011" in page_text
        assert "Version 1, fastställd 2010-11-29" in page_text
    assert re.search(r"Samordnare\s+510\s+43\s+\u2212467", text)

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Rapport som Excel").click()
    xlsx = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx)
    computed = computed_by_libreoffice(xlsx.read_bytes(), tmp_path)
    budget = Budget.objects.get(period_start__year=2011)
    period, _chain = period_with_chain(budget.association, budget)
    figures = computed["Budget och utfall"]
    result = figures["Resultat inkl. överfört från föregående år"]
    assert result[:2] == [
        tkr(period.budgeted.result_with_carry_over),
        tkr(period.actual.result_with_carry_over),
    ]
    year_result = figures["Årets resultat"]
    assert year_result[:2] == [tkr(period.budgeted.year_result), tkr(period.actual.year_result)]
    assert computed["Eget kapital"]["2011 (budget)"][2] == year_result[0]
    assert period.actual.contributions == 1_300_000


def test_officer_reads_an_old_table_and_closes_and_reopens_a_period(
    page, live_server, seed_demo, tmp_path
):
    log_in(page, live_server, "kansli@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    screenshot(page, "budget-overview-officer")

    # Seed 004's 2010 table, typed sums and all, becomes a draft for 2011.
    page.get_by_role("link", name="Läs in en budgettabell").click()
    check_accessibility(page)
    table = tmp_path / "budget-2010.xlsx"
    table.write_bytes(seed_layout_xlsx(SEED_2010_TABLE).getvalue())
    page.get_by_label("Periodens första dag").fill("2011-01-01")
    page.get_by_label("Periodens sista dag").fill("2011-12-31")
    page.get_by_label("Budgettabell (xlsx)").set_input_files(str(table))
    page.get_by_role("button", name="Läs in som utkast").click()
    expect(
        page.get_by_text(
            "Rad 6, Summa intäkter: summan är inskriven som 10 422 tkr, men raderna ovanför "
            "ger 9 982 tkr."
        )
    ).to_be_visible()
    screenshot(page, "budget-legacy-result")
    check_accessibility(page)

    # 2010 is closed, then opened again with a reason.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Budget 2010").click()
    page.get_by_role("button", name="Stäng perioden").click()
    expect(page.get_by_text("Perioden är stängd")).to_be_visible()
    page.get_by_role("link", name="Öppna perioden igen").click()
    check_accessibility(page)
    page.get_by_label("Varför öppnas perioden igen?").fill("Sen leverantörsfaktura för december")
    page.get_by_role("button", name="Öppna").click()
    expect(page.get_by_text("Skäl: Sen leverantörsfaktura för december")).to_be_visible()
    page.get_by_role("link", name="Prognos").click()
    screenshot(page, "budget-forecast-officer")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Riktlinje för eget kapital").click()
    screenshot(page, "budget-ceilings-officer")
