"""Protokollsutdrag: one paragraph of justerade minutes, sent to those the decision concerns."""

import smtplib

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from applications import exports
from applications.errors import MeetingError
from applications.models import AgendaItem, Meeting, MinutesExtract
from applications.selectors import extract_recipients, meeting_page
from finsam.models import User

EXTRACT_NOT_APPROVED = "Ett protokollsutdrag kan tas ut först när protokollet är justerat."
EXTRACT_NOT_APPLICATION = "Protokollsutdrag skickas för beslut om ansökningar."
NO_RECIPIENTS = (
    "Det finns ingen att skicka utdraget till: ange insatsansvarigs e-post på ansökan eller "
    "e-post för huvudmannens representant i beredningsgruppen."
)
SEND_FAILED = "E-postservern tog inte emot utdraget ({error}). Inget har registrerats; försök igen."


def minutes_extract_pdf(*, meeting: Meeting, item: AgendaItem) -> bytes:
    """The paragraph as PDF/A with the attendance, the jäv notes and the justering (who, when).
    ``meeting`` comes from selectors.meeting_detail, so its agenda and attendance are read
    (the extract prints no criteria: it may be read without ``assessed``)."""
    if not meeting.approved_at:
        raise MeetingError(EXTRACT_NOT_APPROVED)
    context = meeting_page(meeting, assessed=False)
    context["entry"] = next(entry for entry in context["pack"] if entry.item.pk == item.pk)
    return exports.minutes_extract_pdf(context)


def minutes_extract_send(*, user: User, meeting: Meeting, item: AgendaItem) -> MinutesExtract:
    """E-mails the paragraph to the insatsansvarig and the owner member's representative, and
    records it on the application's timeline. A mail server that refuses records nothing."""
    if not item.application_id:
        raise MeetingError(EXTRACT_NOT_APPLICATION)
    content = minutes_extract_pdf(meeting=meeting, item=item)
    recipients = extract_recipients(item.application)
    if not recipients:
        raise MeetingError(NO_RECIPIENTS)
    local = timezone.localtime(meeting.starts_at)
    message = EmailMessage(
        subject=f"Protokollsutdrag § {item.paragraph}: {item.title}",
        body=(
            f"Bifogat finns utdrag ur protokoll från {meeting.get_body_display().lower()} i "
            f"{meeting.association.name} {local:%Y-%m-%d}, § {item.paragraph}.\n"
        ),
        to=recipients,
    )
    message.attach(
        f"protokollsutdrag-{local:%Y-%m-%d}-{item.paragraph}.pdf", content, "application/pdf"
    )
    with transaction.atomic():
        extract = MinutesExtract.objects.create(
            agenda_item=item, sent_by=user, recipients=", ".join(recipients)
        )
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            # Raising rolls the record back: the timeline never claims a send that failed.
            raise MeetingError(SEND_FAILED.format(error=error)) from None
    return extract
