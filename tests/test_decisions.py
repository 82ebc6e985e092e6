"""A decision as it is made and as it is shown afterwards: amounts against what was applied for
and recommended, the decision on the application's page, list and export, and the
protokollsutdrag as PDF and e-mail."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application, Decision, MinutesExtract
from applications.services.decision import EXCEEDS_APPLIED
from applications.services.extract import NO_RECIPIENTS
from budget import services as budget_services
from budget.models import ChartLine
from finsam.errors import DomainError
from finsam.models import BoardSeat
from tests.factories import (
    MeetingFactory,
    PreparationGroupSeatFactory,
    assess,
    registered_application,
)

State = Application.State


def _ordinary_rows(association):
    seats = BoardSeat.objects.filter(member__association=association, kind="ordinary")
    return [
        services.AttendanceRow(seat=seat, present=True, approver=index == 0)
        for index, seat in enumerate(seats.order_by("member__name"))
    ]


def meeting_with(association, officer, preparer):
    """A past, published board meeting with one prepared application (500 000 kr a year
    applied for, 2027–2028), everyone present and the minutes open."""
    application = registered_application(association, officer, name="Socialt företagande")
    assess(application, preparer)
    services.assessment_finalise(user=officer, application=application)
    meeting = MeetingFactory(
        association=association, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    item = services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    services.attendance_record(user=officer, meeting=meeting, rows=_ordinary_rows(association))
    services.minutes_open(user=officer, meeting=meeting)
    item.refresh_from_db()
    return meeting, item, application


@pytest.mark.django_db
def test_granting_more_than_applied_for_needs_a_confirmation_that_the_minutes_note(
    association, officer, preparer
):
    _meeting, item, _application = meeting_with(association, officer, preparer)
    too_much = {2027: Decimal("600000"), 2028: Decimal("300000")}

    with pytest.raises(DomainError) as refused:
        services.decision_record(
            user=officer, item=item, text="", outcome="grant", amounts=too_much
        )
    assert str(refused.value).replace("\xa0", " ") == EXCEEDS_APPLIED.format(
        years="2027: 600 tkr mot sökta 500 tkr"
    )
    assert not Decision.objects.filter(agenda_item=item).exists()

    decision = services.decision_record(
        user=officer, item=item, text="", outcome="grant", amounts=too_much, confirm_exceeding=True
    )
    assert decision.exceeds_application
    assert "Styrelsen beviljar mer än det sökta beloppet (2027: 600 tkr mot sökta 500 tkr)." in (
        decision.text.replace("\xa0", " ")
    )


@pytest.mark.django_db
def test_decision_form_starts_from_the_amounts_applied_for_and_shows_the_recommendation(
    association, officer, preparer, officer_client
):
    meeting, item, application = meeting_with(association, officer, preparer)
    assessment = application.assessments.get()
    assessment.amounts.create(year=2027, amount=Decimal("450000"))

    page = officer_client.get(reverse("applications:decision", args=[meeting.pk, item.pk]))

    html = page.content.decode().replace("\xa0", " ")
    assert 'name="amount_2027" value="500"' in html
    assert 'name="amount_2028" value="500"' in html
    assert "Sökt 500 tkr · beredningen rekommenderar 450 tkr" in html


@pytest.mark.django_db
def test_the_decision_page_shows_what_the_years_budget_has_left_after_the_decision(
    association, officer, preparer, officer_client
):
    meeting, item, _application = meeting_with(association, officer, preparer)
    budget = budget_services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )
    lines = {line.name: line for line in ChartLine.objects.for_association(association)}
    # Medel för insatser att fördela: 2 000 tkr in, 1 700 tkr of own costs → 300 tkr.
    budget_services.version_lines_save(
        user=officer,
        version=budget.versions.get(),
        amounts={
            lines["Verksamhetens ägarbidrag"].pk: Decimal("2000000"),
            lines["Samordnare"].pk: Decimal("1700000"),
        },
    )

    page = officer_client.get(reverse("applications:decision", args=[meeting.pk, item.pk]))

    html = " ".join(page.content.decode().replace("\xa0", " ").split())
    assert "Kvar att fördela i budgeten efter beslutet" in html
    # The form starts from the 500 tkr applied for 2027: 300 − 500 = −200, a warning, no stop.
    assert '<td>2027</td><td class="text-end">300</td>' in html
    assert "utkast till budget 2027" in html
    assert "2027: beslutet går 200 tkr över vad budgeten har kvar att fördela" in html


def justerat(association, officer, preparer):
    meeting, item, application = meeting_with(association, officer, preparer)
    services.decision_record(
        user=officer,
        item=item,
        text="",
        outcome="partial",
        amounts={2027: Decimal("450000"), 2028: Decimal("300000")},
        conditions="Halvårsvis uppföljning.",
    )
    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )
    application.refresh_from_db()
    meeting.refresh_from_db()
    return meeting, item, application


@pytest.mark.django_db
def test_a_decided_application_shows_its_decision_on_its_page_and_in_the_list(
    association, officer, preparer, officer_client
):
    meeting, item, application = justerat(association, officer, preparer)

    page = officer_client.get(application.get_absolute_url()).content.decode()
    listing = officer_client.get(reverse("applications:list")).content.decode()

    page = page.replace("\xa0", " ")
    assert "Styrelsens beslut" in page and "Beviljas delvis" in page
    assert f"§ {item.paragraph}, protokoll styrelsen" in page
    assert reverse("applications:minutes_pdf", args=[meeting.pk]) in page
    assert '<td>2027</td><td class="text-end">450</td>' in page
    assert "Villkor:</span> Halvårsvis uppföljning." in page
    insats = reverse("followup:detail", args=[application.initiative.pk])
    assert f'Insats:</span> <a href="{insats}">{application.initiative.name}</a>' in page
    assert f"§ {item.paragraph}, " in listing
    assert "750" in listing.replace("\xa0", " ")


@pytest.mark.django_db
def test_protokollsutdrag_carries_the_paragraph_and_the_justering_and_is_sent_and_recorded(
    association, officer, preparer, officer_client, tmp_path
):
    meeting, item, application = justerat(association, officer, preparer)
    owner_contact = PreparationGroupSeatFactory(member=application.owner)
    owner_contact.person.email = "huvudman@example.org"
    owner_contact.person.save()

    response = officer_client.get(
        reverse("applications:minutes_extract", args=[meeting.pk, item.pk])
    )
    pdf = tmp_path / "utdrag.pdf"
    pdf.write_bytes(response.getvalue())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\xa0", " ")
    text = " ".join(text.split())  # where a line breaks depends on the names and the time
    assert f"§ {item.paragraph} {item.title}" in text
    assert "Protokollet justerades" in text and "Utdraget överensstämmer med protokollet" in text
    # who registered the justering, read with the meeting for the extract alone
    registrar = officer.get_full_name() or str(officer)
    assert f"justeringen registrerades av {registrar}." in text
    assert "450 tkr för 2027" in text

    officer_client.post(reverse("applications:minutes_extract_send", args=[meeting.pk, item.pk]))

    (message,) = mail.outbox
    assert message.to == ["maria@example.org", "huvudman@example.org"]
    assert message.attachments[0][2] == "application/pdf"
    extract = MinutesExtract.objects.get()
    assert (extract.agenda_item, extract.sent_by) == (item, officer)
    page = officer_client.get(application.get_absolute_url()).content.decode()
    assert f"Protokollsutdrag § {item.paragraph} skickat av" in page


# The loops of the application page's timeline before it was written in Python (#12): the
# markup applications_detail.application_timeline must write, element for element.
TIMELINE_LOOP = """{% for change in application.state_changes.all %}
        <li><span class="small">{{ change.at|date:"Y-m-d H:i" }}</span><br>
          {% if change.from_state %}{{ change.get_from_state_display }} → {% endif %}<strong>{{ change.get_to_state_display }}</strong> av {{ change.by }}
          {% if change.comment %}<br><span class="small">{{ change.comment }}</span>{% endif %}</li>
        {% empty %}
        <li>Utkast, inte registrerad.</li>
        {% endfor %}
        {% for item in decided_items %}{% for extract in item.extracts.all %}
        <li><span class="small">{{ extract.sent_at|date:"Y-m-d H:i" }}</span><br>Protokollsutdrag § {{ item.paragraph }} skickat av {{ extract.sent_by }}<br><span class="small">till {{ extract.recipients }}</span></li>
        {% endfor %}{% endfor %}"""  # noqa: E501 (the template's lines as they were)


@pytest.mark.django_db
def test_the_application_timeline_reads_as_the_template_loops_wrote_it(
    association, officer, preparer, officer_client
):
    from django.template import engines
    from django.test.html import parse_html

    from applications import selectors
    from applications.access import get_application_for_user

    meeting, item, application = justerat(association, officer, preparer)
    PreparationGroupSeatFactory(member=application.owner, person__email="h@example.org")
    officer_client.post(reverse("applications:minutes_extract_send", args=[meeting.pk, item.pk]))
    MinutesExtract.objects.update(recipients="Anna <Ek> & Co")
    application.state_changes.update(comment="")
    application.state_changes.filter(to_state="registered").update(comment="Ej <klart> & så")
    request = officer_client.get(application.get_absolute_url()).wsgi_request
    shown, _permissions = get_application_for_user(request, application.pk)
    context = {"application": shown, "decided_items": selectors.decided_items(shown)}

    engine = engines["django"]
    loop = engine.from_string(TIMELINE_LOOP).render(context)
    written = engine.from_string(
        "{% load applications_detail %}{% application_timeline application decided_items %}"
    ).render(context)

    assert parse_html(written) == parse_html(loop), (written, loop)
    assert "Registrerad → <strong>Under beredning</strong> av " in written
    assert '<br><span class="small">Ej &lt;klart&gt; &amp; så</span></li>' in written
    assert f"Protokollsutdrag § {item.paragraph} skickat av " in written
    assert "till Anna &lt;Ek&gt; &amp; Co</span>" in written
    # In Stockholm's time, as the date filter showed it.
    sent = MinutesExtract.objects.get().sent_at
    assert f"{timezone.localtime(sent):%Y-%m-%d %H:%M}" in written


@pytest.mark.django_db
def test_an_extract_with_nobody_to_send_to_is_refused_and_nothing_recorded(
    association, officer, preparer
):
    meeting, item, application = justerat(association, officer, preparer)
    Application.objects.filter(pk=application.pk).update(lead_email="")
    item.application.lead_email = ""

    with pytest.raises(DomainError, match=NO_RECIPIENTS[:30]):
        services.minutes_extract_send(user=officer, meeting=meeting, item=item)
    assert not MinutesExtract.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_extracts_exist_only_for_justerade_minutes(association, officer, preparer, officer_client):
    meeting, item, _application = meeting_with(association, officer, preparer)

    response = officer_client.get(
        reverse("applications:minutes_extract", args=[meeting.pk, item.pk])
    )

    assert response.status_code == 404
