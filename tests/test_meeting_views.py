import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Meeting
from finsam.models import BoardSeat
from tests.factories import MeetingFactory
from tests.test_meetings import all_present, prepared_application, seats
from tests.test_permissions import open_board_meeting

State = Application.State


def page(response) -> str:
    return response.content.decode()


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout.replace("\xa0", " ")


@pytest.mark.django_db
def test_officer_creates_a_meeting_and_puts_a_prepared_application_on_it(
    officer_client, officer, preparer, association
):
    application = prepared_application(association, officer, preparer)

    response = officer_client.post(
        reverse("applications:meeting_create"),
        {"body": "board", "starts_at": "2027-02-10T09:00", "place": "Stadshuset"},
    )
    meeting = Meeting.objects.get(place="Stadshuset")
    assert response["Location"] == reverse("applications:meeting", args=[meeting.pk])
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2027-02-10 09:00"

    officer_client.post(
        reverse("applications:agenda_add", args=[meeting.pk]), {"application": application.pk}
    )
    officer_client.post(
        reverse("applications:agenda_add", args=[meeting.pk]),
        {"kind": "information", "title": "Rapport"},
    )

    application.refresh_from_db()
    assert application.state == State.ON_AGENDA
    assert list(meeting.agenda_items.values_list("position", "kind")) == [
        (1, "application"),
        (2, "information"),
    ]


@pytest.mark.django_db
def test_an_agenda_item_needs_an_application_or_a_heading(officer_client, association):
    meeting = MeetingFactory(association=association)

    response = officer_client.post(
        reverse("applications:agenda_add", args=[meeting.pk]), {}, follow=True
    )

    assert "Välj en beredd ansökan eller typ av ärende." in page(response)
    assert not meeting.agenda_items.exists()


