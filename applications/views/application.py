"""Pages of applications: the list with filters and its Excel export, the form, the page, the
moves an officer makes, and the PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import access, criteria, exports, selectors, services
from applications.errors import ApplicationError
from applications.forms import (
    FORMSET_TITLES,
    SECTIONS,
    ApplicationFilterForm,
    ApplicationForm,
    VersionForm,
    application_formsets,
    application_values,
    budget_years_within_period,
)
from applications.models import Application
from applications.workflow import state_label
from finsam.downloads import PDF, XLSX, file_download
from finsam.errors import refusals_shown
from finsam.forms import valid_filters
from finsam.pagination import page_of
from finsam.selectors import history_for
from finsam.tenancy import OFFICER, role_required

READERS = access.READERS
WITHDRAW_NOT_CONFIRMED = "Kryssa i att sökanden återtar ansökan; inget har ändrats."


def _list_filters(request) -> tuple[ApplicationFilterForm, dict, tuple[str, ...]]:
    states = Application.State.choices
    if request.role != OFFICER:
        states = [c for c in states if c[0] != Application.State.DRAFT]
    form = ApplicationFilterForm(
        request.GET or None, association=request.association, states=states
    )
    filters = valid_filters(form)
    order_by = ApplicationFilterForm.SORTS[filters.get("sort") or "dnr"]
    return form, filters, order_by


@require_GET
@role_required(*READERS)
def application_list(request):
    form, filters, order_by = _list_filters(request)
    applications = selectors.application_list(
        association=request.association,
        role=request.role,
        filters=filters,
        order_by=order_by,
        target_groups=False,  # application_rows reads their names
    )
    # Only the values the rows show: not the long texts of each application.
    shown = applications.values(*selectors.APPLICATION_ROW_FIELDS)
    page = page_of(shown, request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "applications/list.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.application_rows(page),
            "query": query.urlencode(),
        },
    )


@require_GET
@role_required(*READERS)
def application_export(request):
    _form, filters, order_by = _list_filters(request)
    applications = selectors.application_list(
        association=request.association, role=request.role, filters=filters, order_by=order_by
    )
    content = exports.application_list_xlsx(applications, association=request.association)
    filename = f"insatsansokningar-{timezone.localdate():%Y-%m-%d}.xlsx"
    return file_download(content, filename, XLSX)


def _form_page(request, form, formsets, application=None, version_form=None):
    sections = [
        {
            "section": section,
            "fields": [form[name] for name in section.fields],
            "formset": formsets.get(section.formset),
            "formset_title": FORMSET_TITLES.get(section.formset, ""),
        }
        for section in SECTIONS
    ]
    return render(
        request,
        "applications/form.html",
        {
            "form": form,
            "sections": sections,
            "application": application,
            "version_form": version_form,
            "error_sections": [
                part
                for part in sections
                if any(field.errors for field in part["fields"])
                or (part["formset"] is not None and part["formset"].total_error_count())
            ],
        },
    )


def _valid(form, formsets) -> bool:
    valid = form.is_valid() & all([formset.is_valid() for formset in formsets.values()])
    return valid and budget_years_within_period(form, formsets["budget_rows"])


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def application_create(request):
    data = request.POST or None
    form = ApplicationForm(data, association=request.association)
    formsets = application_formsets(
        data, form.instance, request.association, member_choices=form.member_choices
    )
    if request.method == "POST" and _valid(form, formsets):
        values, tables = application_values(form, formsets)
        application = services.application_create(
            user=request.user, association=request.association, values=values, tables=tables
        )
        messages.success(request, "Utkastet är sparat. Registrera det när det är komplett.")
        return redirect(application)
    return _form_page(request, form, formsets)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def application_edit(request, pk):
    application, can_edit = access.get_application_to_edit(request, pk)
    if not can_edit:
        if request.method == "POST":
            # Moved on (registered for beredning, prepared) while the officer wrote: the
            # application's page says why, not a bare 403.
            messages.error(
                request,
                services.application.NOT_EDITABLE.format(state=state_label(application.state)),
            )
            return redirect(application)
        raise PermissionDenied
    data = request.POST or None
    version_form = VersionForm(data, initial={"version": application.version})
    form = ApplicationForm(data, instance=application, association=request.association)
    formsets = application_formsets(
        data, application, request.association, member_choices=form.member_choices
    )
    if request.method == "POST" and version_form.is_valid() and _valid(form, formsets):
        values, tables = application_values(form, formsets)
        with refusals_shown(request, success="Ansökan är sparad.") as outcome:
            services.application_update(
                user=request.user,
                application=application,
                values=values,
                tables=tables,
                expected_version=version_form.cleaned_data["version"],
            )
        if not outcome.refused:
            return redirect(application)
    return _form_page(request, form, formsets, application, version_form)


@require_GET
@role_required(*READERS)
def application_detail(request, pk):
    application, permissions = access.get_application_for_user(request, pk)
    context = {
        "application": application,
        "permissions": permissions,
        "criteria": criteria.check(application, request.association.max_initiative_years),
        "budget": selectors.budget_summary(application),
        "own_funds": criteria.own_funds(application),
        "sections": SECTIONS,
        "decided_items": selectors.decided_items(application),
    }
    if application.state == Application.State.DRAFT:
        context["missing"] = selectors.registration_missing(application)
    if permissions.sees_history:
        context["history"] = history_for(application)
    return render(request, "applications/detail.html", context)


def application_action(request, pk, action, success: str):
    """A move on the application's page, by a role the view's decorator allows; the outcome is
    shown on the page. The page offers the move only in a state that allows it, but the state
    is not checked here: the service checks it under the row lock, so a second click (or a
    colleague's click a moment earlier) gets its message, "Ansökan är redan registrerad.",
    instead of a bare 403."""
    application, _permissions = access.get_application_for_user(request, pk)
    with refusals_shown(request, success=success):
        action(application)
    return redirect("applications:detail", pk)


@require_POST
@role_required(OFFICER)
def application_register(request, pk):
    def register(application):
        registered = services.application_register(user=request.user, application=application)
        messages.info(request, f"Diarienummer {registered.dnr}.")

    return application_action(request, pk, register, "Ansökan är registrerad.")


@require_POST
@role_required(OFFICER)
def application_withdraw(request, pk):
    def withdraw(application):
        if not request.POST.get("confirm"):
            raise ApplicationError(WITHDRAW_NOT_CONFIRMED)
        services.application_withdraw(
            user=request.user, application=application, comment=request.POST.get("comment", "")
        )

    return application_action(request, pk, withdraw, "Ansökan är återtagen.")


@require_GET
@role_required(*READERS)
def application_pdf(request, pk):
    application, _permissions = access.get_application_for_user(request, pk)
    content = exports.application_pdf(
        application,
        criteria=criteria.check(application, request.association.max_initiative_years),
        budget=selectors.budget_summary(application),
        own_funds=criteria.own_funds(application),
        decided_items=selectors.decided_items(application),
    )
    name = application.dnr or f"utkast-{application.pk}"
    return file_download(content, f"ansokan-{name}.pdf", PDF, inline=True)
