"""The insatser's reports: due from the applications' planned reports, received as a checked
file, put before the board as a report item, behandlad when the minutes are justerade; overdue
and soon-due reports on the officer's start page; the reminders e-mailed by send_reminders."""

import datetime
import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.models import AgendaItem, Application
from finsam.uploads import UploadError
from followup import report_files, report_selectors, services
from followup.models import ReminderSent, Report
from tests.factories import (
    ApplicationFactory,
    InitiativeFactory,
    MeetingFactory,
    all_present,
    lead_for,
    report_due,
)
from tests.helpers import LOGGED_IN

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


@pytest.fixture
def due_soon(lead_initiative):
    return report_due(lead_initiative, due=TODAY + datetime.timedelta(days=10))


@pytest.fixture
def overdue(lead_initiative):
    return report_due(lead_initiative, due=TODAY - datetime.timedelta(days=3), kind="final")


def past_board_meeting(association):
    return MeetingFactory(
        association=association, starts_at=timezone.now() - datetime.timedelta(days=2)
    )


def justera(meeting, officer, association):
    application_services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    application_services.attendance_record(
        user=officer, meeting=meeting, rows=all_present(association)
    )
    application_services.minutes_open(user=officer, meeting=meeting)
    application_services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )


# Reports due


@pytest.mark.django_db
def test_the_reports_due_are_the_granted_applications_planned_reports(
    lead_initiative, due_soon, association
):
    rejected = ApplicationFactory(
        association=association,
        initiative=lead_initiative,
        state=Application.State.REJECTED,
        dnr_year=2025,
        dnr_number=1,
    )
    rejected.planned_reports.create(kind="final", due=TODAY)
    elsewhere = report_due(InitiativeFactory(association=association), due=TODAY)

    due = report_selectors.initiative_reports(lead_initiative)

    assert due == [due_soon]
    assert elsewhere not in due


# Files


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("Delrapport 2025.pdf", PDF, "PDF"),
        ("rapport.DOCX", office_file("word/document.xml"), "Word"),
        ("siffror.xlsx", office_file("xl/workbook.xml"), "Excel"),
    ],
)
def test_a_report_file_is_known_by_its_content(name, content, kind):
    assert report_files.report_kind(name, content) == kind


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.exe", b"MZ\x90\x00", "är inte en PDF-, Word- (docx) eller Excel-fil"),
        ("rapport.pdf", b"MZ\x90\x00", "heter .pdf men innehållet är inte en PDF-fil"),
        ("rapport.docx", office_file("xl/workbook.xml"), "inte en Word-fil"),
        ("rapport.xlsx", b"PK\x03\x04 broken", "inte en Excel-fil"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(name, content, message):
    with pytest.raises(UploadError) as refused:
        report_files.report_kind(name, content)
    assert message in str(refused.value)


@pytest.mark.django_db
def test_the_lead_uploads_a_report_and_reads_it_back(login, lead, lead_initiative, due_soon):
    client = login(lead)
    url = reverse("followup:report_upload", args=[lead_initiative.pk, due_soon.pk])

    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("Delrapport Steget.pdf", PDF),
            "received_on": f"{TODAY:%Y-%m-%d}",
        },
        follow=True,
    )
    report = Report.objects.get()
    download = client.get(reverse("followup:report_file", args=[lead_initiative.pk, due_soon.pk]))

    assert "Delrapport är mottagen." in text(response)
    assert "Mottagen" in text(response)
    assert report.file_name == "Delrapport Steget.pdf"
    assert report.received_by == lead
    assert report.history.get().history_user == lead
    assert report.file.name.startswith(f"insatsrapporter/{lead_initiative.pk}/Delrapport_Steget-")
    assert b"".join(download.streaming_content) == PDF
    assert "Delrapport Steget.pdf" in download["Content-Disposition"]


