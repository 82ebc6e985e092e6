"""Pages of the follow-up: the insatser list and its Excel export, the insats page and its end,
and the participant register (one by one, from the register file, and the anonymous counts).
Each: decorators → access helper → form → service → redirect, refusals shown by
refusals_shown."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Initiative
from finsam.concurrency import carried, posted
from finsam.downloads import XLSX, file_download
from finsam.errors import refusals_shown
from finsam.forms import valid_filters
from finsam.money import grouped
from finsam.pagination import page_of
from finsam.selectors import history_for
from finsam.tenancy import LEAD, OFFICER, role_required
from followup import (
    access,
    exports,
    forms,
    register_file,
    report_selectors,
    selectors,
    services,
)
from followup.models import Participant
from followup.suppression import NOTE as SUPPRESSION_NOTE

READERS = access.READERS
REGISTER = access.REGISTER_ROLES
IMPORT_SESSION_KEY = "followup_register_import"
PREVIEW_EXPIRED = "Förhandsgranskningen har gått ut; läs in filen igen."
# Why the register holds what it holds: shown on every page of it.
REGISTER_NOTE = (
    "Registret är anonymt. Deltagaruppgifter rör hälsa (art. 9 dataskyddsförordningen), så här "
    "finns varken namn, personnummer eller fritext – fri text lockar till namn. Varje deltagare "
    "är en kod som Finsam ger, och uppgifterna är de koder som förbundets statistik och den "
    "nationella uppföljningen behöver."
)
GENDER_NOTE = (
    "Kön är juridiskt kön, kvinna eller man, som i den nationella uppföljningen (Uppföljning "
    "Finsam) och i parternas egna system. Det finns inget ”annat” eller ”uppgift saknas”: ett "
    "värde som bara ett fåtal har skulle peka ut dem. Den som inte vill vara med i registret "
    "räknas i stället som anonym deltagare per månad."
)


def _list(request):
    form = forms.InitiativeFilterForm(request.GET or None, association=request.association)
    filters = valid_filters(form)
    year = filters.get("year") or timezone.localdate().year
    initiatives = selectors.initiative_list(
        association=request.association,
        role=request.role,
        user=request.user,
        filters=filters,
        year=year,
    )
    return form, year, initiatives


@require_GET
@role_required(*READERS, LEAD)
def initiative_list(request):
    if request.role == LEAD:
        return _lead_list(request)
    form, year, initiatives = _list(request)
    # Fifty to a page, read with the count in one query: a förbund has a few hundred insatser
    # over the years, each with four subqueries, computed for the page's rows only (#12).
    page = page_of(selectors.initiative_values(initiatives), request.GET.get("sida"))
    page.object_list = selectors.initiative_rows(page.object_list, today=timezone.localdate())
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "followup/list.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "count": page.paginator.count,
            "query": query.urlencode(),
            "suppression_note": SUPPRESSION_NOTE,
        },
    )


@require_GET
@role_required(*READERS)
def initiative_export(request):
    _form, year, initiatives = _list(request)
    content = exports.initiative_list_xlsx(initiatives, year=year, association=request.association)
    return file_download(content, f"insatser-{timezone.localdate():%Y-%m-%d}.xlsx", XLSX)


@require_GET
@role_required(*access.INITIATIVE_PAGE_ROLES)
def initiative_detail(request, pk):
    initiative, permissions = access.get_initiative_for_user(request, pk, owner=True)
    page = selectors.initiative_page(initiative, association=request.association, role=request.role)
    context = {
        "page": page,
        "initiative": initiative,
        "permissions": permissions,
        "suppression_note": SUPPRESSION_NOTE,
        "reports": report_selectors.initiative_reports(initiative),
        "today": timezone.localdate(),
    }

    if permissions.sees_history:
        context["history"] = history_for(initiative, records=page.history_records)
    return render(request, "followup/detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def initiative_end(request, pk):
    initiative, permissions = access.get_initiative_for_user(request, pk)
    if not permissions.can_end:
        messages.error(request, "Insatsen är redan avslutad.")
        return redirect("followup:detail", pk)
    form = forms.InitiativeEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success="Insatsen är avslutad.") as outcome:
            services.initiative_end(
                user=request.user,
                initiative=initiative,
                outcome=form.cleaned_data["outcome"],
                ended_on=form.cleaned_data["ended_on"],
            )
        if not outcome.refused:
            return redirect("followup:detail", pk)
    return render(request, "followup/end.html", {"initiative": initiative, "form": form})


def _register_initiative(request, pk) -> Initiative:
    """The insats whose register the user works in; 403 for a role that may see the insats but
    not its register."""
    initiative, permissions = access.get_initiative_for_user(request, pk)
    if not permissions.can_register:
        raise PermissionDenied
    return initiative


def _register_context(initiative: Initiative, **context) -> dict:
    return {"initiative": initiative, "register_note": REGISTER_NOTE, **context}


@require_GET
@role_required(*REGISTER)
def register(request, pk):
    """The register's rows, exact (it is the register), fifty to a page."""
    initiative = _register_initiative(request, pk)
    shown = request.GET.get("visa", "")
    participants = selectors.register_participants(initiative, shown=shown)
    # fifty rows and their count
    page = page_of(selectors.register_values(participants), request.GET.get("sida"))
    return render(
        request,
        "followup/register.html",
        _register_context(
            initiative,
            page=page,
            rows=selectors.register_rows(page.object_list),
            shown=shown,
            counts=selectors.register_counts(initiative),
            gender_note=GENDER_NOTE,
        ),
    )


