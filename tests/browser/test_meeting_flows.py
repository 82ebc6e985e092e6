"""The whole meeting cycle in the browser: agenda, kallelse, the board's reading, attendance,
decisions with jäv, minutes, justering."""

import datetime
import re
import subprocess
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from applications import selectors, services
from applications.criteria import OWN_FUNDS_LABEL
from applications.models import (
    AgendaItem,
    Application,
    BudgetRow,
    Initiative,
    Meeting,
    PartyCommitment,
)
from applications.services.decision import EXCEEDS_APPLIED, NO_NOTICE, UNDECIDED
from applications.services.meeting import (
    EARLIER_MEETING_OPEN,
    MINUTES_BEFORE_MEETING_DAY,
    WITHOUT_EMAIL,
)
from finsam.models import Person, User
from finsam.services import organisation_object_update
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
    screenshot(page, "meeting-attendance")
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
    # the adoption meeting of the plan, the past meeting, and "no meetings" under upcoming
    expect(rows).to_have_count(3)
    expect(page.get_by_text("Protokoll justerat").first).to_be_visible()
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


def refusal(page):
    """The refusal the page shows: an alert in the messages above the content."""
    return page.locator(".messages").get_by_role("alert")


def confirmation(page):
    return page.locator(".messages .alert-success")


def pdf_text(path) -> str:
    """The PDF's text as poppler reads it, on one line with plain spaces."""
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.replace("\xa0", " ").split())


