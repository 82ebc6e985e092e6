import re

import pytest
from playwright.sync_api import expect

from finsam.models import Member
from tests.browser.conftest import check_accessibility, log_in, screenshot

DEMO_LOGINS = [
    ("kansli@example.org", "officer", "Samordningsförbundet Landskrona-Svalöv"),
    ("beredning@example.org", "preparer", "Samordningsförbundet Landskrona-Svalöv"),
    ("styrelse@example.org", "board", "Samordningsförbundet Landskrona-Svalöv"),
    ("revisor@example.org", "auditor", "Samordningsförbundet Landskrona-Svalöv"),
    ("annat@example.org", "other_officer", "Samordningsförbundet Norrstrand"),
]


def test_login_page_is_swedish_and_accessible(page, live_server, demo):
    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(re.compile(r"/konto/logga-in/"))
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "sv"
    screenshot(page, "login")
    check_accessibility(page)


def test_wrong_password_shows_a_swedish_message(page, live_server, demo):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("E-postadress").fill("kansli@example.org")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()

    expect(page.get_by_role("alert")).to_contain_text("Fel e-postadress eller lösenord")
    check_accessibility(page)


@pytest.mark.parametrize(("email", "persona", "association"), DEMO_LOGINS)
def test_each_demo_login_reaches_its_start_and_organisation_pages(
    page, live_server, demo, email, persona, association
):
    log_in(page, live_server, email)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    expect(page.locator(".association-bar")).to_contain_text(association)
    screenshot(page, f"start-{persona}")
    check_accessibility(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Organisation"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(association)
    expect(page.get_by_role("heading", name=re.compile("^Styrelse"))).to_be_visible()
    screenshot(page, f"organisation-{persona}")
    check_accessibility(page)


def test_board_table_is_the_seed_table_for_the_2009_term(page, live_server, demo):
    log_in(page, live_server, "styrelse@example.org")
    page.goto(f"{live_server.url}/organisation/")

    page.get_by_label("Mandatperiod").select_option("2007-04-01")
    page.get_by_role("button", name="Visa").click()

    rows = page.locator("#styrelse tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text("Mattias Adolfsson (fp)")
    expect(rows.nth(0)).to_contain_text("Hans Petersson (s)")
    expect(rows.nth(0)).to_contain_text("Landskrona stad")
    expect(rows.nth(4)).to_contain_text("Camilla Rejdvik-Pålsson")
    # Board members read; nothing to edit.
    expect(page.get_by_role("link", name="Lägg till medlem")).to_have_count(0)
    screenshot(page, "organisation-board-2009")


def test_officer_computes_the_split_and_adds_a_member_with_the_keyboard(page, live_server, demo):
    log_in(page, live_server, "kansli@example.org")
    page.goto(f"{live_server.url}/organisation/")

    page.get_by_label("Totalt ägarbidrag (kr)").fill("5 440 000")
    page.get_by_label("Totalt ägarbidrag (kr)").press("Enter")
    split = page.get_by_role("table", name="Ägarbidrag per medlem")
    expect(split.get_by_role("row", name=re.compile("^Försäkringskassan"))).to_contain_text(
        "2 720 000"
    )
    expect(split.get_by_role("row", name=re.compile("Summa"))).to_contain_text("5 440 000")
    screenshot(page, "organisation-split")

    page.get_by_role("link", name="Lägg till medlem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till medlem")
    check_accessibility(page)
    page.get_by_label("Typ").select_option("kommun")
    page.get_by_label("Namn").fill("Åby kommun")
    page.get_by_role("button", name="Spara").click()
    # Population is required under the population key: a Swedish message, nothing saved.
    expect(page.get_by_text("Ange folkmängd")).to_be_visible()
    assert not Member.objects.filter(
        name="Åby kommun", association__org_number="222000-2733"
    ).exists()
    screenshot(page, "member-form-errors")
    check_accessibility(page)

    page.get_by_label("Folkmängd").fill("8000")
    page.get_by_label("Medlem från").fill("2026-01-01")
    page.get_by_label("Medlem från").press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Åby kommun är sparad")
    page.get_by_role("link", name="Åby kommun").click()
    history = page.get_by_role("table", name="Vem som ändrade vad och när")
    expect(history).to_contain_text("Skapad")
    expect(history).to_contain_text("Karin Lind")
    screenshot(page, "member-edit-history")
    check_accessibility(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server, demo):
    log_in(page, live_server, "kansli@example.org")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_other_forbunds_officer_gets_404_for_our_member(page, live_server, demo):
    member = Member.objects.get(name="Landskrona stad")
    log_in(page, live_server, "annat@example.org")

    response = page.goto(f"{live_server.url}/organisation/medlemmar/{member.pk}/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    screenshot(page, "404-other-forbund")
    check_accessibility(page)


def test_auditor_gets_a_swedish_403_on_an_officer_form(page, live_server, demo):
    log_in(page, live_server, "revisor@example.org")

    response = page.goto(f"{live_server.url}/organisation/forbundet/")

    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Åtkomst nekad")
    check_accessibility(page)


def test_password_reset_pages_are_accessible(page, live_server, demo):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    check_accessibility(page)
    page.get_by_label("E-postadress").fill("kansli@example.org")
    page.get_by_role("button", name="Skicka länk").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kolla din e-post")
    check_accessibility(page)


def test_organisation_page_works_on_a_phone(page, live_server, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "kansli@example.org")

    page.get_by_role("button", name="Visa menyn").click()
    page.get_by_role("link", name="Organisation", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "organisation-phone")
    check_accessibility(page)


def test_a_members_name_opens_its_page_and_edit_is_a_button_on_it(page, live_server, demo):
    log_in(page, live_server, "kansli@example.org")
    page.goto(f"{live_server.url}/organisation/")

    members = page.get_by_role("table", name="Förbundets medlemmar och deras andel av ägarbidraget")
    members.get_by_role("link", name="Landskrona stad").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Landskrona stad")
    board = page.get_by_role("table", name=re.compile("^Platser i styrelsen"))
    expect(board.get_by_role("row", name=re.compile("Sofia Lindqvist"))).to_contain_text(
        "Ordförande"
    )
    expect(board).to_contain_text("Ahmed Karimi")
    expect(page.locator("dl")).to_contain_text("46 529")
    check_accessibility(page)

    page.get_by_role("link", name="Ändra", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra medlem: Landskrona stad")
    page.get_by_label("Folkmängd").fill("46600")
    page.get_by_role("button", name="Spara").click()

    # Saved, and back on the member's page, whose history names the field and its values.
    expect(page.get_by_role("status")).to_contain_text("Landskrona stad är sparad")
    expect(page.get_by_role("heading", level=1)).to_have_text("Landskrona stad")
    history = page.get_by_role("table", name="Vem som ändrade vad och när")
    expect(history).to_contain_text("Ändrad: Folkmängd")
    expect(history).to_contain_text("Folkmängd: 46 529 → 46 600")
    screenshot(page, "member-page-officer")
    check_accessibility(page)


def test_a_board_member_reads_a_members_page_without_edit_or_history(page, live_server, demo):
    log_in(page, live_server, "styrelse@example.org")
    page.goto(f"{live_server.url}/organisation/")

    page.get_by_role("link", name="Region Skåne").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Region Skåne")
    expect(page.get_by_role("link", name="Ändra", exact=True)).to_have_count(0)
    expect(page.get_by_text("Ändringshistorik")).to_have_count(0)
    screenshot(page, "member-page-board")
    check_accessibility(page)
