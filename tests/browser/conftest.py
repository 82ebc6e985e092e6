"""Browser tests: Playwright drives Debian's Chromium against the live server.

Screenshots land in test-artifacts/screenshots/ for people to look at. Every page listens for
violations of the Content-Security-Policy: a test fails on any (see `context` below).
"""

import contextlib
import io
import json
from functools import cache
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium reaches for the network at start, which this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
    "--lang=sv-SE",  # Swedish date pickers, as our users see them
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Runs in every page before the page's own code: reports each thing the policy blocks (an inline
# script or style, a style attribute, a resource from elsewhere) to the test.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', event => {
  window.finsamCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
  });
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "sv-SE", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def context(context):
    """pytest-playwright's browser context, each of its pages listening for violations of the
    Content-Security-Policy. The test fails on any: at each axe check, and at its end."""
    violations = []
    context.expose_function("finsamCspViolation", lambda violation: violations.append(violation))
    context.add_init_script(script=CSP_LISTENER)
    context.csp_violations = violations
    yield context
    for page in context.pages:
        deliver_csp_violations(page)
    assert_no_csp_violations(context)


@pytest.fixture
def page(page):
    yield page
    deliver_csp_violations(page)  # before pytest-playwright closes it


def deliver_csp_violations(page):
    """A violation is reported as a task after it happens: let the page deliver its last."""
    with contextlib.suppress(PlaywrightError):
        page.evaluate("() => new Promise(resolve => setTimeout(resolve, 100))")


def assert_no_csp_violations(context):
    violations = context.csp_violations
    assert not violations, "Content-Security-Policy: " + json.dumps(
        violations, indent=2, ensure_ascii=False
    )


@cache
def axe_source() -> str:
    return AXE.read_text()


@pytest.fixture
def demo(transactional_db, settings):
    """The demo förbund and logins, as `make run` loads them."""
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    settings.DEBUG = False
    # As `make run` serves it: the demo's officers log in with the password alone.
    settings.FINSAM_OFFICER_SECOND_FACTOR = False


@pytest.fixture
def seed_demo(transactional_db, settings):
    """The demo with seed 004's 2009 and 2010 budgets only, for flows that create later years."""
    settings.FINSAM_DEMO_HISTORY = False
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    settings.DEBUG = False
    settings.FINSAM_OFFICER_SECOND_FACTOR = False


def check_accessibility(page):
    """Runs axe-core on the page; fails on any serious or critical WCAG 2.1 A/AA violation, and
    on any violation of the Content-Security-Policy so far."""
    # Evaluated through the browser's debugging protocol: an inline <script> with axe (what
    # add_script_tag makes) is itself what our policy refuses.
    page.evaluate(axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in bad
    ]
    assert not bad, f"axe: {page.url}\n{json.dumps(summary, indent=2, ensure_ascii=False)}"
    assert_no_csp_violations(page.context)


def screenshot(page, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page, live_server, email: str, password: str = "finsam-demo"):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


def add_participant(page, gender, birth_year, started_on, another):
    """Fills the register's form for one participant and saves it (and opens a new form when
    ``another``)."""
    page.get_by_label(gender, exact=True).check()
    page.get_by_label("Födelseår").fill(birth_year)
    page.get_by_label("Högsta utbildning").select_option(label="Gymnasial")
    page.get_by_label("Försörjning vid start").select_option(label="Försörjningsstöd")
    page.get_by_label("Sysselsättning vid start").select_option(label="Ingen")
    page.get_by_label("Tid med offentlig försörjning före start").select_option(label="1–2 år")
    page.get_by_label("Startdatum").fill(started_on)
    name = "Spara och lägg till en till" if another else "Spara"
    page.get_by_role("button", name=name, exact=True).click()
