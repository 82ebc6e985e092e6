"""Pages of meetings: list, agenda, kallelse, attendance, decisions, minutes and their PDFs."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import exports, selectors, services
from applications.forms import AgendaItemForm, ApprovalForm, DecisionForm, MeetingForm
from applications.models import AgendaItem, Meeting
from applications.services import decision as decision_rules
from applications.services import meeting as meeting_rules
from finsam.errors import DomainError
from finsam.tenancy import ALL_ROLES, OFFICER, role_required


def get_meeting_for_user(request, pk: int) -> Meeting:
    """The meeting if the user's role may see it in the current förbund; 404 otherwise."""
    try:
        return selectors.meeting_detail(association=request.association, role=request.role, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def get_agenda_item(meeting: Meeting, pk: int) -> AgendaItem:
    """An ärende of this meeting, from the meeting's prefetched agenda; 404 otherwise."""
    for agenda_item in meeting.agenda_items.all():
        if agenda_item.pk == pk:
            return agenda_item
    raise Http404


def _refuse_if_locked(request, meeting, *, frozen_by_minutes=False):
    if meeting.is_locked:
        messages.error(request, meeting_rules.MEETING_LOCKED)
        return redirect(meeting)
    if frozen_by_minutes and meeting.minutes_opened_at:
        messages.error(request, meeting_rules.MINUTES_FROZEN)
        return redirect(meeting)
    return None


@require_GET
@role_required(*ALL_ROLES)
def meeting_list(request):
    now = timezone.now()
    visible = selectors.meetings_for(association=request.association, role=request.role)
    return render(
        request,
        "applications/meetings/list.html",
        {
            "sections": [
                ("Kommande sammanträden", visible.upcoming(now)),
                ("Tidigare sammanträden", visible.past(now)),
            ]
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
    meeting = get_meeting_for_user(request, pk)
    if refused := _refuse_if_locked(request, meeting, frozen_by_minutes=True):
        return refused
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(user=request.user, meeting=meeting, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Sammanträdet är sparat.")
            return redirect(meeting)
    return render(request, "applications/meetings/form.html", {"form": form, "meeting": meeting})


@require_GET
@role_required(*ALL_ROLES)
def meeting_detail(request, pk):
    meeting = get_meeting_for_user(request, pk)
    context = selectors.meeting_page(meeting, role=request.role)
    if request.role == OFFICER and not meeting.minutes_opened_at:
        context["agenda_form"] = AgendaItemForm(association=request.association)
    return render(request, "applications/meetings/detail.html", context)


def _act(request, meeting, action, success):
    try:
        action()
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(meeting)


@require_POST
@role_required(OFFICER)
def agenda_item_add(request, pk):
    meeting = get_meeting_for_user(request, pk)
    form = AgendaItemForm(request.POST, association=request.association)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(meeting)
    data = form.cleaned_data
    return _act(
        request,
        meeting,
        lambda: services.agenda_item_add(
            user=request.user,
            meeting=meeting,
            kind=data["kind"],
            title=data["title"],
            application=data["application"],
            presenter=data["presenter"],
        ),
        "Ärendet är tillagt på dagordningen.",
    )


@require_POST
@role_required(OFFICER)
def agenda_item_remove(request, pk, item):
    meeting = get_meeting_for_user(request, pk)
    agenda_item = get_agenda_item(meeting, item)
    return _act(
        request,
        meeting,
        lambda: services.agenda_item_remove(user=request.user, item=agenda_item),
        "Ärendet är struket från dagordningen.",
    )


@require_POST
@role_required(OFFICER)
def meeting_publish(request, pk):
    meeting = get_meeting_for_user(request, pk)
    try:
        services.meeting_publish(
            user=request.user,
            meeting=meeting,
            confirm_short_notice=bool(request.POST.get("confirm_short_notice")),
            base_url=request.build_absolute_uri("/")[:-1],
        )
    except services.ShortNotice as warning:
        return render(
            request,
            "applications/meetings/confirm_publish.html",
            {"meeting": meeting, "warning": str(warning)},
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Kallelsen är skickad till ledamöterna.")
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def attendance_edit(request, pk):
    meeting = get_meeting_for_user(request, pk)
    if refused := _refuse_if_locked(request, meeting, frozen_by_minutes=True):
        return refused
    seats = selectors.board_seats_on(meeting)
    current = {row.seat_id: row for row in meeting.attendance.all()}
    if request.method == "POST":
        by_pk = {seat.pk: seat for seat in seats}
        rows = []
        for seat in seats:
            serving = request.POST.get(f"serving_for_{seat.pk}")
            rows.append(
                services.AttendanceRow(
                    seat=seat,
                    present=bool(request.POST.get(f"present_{seat.pk}")),
                    serving_for=by_pk.get(int(serving)) if serving and serving.isdigit() else None,
                    adjuster=bool(request.POST.get(f"adjuster_{seat.pk}")),
                )
            )
        try:
            quorum = services.attendance_record(user=request.user, meeting=meeting, rows=rows)
        except DomainError as error:
            messages.error(request, str(error))
            current = {row.seat.pk: row for row in rows}
        else:
            state = "beslutför" if quorum.reached else "inte beslutför"
            messages.success(
                request,
                f"Närvaron är sparad: {quorum.filled} av {quorum.seats} platser besatta, "
                f"styrelsen är {state}.",
            )
            return redirect(meeting)
    ordinaries = [seat for seat in seats if seat.kind == "ordinary"]
    rows = [(seat, current.get(seat.pk)) for seat in seats]
    return render(
        request,
        "applications/meetings/attendance.html",
        {"meeting": meeting, "rows": rows, "ordinaries": ordinaries},
    )


@require_POST
@role_required(OFFICER)
def minutes_open(request, pk):
    meeting = get_meeting_for_user(request, pk)
    return _act(
        request,
        meeting,
        lambda: services.minutes_open(user=request.user, meeting=meeting),
        "Protokollet är upprättat och paragraferna numrerade.",
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def decision_edit(request, pk, item):
    meeting = get_meeting_for_user(request, pk)
    if refused := _refuse_if_locked(request, meeting):
        return refused
    agenda_item = get_agenda_item(meeting, item)
    if not meeting.minutes_opened_at:
        messages.error(request, decision_rules.MINUTES_NOT_OPEN)
        return redirect(meeting)
    present = [row.seat for row in meeting.attendance.all() if row.present]
    decision = getattr(agenda_item, "decision", None)
    initial = {}
    if decision is not None:
        recusals = list(decision.recusals.all())
        initial = {
            "outcome": decision.outcome,
            "text": decision.text,
            "conditions": decision.conditions,
            "presenter_left": decision.presenter_left,
            **{f"amount_{row.year}": row.amount for row in decision.amounts.all()},
            **{f"recused_{row.seat_id}": True for row in recusals},
            **{f"reason_{row.seat_id}": row.reason for row in recusals},
        }
    form = DecisionForm(request.POST or None, initial=initial, item=agenda_item, seats=present)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                user=request.user,
                item=agenda_item,
                outcome=form.cleaned_data.get("outcome", ""),
                text=form.cleaned_data["text"],
                conditions=form.cleaned_data["conditions"],
                presenter_left=form.cleaned_data["presenter_left"],
                amounts=form.amounts(),
                recusals=form.recusals(),
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Beslutet i {agenda_item} är sparat.")
            return redirect(meeting)
    return render(
        request,
        "applications/meetings/decision.html",
        {"meeting": meeting, "item": agenda_item, "form": form},
    )


@require_POST
@role_required(OFFICER)
def minutes_approve(request, pk):
    meeting = get_meeting_for_user(request, pk)
    form = ApprovalForm(request.POST)
    return _act(
        request,
        meeting,
        lambda: services.minutes_approve(
            user=request.user,
            meeting=meeting,
            chair_approved=form.is_valid() and form.cleaned_data["chair_approved"],
            adjusters_approved=form.is_valid() and form.cleaned_data["adjusters_approved"],
        ),
        "Protokollet är justerat. Besluten gäller nu.",
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
@role_required(*ALL_ROLES)
def meeting_pack_pdf(request, pk):
    try:
        meeting = selectors.meeting_detail(
            association=request.association, role=request.role, pk=pk, full_applications=True
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
    context = selectors.meeting_page(meeting, role=request.role)
    local = timezone.localtime(meeting.starts_at)
    return _pdf_response(exports.meeting_pack_pdf(context), f"kallelse-{local:%Y-%m-%d}.pdf")


@require_GET
@role_required(*ALL_ROLES)
def minutes_pdf(request, pk):
    meeting = get_meeting_for_user(request, pk)
    if not meeting.minutes_opened_at:
        raise Http404
    context = selectors.meeting_page(meeting, role=request.role)
    local = timezone.localtime(meeting.starts_at)
    return _pdf_response(exports.minutes_pdf(context), f"protokoll-{local:%Y-%m-%d}.pdf")
