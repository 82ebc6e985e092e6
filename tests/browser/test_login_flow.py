"""The login with a second factor, as an officer does it the first time and the next: connect
an app, keep the recovery codes, log in with a code."""

import re
from base64 import b32decode

from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot

OFFICER = "kansli@example.org"


def code_for(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the secret typed from the page."""
    return str(totp(b32decode(secret.replace(" ", "")), drift=steps_ahead)).zfill(6)


def password_step(page, live_server, remember=False):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("E-postadress").fill(OFFICER)
    page.get_by_label("Lösenord").fill("finsam-demo")
    if remember:
        page.get_by_label("Kom ihåg mig").check()
    page.get_by_role("button", name="Logga in").click()


def test_an_officer_connects_an_app_and_logs_in_with_its_code(page, live_server, demo, settings):
    settings.FINSAM_OFFICER_SECOND_FACTOR = True  # production's rule, which the demo relaxes

    password_step(page, live_server)

    expect(page).to_have_url(re.compile(r"/konto/tvastegsverifiering/koppla/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Koppla en autentiseringsapp")
    qr = page.get_by_role("img", name=re.compile("QR-kod"))
    expect(qr).to_be_visible()
    # Visible only means laid out; wait until the browser has decoded the SVG from its URL.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert page.evaluate("img => img.naturalWidth", qr.element_handle()) > 100
    screenshot(page, "login-enrol")
    check_accessibility(page)

    # The person types the secret into the app instead of scanning.
    secret = page.locator("code").inner_text()
    page.get_by_label("Kod från appen").fill("000000")
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("alert")).to_contain_text("Koden stämmer inte")
    check_accessibility(page)
    page.get_by_label("Kod från appen").fill(code_for(secret))
    page.get_by_role("button", name="Bekräfta").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dina reservkoder")
    codes = page.get_by_role("list", name="Reservkoder").get_by_role("listitem")
    expect(codes).to_have_count(10)
    screenshot(page, "login-recovery-codes")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Jag har sparat koderna")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")

    page.get_by_role("button", name="Logga ut").click()
    password_step(page, live_server, remember=True)

    expect(page).to_have_url(re.compile(r"/konto/logga-in/kod/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tvåstegsverifiering")
    screenshot(page, "login-code")
    check_accessibility(page)
    # The code used to connect the app is spent; the app's next one is accepted.
    page.get_by_label("Kod").fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Logga in").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    page.goto(f"{live_server.url}/konto/tvastegsverifiering/")
    expect(page.get_by_text("10 av 10")).to_be_visible()
    screenshot(page, "login-second-factor-overview")
    check_accessibility(page)


def test_the_login_page_and_its_lockout_are_swedish_and_accessible(page, live_server, demo):
    page.goto(f"{live_server.url}/konto/logga-in/")
    expect(page.get_by_label("Kom ihåg mig")).not_to_be_checked()
    check_accessibility(page)

    for _ in range(5):
        page.get_by_label("E-postadress").fill("styrelse@example.org")
        page.get_by_label("Lösenord").fill("fel")
        page.get_by_role("button", name="Logga in").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Inloggningen är spärrad efter för många misslyckade försök")
    expect(alert).to_contain_text(re.compile(r"Försök igen tidigast kl\. \d\d:\d\d"))
    screenshot(page, "login-locked")
    check_accessibility(page)
