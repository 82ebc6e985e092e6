"""Insatser in the browser: the officer opens the insats list and an insats, adds three
participants to its register and ends one to work; reads the register file back; the auditor
reads the insats page without the register. axe on every page visited."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import add_participant, check_accessibility, log_in, screenshot

INSATS = "Arbetsträning Svalöv"


def test_officer_adds_three_participants_and_ends_one_to_work(page, live_server, demo, tmp_path):
    log_in(page, live_server, "kansli@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Insatser").click()
    expect(page.get_by_role("heading", name="Insatser")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(INSATS))
    expect(row).to_contain_text("Svalövs kommun")
    screenshot(page, "followup-list-officer")
    check_accessibility(page)

    page.get_by_role("link", name=INSATS).click()
    expect(page.get_by_role("heading", name=INSATS, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Deltagare")).to_be_visible()
    screenshot(page, "followup-insats-officer")
    check_accessibility(page)

    page.get_by_role("link", name="Deltagarregistret").click()
    expect(page.get_by_text("Alla (56)")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Ny deltagare").click()
    expect(page.get_by_text("varken namn, personnummer eller fritext")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "followup-participant-form")

    add_participant(page, "Kvinna", "1992", "2026-11-02", another=True)
    expect(page.get_by_role("status").first).to_contain_text("koden D-0057")
    add_participant(page, "Man", "1985", "2026-11-03", another=True)
    expect(page.get_by_role("status").first).to_contain_text("koden D-0058")
    add_participant(page, "Man", "2001", "2026-11-05", another=False)
    expect(page.get_by_role("status").first).to_contain_text("koden D-0059")
    expect(page.get_by_text("Alla (59)")).to_be_visible()

    page.get_by_role("link", name="Aktiva").click()
    page.get_by_role("link", name="Avsluta D-0057").click()
    expect(page.get_by_role("heading", name="Avsluta deltagare D-0057")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Slutdatum").fill("2026-11-20")
    page.get_by_label("Avslutsorsak").select_option(label="Arbete")
    page.get_by_label("Försörjning vid avslut").select_option(label="Lön")
    page.get_by_label("Sysselsättning vid avslut").select_option(label="Förvärvsarbete")
    page.get_by_role("button", name="Avsluta deltagaren").click()
    expect(page.get_by_role("status").first).to_contain_text("D-0057 är avslutad.")
    page.get_by_role("link", name=re.compile("^Avslutade")).click()
    ended = page.get_by_role("row", name=re.compile("D-0057"))
    expect(ended).to_contain_text("Arbete")
    expect(ended).to_contain_text("Förvärvsarbete")
    screenshot(page, "followup-register-officer")
    check_accessibility(page)

    # The register file: the template read back unchanged lands nothing.
    page.get_by_role("link", name="Läs in från fil").click()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="registret som Excel-mall").click()
    template = tmp_path / "deltagare.xlsx"
    download.value.save_as(template)
    page.get_by_label("Deltagarregistret (xlsx)").set_input_files(str(template))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_text("Filen innehåller inga nya eller ändrade deltagare.")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("navigation", name="Brödsmulor").get_by_role(
        "link", name="Deltagarregistret"
    ).click()
    page.get_by_role("link", name="Anonyma deltagare").click()
    expect(page.get_by_label("Kvinnor, februari 2026")).to_have_value("3")
    page.get_by_label("Män, november 2026").fill("1")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").first).to_contain_text("Anonyma deltagare 2026 är sparade.")
    expect(page.get_by_label("Män, november 2026")).to_have_value("1")
    page.get_by_role("link", name="2025").click()
    expect(page.get_by_label("Kvinnor, mars 2025")).to_have_value("2")
    check_accessibility(page)
    screenshot(page, "followup-anonymous-officer")
    page.get_by_role("link", name="Tillbaka till insatsen").click()
    expect(page.get_by_role("heading", name=INSATS, level=1)).to_be_visible()
    screenshot(page, "followup-insats-after")


def test_the_auditor_reads_the_insats_without_the_register(page, live_server, demo):
    log_in(page, live_server, "revisor@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Insatser").click()
    check_accessibility(page)
    page.get_by_role("link", name="Hälsoteam Region Skåne").click()
    expect(
        page.get_by_text("Avslutad – implementerad i ordinarie verksamhet, 2025-12-31")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Deltagarregistret")).to_have_count(0)
    screenshot(page, "followup-insats-auditor")
    check_accessibility(page)
    response = page.goto(page.url + "deltagare/")
    assert response.status == 403