@require_http_methods(["GET", "POST"])
@role_required(*REGISTER)
def participant_add(request, pk):
    initiative = _register_initiative(request, pk)
    form = forms.ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            participant = services.participant_add(
                user=request.user, initiative=initiative, values=form.values()
            )
            outcome.success = f"Deltagaren är registrerad med koden {participant.code}."
        if not outcome.refused:
            if "another" in request.POST:
                return redirect("followup:participant_add", pk)
            return redirect("followup:register", pk)
    return render(
        request,
        "followup/participant_form.html",
        _register_context(initiative, form=form, gender_note=GENDER_NOTE),
    )


@require_http_methods(["GET", "POST"])
@role_required(*REGISTER)
def participant_end(request, pk, participant):
    initiative = _register_initiative(request, pk)
    try:
        participant = selectors.participant_for(initiative, participant)
    except Participant.DoesNotExist:
        raise Http404 from None
    if not participant.is_active:
        messages.error(
            request,
            services.ALREADY_ENDED.format(code=participant.code, day=participant.ended_on),
        )
        return redirect("followup:register", pk)
    form = forms.ParticipantEndForm(request.POST or None)
    fingerprint = carried(request, services.participant_fingerprint(participant))
    if request.method == "POST" and form.is_valid():
        success = f"{participant.code} är avslutad."
        with refusals_shown(request, success=success) as outcome:
            services.participant_end(
                user=request.user,
                participant=participant,
                end=form.end(),
                fingerprint=posted(request),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect("followup:register", pk)
    return render(
        request,
        "followup/participant_end.html",
        _register_context(initiative, form=form, participant=participant, fingerprint=fingerprint),
    )


@require_GET
@role_required(*REGISTER)
def register_template(request, pk):
    initiative = _register_initiative(request, pk)
    content = exports.register_template_xlsx(
        initiative, list(selectors.register_participants(initiative))
    )
    filename = f"deltagarregister-{initiative.pk}-{timezone.localdate():%Y-%m-%d}.xlsx"
    return file_download(content, filename, XLSX)


@require_http_methods(["GET", "POST"])
@role_required(*REGISTER)
def register_import(request, pk):
    """Step 1: upload the register file and see every row read, each error with its row.
    Nothing is saved until the officer confirms a preview without errors."""
    initiative = _register_initiative(request, pk)
    form = forms.RegisterImportForm(
        request.POST or None,
        request.FILES or None,
        initiative=initiative,
        existing=lambda: selectors.register_by_number(initiative),
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = form.cleaned_data["preview"]
        if preview.can_save:
            register_file.pending_discard(request.session.get(IMPORT_SESSION_KEY))
            request.session[IMPORT_SESSION_KEY] = register_file.pending_dump(initiative, preview)
    return render(
        request,
        "followup/import.html",
        _register_context(initiative, form=form, preview=preview, limits=register_file),
    )


@require_POST
@role_required(*REGISTER)
def register_import_confirm(request, pk):
    """Step 2: every row of the previewed file lands, or none."""
    initiative = _register_initiative(request, pk)
    pending = register_file.pending_load(
        request.session.get(IMPORT_SESSION_KEY),
        initiative=initiative,
        sha256=request.POST.get("sha256", ""),
        existing=lambda: selectors.register_by_number(initiative),
    )
    if pending is None:
        messages.error(request, PREVIEW_EXPIRED)
        return redirect("followup:register_import", pk)
    with refusals_shown(request) as outcome:
        done = services.participants_import(
            user=request.user,
            initiative=initiative,
            rows=pending.rows,
            file_name=pending.file_name,
            sha256=pending.sha256,
        )
        outcome.success = (
            f"{done.file_name} är inläst: {grouped(done.created)} nya deltagare, "
            f"{grouped(done.updated)} ändrade."
        )
    if outcome.refused:
        return redirect("followup:register_import", pk)
    register_file.pending_discard(request.session.pop(IMPORT_SESSION_KEY))
    return redirect("followup:register", pk)


def _year(request, initiative: Initiative) -> int:
    years = range(initiative.period_start.year, initiative.last_day.year + 1)
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, years[0]), years[-1])


