import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.http import Http404
from django.template import engines
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone

from applications import selectors, services
from applications.access import MeetingPermissions, get_agenda_item, get_meeting_for_user
from applications.forms.meeting import AttendanceForm
from applications.models import Application, Meeting
from applications.services import meeting as meeting_rules
from finsam.models import BoardSeat, Role
from tests.factories import (
    HELD,
    BoardSeatFactory,
    MeetingFactory,
    MemberFactory,
    all_present,
    open_board_meeting,
    prepared_application,
    seats,
)

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
    # After the standard opening paragraphs and before avslutning.
    assert list(meeting.agenda_items.values_list("position", "kind")) == [
        (1, "opening"),
        (2, "approvers"),
        (3, "agenda"),
        (4, "application"),
        (5, "information"),
        (6, "closing"),
    ]


@pytest.mark.django_db
def test_an_agenda_item_needs_an_application_or_a_heading(officer_client, association):
    meeting = MeetingFactory(association=association, starts_at=HELD)

    response = officer_client.post(
        reverse("applications:agenda_add", args=[meeting.pk]), {}, follow=True
    )

    assert "Välj en beredd ansökan eller typ av ärende." in page(response)
    assert not meeting.agenda_items.exists()


@pytest.mark.django_db
def test_short_notice_asks_for_confirmation_then_publishes_and_mails(officer_client, association):
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
    assert meeting_rules.SHORT_NOTICE.format(days=2, notice=7) in page(response)
    assert "Kallelsen skickades" not in page(response)  # a question, not yet a success
    meeting.refresh_from_db()
    assert meeting.published_at is None

    response = officer_client.post(url, {"confirm_short_notice": "1"}, follow=True)
    meeting.refresh_from_db()
    assert meeting.published_at is not None
    recipients = len(selectors.notice_recipients(meeting))
    assert f"Kallelsen skickades till {recipients} av {recipients}." in page(response)
    assert len(mail.outbox) == recipients  # one e-mail each, all to the shared address
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
    meeting = MeetingFactory(association=association, starts_at=HELD)
    ordinary = {s.member.name: s for s in seats(association, "ordinary")}
    deputy = {s.member.name: s for s in seats(association, "deputy")}
    data = {f"present_{s.pk}": "on" for name, s in ordinary.items() if name != "Region Skåne"}
    data |= {
        f"present_{deputy['Region Skåne'].pk}": "on",
        f"serving_for_{deputy['Region Skåne'].pk}": str(ordinary["Region Skåne"].pk),
        f"approver_{ordinary['Svalövs kommun'].pk}": "on",
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
    application = prepared_application(association, officer, preparer, name="Socialt företagande")
    meeting = MeetingFactory(association=association, starts_at=HELD)
    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
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
            "confirm_exceeding": "on",
        },
    )

    decision = item.__class__.objects.get(pk=item.pk).decision
    assert list(decision.amounts.values_list("year", "amount")) == [
        (2027, Decimal("450000.00")),
        (2028, Decimal("1250500.00")),
    ]
    text = pdf_text(
        officer_client.get(reverse("applications:minutes_pdf", args=[meeting.pk])).getvalue(),
        tmp_path,
    )
    assert f"§ {item.paragraph} {application.dnr} Socialt företagande" in text
    assert "Styrelsen beslutar att bevilja 450 tkr för 2027 och 1 251 tkr för 2028" in text
    assert f"{recused.person} anmäler jäv (Anställd hos huvudmannen)" in text
    assert "lämnade rummet innan styrelsen fattade beslut" in text
    assert "Justerare" in text and "Ordförande" in text


@pytest.mark.django_db
def test_decision_form_asks_about_jav_of_the_seats_present_by_name(
    officer_client, officer, association
):
    # The page reads the seats present alone (selectors.meeting_detail's present_only): the
    # ordinary members here; the deputies were absent, and are not asked about.
    meeting = open_board_meeting(association, officer)
    item = meeting.agenda_items.get()

    text = page(officer_client.get(reverse("applications:decision", args=[meeting.pk, item.pk])))

    for seat in seats(association, "ordinary"):
        assert f"{seat.person.name} anmäler jäv" in text
        assert f"Skäl för jäv, {seat.person.name}" in text
    for seat in seats(association, "deputy"):
        assert seat.person.name not in text
    # One box a seat present, and the sentence that says what a jäv means.
    assert text.count("anmäler jäv") == len(seats(association, "ordinary")) + 1 == 6


