"""The whole meeting cycle in the browser: agenda, kallelse, the board's reading, attendance,
decisions with jäv, minutes, justering."""

import datetime
import re
import subprocess

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from applications import services
from applications.models import Application, Initiative
from finsam.models import User
from tests.browser.conftest import SCREENSHOTS, check_accessibility, log_in, screenshot
from tests.factories import ApplicationFactory


def prepared(name, association, officer, preparer):
    application = ApplicationFactory(association=association, name=name)
    application.parties.add(association.members.get(kind="af"))
    services.application_register(user=officer, application=application)
    services.assessment_save(
        user=preparer,
        application=application,
        values={
            "recommendation": "grant",
            "recommendation_text": f"Bevilja {name}.",
            "individual_extent": "higher",
        },
    )
    services.assessment_finalise(user=officer, application=application)
    application.refresh_from_db()
    return application


def test_meeting_cycle_from_agenda_to_justering(page, live_server, demo, tmp_path):
    officer = User.objects.get(email="kansli@example.org")
    preparer = User.objects.get(email="beredning@example.org")
    association = officer.roles.get().association
    lindevillan = prepared("Lindevillan", association, officer, preparer)
    epsilon = prepared("Epsilon", association, officer, preparer)
    lindevillan.linked.add(epsilon)

    # The officer sets up the meeting and sends the kallelse.
    log_in(page, live_server, "kansli@example.org")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Sammanträden"
    ).click()
    page.get_by_role("link", name="Nytt sammanträde").click()
    # Held yesterday: the minutes open on or after the meeting day.
    held = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Datum och tid").fill(f"{held:%Y-%m-%d}T09:00")
    page.get_by_label("Plats").fill("Stadshuset, sal 3")
    page.get_by_role("button", name="Spara").click()
    for application in (lindevillan, epsilon):
        page.get_by_label("Beredd ansökan").select_option(label=str(application))
        page.get_by_role("button", name="Lägg till").click()
        expect(page.get_by_role("status").first).to_contain_text("Ärendet är tillagt")
    screenshot(page, "meeting-agenda-officer")
    check_accessibility(page)
    meeting_url = page.url
    page.get_by_role("link", name="Skicka kallelsen").click()
    expect(page.get_by_role("heading", name=re.compile("Mottagare"))).to_be_visible()
    check_accessibility(page)
    screenshot(page, "meeting-publish")
    page.get_by_role("button", name="Skicka kallelsen").click()
    expect(page.get_by_role("alert").first).to_contain_text("kallelsen ska gå ut minst")
    page.get_by_label("Skicka trots att kallelsen går ut senare").check()
    page.get_by_role("button", name="Skicka kallelsen").click()
    expect(page.get_by_role("status").first).to_contain_text("Kallelsen skickades till")
    assert mail.outbox and all(message.to[0].endswith("example.org") for message in mail.outbox)
    page.get_by_role("button", name="Logga ut").click()

    # The board member finds it on the start page and reads the recommendation.
    log_in(page, live_server, "styrelse@example.org")
    page.goto(meeting_url)
    expect(page.get_by_text("Bevilja Lindevillan.")).to_be_visible()
    expect(page.get_by_text("Beslutas tillsammans med").first).to_be_visible()
    expect(page.get_by_role("button", name="Skicka kallelsen")).to_have_count(0)
    screenshot(page, "meeting-board")
    check_accessibility(page)
    page.get_by_role("button", name="Logga ut").click()

    # The officer records attendance, draws up the minutes and records the decisions.
    log_in(page, live_server, "kansli@example.org")
    page.goto(meeting_url)
    page.get_by_role("link", name="registrera närvaron").click()
    ordinary = [
        "Sofia Lindqvist",
        "Per-Erik Nilsson",
        "Helena Berg",
        "Annika Strand",
        "Fredrik Sandberg",
    ]
    for name in ordinary:
        page.get_by_label(f"{name} närvarande").check()
        expect(page.get_by_label(f"{name} närvarande")).to_be_checked()
    page.get_by_label("Per-Erik Nilsson justerare").check()
    expect(page.get_by_label("Per-Erik Nilsson justerare")).to_be_checked()
    check_accessibility(page)
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_role("status").first).to_contain_text("styrelsen är beslutför")
    page.get_by_role("button", name="Upprätta protokoll").click()
    expect(page.get_by_role("status").first).to_contain_text("paragraferna numrerade")

    # After öppnande, val av justerare and godkännande av dagordningen: Lindevillan, Epsilon.
    page.get_by_role("link", name=re.compile(r"Registrera beslut i § \d+")).nth(3).click()
    page.get_by_label("Beviljas", exact=True).check()
    page.get_by_label("Beviljat 2027 (tkr)").fill("450")
    page.get_by_label("Beviljat 2028 (tkr)").fill("300")
    page.get_by_label("Föredraganden lämnade rummet före beslutet").check()
    page.get_by_label("Sofia Lindqvist anmäler jäv").check()
    page.get_by_label("Skäl för jäv, Sofia Lindqvist").fill("Ledamot i huvudmannens styrelse")
    check_accessibility(page)
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_role("status").first).to_contain_text("är sparat")

    page.get_by_role("link", name=re.compile(r"Registrera beslut i § \d+")).nth(3).click()
    page.get_by_label("Avslås").check()
    # The form offers the recommended amounts; a rejection has none.
    for field in page.get_by_label(re.compile(r"Beviljat \d{4} \(tkr\)")).all():
        field.fill("")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.get_by_text("Styrelsen beslutar att avslå ansökan")).to_be_visible()

    minutes = page.request.get(meeting_url + "protokoll.pdf")
    pdf = tmp_path / "protokoll.pdf"
    pdf.write_bytes(minutes.body())
    (SCREENSHOTS / "protokoll.pdf").write_bytes(minutes.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    text = text.replace("\xa0", " ")
    assert re.search(rf"§ \d+ {lindevillan.dnr} Lindevillan", text)
    assert "Styrelsen beslutar att bevilja 450 tkr för 2027 och 300 tkr för 2028" in text
    assert "Sofia Lindqvist anmäler jäv" in text

    page.get_by_label("Ordföranden har justerat protokollet").check()
    page.get_by_label("Justeraren har justerat protokollet").check()
    page.get_by_role("button", name="Registrera justeringen").click()
    expect(page.get_by_role("status").first).to_contain_text("Besluten gäller nu")
    screenshot(page, "meeting-approved")
    check_accessibility(page)

    lindevillan.refresh_from_db()
    assert lindevillan.state == Application.State.GRANTED
    assert Initiative.objects.filter(name="Lindevillan", grants__year=2027).exists()
    expect(page.get_by_role("link", name=re.compile("beslut i §"))).to_have_count(0)
    page.goto(meeting_url + "narvaro/")
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "Protokollet är justerat"
    )


def test_auditor_reads_approved_minutes_only(page, live_server, demo):
    log_in(page, live_server, "revisor@example.org")

    expect(page.get_by_role("heading", name="Justerade protokoll")).to_be_visible()
    expect(page.get_by_role("heading", name="Senaste besluten")).to_be_visible()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Sammanträden"
    ).click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)  # the past meeting, and "no meetings" under upcoming
    expect(page.get_by_text("Protokoll justerat")).to_be_visible()
    screenshot(page, "meetings-auditor")
    check_accessibility(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Budget").click()
    page.get_by_role("link", name="Budget 2010").click()
    expect(page.get_by_role("heading", name="Budget 2010")).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("Medel för insatser att fördela"))
    ).to_have_count(1)
    expect(page.get_by_text("Resultatet i den fastställda budgeten för 2009")).to_be_visible()
    screenshot(page, "budget-auditor")
    check_accessibility(page)