@pytest.mark.django_db
def test_short_notice_asks_for_confirmation_then_publishes_and_mails(
    officer_client, association, django_capture_on_commit_callbacks
):
    BoardSeat.objects.filter(
        member__association=association
    ).first().person.__class__.objects.filter(association=association).update(
        email="ledamot@example.org"
    )
    meeting = MeetingFactory(
        association=association, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    url = reverse("applications:publish", args=[meeting.pk])

    response = officer_client.post(url)
    assert "Skicka kallelsen ändå?" in page(response)
    meeting.refresh_from_db()
    assert meeting.published_at is None

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(url, {"confirm_short_notice": "1"})
    meeting.refresh_from_db()
    assert meeting.published_at is not None
    assert len(mail.outbox) == 1  # one address, shared by everyone here
    assert reverse("applications:meeting", args=[meeting.pk]) in mail.outbox[0].body


@pytest.mark.django_db
def test_board_sees_published_meetings_only(login, board_member, officer, association):
    hidden = MeetingFactory(association=association, place="Opublicerat")
    shown = open_board_meeting(association, officer)
    client = login(board_member)

    assert client.get(reverse("applications:meeting", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("applications:meeting", args=[shown.pk])).status_code == 200
    assert "Opublicerat" not in page(client.get(reverse("applications:meetings")))


@pytest.mark.django_db
def test_attendance_form_records_a_serving_deputy(officer_client, association):
    meeting = MeetingFactory(association=association)
    ordinary = {s.member.name: s for s in seats(association, "ordinary")}
    deputy = {s.member.name: s for s in seats(association, "deputy")}
    data = {f"present_{s.pk}": "on" for name, s in ordinary.items() if name != "Region Skåne"}
    data |= {
        f"present_{deputy['Region Skåne'].pk}": "on",
        f"serving_for_{deputy['Region Skåne'].pk}": str(ordinary["Region Skåne"].pk),
        f"adjuster_{ordinary['Svalövs kommun'].pk}": "on",
    }

    response = officer_client.post(
        reverse("applications:attendance", args=[meeting.pk]), data, follow=True
    )

    assert "5 av 5 platser besatta, styrelsen är beslutför" in page(response)
    serving = meeting.attendance.get(serving_for__isnull=False)
    assert (serving.seat, serving.serving_for) == (deputy["Region Skåne"], ordinary["Region Skåne"])


@pytest.mark.django_db
def test_decision_form_takes_tkr_and_jav_and_the_minutes_pdf_says_so(
    officer_client, officer, preparer, association, tmp_path
):
    from applications import meetings

    application = prepared_application(association, officer, preparer, name="Socialt företagande")
    meeting = MeetingFactory(association=association)
    meetings.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    meetings.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    officer_client.post(reverse("applications:minutes_open", args=[meeting.pk]))
    item = meeting.agenda_items.get()
    recused = seats(association, "ordinary")[1]

    officer_client.post(
        reverse("applications:decision", args=[meeting.pk, item.pk]),
        {
            "outcome": "grant",
            "amount_2027": "450",
            "amount_2028": "1 250,5",
            "presenter_left": "on",
            f"recused_{recused.pk}": "on",
            f"reason_{recused.pk}": "Anställd hos huvudmannen",
        },
    )

    decision = item.__class__.objects.get(pk=item.pk).decision
    assert list(decision.amounts.values_list("year", "amount")) == [
        (2027, Decimal("450000.00")),
        (2028, Decimal("1250500.00")),
    ]
    text = pdf_text(
        officer_client.get(reverse("applications:minutes_pdf", args=[meeting.pk])).content, tmp_path
    )
    assert f"§ {item.paragraph} {application.dnr} Socialt företagande" in text
    assert "Styrelsen beslutar att bevilja 450 tkr för 2027 och 1 251 tkr för 2028" in text
    assert f"{recused.person} anmäler jäv (Anställd hos huvudmannen)" in text
    assert "lämnade rummet innan styrelsen fattade beslut" in text
    assert "Justerare" in text and "Ordförande" in text


@pytest.mark.django_db
def test_after_justering_nothing_can_be_changed_through_the_pages(
    officer_client, officer, association
):
    meeting = open_board_meeting(association, officer)
    item = meeting.agenda_items.get()
    officer_client.post(
        reverse("applications:decision", args=[meeting.pk, item.pk]), {"text": "Noterat."}
    )
    officer_client.post(
        reverse("applications:approve", args=[meeting.pk]),
        {"chair_approved": "on", "adjusters_approved": "on"},
    )
    meeting.refresh_from_db()
    assert meeting.is_locked

    response = officer_client.post(
        reverse("applications:decision", args=[meeting.pk, item.pk]),
        {"text": "Ändrat."},
        follow=True,
    )
    assert "Protokollet är justerat" in page(response)
    assert item.__class__.objects.get(pk=item.pk).decision.text == "Noterat."
    assert (
        officer_client.get(reverse("applications:attendance", args=[meeting.pk])).status_code == 302
    )


@pytest.mark.django_db
def test_pack_pdf_has_the_agenda_and_each_application(
    login, board_member, officer, preparer, association, tmp_path
):
    from applications import meetings

    application = prepared_application(association, officer, preparer, name="Socialt företagande")
    meeting = MeetingFactory(association=association)
    meetings.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    meetings.meeting_publish(user=officer, meeting=meeting, confirm_short_notice=True)

    response = login(board_member).get(reverse("applications:pack_pdf", args=[meeting.pk]))

    text = pdf_text(response.content, tmp_path)
    assert "Kallelse: styrelsen" in text
    assert "Dagordning" in text
    assert f"Ansökan {application.dnr}: Socialt företagande" in text
    assert "Beredningsgruppens bedömning" in text
    # Bookmarks: poppler's XML output lists the outline.
    xml = subprocess.run(
        ["pdftohtml", "-q", "-stdout", "-xml", str(tmp_path / "doc.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    outline = xml[xml.index("<outline>") :]
    assert "Kallelse: styrelsen" in outline
    assert f"Ansökan {application.dnr}: Socialt företagande" in outline


@pytest.mark.django_db
def test_large_ids_are_not_grouped_in_form_names(login, officer_client, officer, association):
    """Swedish number formatting must not turn seat 12345 into "12 345" in a field name."""
    from finsam.models import Role

    seat = BoardSeat.objects.filter(member__association=association).first()
    BoardSeat.objects.filter(pk=seat.pk).update(id=12345)
    meeting = MeetingFactory(association=association)

    html = page(officer_client.get(reverse("applications:attendance", args=[meeting.pk])))
    assert 'name="present_12345"' in html

    from tests.factories import AssociationFactory

    Role.objects.create(user=officer, association=AssociationFactory(id=4321), kind="board")
    assert 'value="4321"' in page(login(officer).get(reverse("start")))


# Meeting writes by the wrong people: 403 for read-only roles, 404 for another förbund; nothing
# changes.
MEETING_WRITES = ["agenda_add", "publish", "minutes_open", "approve", "attendance", "meeting_edit"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", MEETING_WRITES)
def test_refused_meeting_writes_change_nothing(name, personas, login, association):
    meeting = MeetingFactory(association=association)
    expected = {"preparer": 403, "board": 403, "auditor": 403, "other_officer": 404}
    for persona, status in expected.items():
        response = login(personas[persona]).post(
            reverse(f"applications:{name}", args=[meeting.pk]),
            {"kind": "other", "title": "X", "confirm_short_notice": "1", "place": "Annan"},
        )
        assert response.status_code == status, (persona, response.status_code)
    meeting.refresh_from_db()
    assert (meeting.place, meeting.published_at, meeting.minutes_opened_at) == (
        "Stadshuset, sal 3",
        None,
        None,
    )
    assert not meeting.agenda_items.exists()


@pytest.mark.django_db
def test_meeting_cannot_be_moved_once_the_minutes_are_drawn_up(
    officer_client, officer, association
):
    meeting = open_board_meeting(association, officer)

    response = officer_client.post(
        reverse("applications:meeting_edit", args=[meeting.pk]),
        {"body": "preparation", "starts_at": "2031-01-01T09:00", "place": "Annan"},
        follow=True,
    )

    assert "Protokollet är upprättat" in page(response)
    meeting.refresh_from_db()
    assert (meeting.body, meeting.place) == ("board", "Stadshuset, sal 3")