@pytest.mark.django_db
def test_linked_applications_on_the_agenda_are_decided_through_the_page(
    officer_client, officer, preparer, association
):
    # The page reads the meeting with only the ärende it decides; the rule that linked
    # applications are decided at the same meeting asks the database for the rest of the agenda.
    first = prepared_application(association, officer, preparer, name="Lindevillan")
    partner = prepared_application(association, officer, preparer, name="Epsilon")
    first.linked.add(partner)
    meeting = MeetingFactory(association=association, starts_at=HELD)
    for application in (first, partner):
        services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)
    item = meeting.agenda_items.get(application=first)

    response = officer_client.post(
        reverse("applications:decision", args=[meeting.pk, item.pk]),
        {"outcome": "reject", "text": "Avslås."},
        follow=True,
    )

    refused = meeting_rules.LINKED_NOT_ON_AGENDA.format(names=str(partner), them="den")
    assert refused not in page(response)
    decision = item.__class__.objects.get(pk=item.pk).decision
    assert (decision.outcome, decision.text) == ("reject", "Avslås.")


@pytest.mark.django_db
def test_an_ärende_is_decided_only_under_its_own_meeting(officer_client, officer, association):
    # The decision page reads the meeting with only the ärende asked for: an ärende of another
    # meeting of the förbund is not found under this one, and nothing is recorded.
    meeting = open_board_meeting(association, officer)
    other = open_board_meeting(association, officer)
    item = other.agenda_items.get()
    url = reverse("applications:decision", args=[meeting.pk, item.pk])

    assert officer_client.get(url).status_code == 404
    assert officer_client.post(url, {"text": "Noterat."}).status_code == 404
    assert not hasattr(item.__class__.objects.get(pk=item.pk), "decision")


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
        {"chair_approved": "on", "approvers_approved": "on"},
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
    application = prepared_application(association, officer, preparer, name="Socialt företagande")
    meeting = MeetingFactory(association=association, starts_at=HELD)
    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )

    response = login(board_member).get(reverse("applications:pack_pdf", args=[meeting.pk]))

    day = timezone.localdate(meeting.starts_at)
    assert response["Content-Disposition"] == f'inline; filename="kallelse-{day:%Y-%m-%d}.pdf"'
    text = pdf_text(response.getvalue(), tmp_path)
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
def test_each_application_in_the_pack_has_headings_of_its_own_to_link_to(
    login, board_member, officer, preparer, association, tmp_path
):
    first = prepared_application(association, officer, preparer, name="Socialt företagande")
    second = prepared_application(association, officer, preparer, name="Vägen till arbete")
    meeting = MeetingFactory(association=association, starts_at=HELD)
    for application in (first, second):
        services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )

    response = login(board_member).get(reverse("applications:pack_pdf", args=[meeting.pk]))

    (tmp_path / "pack.pdf").write_bytes(response.getvalue())
    dests = subprocess.run(
        ["pdfinfo", "-dests", str(tmp_path / "pack.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Each heading of each application is a destination of its own (one id twice in the HTML
    # left the second application's headings without one).
    for application in (first, second):
        assert f'"{application.pk}-s-syfte"' in dests
        assert f'"{application.pk}-s-ekonomi"' in dests


@pytest.mark.django_db
def test_large_ids_are_not_grouped_in_form_names(login, officer_client, officer, association):
    """Swedish number formatting must not turn seat 12345 into "12 345" in a field name."""
    seat = BoardSeat.objects.filter(member__association=association).first()
    BoardSeat.objects.filter(pk=seat.pk).update(id=12345)
    meeting = MeetingFactory(association=association, starts_at=HELD)

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
    meeting = MeetingFactory(association=association, starts_at=HELD)
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


def as_user(rf, user, association):
    request = rf.get("/")
    request.user = user
    request.association = association
    request.role = user.roles.get(association=association).kind
    return request


@pytest.mark.django_db
def test_meeting_access_is_404_outside_what_the_role_sees(
    rf, personas, association, other_association, officer
):
    unpublished = MeetingFactory(association=association, starts_at=HELD)
    preparation = MeetingFactory(association=association, body="preparation", starts_at=HELD)
    services.meeting_publish(
        user=officer, meeting=preparation, confirm_short_notice=True, confirm_without_email=True
    )
    opened = open_board_meeting(association, officer)  # published, minutes not justerade
    elsewhere = MeetingFactory(association=other_association)
    visible = {
        "officer": {unpublished, preparation, opened},
        "board": {opened},
        "preparer": {preparation},
        "auditor": set(),
    }

    for persona, meetings in visible.items():
        request = as_user(rf, personas[persona], association)
        for meeting in (unpublished, preparation, opened, elsewhere):
            if meeting in meetings:
                assert get_meeting_for_user(request, meeting.pk)[0] == meeting
            else:
                with pytest.raises(Http404):
                    get_meeting_for_user(request, meeting.pk)
    with pytest.raises(Http404):
        get_meeting_for_user(as_user(rf, personas["other_officer"], other_association), opened.pk)


@pytest.mark.django_db
def test_the_officer_may_change_a_meeting_step_by_step_until_justering(rf, officer, association):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    request = as_user(rf, officer, association)

    def permissions():
        return get_meeting_for_user(request, meeting.pk)[1]

    assert permissions() == MeetingPermissions(
        can_edit=True,
        can_publish=True,
        can_cancel=True,
        can_record_attendance=True,
        can_open_minutes=True,
        can_decide=False,
        can_approve=False,
        sees_steps=True,
        sees_minutes=False,
    )
    services.agenda_item_add(user=officer, meeting=meeting, kind="information", title="Info")
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)
    assert permissions() == MeetingPermissions(
        can_edit=False,
        can_publish=False,
        can_cancel=False,
        can_record_attendance=False,
        can_open_minutes=False,
        can_decide=True,
        can_approve=True,
        sees_steps=True,
        sees_minutes=True,
    )
    services.decision_record(user=officer, item=meeting.agenda_items.get(), text="Noterat.")
    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )
    assert permissions() == MeetingPermissions(
        can_edit=False,
        can_publish=False,
        can_cancel=False,
        can_record_attendance=False,
        can_open_minutes=False,
        can_decide=False,
        can_approve=False,
        sees_steps=False,
        sees_minutes=True,
    )


@pytest.mark.django_db
def test_only_the_officer_changes_meetings_and_only_the_board_has_attendance_and_minutes(
    rf, officer, board_member, association
):
    board_meeting = open_board_meeting(association, officer)
    preparation = MeetingFactory(association=association, body="preparation", starts_at=HELD)

    _meeting, board = get_meeting_for_user(as_user(rf, board_member, association), board_meeting.pk)
    _meeting, officers = get_meeting_for_user(as_user(rf, officer, association), preparation.pk)

    assert board == MeetingPermissions(False, False, False, False, False, False, False, False, True)
    assert (officers.can_edit, officers.can_publish) == (True, True)
    assert (officers.can_record_attendance, officers.can_open_minutes) == (False, False)


@pytest.mark.django_db
def test_an_agenda_item_is_found_only_on_its_own_meeting(rf, officer, association):
    first = open_board_meeting(association, officer)
    second = MeetingFactory(association=association, starts_at=HELD)
    request = as_user(rf, officer, association)
    item = first.agenda_items.get()

    meeting, _permissions = get_meeting_for_user(request, first.pk)
    assert get_agenda_item(meeting, item.pk) == item
    meeting, _permissions = get_meeting_for_user(request, second.pk)
    with pytest.raises(Http404):
        get_agenda_item(meeting, item.pk)


@pytest.mark.django_db
def test_decision_page_shows_the_recorded_amounts_in_tkr_and_the_jav(
    officer_client, officer, preparer, association
):
    application = prepared_application(association, officer, preparer)
    meeting = MeetingFactory(association=association, starts_at=HELD)
    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)
    item = meeting.agenda_items.get()
    recused = seats(association, "ordinary")[1]
    services.decision_record(
        user=officer,
        item=item,
        text="",
        outcome="grant",
        amounts={2027: Decimal("450000"), 2028: Decimal("1250500")},
        recusals=[(recused, "Anställd hos huvudmannen")],
        confirm_exceeding=True,
    )

    html = page(officer_client.get(reverse("applications:decision", args=[meeting.pk, item.pk])))

    assert 'name="amount_2027" value="450"' in html
    assert 'name="amount_2028" value="1\xa0250,5"' in html  # grouped with a no-break space
    assert f'name="recused_{recused.pk}"' in html and "Anställd hos huvudmannen" in html


