"""Användare och behörigheter in the browser: the officer invites a new board member; she
chooses a password through the e-mailed link, logs in, and reads the board's pages. axe on
every page visited."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in, screenshot

MEMBER = "ingrid.sandberg@example.org"
PASSWORD = "Kastanj-i-Landskrona-26"


def people(page):
    return page.get_by_role("table", name="Användare med behörighet i förbundet")


def test_officer_invites_a_board_member_who_sets_a_password_and_reads_the_meetings(
    page, live_server, demo
):
    # The officer opens the users page from the menu.
    log_in(page, live_server, "kansli@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Användare").click()
    expect(page.get_by_role("heading", name="Användare och behörigheter", level=1)).to_be_visible()
    expect(people(page).get_by_role("row", name=re.compile("styrelse@"))).to_contain_text(
        "Styrelse"
    )
    screenshot(page, "accounts-users")
    check_accessibility(page)

    # She invites Ingrid Sandberg to the board.
    page.get_by_role("link", name="Bjud in en användare").click()
    expect(page.get_by_role("heading", name="Bjud in en användare")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("E-postadress").fill(MEMBER)
    page.get_by_label("Förnamn").fill("Ingrid")
    page.get_by_label("Efternamn").fill("Sandberg")
    page.get_by_label("Styrelse").check()
    screenshot(page, "accounts-invite")
    page.get_by_role("button", name="Bjud in").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"{MEMBER} har fått rollen styrelse och får ett e-postmeddelande med en länk för att "
        "välja lösenord."
    )
    row = people(page).get_by_role("row", name=re.compile(MEMBER))
    expect(row).to_contain_text("Inte valt än")
    expect(row).to_contain_text("Aldrig")
    trace = page.get_by_role("row", name=re.compile(f"Gav {MEMBER} rollen styrelse"))
    expect(trace).to_contain_text("Karin Lind")
    screenshot(page, "accounts-users-invited")
    check_accessibility(page)

    # The confirmation pages of a change and a removal; she leaves both without a change.
    row.get_by_role("link", name=f"Ändra roll för {MEMBER}").click()
    expect(page.get_by_role("heading", name="Ändra roll för Ingrid Sandberg")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Avbryt").click()
    people(page).get_by_role("row", name=re.compile(MEMBER)).get_by_role(
        "link", name=f"Ta bort behörigheten för {MEMBER}"
    ).click()
    expect(
        page.get_by_role("heading", name="Ta bort behörigheten för Ingrid Sandberg")
    ).to_be_visible()
    screenshot(page, "accounts-role-remove")
    check_accessibility(page)
    page.get_by_role("link", name="Avbryt").click()
    page.get_by_role("button", name="Logga ut").click()

    # Ingrid chooses a password through the link in her e-mail.
    [message] = [m for m in mail.outbox if m.to == [MEMBER]]
    assert "med rollen styrelse" in message.body
    link = re.search(r"https?://\S+/konto/losenord/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Välj nytt lösenord")).to_be_visible()
    check_accessibility(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_role("heading", name="Lösenordet är bytt")).to_be_visible()
    check_accessibility(page)

    # She logs in and reads the board's pages; the users page is not hers.
    log_in(page, live_server, MEMBER, PASSWORD)
    expect(page.get_by_role("heading", name="Välkommen, Ingrid")).to_be_visible()
    check_accessibility(page)
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_role("link", name="Användare")).to_have_count(0)
    menu.get_by_role("link", name="Sammanträden").click()
    expect(page.get_by_role("heading", name="Sammanträden", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Kallelse (PDF)").first).to_be_visible()
    screenshot(page, "accounts-board-member-meetings")
    check_accessibility(page)
