"""The board reads the follow-up's statistics in the browser: from the insats list to the
förbund's statistics for 2025 (small counts as "<5", the charts as images with their tables),
one insats's statistics, and the yearly return. axe on every page visited."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_accessibility, log_in, screenshot

INSATS = "Arbetsträning Svalöv"


def test_board_reads_the_statistics_with_small_counts_suppressed_and_charts(
    page, live_server, demo
):
    log_in(page, live_server, "styrelse@example.org")
    page.goto(f"{live_server.url}/insatser/?year=2025")
    page.get_by_role("link", name="Statistik 2025").click()
    expect(
        page.get_by_role("heading", name=re.compile("Statistik för förbundets insatser 2025"))
    ).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("visas antal mellan 1 och 4 som <5")
    # The charts are images with a name, each beside its table.
    charts = page.get_by_role("img", name=re.compile("Sysselsättning före och efter"))
    expect(charts).to_have_count(1)
    expect(page.get_by_role("img", name="Deltagare per månad, kvinnor och män")).to_be_visible()
    expect(page.get_by_text("<5", exact=True).first).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Deltagare per månad"))).to_be_visible()
    # No script of the page's own: the charts are drawn on the server.
    assert page.locator("main script").count() == 0
    screenshot(page, "followup-statistics-board")
    check_accessibility(page)

    page.get_by_role("link", name=INSATS).first.click()
    expect(page.get_by_role("heading", name=re.compile(f"Statistik: {INSATS}"))).to_be_visible()
    expect(page.get_by_role("heading", name="Mål och utfall")).to_be_visible()
    screenshot(page, "followup-statistics-insats-board")
    check_accessibility(page)

    page.get_by_role("link", name="Hela förbundets statistik").click()
    page.get_by_role("link", name="visa").click()
    expect(page.get_by_role("heading", name="Uppföljning Finsam 2025")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(INSATS))).to_be_visible()
    screenshot(page, "followup-return-board")
    check_accessibility(page)