@pytest.mark.django_db
def test_refused_attendance_is_shown_again_as_it_was_ticked(officer_client, association):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    ordinary = seats(association, "ordinary")
    data = {f"present_{seat.pk}": "on" for seat in ordinary}  # no justerare named

    response = officer_client.post(reverse("applications:attendance", args=[meeting.pk]), data)

    html = page(response)
    assert services.meeting.NO_APPROVER in html
    first = ordinary[0].pk
    assert f'name="present_{first}" class="form-check-input" id="present_{first}" checked' in html
    assert not meeting.attendance.exists()


@pytest.mark.django_db
def test_a_deputy_can_only_be_chosen_for_an_ordinary_of_the_same_member(
    officer_client, association
):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    ordinary = {s.member.name: s for s in seats(association, "ordinary")}
    deputy = seats(association, "deputy")[0]
    other = next(s for s in ordinary.values() if s.member_id != deputy.member_id)

    response = officer_client.post(
        reverse("applications:attendance", args=[meeting.pk]),
        {f"present_{deputy.pk}": "on", f"serving_for_{deputy.pk}": str(other.pk)},
    )

    assert "Välj ett giltigt alternativ" in page(response)
    assert not meeting.attendance.exists()


@pytest.mark.django_db
def test_attendance_page_of_a_beredningsgrupp_meeting_says_only_the_board_has_one(
    officer_client, association
):
    preparation = MeetingFactory(association=association, body="preparation", starts_at=HELD)

    response = officer_client.get(
        reverse("applications:attendance", args=[preparation.pk]), follow=True
    )

    assert services.meeting.ONLY_BOARD_DECIDES in page(response)