def test_meeting_walked_by_the_rules_with_each_refusal_shown(page, live_server, demo, tmp_path):
    officer = User.objects.get(email="kansli@example.org")
    preparer = User.objects.get(email="beredning@example.org")
    association = officer.roles.get().association
    # The case: the parties promise 570 000 kr of their own, the budget rows 150 000.
    application = prepared("Unga vuxna i arbete", association, officer, preparer)
    PartyCommitment.objects.create(
        application=application,
        member=application.owner,
        commitment="Projektledare och lokaler",
        own_contribution=Decimal("570000"),
    )
    for year, amount in ((2027, "100000"), (2028, "50000")):
        BudgetRow.objects.create(
            application=application,
            year=year,
            kind="own_funds",
            label="Egen personal",
            amount=Decimal(amount),
        )
    # Sought from the förbund: 500 − 100 = 400 tkr for 2027, 500 − 50 = 450 tkr for 2028.
    jonas = Person.objects.get(name="Jonas Ek")  # a deputy whose address is not known
    organisation_object_update(
        user=officer, association=association, instance=jonas, values={"email": ""}
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    held_at = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(13, 0)))
    # An earlier board meeting the same year, held without kallelse on an urgent matter and not
    # yet minuted: its paragraphs come before the new meeting's.
    earlier_day = max(yesterday - datetime.timedelta(days=7), yesterday.replace(month=1, day=1))
    earlier = services.meeting_create(
        user=officer,
        association=association,
        body="board",
        starts_at=timezone.make_aware(datetime.datetime.combine(earlier_day, datetime.time(9))),
        place="Kansliet",
    )
    urgent = services.agenda_item_add(
        user=officer, meeting=earlier, kind="other", title="Hyresavtal för kansliets lokaler"
    )
    seats = selectors.board_seats_on(earlier)
    services.attendance_record(
        user=officer,
        meeting=earlier,
        rows=[
            services.AttendanceRow(
                seat=seat,
                present=seat.kind == "ordinary",
                approver=seat.person.name == "Helena Berg",
            )
            for seat in seats
        ],
    )
    upcoming = Meeting.objects.filter(association=association, starts_at__gt=timezone.now()).get()

    log_in(page, live_server, "kansli@example.org")
    check_accessibility(page)

    # Minutes before the meeting day: the demo's coming meeting.
    page.goto(live_server.url + upcoming.get_absolute_url())
    page.get_by_role("button", name="Upprätta protokoll").click()
    day = timezone.localdate(upcoming.starts_at)
    expect(refusal(page)).to_have_text(MINUTES_BEFORE_MEETING_DAY.format(day=f"{day:%Y-%m-%d}"))
    check_accessibility(page)

    # The new meeting, held yesterday afternoon, with the application on its agenda.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Sammanträden"
    ).click()
    check_accessibility(page)
    page.get_by_role("link", name="Nytt sammanträde").click()
    check_accessibility(page)
    page.get_by_label("Datum och tid").fill(f"{yesterday:%Y-%m-%d}T13:00")
    page.get_by_label("Plats").fill("Stadshuset, sal 3")
    page.get_by_role("button", name="Spara").click()
    page.get_by_label("Beredd ansökan").select_option(label=str(application))
    page.get_by_role("button", name="Lägg till").click()
    expect(confirmation(page)).to_contain_text("Ärendet är tillagt")
    # The criteria flag the own funds that disagree.
    expect(page.locator(".agenda-item li", has_text=OWN_FUNDS_LABEL)).to_contain_text(
        "570 000 kr i egna medel, budgeten (Ekonomi) 150 000 kr totalt"
    )
    check_accessibility(page)
    meeting = Meeting.objects.get(association=association, starts_at=held_at)
    meeting_url = live_server.url + meeting.get_absolute_url()

    # Minutes while the earlier meeting is neither minuted nor cancelled.
    page.get_by_role("button", name="Upprätta protokoll").click()
    expect(refusal(page)).to_have_text(EARLIER_MEETING_OPEN.format(meeting=earlier))

    # The earlier meeting: minutes, then justering with its decision missing, then without the
    # reason it was held without kallelse.
    page.goto(live_server.url + earlier.get_absolute_url())
    page.get_by_role("button", name="Upprätta protokoll").click()
    expect(confirmation(page)).to_contain_text("paragraferna numrerade")
    check_accessibility(page)
    urgent.refresh_from_db()

    def justera():
        page.get_by_label("Ordföranden har justerat protokollet").check()
        page.get_by_label("Justeraren har justerat protokollet").check()
        page.get_by_role("button", name="Registrera justeringen").click()

    justera()
    expect(refusal(page)).to_have_text(UNDECIDED.format(items=urgent))
    check_accessibility(page)
    page.get_by_role("link", name=f"Registrera beslut i § {urgent.paragraph}").click()
    check_accessibility(page)
    page.get_by_label("Beslutstext").fill(
        "Styrelsen beslutar att förlänga hyresavtalet för kansliets lokaler med ett år."
    )
    page.get_by_role("button", name="Spara beslutet").click()
    expect(confirmation(page)).to_contain_text("är sparat")
    justera()
    expect(refusal(page)).to_have_text(NO_NOTICE)
    page.get_by_label("Brådskande ärende: varför sammanträdet hölls utan kallelse").fill(
        "Hyresvärden krävde besked inom en vecka."
    )
    justera()
    expect(confirmation(page)).to_contain_text("Besluten gäller nu")
    expect(page.get_by_text("Brådskande ärende, utan kallelse:")).to_be_visible()
    check_accessibility(page)

    # The kallelse: the page names who lacks an address and sends only when that is confirmed.
    page.goto(meeting_url)
    page.get_by_role("link", name="Skicka kallelsen").click()
    jonas_row = page.get_by_role("row", name=re.compile("Jonas Ek"))
    expect(jonas_row).to_contain_text("Saknar e-postadress")
    check_accessibility(page)
    recipients = selectors.notice_recipients(meeting)
    addressed = sorted(recipient.address for recipient in recipients if recipient.address)
    assert len(recipients) == 12 and len(addressed) == 11
    page.get_by_label("Skicka trots att kallelsen går ut senare").check()
    page.get_by_role("button", name="Skicka kallelsen").click()
    expect(refusal(page)).to_have_text(WITHOUT_EMAIL.format(count=1, total=12, names="Jonas Ek"))
    assert mail.outbox == []
    check_accessibility(page)
    page.get_by_label("Skicka trots att kallelsen går ut senare").check()
    page.get_by_label("Skicka till dem som har e-postadress; övriga kallas på annat sätt").check()
    page.get_by_role("button", name="Skicka kallelsen").click()
    expect(confirmation(page)).to_contain_text("Kallelsen skickades till 11 av 12")
    assert sorted(message.to[0] for message in mail.outbox) == addressed
    assert "jonas.ek@example.org" not in addressed
    kallelse = mail.outbox[0]
    assert kallelse.subject == f"Kallelse: Styrelsen {yesterday:%Y-%m-%d} 13:00"
    assert meeting_url in kallelse.body and "Stadshuset, sal 3" in kallelse.body
    check_accessibility(page)

    # The pack the board reads prints the application with both own-funds figures.
    pack = page.request.get(live_server.url + reverse("applications:pack_pdf", args=[meeting.pk]))
    (tmp_path / "kallelse.pdf").write_bytes(pack.body())
    text = pdf_text(tmp_path / "kallelse.pdf")
    assert "Egna medel skiljer sig: parternas åtaganden (Organisation) anger 570 000 kr" in text

    # Attendance, then the minutes, now that the earlier meeting is minuted.
    page.get_by_role("link", name="registrera närvaron").click()
    for name in ("Sofia Lindqvist", "Per-Erik Nilsson", "Helena Berg", "Annika Strand"):
        page.get_by_label(f"{name} närvarande").check()
    page.get_by_label("Per-Erik Nilsson justerare").check()
    check_accessibility(page)
    page.get_by_role("button", name="Spara närvaron").click()
    expect(confirmation(page)).to_contain_text("styrelsen är beslutför")
    page.get_by_role("button", name="Upprätta protokoll").click()
    expect(confirmation(page)).to_contain_text("paragraferna numrerade")
    item = AgendaItem.objects.get(meeting=meeting, application=application)
    assert item.paragraph > urgent.paragraph  # the § numbers follow the meeting dates

    # More than applied for, without the confirmation; then less than applied for.
    page.get_by_role("link", name=f"Registrera beslut i § {item.paragraph}").click()
    expect(page.get_by_label("Beviljat 2027 (tkr)")).to_have_value("400")
    expect(page.get_by_label("Beviljat 2028 (tkr)")).to_have_value("450")
    check_accessibility(page)
    page.get_by_label("Beviljas", exact=True).check()
    page.get_by_label("Beviljat 2027 (tkr)").fill("500")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(refusal(page)).to_have_text(
        EXCEEDS_APPLIED.format(years="2027: 500 tkr mot sökta 400 tkr")
    )
    check_accessibility(page)
    screenshot(page, "meeting-rules-decision-refused")
    page.get_by_label("Beviljas delvis").check()
    page.get_by_label("Beviljat 2027 (tkr)").fill("300")
    page.get_by_label("Beviljat 2028 (tkr)").fill("400")
    page.get_by_label("Villkor").fill("Halvårsvis uppföljning till styrelsen.")
    page.get_by_label("Föredraganden lämnade rummet före beslutet").check()
    screenshot(page, "meeting-rules-decision")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(confirmation(page)).to_contain_text("är sparat")

    justera()
    expect(confirmation(page)).to_contain_text("Besluten gäller nu")
    expect(page.get_by_text("Protokoll justerat").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "meeting-rules-approved")
    application.refresh_from_db()
    assert application.state == Application.State.PARTLY_GRANTED

    # The protokollsutdrag: the paragraph and the justering attestation.
    extract = page.request.get(
        live_server.url + reverse("applications:minutes_extract", args=[meeting.pk, item.pk])
    )
    assert extract.ok and extract.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "utdrag.pdf"
    pdf.write_bytes(extract.body())
    text = pdf_text(pdf)
    assert f"§ {item.paragraph} {application.dnr} Unga vuxna i arbete" in text
    assert "Styrelsen beslutar att delvis bevilja ansökan" in text
    assert "Beviljat: 300 tkr för 2027, 400 tkr för 2028." in text
    meeting.refresh_from_db()
    approved = timezone.localtime(meeting.approved_at)
    assert (
        f"Protokollet justerades {approved:%Y-%m-%d} kl. {approved:%H:%M}; justeringen "
        "registrerades av Karin Lind. Utdraget överensstämmer med protokollet." in text
    )

    # The application page shows the decision, and both own-funds figures.
    page.goto(live_server.url + application.get_absolute_url())
    decision = page.get_by_role("region", name="Styrelsens beslut")
    expect(decision).to_contain_text("Beviljas delvis")
    expect(decision).to_contain_text(
        f"§ {item.paragraph}, protokoll styrelsen {yesterday:%Y-%m-%d}"
    )
    expect(decision.get_by_role("row", name="2027 300")).to_be_visible()
    expect(decision.get_by_role("row", name="2028 400")).to_be_visible()
    expect(decision).to_contain_text("Villkor: Halvårsvis uppföljning till styrelsen.")
    expect(decision.get_by_role("link", name="Protokollsutdrag (PDF)")).to_be_visible()
    expect(page.locator(".own-funds-differ")).to_contain_text(
        "parternas åtaganden (Organisation) anger 570\xa0000 kr, budgeten (Ekonomi) 150\xa0000 kr"
    )
    check_accessibility(page)
    screenshot(page, "meeting-rules-application-decided")
