"""The life of an application in the browser: registered by the officer, assessed by the
beredningsgrupp, finalised, read by the board; closed to the auditor and to other förbund."""

import re

from playwright.sync_api import expect

from applications.models import Application
from tests.browser.conftest import SCREENSHOTS, check_accessibility, log_in, screenshot

TEXTS = {
    "#id_purpose": "Många unga vuxna står långt från arbetsmarknaden och behöver stöd.",
    "#id_target_group_description": "Personer 18–29 år inskrivna hos Arbetsförmedlingen.",
    "#id_cooperation_goals": "Ett gemensamt arbetssätt som lever kvar efter projekttiden.",
    "#id_participant_goals": "Deltagarna kommer närmare arbete eller studier.",
    "#id_activity_plan": "Kartläggning, individuell plan och praktik med handledare.",
    "#id_organisation": "Projektledare hos Landskrona stad, handläggare från AF och FK.",
    "#id_steering_group": "Enhetschefer hos parterna.",
    "#id_reference_group": "Brukarorganisationer.",
    "#id_economy": "Lönekostnader; lokaler står huvudmannen för.",
    "#id_followup": "Månadsvis uppföljning av deltagare och halvårsrapport.",
    "#id_external_evaluator": "Högskolan i exempelstad",
    "#id_implementation": "Arbetssättet förs in i ordinarie verksamhet efter två år.",
    "#id_board_feedback": "Delrapport efter ett år, slutrapport efter projektets slut.",
}


def fill_application(page):
    page.fill("#id_name", "Unga vuxna i arbete")
    page.fill("#id_lead_name", "Maria Svensson")
    page.fill("#id_lead_organisation", "Landskrona stad")
    page.fill("#id_lead_email", "maria@example.org")
    page.fill("#id_lead_phone", "0418-47 00 00")
    page.get_by_label("Huvudman (projektägare)").select_option(label="Landskrona stad")
    page.get_by_role("group", name="Deltagande parter").get_by_label("Arbetsförmedlingen").check()
    page.get_by_role("group", name="Deltagande parter").get_by_label("Försäkringskassan").check()
    page.fill("#id_period_start", "2027-01-01")
    page.fill("#id_period_end", "2028-12-31")
    page.get_by_label("Individinriktad").check()
    page.get_by_label("Personer med psykosocial problematik").check()
    page.get_by_label("Nya professioner, tjänster, arbetssätt eller metoder").check()
    for selector, text in TEXTS.items():
        page.fill(selector, text)
    page.get_by_label("Rapporteras i den nationella uppföljningen").check()
    page.fill("#id_targets-0-text", "Beräknat flöde")
    page.fill("#id_targets-0-number", "140")
    page.fill("#id_targets-1-text", "Till arbete eller studier")
    page.fill("#id_targets-1-number", "10")
    page.fill("#id_activities-0-activity", "Rekrytering av deltagare")
    page.fill("#id_activities-0-start", "2027-01-01")
    page.fill("#id_activities-0-end", "2027-03-31")
    page.select_option("#id_commitments-0-member", label="Arbetsförmedlingen")
    page.fill("#id_commitments-0-commitment", "Handläggare på halvtid")
    page.fill("#id_commitments-0-own_contribution", "150 000")
    for row, year in enumerate(("2027", "2028")):
        page.fill(f"#id_budget_rows-{row}-year", year)
        page.fill(f"#id_budget_rows-{row}-label", "Personal")
        page.fill(f"#id_budget_rows-{row}-amount", "620 000")
    page.select_option("#id_planned_reports-0-kind", label="Slutrapport")
    page.fill("#id_planned_reports-0-due", "2029-03-31")