@pytest.mark.django_db
def test_publish_page_lists_every_recipient_and_names_who_has_no_address(
    officer_client, association
):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    recipients = selectors.notice_recipients(meeting)

    html = page(officer_client.get(reverse("applications:publish", args=[meeting.pk])))

    for recipient in recipients:
        assert recipient.person.name in html
    assert f"{len(recipients)} av {len(recipients)} saknar e-postadress" in html
    assert "Skicka till dem som har e-postadress" in html


@pytest.mark.django_db
def test_the_kallelser_sent_are_listed_first_sent_first(officer_client, association, officer):
    from applications.models import Notice

    meeting = MeetingFactory(association=association, starts_at=HELD)
    # Stored out of order, so that the rows' order in the table does not give the answer.
    for day in (5, 3, 4):
        Notice.objects.create(
            meeting=meeting, sent_by=officer, sent_at=HELD - datetime.timedelta(days=day)
        )
    expected = ["2026-11-05", "2026-11-06", "2026-11-07"]

    for name in ("applications:publish", "applications:meeting"):
        html = page(officer_client.get(reverse(name, args=[meeting.pk])))
        shown = [html.index(f"{day} 10:00") for day in expected]
        assert shown == sorted(shown), name


# The loop the kallelse's table of recipients had before its rows were written in Python (#12):
# the markup applications_lists.recipient_table_rows must write, cell for cell.
RECIPIENT_ROWS_LOOP = """{% for recipient in recipients %}
      <tr{% if not recipient.address %} class="table-warning"{% endif %}>
        <th scope="row">{{ recipient.person }}</th>
        <td>{{ recipient.role }}</td>
        <td>{% if recipient.address %}{{ recipient.address }}{% else %}<strong>Saknar e-postadress</strong>{% endif %}</td>
      </tr>
    {% empty %}
      <tr><td colspan="3">Ingen att kalla: lägg in ledamöterna och kansliet under Organisation.</td></tr>
    {% endfor %}"""  # noqa: E501 (the template's lines as they were)


