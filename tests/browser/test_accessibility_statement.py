"""The accessibility statement, reached from the login page's footer without logging in, and
the browser tests' own watch for violations of the Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, screenshot


@pytest.mark.django_db(transaction=True)
def test_anyone_reads_the_accessibility_statement_from_the_login_pages_footer(page, live_server):
    page.goto(f"{live_server.url}/konto/logga-in/")
    check_accessibility(page)

    page.get_by_role("contentinfo").get_by_role("link", name="Tillgänglighetsredogörelse").click()

    expect(page).to_have_url(f"{live_server.url}/tillganglighet/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tillgänglighetsredogörelse för Finsam"
    )
    expect(page.get_by_text("delvis förenlig")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("anmäla det till Digg"))).to_have_attribute(
        "href", "https://www.digg.se/tdosanmalan"
    )
    expect(page.get_by_role("link", name="finsam@localhost").first).to_have_attribute(
        "href", "mailto:finsam@localhost"
    )
    check_accessibility(page)
    screenshot(page, "tillganglighetsredogorelse")

    # By keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Innehåll som inte är tillgängligt")).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_the_browser_tests_notice_what_the_content_security_policy_blocks(page, live_server):
    page.goto(f"{live_server.url}/tillganglighet/")

    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'document.title = "injected"';
          document.head.append(script);
          document.body.setAttribute('style', 'background: red');
        }"""
    )

    expect(page).not_to_have_title("injected")
    page.wait_for_function("() => true")  # the reports arrive as a task of their own
    page.wait_for_timeout(100)
    directives = sorted(v["directive"] for v in page.context.csp_violations)
    assert directives == ["script-src-elem", "style-src-attr"]
    page.context.csp_violations.clear()  # seen: this test's own