def test_application_from_registration_to_the_boards_reading(page, live_server, demo, browser):
    # The officer registers a new application.
    log_in(page, live_server, "kansli@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Ansökningar").click()
    check_accessibility(page)
    screenshot(page, "applications-list-officer")
    page.get_by_role("link", name="Ny ansökan").click()
    check_accessibility(page)
    fill_application(page)
    screenshot(page, "application-form-filled")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("status")).to_contain_text("Utkastet är sparat")
    # The parties' own contribution (Organisation) is not yet in the budget rows (Ekonomi).
    expect(page.locator(".criterion.not-met")).to_contain_text(
        "Parternas åtaganden (Organisation) anger 150 000 kr i egna medel, budgeten (Ekonomi) "
        "0 kr totalt"
    )
    expect(page.locator(".own-funds-differ")).to_contain_text("Egna medel skiljer sig")
    check_accessibility(page)
    page.get_by_role("link", name="Ändra").click()
    for row, year in ((2, "2027"), (3, "2028")):
        page.fill(f"#id_budget_rows-{row}-year", year)
        page.select_option(f"#id_budget_rows-{row}-kind", label="Egna medel från part")
        page.fill(f"#id_budget_rows-{row}-label", "Handläggare från Arbetsförmedlingen")
        page.fill(f"#id_budget_rows-{row}-amount", "75 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Ansökan är sparad")
    expect(page.locator(".own-funds")).to_contain_text(
        "Parternas egna medel: 150 000 kr, lika i parternas åtaganden"
    )
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_role("status").first).to_contain_text("Ansökan är registrerad")
    application = Application.objects.get(name="Unga vuxna i arbete")
    assert application.state == Application.State.REGISTERED
    expect(page.get_by_text(f"Dnr {application.dnr}")).to_be_visible()
    expect(page.locator(".criteria")).not_to_contain_text("!")
    screenshot(page, "application-registered")
    check_accessibility(page)
    detail_url = page.url
    page.get_by_role("button", name="Logga ut").click()

    # The beredningsgrupp assesses.
    log_in(page, live_server, "beredning@example.org")
    page.goto(detail_url)
    page.get_by_role("link", name="Skriv beredning").click()
    check_accessibility(page)
    page.get_by_role("group", name="Individperspektivet").get_by_label(
        "I högre utsträckning"
    ).check()
    page.get_by_label("Kommentar, individperspektivet").fill("Når personer med samordnade behov.")
    page.get_by_role("group", name="Samverkansperspektivet").get_by_label(
        "I högre utsträckning"
    ).check()
    page.get_by_label("Kommentar till implementeringsplanen").fill("Tydlig plan.")
    page.get_by_role("group", name="Rekommendation till styrelsen").get_by_label("Bevilja").check()
    page.get_by_label("Beredningsgruppens sammanfattning").fill(
        "Beredningsgruppen rekommenderar styrelsen att bevilja ansökan."
    )
    screenshot(page, "assessment-form")
    page.get_by_role("button", name="Spara beredningen").click()
    expect(page.get_by_text("Under beredning").first).to_be_visible()
    page.get_by_role("button", name="Logga ut").click()

    # The officer makes the recommendation final.
    log_in(page, live_server, "kansli@example.org")
    page.goto(detail_url)
    page.get_by_role("button", name="Fastställ rekommendationen").click()
    expect(page.get_by_role("status").first).to_contain_text("Rekommendationen är fastställd")
    page.get_by_role("button", name="Logga ut").click()

    # The board reads it, with the recommendation, and cannot change it.
    log_in(page, live_server, "styrelse@example.org")
    page.goto(detail_url)
    expect(
        page.get_by_text("Beredningsgruppen rekommenderar styrelsen att bevilja ansökan.")
    ).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("Beredd")
    expect(page.get_by_role("link", name="Ändra")).to_have_count(0)
    expect(
        page.get_by_role("button", name=re.compile("Registrera|Fastställ|Återta"))
    ).to_have_count(0)
    screenshot(page, "application-board")
    check_accessibility(page)
    assert page.goto(detail_url + "andra/").status == 403
    pdf = page.request.get(detail_url + "pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    (SCREENSHOTS / "application.pdf").write_bytes(pdf.body())
    page.get_by_role("button", name="Logga ut").click()

    # Closed to the auditor, and to another förbund.
    log_in(page, live_server, "revisor@example.org")
    assert page.goto(detail_url).status == 404  # the auditor reads decided applications only
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, live_server, "annat@example.org")
    assert page.goto(detail_url).status == 404


def test_list_filters_in_the_browser(page, live_server, demo):
    log_in(page, live_server, "styrelse@example.org")
    page.goto(f"{live_server.url}/ansokningar/")

    page.get_by_label("Status").select_option(label="Beredd")
    page.get_by_role("button", name="Visa").click()

    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Arbetslivsingången")
    expect(page.get_by_text("Modeller för tidig bedömning")).to_have_count(0)
    screenshot(page, "applications-list-board")
    check_accessibility(page)


def test_form_errors_are_summarised_linked_and_accessible(page, live_server, demo):
    log_in(page, live_server, "kansli@example.org")
    page.goto(f"{live_server.url}/ansokningar/ny/")

    page.fill("#id_name", "Med fel")
    page.fill("#id_period_start", "2027-01-01")
    page.fill("#id_period_end", "2027-12-31")
    page.fill("#id_budget_rows-0-year", "2027")
    page.fill("#id_budget_rows-0-label", "Personal")
    page.fill("#id_budget_rows-0-amount", "tusen kronor")
    page.get_by_role("button", name="Spara").click()

    summary = page.locator("#felsammanfattning")
    expect(summary).to_contain_text("Inget har sparats")
    summary.get_by_role("link", name="Ekonomi").click()
    amount = page.locator("#id_budget_rows-0-amount")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_budget_rows-0-amount_error")).to_contain_text(
        "Ange ett belopp i kronor"
    )
    assert not Application.objects.filter(name="Med fel").exists()
    screenshot(page, "application-form-errors")
    check_accessibility(page)