def test_the_kallelse_recipients_read_as_the_template_loop_wrote_them():
    from applications.selectors.meeting import Recipient
    from finsam.models import Person

    recipients = [
        Recipient(Person(name="Anna <Ek> & Co", email="anna@example.org"), "Ordinarie, Malmö"),
        Recipient(Person(name="Jonas Berg", email=""), 'Kansliet, "förbundschef"'),
    ]
    engine = engines["django"]

    def both(shown):
        loop = engine.from_string(RECIPIENT_ROWS_LOOP).render({"recipients": shown})
        written = engine.from_string(
            "{% load applications_lists %}{{ recipients|recipient_table_rows }}"
        ).render({"recipients": shown})
        return written, loop

    written, loop = both(recipients)
    assert parse_html(written) == parse_html(loop), (written, loop)
    assert "Anna &lt;Ek&gt; &amp; Co" in written
    assert '<tr class="table-warning"><th scope="row">Jonas Berg</th>' in written
    assert parse_html(both([])[0]) == parse_html(both([])[1])


@pytest.mark.django_db
def test_officer_cancels_a_meeting_with_a_reason_and_it_says_so_in_the_list(
    officer_client, association
):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    url = reverse("applications:meeting_cancel", args=[meeting.pk])

    response = officer_client.post(url, {"reason": ""}, follow=True)
    assert meeting_rules.CANCEL_REASON_REQUIRED in page(response)
    officer_client.post(url, {"reason": "Ordföranden sjuk"})

    meeting.refresh_from_db()
    assert meeting.cancelled_reason == "Ordföranden sjuk"
    listing = page(officer_client.get(reverse("applications:meetings")))
    assert "Inställt" in listing
    detail = page(officer_client.get(reverse("applications:meeting", args=[meeting.pk])))
    assert "Ordföranden sjuk" in detail and "Skicka kallelsen" not in detail


@pytest.mark.django_db
def test_meeting_list_shows_places_as_typed_and_says_when_there_are_none(
    officer_client, association
):
    # The rows are written in Python (applications_lists): what people type is shown as text.
    assert "Inga sammanträden." in page(officer_client.get(reverse("applications:meetings")))
    MeetingFactory(association=association, starts_at=HELD, place="<i>Sal</i> & rum")

    listing = page(officer_client.get(reverse("applications:meetings")))

    assert "&lt;i&gt;Sal&lt;/i&gt; &amp; rum" in listing
    assert "<i>Sal" not in listing


@pytest.mark.django_db
def test_officer_moves_an_agenda_item_down_with_the_button(officer_client, officer, association):
    meeting = services.meeting_create(
        user=officer, association=association, body="board", starts_at=HELD, place="Sal 3"
    )
    opening = meeting.agenda_items.get(kind="opening")

    officer_client.post(
        reverse("applications:agenda_move", args=[meeting.pk, opening.pk]), {"direction": "down"}
    )

    assert list(meeting.agenda_items.values_list("kind", flat=True)[:2]) == [
        "approvers",
        "opening",
    ]


@pytest.mark.django_db
def test_justerade_minutes_still_show_whom_the_kallelse_reached(
    association, officer, login, board_member, tmp_path
):
    meeting = open_board_meeting(association, officer)
    url = reverse("applications:meeting", args=[meeting.pk])
    # Until justering the officer's to-do list counts the seats filled.
    assert "5 av 5 platser besatta, beslutför" in login(officer).get(url).content.decode()
    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )
    client = login(board_member)

    html = client.get(url).content.decode()
    # The factories' people have no address: the record says so, for an auditor to read.
    assert "<strong>Kallelse:</strong>" in html
    assert "Kallelsen skickades till 0 av 10; 10 saknar e-post" in html
    # The minutes say when the kallelse went out (the page and the minutes read the kallelser).
    minutes = pdf_text(
        client.get(reverse("applications:minutes_pdf", args=[meeting.pk])).getvalue(), tmp_path
    )
    sent = meeting.notices.get().sent_at
    assert f"Skickad {timezone.localtime(sent):%Y-%m-%d}" in minutes