@pytest.mark.django_db
def test_a_renamed_file_and_a_too_large_one_are_refused_on_the_page(
    login, lead, lead_initiative, due_soon
):
    client = login(lead)
    url = reverse("followup:report_upload", args=[lead_initiative.pk, due_soon.pk])
    day = f"{TODAY:%Y-%m-%d}"

    renamed = client.post(url, {"file": SimpleUploadedFile("r.pdf", b"MZ"), "received_on": day})
    large = client.post(
        url,
        {
            "file": SimpleUploadedFile("r.pdf", PDF + b"0" * (20 * 1024 * 1024)),
            "received_on": day,
        },
    )

    assert "heter .pdf men innehållet är inte en PDF-fil" in text(renamed)
    assert "högst 20 MB tas emot" in text(large)
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_of_another_insats_is_not_found(login, lead, association, lead_initiative):
    foreign = report_due(InitiativeFactory(association=association), due=TODAY)
    url = reverse("followup:report_upload", args=[lead_initiative.pk, foreign.pk])
    assert login(lead).get(url).status_code == 404


@pytest.mark.django_db
def test_a_new_file_replaces_the_first_until_the_report_is_on_an_agenda(
    officer, lead, due_soon, association, media, django_capture_on_commit_callbacks
):
    first = services.report_receive(
        user=lead, planned_report=due_soon, file_name="a.pdf", content=PDF, received_on=TODAY
    )
    first_path = media / first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.report_receive(
            user=lead, planned_report=due_soon, file_name="b.pdf", content=PDF, received_on=TODAY
        )
    services.report_to_agenda(user=officer, report=second, meeting=past_board_meeting(association))

    assert second.pk == first.pk
    assert not first_path.exists()
    with pytest.raises(services.FollowupError) as refused:
        services.report_receive(
            user=lead, planned_report=due_soon, file_name="c.pdf", content=PDF, received_on=TODAY
        )
    assert "redan satt på dagordningen" in str(refused.value)


# Before the board


@pytest.mark.django_db
def test_the_report_goes_on_the_agenda_and_is_behandlad_at_justering(
    officer, officer_client, lead, lead_initiative, due_soon, association
):
    report = services.report_receive(
        user=lead, planned_report=due_soon, file_name="a.pdf", content=PDF, received_on=TODAY
    )
    meeting = past_board_meeting(association)

    services.report_to_agenda(user=officer, report=report, meeting=meeting)
    report.refresh_from_db()
    item = report.agenda_item
    on_agenda = text(officer_client.get(reverse("followup:detail", args=[lead_initiative.pk])))
    justera(meeting, officer, association)
    report.refresh_from_db()
    item.refresh_from_db()
    handled = text(officer_client.get(reverse("followup:detail", args=[lead_initiative.pk])))

    assert item.kind == AgendaItem.Kind.REPORT
    assert item.title == "Delrapport från Steget vidare"
    assert "På dagordningen" in on_agenda
    assert report.is_handled
    assert "Behandlad" in handled
    assert f"§ {item.paragraph} {timezone.localtime(meeting.starts_at):%Y-%m-%d}" in handled
    with pytest.raises(services.FollowupError):
        services.report_to_agenda(user=officer, report=report, meeting=meeting)


