"""Browser tests: Playwright drives Debian's Chromium against the live server.

Screenshots land in test-artifacts/screenshots/ for people to look at.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

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
def demo(transactional_db, settings):
    """The demo förbund and logins, as `make run` loads them."""
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    settings.DEBUG = False


def check_accessibility(page):
    """Runs axe-core on the page; fails on any serious or critical WCAG 2.1 A/AA violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in bad
    ]
    assert not bad, f"axe: {page.url}\n{json.dumps(summary, indent=2, ensure_ascii=False)}"


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