@require_http_methods(["GET", "POST"])
@role_required(*REGISTER)
def anonymous_counts(request, pk):
    """Anonyma deltagare per month of a year, by kön: a small grid."""
    initiative = _register_initiative(request, pk)
    year = _year(request, initiative)
    months = selectors.months_of(initiative, year)
    stored = selectors.anonymous_counts(initiative, year)
    form = forms.AnonymousCountsForm(request.POST or None, months=months, initial_counts=stored)
    fingerprint = carried(request, services.anonymous_counts_fingerprint(months, stored))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success=f"Anonyma deltagare {year} är sparade.") as outcome:
            services.anonymous_counts_save(
                user=request.user,
                initiative=initiative,
                counts=form.counts(),
                fingerprint=posted(request),
            )
        if not outcome.refused or outcome.changed_meanwhile:
            return redirect(f"{request.path}?ar={year}")
    years = list(range(initiative.period_start.year, initiative.last_day.year + 1))
    return render(
        request,
        "followup/anonymous.html",
        _register_context(initiative, form=form, year=year, years=years, fingerprint=fingerprint),
    )


def _lead_list(request):
    """The insatsansvarig's list: its own insatser and their reports due, nothing else."""
    today = timezone.localdate()
    return render(
        request,
        "followup/lead_list.html",
        {
            "initiatives": report_selectors.lead_initiatives(
                association=request.association, user=request.user
            ),
            "reports": report_selectors.start_reports(
                association=request.association,
                today=today,
                within_days=request.association.report_reminder_days,
                leads_user=request.user,
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def lead_add(request, pk):
    """Gives a person access to the insats as its insatsansvarig."""
    initiative, _permissions = access.get_initiative_for_user(request, pk)
    form = forms.LeadAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            lead = services.initiative_lead_add(
                user=request.user,
                initiative=initiative,
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                base_url=request.build_absolute_uri("/"),
            )
            outcome.success = (
                f"{lead.role.user.email} är insatsansvarig för {initiative.name}. Ett "
                "e-postmeddelande med en länk för att logga in har skickats."
            )
        if not outcome.refused:
            return redirect("followup:detail", pk)
    return render(
        request,
        "followup/lead_add.html",
        {
            "initiative": initiative,
            "form": form,
            "leads": report_selectors.initiative_leads(initiative),
        },
    )


def _planned_report(request, pk, report):
    """The insats and one of its reports due; 404 for another insats's report."""
    initiative, permissions = access.get_initiative_for_user(request, pk)
    planned = report_selectors.initiative_report(initiative, report)
    if planned is None:
        raise Http404
    return initiative, permissions, planned


@require_http_methods(["GET", "POST"])
@role_required(*access.REPORT_ROLES)
def report_upload(request, pk, report):
    initiative, _permissions, planned = _planned_report(request, pk, report)
    sent = request.method == "POST"  # bound even when a refused upload left no data
    form = forms.ReportUploadForm(
        request.POST if sent else None,
        request.FILES if sent else None,
        initial={"received_on": timezone.localdate()},
        upload_refused=getattr(request, "upload_refused", False),
    )
    received = getattr(planned, "received", None)  # the file received so far, if any
    fingerprint = carried(request, services.report_fingerprint(received))
    if request.method == "POST" and form.is_valid():
        success = f"{planned.get_kind_display()} är mottagen."
        with refusals_shown(request, success=success) as outcome:
            services.report_receive(
                user=request.user,
                planned_report=planned,
                file_name=form.cleaned_data["file"].name,
                content=form.cleaned_data["content"],
                received_on=form.cleaned_data["received_on"],
                fingerprint=posted(request),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect("followup:detail", pk)
    return render(
        request,
        "followup/report_upload.html",
        {"initiative": initiative, "planned": planned, "form": form, "fingerprint": fingerprint},
    )


@require_GET
@role_required(*access.REPORT_ROLES)
def report_file(request, pk, report):
    _initiative, _permissions, planned = _planned_report(request, pk, report)
    received = getattr(planned, "received", None)
    if received is None:
        raise Http404
    with received.file.open("rb") as stored:
        content = stored.read()
    kind = received.file.name.rsplit(".", 1)[-1].lower()
    return file_download(content, received.file_name, REPORT_CONTENT_TYPES[kind])


REPORT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX,
}


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def report_agenda(request, pk, report):
    """Puts a received report on a coming board meeting's agenda."""
    initiative, _permissions, planned = _planned_report(request, pk, report)
    received = getattr(planned, "received", None)
    if received is None:
        messages.error(request, services.REPORT_NOT_RECEIVED)
        return redirect("followup:detail", pk)
    form = forms.ReportAgendaForm(
        request.POST or None,
        meetings=report_selectors.agenda_meetings(
            association=request.association, now=timezone.now()
        ),
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        success = f"{planned.get_kind_display()} står på dagordningen för {meeting}."
        with refusals_shown(request, success=success) as outcome:
            services.report_to_agenda(user=request.user, report=received, meeting=meeting)
        if not outcome.refused:
            return redirect("followup:detail", pk)
    return render(
        request,
        "followup/report_agenda.html",
        {"initiative": initiative, "planned": planned, "report": received, "form": form},
    )