@pytest.mark.django_db
def test_the_officer_picks_the_next_board_meeting_on_the_page(
    officer_client, lead, lead_initiative, due_soon, association
):
    report = services.report_receive(
        user=lead, planned_report=due_soon, file_name="a.pdf", content=PDF, received_on=TODAY
    )
    coming = MeetingFactory(
        association=association, starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    url = reverse("followup:report_agenda", args=[lead_initiative.pk, due_soon.pk])

    form = text(officer_client.get(url))
    response = officer_client.post(url, {"meeting": coming.pk}, follow=True)

    assert str(coming) in form
    assert "står på dagordningen" in text(response)
    report.refresh_from_db()
    assert report.agenda_item.meeting == coming


@pytest.mark.django_db
def test_the_agenda_page_offers_only_the_boards_coming_open_meetings(
    officer_client, lead, lead_initiative, due_soon, association, other_association
):
    report = services.report_receive(
        user=lead, planned_report=due_soon, file_name="a.pdf", content=PDF, received_on=TODAY
    )
    url = reverse("followup:report_agenda", args=[lead_initiative.pk, due_soon.pk])
    soon = timezone.now() + datetime.timedelta(days=20)
    MeetingFactory(association=association, starts_at=soon - datetime.timedelta(days=60))  # past

    assert "Det finns inget kommande styrelsesammanträde" in text(officer_client.get(url))

    coming = MeetingFactory(association=association, starts_at=soon)
    elsewhere = MeetingFactory(association=other_association, starts_at=soon)
    form = text(officer_client.get(url))
    refused = officer_client.post(url, {"meeting": elsewhere.pk})

    options = re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', form)
    assert options == [("", "Välj"), (str(coming.pk), str(coming))]
    assert "Det finns inget kommande" not in form
    assert refused.status_code == 200
    assert "Välj ett giltigt alternativ" in text(refused)
    assert f'<option value="{coming.pk}">' in text(refused)
    report.refresh_from_db()
    assert report.agenda_item is None


@pytest.mark.django_db
def test_the_lead_cannot_put_a_report_before_the_board(login, lead, lead_initiative, due_soon):
    url = reverse("followup:report_agenda", args=[lead_initiative.pk, due_soon.pk])
    assert login(lead).get(url).status_code == 403


# The start page


@pytest.mark.django_db
def test_the_officer_start_page_lists_overdue_and_soon_due_reports(
    officer_client, lead_initiative, due_soon, overdue, lead
):
    later = report_due(lead_initiative, due=TODAY + datetime.timedelta(days=40))
    received = report_due(lead_initiative, due=TODAY + datetime.timedelta(days=2))
    services.report_receive(
        user=lead, planned_report=received, file_name="a.pdf", content=PDF, received_on=TODAY
    )

    page = text(officer_client.get(reverse("start")))

    assert "Insatsrapporter: försenade och snart" in page
    assert "Försenad" in page
    assert f"skulle ha lämnats {overdue.due:%Y-%m-%d}" in page
    assert f"senast {due_soon.due:%Y-%m-%d}" in page
    assert f"{later.due:%Y-%m-%d}" not in page
    assert f"{received.due:%Y-%m-%d}" not in page
    # Each row names the report's kind and its insats, and links to the insats's reports; the
    # earliest due first.
    link = f'<a href="{reverse("followup:detail", args=[lead_initiative.pk])}#rapporter">'
    assert re.findall(r'<a href="[^"]*#rapporter">[^<]*</a>', page) == [
        f"{link}Slutrapport – {lead_initiative.name}</a>",
        f"{link}Delrapport – {lead_initiative.name}</a>",
    ]


# Reminders


@pytest.mark.django_db
def test_reminders_go_before_the_day_and_when_late_never_twice(lead, lead_initiative, association):
    due = TODAY + datetime.timedelta(days=20)
    planned = report_due(lead_initiative, due=due)
    association.report_reminder_days = 14
    association.save()

    def run(day):
        out = io.StringIO()
        call_command(
            "send_reminders", today=f"{day:%Y-%m-%d}", base_url="https://finsam.test", stdout=out
        )
        return out.getvalue()

    run(due - datetime.timedelta(days=15))  # too early
    assert not mail.outbox
    first = run(due - datetime.timedelta(days=14))
    run(due - datetime.timedelta(days=14))  # the same day again
    run(due - datetime.timedelta(days=3))  # already reminded before the day
    assert len(mail.outbox) == 1
    assert "1 påminnelser skickade." in first
    [soon] = mail.outbox
    assert soon.to == [lead.email]
    assert soon.subject == f"Påminnelse: Delrapport för Steget vidare ska lämnas senast {due}"
    assert f"https://finsam.test/insatser/{lead_initiative.pk}/" in soon.body

    run(due + datetime.timedelta(days=1))
    run(due + datetime.timedelta(days=1))
    run(due + datetime.timedelta(days=8))
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Försenad: Delrapport för Steget vidare")
    assert list(planned.reminders.values_list("kind", flat=True)) == ["soon", "overdue"]


@pytest.mark.django_db
def test_a_received_report_and_an_insats_without_lead_get_no_reminder(
    lead, lead_initiative, association
):
    received = report_due(lead_initiative, due=TODAY)
    services.report_receive(
        user=lead, planned_report=received, file_name="a.pdf", content=PDF, received_on=TODAY
    )
    report_due(InitiativeFactory(association=association), due=TODAY)

    assert services.reminders_send(today=TODAY, base_url="https://x") == []
    assert not mail.outbox
    assert not ReminderSent.objects.exists()


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [(15, None), (14, "soon"), (0, "soon"), (-1, "overdue")],
)
def test_which_reminder_a_day_calls_for(days_left, kind):
    due = datetime.date(2026, 6, 30)
    today = due - datetime.timedelta(days=days_left)
    assert services.reminder_kind(due=due, today=today, days=14) == kind