# The loop the attendance page's template had before its rows were written in Python (#12):
# the markup applications/templatetags/applications_attendance.py must write, cell for cell.
ATTENDANCE_LOOP = """{% load l10n %}<table><tbody>
    {% localize off %}
    {% for seat, present, serving_for, approver in form.seat_fields %}
      <tr>
        <th scope="row">{{ seat.person }}{% if seat.party %} ({{ seat.party }}){% endif %}</th>
        <td>{{ seat.get_kind_display }}{% if seat.deputy_order %} {{ seat.deputy_order }}{% endif %}</td>
        <td>{{ seat.member }}</td>
        <td>{{ present }}<label class="visually-hidden" for="{{ present.id_for_label }}">{{ present.label }}</label></td>
        <td>{% if serving_for is not None %}<label class="visually-hidden" for="{{ serving_for.id_for_label }}">{{ serving_for.label }}</label>{{ serving_for }}{% endif %}</td>
        <td>{{ approver }}<label class="visually-hidden" for="{{ approver.id_for_label }}">{{ approver.label }}</label></td>
      </tr>
    {% empty %}
      <tr><td colspan="6">Styrelsen har inga platser den dagen.</td></tr>
    {% endfor %}
    {% endlocalize %}
</tbody></table>"""  # noqa: E501 (the template's lines as they were)


@pytest.mark.django_db
def test_the_attendance_table_reads_as_the_templates_loop_wrote_it(association):
    member = MemberFactory(association=association, name="Kommun <K> & co")
    ordinary = BoardSeatFactory(member=member, person__name="Eva <E>", party="S&P")
    deputy = BoardSeatFactory(
        member=member, person__name="Per", kind=BoardSeat.Kind.DEPUTY, deputy_order=2
    )
    engine = engines["django"]
    posted = {f"present_{ordinary.pk}": "on", f"serving_for_{deputy.pk}": str(ordinary.pk)}
    for make in (
        lambda: AttendanceForm(seats=[ordinary, deputy], attendance=[]),
        lambda: AttendanceForm(posted, seats=[ordinary, deputy], attendance=[]),
        lambda: AttendanceForm(seats=[], attendance=[]),
    ):
        loop = engine.from_string(ATTENDANCE_LOOP).render({"form": make()})
        written = engine.from_string(
            "{% load applications_attendance %}<table><tbody>{{ form|attendance_rows }}"
            "</tbody></table>"
        ).render({"form": make()})
        assert parse_html(written) == parse_html(loop), (written, loop)
    assert "Eva &lt;E&gt; (S&amp;P)" in engine.from_string(
        "{% load applications_attendance %}{{ form|attendance_rows }}"
    ).render({"form": AttendanceForm(seats=[ordinary, deputy], attendance=[])})


