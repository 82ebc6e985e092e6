"""Protokollsutdrag: one paragraph of justerade minutes, as PDF and sent by e-mail."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from applications import services
from applications.access import get_agenda_item, get_meeting_for_user
from finsam.downloads import PDF, file_download
from finsam.errors import refusals_shown
from finsam.tenancy import ALL_ROLES, OFFICER, role_required


def _justerat_item(request, pk, item):
    """The meeting and its ärende, for a role that reads the minutes, once they are justerade;
    404 otherwise (there is no extract of minutes that may still change)."""
    meeting, permissions = get_meeting_for_user(
        request, pk, only_item=item, assessed=False, notices=False, approved_by=True
    )
    if not (permissions.sees_minutes and meeting.approved_at):
        raise Http404
    return meeting, get_agenda_item(meeting, item)


@require_GET
@role_required(*ALL_ROLES)
def minutes_extract_pdf(request, pk, item):
    meeting, agenda_item = _justerat_item(request, pk, item)
    content = services.minutes_extract_pdf(meeting=meeting, item=agenda_item)
    local = timezone.localtime(meeting.starts_at)
    filename = f"protokollsutdrag-{local:%Y-%m-%d}-{agenda_item.paragraph}.pdf"
    return file_download(content, filename, PDF, inline=True)


@require_POST
@role_required(OFFICER)
def minutes_extract_send(request, pk, item):
    meeting, agenda_item = _justerat_item(request, pk, item)
    with refusals_shown(request) as outcome:
        extract = services.minutes_extract_send(
            user=request.user, meeting=meeting, item=agenda_item
        )
    if not outcome.refused:
        messages.success(request, f"Protokollsutdraget är skickat till {extract.recipients}.")
    target = agenda_item.application or meeting
    return redirect(target)
