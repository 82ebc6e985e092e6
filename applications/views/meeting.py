"""Pages of meetings: list, agenda, kallelse, attendance, decisions, minutes and their PDFs."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import exports, selectors, services
from applications.access import (
    get_agenda_item,
    get_meeting_for_user,
    get_meeting_to_change,
    meeting_closed_because,
)
from applications.budget_room import budget_room, room_after
from applications.forms import (
    AgendaItemForm,
    AgendaMoveForm,
    ApprovalForm,
    AttendanceForm,
    CancelForm,
    DecisionForm,
    MeetingForm,
    PublishForm,
)
from applications.models import AgendaItem
from finsam.concurrency import carried, posted
from finsam.downloads import PDF, file_download
from finsam.errors import refusals_shown
from finsam.pagination import page_of
from finsam.selectors import historical_model
from finsam.tenancy import ALL_ROLES, OFFICER, role_required

ALREADY_REMOVED = "Ärendet är redan struket från dagordningen."


def _closed(request, meeting):
    """Back to the meeting, saying why the page it asked for no longer (or not yet) opens."""
    messages.error(request, meeting_closed_because(meeting))
    return redirect(meeting)


@require_GET
@role_required(*ALL_ROLES)
def meeting_list(request):
    now = timezone.now()
    visible = selectors.meetings_for(association=request.association, role=request.role).only(
        *selectors.MEETING_ROW_FIELDS
    )
    # The meetings to come are few; the past ones, fifteen years of them, come a page at a time.
    past = page_of(visible.past(now), request.GET.get("sida"))
    return render(
        request,
        "applications/meetings/list.html",
        {
            "sections": [
                ("Kommande sammanträden", selectors.meeting_rows(visible.upcoming(now)), None),
                ("Tidigare sammanträden", selectors.meeting_rows(past), past),
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            user=request.user, association=request.association, **form.cleaned_data
        )
        messages.success(request, "Sammanträdet är skapat. Lägg till ärenden på dagordningen.")
        return redirect(meeting)
    return render(request, "applications/meetings/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def meeting_edit(request, pk):
    meeting, permissions = get_meeting_to_change(request, pk)
    if not permissions.can_edit:
        return _closed(request, meeting)
    # Before the form is bound: a bound form changes the meeting it holds.
    fingerprint = carried(request, services.meeting_fingerprint(meeting))
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success="Sammanträdet är sparat.") as outcome:
            services.meeting_update(
                user=request.user,
                meeting=meeting,
                fingerprint=posted(request),
                **form.cleaned_data,
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(meeting)
    return render(
        request,
        "applications/meetings/form.html",
        {"form": form, "meeting": meeting, "fingerprint": fingerprint},
    )


@require_GET
@role_required(*ALL_ROLES)
def meeting_detail(request, pk):
    # The page shows the decisions' texts, not their amounts.
    meeting, permissions = get_meeting_for_user(request, pk, decision_amounts=False)
    # The quorum is in the officer's to-do list only, shown until justering.
    context = selectors.meeting_page(
        meeting, plans_for_role=request.role, notices=True, quorum=permissions.sees_steps
    )
    context["permissions"] = permissions
    if permissions.can_edit:
        context["agenda_form"] = AgendaItemForm(association=request.association)
        # From the prefetched agenda: a second post of the form (a double click) adds nothing.
        context["fingerprint"] = services.agenda_fingerprint(meeting.agenda_items.all())
    if permissions.can_approve:
        context["approval_form"] = ApprovalForm(initial={"urgent_reason": meeting.urgent_reason})
    return render(request, "applications/meetings/detail.html", context)


@require_POST
@role_required(OFFICER)
def agenda_item_add(request, pk):
    meeting, _permissions = get_meeting_to_change(request, pk)
    form = AgendaItemForm(request.POST, association=request.association)
    if not form.is_valid():
        # The form sits at the foot of the meeting page; its errors go above it.
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(meeting)
    with refusals_shown(request, success="Ärendet är tillagt på dagordningen."):
        services.agenda_item_add(
            user=request.user, meeting=meeting, fingerprint=posted(request), **form.cleaned_data
        )
    return redirect(meeting)


@require_POST
@role_required(OFFICER)
def agenda_item_remove(request, pk, item):
    meeting, _permissions = get_meeting_for_user(request, pk)
    removed = historical_model(AgendaItem).objects.filter(
        id=item, meeting_id=meeting.pk, history_type="-"
    )
    if all(i.pk != item for i in meeting.agenda_items.all()) and removed.exists():
        # A second click, or a colleague's: the ärende was struck from this meeting already.
        messages.info(request, ALREADY_REMOVED)
        return redirect(meeting)
    agenda_item = get_agenda_item(meeting, item)
    with refusals_shown(request, success="Ärendet är struket från dagordningen."):
        services.agenda_item_remove(user=request.user, item=agenda_item)
    return redirect(meeting)


@require_POST
@role_required(OFFICER)
def agenda_item_move(request, pk, item):
    meeting, _permissions = get_meeting_for_user(request, pk)
    agenda_item = get_agenda_item(meeting, item)
    form = AgendaMoveForm(request.POST)
    if form.is_valid():
        with refusals_shown(request, success=f"{agenda_item.title} är flyttat."):
            services.agenda_item_move(
                user=request.user, item=agenda_item, up=form.cleaned_data["direction"] == "up"
            )
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def meeting_publish(request, pk):
    """The recipients of the kallelse, who lacks an e-mail address, the notice rule; sending."""
    meeting, permissions = get_meeting_to_change(request, pk, notices=True)
    if not permissions.can_publish:
        return _closed(request, meeting)
    # Not `request.POST or None`: a POST with no box ticked is still a request to send.
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            notice = services.meeting_publish(
                user=request.user,
                meeting=meeting,
                base_url=request.build_absolute_uri("/")[:-1],
                **form.cleaned_data,
            )
        if not outcome.refused:
            messages.success(request, notice.summary)
            return redirect(meeting)
    recipients = selectors.notice_recipients(meeting)
    days = selectors.notice_days_left(meeting, timezone.now())
    return render(
        request,
        "applications/meetings/publish.html",
        {
            "meeting": meeting,
            "form": form,
            "recipients": recipients,
            "missing": [recipient for recipient in recipients if not recipient.address],
            "short_notice": days < meeting.association.notice_days,
            "days": days,
            "notices": selectors.notices_sent(meeting),
        },
    )


@require_POST
@role_required(OFFICER)
def meeting_cancel(request, pk):
    meeting, _permissions = get_meeting_to_change(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with refusals_shown(request, success="Sammanträdet är inställt."):
        services.meeting_cancel(user=request.user, meeting=meeting, reason=reason)
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def attendance_edit(request, pk):
    meeting, permissions = get_meeting_to_change(request, pk, attendance=True)
    if not permissions.can_record_attendance:
        return _closed(request, meeting)
    form = AttendanceForm(
        request.POST or None,
        seats=selectors.board_seats_on(meeting),
        attendance=meeting.attendance.all(),
        meeting=meeting,
    )
    fingerprint = carried(
        request, services.attendance_fingerprint(meeting, meeting.attendance.all())
    )
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            quorum = services.attendance_record(
                user=request.user,
                meeting=meeting,
                rows=form.rows(),
                secretary=form.cleaned_data["secretary"],
                others_present=form.cleaned_data["others_present"],
                fingerprint=posted(request),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            state = "beslutför" if quorum.reached else "inte beslutför"
            messages.success(
                request,
                f"Närvaron är sparad: {quorum.filled} av {quorum.seats} platser besatta, "
                f"styrelsen är {state}.",
            )
            return redirect(meeting)
    return render(
        request,
        "applications/meetings/attendance.html",
        {"meeting": meeting, "form": form, "fingerprint": fingerprint},
    )


@require_POST
@role_required(OFFICER)
def minutes_open(request, pk):
    meeting, _permissions = get_meeting_to_change(request, pk)
    with refusals_shown(request, success="Protokollet är upprättat och paragraferna numrerade."):
        services.minutes_open(user=request.user, meeting=meeting)
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def decision_edit(request, pk, item):
    # Only the ärende decided, without what the agenda's criteria are made from: the page shows
    # the one item, the seats present (jäv) and the recommended amounts, read on their own
    # (#12).
    meeting, permissions = get_meeting_for_user(
        request, pk, only_item=item, assessed=False, notices=False, present_only=True
    )
    if not permissions.can_decide:
        return _closed(request, meeting)
    agenda_item = get_agenda_item(meeting, item)
    application = agenda_item.application
    recommended = selectors.recommended_amounts(application) if application else {}
    form = DecisionForm(request.POST or None, item=agenda_item, recommended=recommended)
    fingerprint = carried(
        request, services.decision_fingerprint(getattr(agenda_item, "decision", None))
    )
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success=f"Beslutet i {agenda_item} är sparat.") as outcome:
            services.decision_record(
                user=request.user,
                item=agenda_item,
                fingerprint=posted(request),
                **form.decision_values(),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(meeting)
    room = budget_room(association=request.association, years=form.years)
    return render(
        request,
        "applications/meetings/decision.html",
        {
            "meeting": meeting,
            "item": agenda_item,
            "form": form,
            "room": room_after(room, form.shown_amounts()),
            "fingerprint": fingerprint,
        },
    )


@require_POST
@role_required(OFFICER)
def minutes_approve(request, pk):
    meeting, _permissions = get_meeting_to_change(request, pk)
    form = ApprovalForm(request.POST)
    signed = form.cleaned_data if form.is_valid() else {}
    with refusals_shown(request, success="Protokollet är justerat. Besluten gäller nu."):
        services.minutes_approve(
            user=request.user,
            meeting=meeting,
            chair_approved=signed.get("chair_approved", False),
            approvers_approved=signed.get("approvers_approved", False),
            urgent_reason=signed.get("urgent_reason", ""),
        )
    return redirect(meeting)


@require_GET
@role_required(*ALL_ROLES)
def meeting_pack_pdf(request, pk):
    meeting, _permissions = get_meeting_for_user(request, pk, full_applications=True, notices=False)
    local = timezone.localtime(meeting.starts_at)
    return file_download(
        exports.meeting_pack_pdf(
            selectors.meeting_page(meeting, plans_for_role=request.role, full_plans=True)
        ),
        f"kallelse-{local:%Y-%m-%d}.pdf",
        PDF,
        inline=True,
    )


@require_GET
@role_required(*ALL_ROLES)
def minutes_pdf(request, pk):
    # The minutes print the decisions, not the applications' criteria or recommendations.
    meeting, permissions = get_meeting_for_user(request, pk, assessed=False)
    if not permissions.sees_minutes:
        raise Http404
    local = timezone.localtime(meeting.starts_at)
    return file_download(
        exports.minutes_pdf(selectors.meeting_page(meeting, assessed=False, notices=True)),
        f"protokoll-{local:%Y-%m-%d}.pdf",
        PDF,
        inline=True,
    )