@pytest.mark.django_db
def test_the_demo_has_a_lead_login_and_one_report_late_and_one_due_soon(seed):
    from django.test import Client

    from followup.demo import LEAD_INITIATIVE

    lead = Client()
    assert lead.login(email="insats@example.org", password="finsam-demo")
    mine = text(lead.get(reverse("followup:list")))
    officer = Client()
    officer.login(email="kansli@example.org", password="finsam-demo")
    start = text(officer.get(reverse("start")))
    rows = report_selectors.start_reports(association=seed, today=TODAY, within_days=14)

    assert LEAD_INITIATIVE in mine
    assert "Samverkansteam Landskrona" not in mine
    assert [row.is_overdue for row in rows] == [True, False]
    assert "skulle ha lämnats" in start
    assert LEAD_INITIATIVE in start


@pytest.mark.django_db
def test_a_report_on_a_cancelled_meeting_goes_before_another(officer, lead, due_soon, association):
    report = services.report_receive(
        user=lead, planned_report=due_soon, file_name="a.pdf", content=PDF, received_on=TODAY
    )
    cancelled = past_board_meeting(association)
    services.report_to_agenda(user=officer, report=report, meeting=cancelled)
    application_services.meeting_cancel(user=officer, meeting=cancelled, reason="Inställt.")
    later = MeetingFactory(
        association=association, starts_at=timezone.now() + datetime.timedelta(days=30)
    )

    services.report_to_agenda(user=officer, report=report, meeting=later)

    report.refresh_from_db()
    assert report.agenda_item.meeting == later


@pytest.mark.django_db
def test_a_meeting_of_another_forbund_is_refused(officer, lead, due_soon, other_association):
    report = services.report_receive(
        user=lead, planned_report=due_soon, file_name="a.pdf", content=PDF, received_on=TODAY
    )
    with pytest.raises(services.FollowupError):
        services.report_to_agenda(
            user=officer, report=report, meeting=past_board_meeting(other_association)
        )
    assert not AgendaItem.objects.filter(kind="report").exists()


@pytest.mark.django_db
def test_the_lead_report_and_agenda_pages_cost_the_same_for_more_rows(
    officer, officer_client, lead_initiative, association, due_soon, django_assert_num_queries
):
    services.report_receive(
        user=officer,
        planned_report=due_soon,
        file_name="delrapport.pdf",
        content=PDF,
        received_on=TODAY,
    )
    MeetingFactory(association=association, starts_at=timezone.now() + datetime.timedelta(days=1))
    pages = {
        # the insats, its leads with their users
        reverse("followup:lead_add", args=[lead_initiative.pk]): 2,
        # the insats, the report due with what was received
        reverse("followup:report_upload", args=[lead_initiative.pk, due_soon.pk]): 2,
        # the insats, the report, the board's coming meetings
        reverse("followup:report_agenda", args=[lead_initiative.pk, due_soon.pk]): 3,
    }
    for url, expected in pages.items():
        with django_assert_num_queries(LOGGED_IN + expected):
            assert officer_client.get(url).status_code == 200
    for number in range(5):
        MeetingFactory(
            association=association, starts_at=timezone.now() + datetime.timedelta(days=number + 2)
        )
        lead_for(lead_initiative)
        report_due(lead_initiative, due=TODAY + datetime.timedelta(days=100 + number))
    for url, expected in pages.items():
        with django_assert_num_queries(LOGGED_IN + expected):
            assert officer_client.get(url).status_code == 200


