"""Budget pages. The officer writes; the board and the auditors read and download; the
beredningsgrupp has no business here. Each page: decorators → the budget of the user's förbund →
form → service → redirect, with a refusal shown by refusals_shown."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budget import exports, forms, ledger, legacy, selectors, services
from budget.access import get_budget_for_user
from budget.models import ChartLine
from finsam.concurrency import carried, posted
from finsam.downloads import PDF, XLSX, file_download
from finsam.errors import refusals_shown
from finsam.money import KronorField
from finsam.tenancy import AUDITOR, BOARD, OFFICER, role_required

READERS = (OFFICER, BOARD, AUDITOR)
NO_DRAFT = "Budgeten har inget utkast; revidera den för att göra en ny version."
ALREADY_BOOKED = (
    "{count} av filens rader bokförs på månader och poster som redan har utfall; beloppen läggs "
    "till. Kontrollera att de inte redan är inlästa från en annan fil."
)
LEGACY_INTRO = (
    "Tabellen blir ett utkast till budget. Finsam räknar själv fram alla summor och jämför dem "
    "med de inskrivna; överfört från föregående år räknas fram och ska inte stå som en post."
)
PREVIEW_EXPIRED = "Förhandsgranskningen har gått ut; läs in filen igen."
ALREADY_ADOPTED = "{budget}, version {number} är redan fastställd."
IMPORT_SESSION_KEY = "budget_ledger_import"


def _refuse_if_closed(request, budget):
    """Sends the officer back to a closed period's page: its actuals are locked."""
    if budget.closed_at is None:
        return None
    messages.error(request, services.PERIOD_CLOSED)
    return redirect(budget)


def _period(request, budget) -> selectors.Period:
    """The period for the pages of its lines, ägarbidrag, actuals and prognos and its adoption:
    none of them shows the carry-over or the equity, so the years before it are not read."""
    period = selectors.period_alone(request.association, budget)
    if period is None:
        raise Http404
    return period


def _draft(request, budget) -> selectors.Period | None:
    """The period as its draft version shows it; None when no version is a draft."""
    return _draft_of(request, _period(request, budget))


def _draft_of(request, period) -> selectors.Period | None:
    if period.draft is None:
        return None
    if period.draft.pk == period.version.pk:  # a first draft is the current version
        return period
    return selectors.period_alone(request.association, period.budget, selectors.DRAFT)


def _period_with_chain(request, budget, version_number=None):
    period, chain = selectors.period_with_chain(request.association, budget, version_number)
    if period is None:
        raise Http404
    return period, chain


