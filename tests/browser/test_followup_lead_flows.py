"""The insatsansvarig in the browser: the officer gives a person access from the insats page;
the person chooses a password through the e-mailed link, logs in, sees only their insats, adds
a participant and hands in a report; the officer puts the report on the next board meeting's
agenda. axe on every page visited."""

import datetime
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Initiative
from tests.browser.conftest import add_participant, check_accessibility, log_in, screenshot
from tests.factories import report_due

INSATS = "Arbetsträning Svalöv"
LEAD = "lisa.berg@example.org"
PASSWORD = "Vårsol-i-Svalöv-26"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_officer_gives_access_the_lead_reports_and_the_board_reads_the_statistics(
    page, live_server, demo, tmp_path
):
    initiative = Initiative.objects.get(name=INSATS)
    due = timezone.localdate() + datetime.timedelta(days=9)
    report_due(initiative, due=due)

    # The officer gives Lisa Berg access from the insats page.
    log_in(page, live_server, "kansli@example.org")
    page.goto(f"{live_server.url}/insatser/{initiative.pk}/")
    expect(page.get_by_role("heading", name="Rapporter till förbundet")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Delrapport"))).to_contain_text("Ej lämnad")
    check_accessibility(page)
    page.get_by_role("link", name="Insatsansvariga").click()
    expect(page.get_by_role("heading", name=f"Insatsansvariga för {INSATS}")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("E-postadress").fill(LEAD)
    page.get_by_label("Förnamn").fill("Lisa")
    page.get_by_label("Efternamn").fill("Berg")
    screenshot(page, "followup-lead-add")
    page.get_by_role("button", name="Ge behörighet").click()
    expect(page.get_by_role("status").first).to_contain_text(
        f"{LEAD} är insatsansvarig för {INSATS}"
    )
    page.get_by_role("button", name="Logga ut").click()

    # Lisa chooses a password through the link in her e-mail.
    [message] = [m for m in mail.outbox if m.to == [LEAD]]
    link = re.search(r"https?://\S+/konto/losenord/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Välj nytt lösenord")).to_be_visible()
    screenshot(page, "followup-lead-set-password")
    check_accessibility(page)
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    log_in(page, live_server, LEAD, PASSWORD)

    # Her insatser, and nothing else of the förbund.
    page.goto(f"{live_server.url}/insatser/")
    expect(page.get_by_role("heading", name="Mina insatser")).to_be_visible()
    expect(page.get_by_role("link", name=INSATS, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Samverkansteam Landskrona")).to_have_count(0)
    screenshot(page, "followup-lead-list")
    check_accessibility(page)
    page.get_by_role("link", name=INSATS, exact=True).click()
    expect(page.get_by_role("heading", name=INSATS, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Tidslinje")).to_have_count(0)
    screenshot(page, "followup-lead-insats")
    check_accessibility(page)

    # Three participants, one of whom ends to work.
    page.get_by_role("link", name="Deltagarregistret").click()
    page.get_by_role("link", name="Ny deltagare").click()
    add_participant(page, "Kvinna", "1996", "2026-11-02", another=True)
    expect(page.get_by_role("status").first).to_contain_text("koden D-0057")
    add_participant(page, "Man", "1985", "2026-11-03", another=True)
    expect(page.get_by_role("status").first).to_contain_text("koden D-0058")
    add_participant(page, "Kvinna", "2001", "2026-11-05", another=False)
    expect(page.get_by_role("status").first).to_contain_text("koden D-0059")
    check_accessibility(page)
    page.get_by_role("link", name="Aktiva").click()
    page.get_by_role("link", name="Avsluta D-0057").click()
    page.get_by_label("Slutdatum").fill("2026-11-30")
    page.get_by_label("Avslutsorsak").select_option(label="Arbete")
    page.get_by_label("Försörjning vid avslut").select_option(label="Lön")
    page.get_by_label("Sysselsättning vid avslut").select_option(label="Förvärvsarbete")
    check_accessibility(page)
    page.get_by_role("button", name="Avsluta deltagaren").click()
    expect(page.get_by_role("status").first).to_contain_text("D-0057 är avslutad.")

    page.goto(f"{live_server.url}/insatser/{initiative.pk}/")
    page.get_by_role("link", name=re.compile("^Lämna rapport")).click()
    expect(page.get_by_role("heading", name="Lämna delrapport")).to_be_visible()
    check_accessibility(page)
    report = tmp_path / "Delrapport Arbetsträning.pdf"
    report.write_bytes(PDF)
    page.get_by_label("Rapporten (PDF").set_input_files(str(report))
    screenshot(page, "followup-lead-report-upload")
    page.get_by_role("button", name="Lämna rapporten").click()
    expect(page.get_by_role("status").first).to_contain_text("Delrapport är mottagen.")
    expect(page.get_by_role("row", name=re.compile("Delrapport"))).to_contain_text("Mottagen")
    screenshot(page, "followup-lead-report-received")
    check_accessibility(page)

    assert page.goto(f"{live_server.url}/organisation/").status == 403
    assert page.goto(f"{live_server.url}/ansokningar/").status == 403
    assert page.goto(f"{live_server.url}/budget/").status == 403
    page.goto(f"{live_server.url}/insatser/")
    page.get_by_role("button", name="Logga ut").click()

    # The officer puts the report on the next board meeting.
    log_in(page, live_server, "kansli@example.org")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Insatsrapporter: försenade och snart")).to_be_visible()
    screenshot(page, "followup-start-officer-reports")
    check_accessibility(page)
    page.goto(f"{live_server.url}/insatser/{initiative.pk}/")
    page.get_by_role("link", name=re.compile("^Till styrelsen")).click()
    check_accessibility(page)
    meeting = page.get_by_label("Styrelsens sammanträde")
    meeting.select_option(index=1)
    screenshot(page, "followup-report-agenda")
    page.get_by_role("button", name="Sätt på dagordningen").click()
    expect(page.get_by_role("status").first).to_contain_text("står på dagordningen")
    expect(page.get_by_role("row", name=re.compile("Delrapport"))).to_contain_text(
        "På dagordningen"
    )
    check_accessibility(page)
    screenshot(page, "followup-report-on-agenda")

    page.get_by_role("button", name="Logga ut").click()

    # The board reads the insats's statistics for the year: small groups shown as <5.
    log_in(page, live_server, "styrelse@example.org")
    page.goto(f"{live_server.url}/insatser/{initiative.pk}/statistik/?year=2026")
    expect(page.get_by_role("heading", name=re.compile(f"Statistik: {INSATS}"))).to_be_visible()
    expect(page.get_by_text("<5", exact=True).first).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("Sysselsättning före och efter"))
    ).to_be_visible()
    screenshot(page, "followup-lead-walk-statistics-board")
    check_accessibility(page)
    page.get_by_role("button", name="Logga ut").click()

    # The auditor: no register, but the aggregates.
    log_in(page, live_server, "revisor@example.org")
    assert page.goto(f"{live_server.url}/insatser/{initiative.pk}/deltagare/").status == 403
    response = page.goto(f"{live_server.url}/insatser/{initiative.pk}/statistik/?year=2026")
    assert response.status == 200
    expect(page.get_by_role("heading", name=re.compile(f"Statistik: {INSATS}"))).to_be_visible()
    check_accessibility(page)