# The include the meeting page and the pack wrote each ärende with before it was written in
# Python (#12): the markup applications/templatetags/applications_agenda.py must write.
ITEM_INCLUDE = """{% load finsam_format l10n %}
{% with item=entry.item application=entry.item.application %}
<article class="agenda-item" aria-labelledby="arende-{{ item.pk|unlocalize }}">
  <h3 id="arende-{{ item.pk|unlocalize }}" class="h5">{% if item.paragraph %}§ {{ item.paragraph|unlocalize }} {% else %}{{ entry.number }}. {% endif %}{{ item.title }}</h3>
  {% if not item.is_standard or item.presenter %}<p class="small mb-1">{% if not item.is_standard %}{{ item.get_kind_display }}{% endif %}{% if item.presenter %}{% if not item.is_standard %} · {% endif %}Föredragande: {{ item.presenter }}{% endif %}</p>{% endif %}
  {% if application %}
  <dl class="row small mb-1">
    <dt class="col-sm-3">Huvudman</dt><dd class="col-sm-9">{{ application.owner.name|default:"–" }}; period {{ application.period_start|date:"Y-m-d" }} – {{ application.period_end|date:"Y-m-d" }}</dd>
    <dt class="col-sm-3">Sökt från förbundet</dt><dd class="col-sm-9">{% for year in entry.budget.years %}{{ year.sought|tkr }} tkr ({{ year.year|stringformat:"d" }}){% if not forloop.last %}, {% endif %}{% endfor %}; totalt {{ entry.budget.sought|tkr }} tkr</dd>
    <dt class="col-sm-3">Kriterier</dt><dd class="col-sm-9">{% for criterion in entry.unmet %}{% if forloop.first %}{{ entry.unmet|length }} av {{ entry.criteria|length }} inte uppfyllda:<ul class="list-unstyled mb-0">{% endif %}<li><span class="text-danger"><span aria-hidden="true">! </span>{{ criterion.label }}</span> – {{ criterion.detail }}</li>{% if forloop.last %}</ul>{% endif %}{% empty %}Alla {{ entry.criteria|length }} uppfyllda{% endfor %}</dd>
    <dt class="col-sm-3">Rekommendation</dt><dd class="col-sm-9">{% if entry.recommendation %}<strong>{{ entry.recommendation.get_recommendation_display }}</strong>: {{ entry.recommendation.recommendation_text }}{% else %}Ingen fastställd rekommendation.{% endif %}</dd>
    {% if application.linked.all %}<dt class="col-sm-3">Beslutas tillsammans med</dt><dd class="col-sm-9">{% for other in application.linked.all %}{{ other }}{% if not forloop.last %}; {% endif %}{% endfor %}</dd>{% endif %}
  </dl>
  {% if not pdf %}<p class="small"><a href="{% url 'applications:detail' application.pk %}">Hela ansökan</a> · <a href="{% url 'applications:pdf' application.pk %}">Ansökan som PDF</a></p>{% endif %}
  {% endif %}
  {% if item.decision %}
  <div class="decision">
    <p class="mb-1"><strong>Beslut:</strong> {{ item.decision.text }}</p>
    {% if item.decision.conditions %}<p class="mb-1 small">Villkor: {{ item.decision.conditions }}</p>{% endif %}
    {% if item.decision.presenter_left %}<p class="mb-1 small">Föredraganden lämnade rummet innan styrelsen fattade beslut.</p>{% endif %}
    {% for recusal in item.decision.recusals.all %}<p class="mb-1 small">{{ recusal.seat.person }} anmälde jäv ({{ recusal.reason }}) och deltog inte i beslutet.</p>{% endfor %}
  </div>
  {% endif %}
</article>
{% endwith %}"""  # noqa: E501 (the template's lines as they were)


@pytest.mark.django_db
def test_the_agenda_items_read_as_the_include_wrote_them(association, officer, preparer):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    granted = prepared_application(association, officer, preparer, name="Steget <vidare> & co")
    linked = prepared_application(association, officer, preparer, name="Ung & aktiv")
    granted.linked.add(linked)
    for application in (granted, linked):
        services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.agenda_item_add(
        user=officer, meeting=meeting, kind="information", title="Läget <nu>", presenter="Eva & Per"
    )
    services.agenda_item_add(user=officer, meeting=meeting, kind="report", title="Rapport")
    engine = engines["django"]

    def compare():
        found = selectors.meeting_detail(
            association=association, role=Role.Kind.OFFICER, pk=meeting.pk
        )
        pack = selectors.meeting_page(found)["pack"]
        assert len(pack) >= 4
        for pdf in (False, True):
            context = {"pack": pack, "pdf": pdf}
            include = engine.from_string(
                "{% for entry in pack %}" + ITEM_INCLUDE + "{% endfor %}"
            ).render(context)
            written = engine.from_string(
                "{% load applications_agenda %}{% for entry in pack %}{% agenda_item entry pdf %}"
                "{% endfor %}"
            ).render(context)
            assert parse_html(written) == parse_html(include), (written, include)
        return written

    compare()  # numbered, undecided
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)
    items = {item.application_id: item for item in meeting.agenda_items.all()}
    services.decision_record(
        user=officer,
        item=items[granted.pk],
        text="Beviljas <delvis> & med villkor.",
        outcome="partial",
        conditions="Halvårsvis <uppföljning>",
        presenter_left=True,
        amounts={2027: Decimal(450000)},
        recusals=[(seats(association, "ordinary")[1], "Anställd & jävig")],
    )
    services.decision_record(user=officer, item=items[linked.pk], text="Avslås.", outcome="reject")
    written = compare()  # paragraphs, decided
    assert "Steget &lt;vidare&gt; &amp; co" in written
    assert "Anställd &amp; jävig" in written and "Halvårsvis &lt;uppföljning&gt;" in written