@require_GET
@role_required(*READERS)
def budget_overview(request):
    """Every period of the förbund, newest first, with its version, state and result."""
    return render(
        request,
        "budget/overview.html",
        {"periods": selectors.periods_newest_first(request.association)},
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def budget_create(request):
    form = forms.BudgetCreateForm(request.POST or None, association=request.association)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            budget = services.budget_create(
                user=request.user,
                association=request.association,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                copy_from=form.cleaned_data["copy_from"],
                opening_equity=form.cleaned_data.get("opening_equity"),
            )
            outcome.success = f"{budget} är skapad som utkast."
        if not outcome.refused:
            return redirect("budget:lines", budget.pk)
    return render(
        request, "budget/form.html", {"form": form, "title": "Ny budgetperiod", "submit": "Skapa"}
    )


@require_GET
@role_required(*READERS)
def budget_detail(request, pk):
    budget = get_budget_for_user(request, pk)
    try:
        number = int(request.GET["version"]) if "version" in request.GET else None
    except ValueError:
        number = None
    period, chain = _period_with_chain(request, budget, number)
    context = {
        "period": period,
        "chain": chain,
        "contributions": selectors.contributions_for(period),
        "link_carry_over": True,
        **selectors.period_log(budget),
    }
    return render(request, "budget/detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def lines_edit(request, pk):
    """The draft's amount per line of the chart, in tkr; an empty field leaves the line out."""
    budget = get_budget_for_user(request, pk)
    period = _draft(request, budget)
    if period is None:
        messages.error(request, NO_DRAFT)
        return redirect(budget)
    version = period.version
    chart = selectors.chart_lines(request.association)
    amounts = period.amounts
    form = forms.AmountsForm(
        request.POST or None,
        keys=[(line.pk, f"{line.get_group_display()}: {line.name}") for line in chart],
        field_for=lambda pk: f"line-{pk}",
        initial_for=amounts.get,
    )
    fingerprint = carried(request, services.amounts_fingerprint(form.shown))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success=f"Version {version.number} är sparad.") as outcome:
            services.version_lines_save(
                user=request.user,
                version=version,
                amounts=form.amounts(),
                fingerprint=posted(request),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(budget)
    groups = [
        (
            label,
            [
                (line.name, f"id_line-{line.pk}", form.input(f"line-{line.pk}"))
                for line in chart
                if line.group == group
            ],
        )
        for group, label in ChartLine.Group.choices
    ]
    return render(
        request,
        "budget/lines.html",
        {
            "form": form,
            "groups": groups,
            "period": period,
            "budget": budget,
            "fingerprint": fingerprint,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def version_adopt(request, pk):
    budget = get_budget_for_user(request, pk)
    current = _period(request, budget)
    period = _draft_of(request, current)
    if period is None:
        if request.method == "POST":  # a second click on Fastställ, or a colleague's
            number = current.version.number
            messages.info(request, ALREADY_ADOPTED.format(budget=budget, number=number))
        else:
            messages.error(request, NO_DRAFT)
        return redirect(budget)
    number = period.version.number
    form = forms.AdoptForm(request.POST or None, association=request.association)
    if request.method == "POST" and form.is_valid():
        success = f"{budget}, version {number} är fastställd."
        with refusals_shown(request, success=success) as outcome:
            services.version_adopt(user=request.user, version=period.version, **form.cleaned_data)
        if not outcome.refused:
            return redirect(budget)
    title = f"Fastställ budgeten för {budget.label}, version {number}"
    return render(
        request,
        "budget/form.html",
        {"form": form, "budget": budget, "title": title, "submit": "Fastställ"},
    )


@require_POST
@role_required(OFFICER)
def version_revise(request, pk):
    budget = get_budget_for_user(request, pk)
    with refusals_shown(request) as outcome:
        version = services.version_revise(user=request.user, budget=budget)
        outcome.success = f"Version {version.number} är skapad som utkast."
    if outcome.refused:
        return redirect(budget)
    return redirect("budget:lines", budget.pk)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def contributions_edit(request, pk):
    """Each member's ägarbidrag: the § 5 split, or an amount the officer sets instead; in the
    draft when there is one, else as adopted (read only)."""
    budget = get_budget_for_user(request, pk)
    current = _period(request, budget)
    period = _draft_of(request, current)
    draft = period is not None
    period = period or current
    contributions = selectors.contributions_for(period)
    overrides = {row.member.pk: row.override for row in contributions.rows}
    form = forms.AmountsForm(
        request.POST or None,
        keys=[(row.member.pk, row.member.name) for row in contributions.rows],
        field_for=lambda pk: f"member-{pk}",
        initial_for=overrides.get,
        field_class=KronorField,
    )
    fingerprint = carried(request, services.amounts_fingerprint(form.shown))
    if request.method == "POST" and draft and form.is_valid():
        with refusals_shown(request, success="Ägarbidragen är sparade.") as outcome:
            services.contributions_save(
                user=request.user,
                version=period.version,
                overrides=form.amounts(),
                fingerprint=posted(request),
            )
        if not outcome.refused or outcome.changed_meanwhile:
            return redirect("budget:contributions", budget.pk)
    rows = [
        (row, form.input(f"member-{row.member.pk}", hidden_label=True) if draft else None)
        for row in contributions.rows
    ]
    context = {
        "period": period,
        "contributions": contributions,
        "draft": draft,
        "form": form,
        "fingerprint": fingerprint,
    }
    return render(request, "budget/contributions.html", {**context, "rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def actuals_edit(request, pk):
    """Utfall by month, in kronor, per line and per initiative."""
    budget = get_budget_for_user(request, pk)
    if refused := _refuse_if_closed(request, budget):
        return refused
    period = _period(request, budget)
    form = forms.ActualsForm(request.POST or None, grid=selectors.actuals_grid(period))
    fingerprint = carried(request, services.amounts_fingerprint(form.shown))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success="Utfallet är sparat.") as outcome:
            services.actuals_save(
                user=request.user, budget=budget, cells=form.cells(), fingerprint=posted(request)
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(budget)
    return render(
        request,
        "budget/actuals.html",
        {"period": period, "budget": budget, "form": form, "fingerprint": fingerprint},
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def actuals_import(request, pk):
    """Step 1: upload the ledger file and see every row resolved, with each error in Swedish.
    Nothing is saved until the officer confirms a preview without errors."""
    budget = get_budget_for_user(request, pk)
    if refused := _refuse_if_closed(request, budget):
        return refused
    form = forms.LedgerImportForm(request.POST or None, request.FILES or None, budget=budget)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = form.cleaned_data["preview"]
        if not preview.errors and preview.rows:
            if overlap := selectors.rows_already_booked(budget, preview.rows):
                messages.warning(request, ALREADY_BOOKED.format(count=overlap))
            ledger.pending_discard(request.session.get(IMPORT_SESSION_KEY))
            request.session[IMPORT_SESSION_KEY] = ledger.pending_dump(budget, preview)
    return render(
        request,
        "budget/import.html",
        {"budget": budget, "form": form, "preview": preview},
    )


@require_POST
@role_required(OFFICER)
def actuals_import_confirm(request, pk):
    """Step 2: every previewed row lands, or none."""
    budget = get_budget_for_user(request, pk)
    pending = ledger.pending_load(
        request.session.get(IMPORT_SESSION_KEY), budget=budget, sha256=request.POST.get("sha256")
    )
    if pending is None:
        messages.error(request, PREVIEW_EXPIRED)
        return redirect("budget:import", budget.pk)
    with refusals_shown(request) as outcome:
        done = services.actuals_import(
            user=request.user,
            budget=budget,
            rows=pending.rows,
            file_name=pending.file_name,
            sha256=pending.sha256,
        )
        rows = "1 rad" if done.rows == 1 else f"{done.rows} rader"
        outcome.success = f"{rows} från {done.file_name} är inlästa."
    if outcome.refused:
        return redirect("budget:import", budget.pk)
    ledger.pending_discard(request.session.pop(IMPORT_SESSION_KEY))
    return redirect(budget)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def forecast_edit(request, pk):
    """Prognos for the whole period per line, in tkr; an empty field follows the budget."""
    budget = get_budget_for_user(request, pk)
    if refused := _refuse_if_closed(request, budget):
        return refused
    period = _period(request, budget)
    rows = [row for group in ChartLine.Group for row in period.rows.get(group, [])]
    forecasts = {row.line.pk: row.forecast_set for row in rows}
    form = forms.AmountsForm(
        request.POST or None,
        keys=[(row.line.pk, row.line.name) for row in rows],
        field_for=lambda pk: f"line-{pk}",
        initial_for=forecasts.get,
    )
    fingerprint = carried(request, services.amounts_fingerprint(form.shown))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success="Prognosen är sparad.") as outcome:
            services.forecasts_save(
                user=request.user,
                budget=budget,
                amounts=form.amounts(),
                fingerprint=posted(request),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(budget)
    return render(
        request,
        "budget/forecast.html",
        {
            "period": period,
            "budget": budget,
            "form": form,
            "rows": [(row, form.input(f"line-{row.line.pk}", hidden_label=True)) for row in rows],
            "fingerprint": fingerprint,
        },
    )


@require_POST
@role_required(OFFICER)
def period_close(request, pk):
    budget = get_budget_for_user(request, pk)
    with refusals_shown(request, success=f"{budget} är stängd; utfallet är låst."):
        services.period_close(user=request.user, budget=budget)
    return redirect(budget)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def period_reopen(request, pk):
    budget = get_budget_for_user(request, pk)
    if budget.closed_at is None:
        messages.error(request, services.NOT_CLOSED)
        return redirect(budget)
    form = forms.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success=f"{budget} är öppnad igen.") as outcome:
            services.period_reopen(
                user=request.user, budget=budget, reason=form.cleaned_data["reason"]
            )
        if not outcome.refused:
            return redirect(budget)
    return render(
        request,
        "budget/form.html",
        {"form": form, "budget": budget, "title": f"Öppna {budget} igen", "submit": "Öppna"},
    )


def _report(request, pk):
    period, chain = _period_with_chain(request, get_budget_for_user(request, pk))
    return period, chain, selectors.contributions_for(period)


@require_GET
@role_required(*READERS)
def report_pdf(request, pk):
    period, chain, contributions = _report(request, pk)
    return file_download(
        exports.report_pdf(period, chain, contributions),
        exports.report_filename(period, "pdf"),
        PDF,
    )


@require_GET
@role_required(*READERS)
def report_xlsx(request, pk):
    period, chain, contributions = _report(request, pk)
    return file_download(
        exports.report_xlsx(period, chain, contributions),
        exports.report_filename(period, "xlsx"),
        XLSX,
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def chart_edit(request):
    """The förbund's chart: its lines, their order and the ledger accounts that book to them."""
    formset = forms.ChartFormSet(
        request.POST or None, queryset=selectors.chart_lines_queryset(request.association)
    )
    formset.association = request.association
    fingerprint = carried(request, services.chart_fingerprint(formset.get_queryset()))
    if request.method == "POST" and formset.is_valid():
        with refusals_shown(request, success="Kontoplanen är sparad.") as outcome:
            services.chart_save(
                user=request.user,
                association=request.association,
                lines=formset.changes(),
                fingerprint=posted(request),
            )
        if not outcome.refused or outcome.changed_meanwhile:
            return redirect(request.path)
    return render(request, "budget/chart.html", {"formset": formset, "fingerprint": fingerprint})


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def ceilings_edit(request):
    """The förbund's guideline for eget kapital: a ceiling per level of contributions."""
    formset = forms.CeilingFormSet(
        request.POST or None, queryset=selectors.ceilings_queryset(request.association)
    )
    formset.association = request.association
    fingerprint = carried(request, services.ceilings_fingerprint(formset.get_queryset()))
    if request.method == "POST" and formset.is_valid():
        with refusals_shown(request, success="Riktlinjen för eget kapital är sparad.") as outcome:
            services.ceilings_save(
                user=request.user,
                association=request.association,
                ceilings=formset.changes(),
                fingerprint=posted(request),
            )
        if not outcome.refused or outcome.changed_meanwhile:
            return redirect(request.path)
    return render(request, "budget/ceilings.html", {"formset": formset, "fingerprint": fingerprint})


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def legacy_import(request):
    """A budget table in seed 004's layout (xlsx) becomes a draft; every typed sum that
    disagrees with its lines is listed."""
    form = forms.LegacyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        table = form.cleaned_data["table"]
        with refusals_shown(request) as outcome:
            budget = services.legacy_budget_import(
                user=request.user,
                association=request.association,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                lines=table.lines,
            )
        if not outcome.refused:
            carry_over = selectors.period_get(request.association, budget).carry_over.amount
            context = {
                "budget": budget,
                "mismatches": table.mismatches,
                "lines": table.lines,
                "carry_over_twice": legacy.carry_over_listed(table.lines, carry_over),
            }
            return render(request, "budget/legacy_result.html", context)
    context = {"form": form, "title": "Läs in en budgettabell", "submit": "Läs in som utkast"}
    return render(
        request, "budget/form.html", {**context, "multipart": True, "intro": LEGACY_INTRO}
    )
