"""The warning before an idle session ends, as the officer meets it: announced, focused, and
the button keeps the session without leaving the page."""

import re
import time
from importlib import import_module

from django.conf import settings as django_settings
from playwright.sync_api import expect

from accounts import login_flow
from tests.browser.conftest import check_accessibility, log_in, screenshot


def session_of(page):
    cookie = next(
        c for c in page.context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME
    )
    return import_module(django_settings.SESSION_ENGINE).SessionStore(cookie["value"])


def test_the_officer_is_warned_before_the_idle_end_and_keeps_the_session(
    page, live_server, demo, settings
):
    settings.SESSION_COOKIE_AGE = 90  # warned 45 s before the end
    log_in(page, live_server, "kansli@example.org")
    # The officer has been idle for 50 seconds, 40 are left (and the next page does not move the
    # end yet: the idle middleware moves it at most once a minute).
    session = session_of(page)
    session[login_flow.REFRESHED_KEY] = int(time.time()) - 50
    session.save()

    page.goto(f"{live_server.url}/budget/")

    warning = page.get_by_role("alert").filter(has_text="Du loggas ut")
    expect(warning).to_be_visible(timeout=10_000)
    expect(warning).to_contain_text(
        re.compile(r"Du loggas ut kl\. \d\d:\d\d om du inte fortsätter")
    )
    button = warning.get_by_role("button", name="Fortsätt vara inloggad")
    expect(button).to_be_focused()
    screenshot(page, "session-warning")
    check_accessibility(page)

    page.keyboard.press("Enter")

    expect(warning).to_be_hidden()
    expect(page).to_have_url(f"{live_server.url}/budget/")  # no reload: nothing typed is lost
    assert session_of(page)[login_flow.REFRESHED_KEY] >= int(time.time()) - 5