# The loop of the insats page's reports before their rows were written in Python (#12): the
# markup followup_detail.report_rows must write, element for element.
REPORT_ROWS_LOOP = """{% for planned in reports %}{% with received=planned.received %}
      <tr><td>{{ planned.get_kind_display }}<br><span class="small">{{ planned.application.dnr }}</span></td>
        <td class="text-nowrap">{{ planned.due|date:"Y-m-d" }}</td>
        <td>{% if received %}{% if received.is_handled %}<span class="badge state-handled">Behandlad</span> § {{ received.agenda_item.paragraph }} {{ received.agenda_item.meeting.starts_at|date:"Y-m-d" }}{% elif received.agenda_item and not received.agenda_item.meeting.cancelled_at %}<span class="badge state-on-agenda">På dagordningen</span> {{ received.agenda_item.meeting.starts_at|date:"Y-m-d" }}{% else %}<span class="badge state-received">Mottagen</span> {{ received.received_on|date:"Y-m-d" }}{% endif %}
          {% if permissions.can_receive_reports %}<br><a class="small" href="{% url 'followup:report_file' initiative.pk planned.pk %}">{{ received.file_name }}</a>{% endif %}
          {% elif planned.due < today %}<span class="badge state-overdue">Försenad</span>{% else %}<span class="badge state-due">Ej lämnad</span>{% endif %}</td>
        <td class="text-end">{% if permissions.can_receive_reports and not received.agenda_item %}<a class="btn btn-sm btn-outline-primary" href="{% url 'followup:report_upload' initiative.pk planned.pk %}">{% if received %}Byt fil<span class="visually-hidden"> för {{ planned.get_kind_display|lower }} {{ planned.due|date:"Y-m-d" }}</span>{% else %}Lämna rapport<span class="visually-hidden">: {{ planned.get_kind_display|lower }} {{ planned.due|date:"Y-m-d" }}</span>{% endif %}</a>{% endif %}
          {% if permissions.can_put_on_agenda and received %}{% if not received.agenda_item or received.agenda_item.meeting.cancelled_at %}<a class="btn btn-sm btn-outline-primary" href="{% url 'followup:report_agenda' initiative.pk planned.pk %}">Till styrelsen<span class="visually-hidden">: {{ planned.get_kind_display|lower }} {{ planned.due|date:"Y-m-d" }}</span></a>{% endif %}{% endif %}</td></tr>
    {% endwith %}{% endfor %}"""  # noqa: E501 (the template's lines as they were)


@pytest.mark.django_db
def test_the_reports_read_as_the_template_loop_wrote_them_for_each_role(
    login, officer, lead, board_member, lead_initiative, due_soon, overdue, association
):
    from django.template import engines
    from django.test.html import parse_html

    def received(due, name):
        return services.report_receive(
            user=lead,
            planned_report=report_due(lead_initiative, due=due),
            file_name=name,
            content=PDF,
            received_on=TODAY - datetime.timedelta(days=1),
        )

    week = datetime.timedelta(days=7)
    services.report_receive(
        user=lead,
        planned_report=due_soon,
        file_name="Del & <rapport>.pdf",
        content=PDF,
        received_on=TODAY,
    )
    on_agenda = received(TODAY + week, "b.pdf")
    services.report_to_agenda(
        user=officer, report=on_agenda, meeting=MeetingFactory(association=association)
    )
    cancelled = received(TODAY + 2 * week, "c.pdf")
    meeting = past_board_meeting(association)
    services.report_to_agenda(user=officer, report=cancelled, meeting=meeting)
    application_services.meeting_cancel(user=officer, meeting=meeting, reason="Inställt.")
    handled = received(TODAY + 3 * week, "d.pdf")
    meeting = past_board_meeting(association)
    services.report_to_agenda(user=officer, report=handled, meeting=meeting)
    justera(meeting, officer, association)
    report_due(lead_initiative, due=TODAY + 4 * week)
    report_due(lead_initiative, due=TODAY)  # due today: not late yet
    engine = engines["django"]
    url = reverse("followup:detail", args=[lead_initiative.pk])

    for user in (officer, lead, board_member):
        context = login(user).get(url).context
        shown = {name: context[name] for name in ("reports", "initiative", "permissions", "today")}
        loop = engine.from_string(REPORT_ROWS_LOOP).render(shown)
        written = engine.from_string(
            "{% load followup_detail %}{% report_rows reports initiative permissions today %}"
        ).render(shown)

        assert parse_html(written) == parse_html(loop), (user, written, loop)
        for state in ("Ej lämnad", "Försenad", "Mottagen", "På dagordningen", "Behandlad"):
            assert state in written
        today = f'<td class="text-nowrap">{TODAY:%Y-%m-%d}</td><td><span class="badge state-due">'
        assert today in written
        assert ("Del &amp; &lt;rapport&gt;.pdf</a>" in written) == (user != board_member)
