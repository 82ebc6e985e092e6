"""Budget pages. The officer writes; the board and the auditors read and download; the
beredningsgrupp has no business here."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Initiative
from budget import exports, forms, legacy, selectors, services
from budget.ledger import LedgerFileError, read_ledger
from budget.models import Budget, ChartLine, EquityCeiling
from budget.services import BudgetError, ImportRow
from finsam.templatetags.finsam_format import kronor
from finsam.tenancy import AUDITOR, BOARD, OFFICER, role_required

READERS = (OFFICER, BOARD, AUDITOR)
NO_DRAFT = "Budgeten har inget utkast; revidera den för att göra en ny version."
ALREADY_BOOKED = (
    "{count} av filens rader bokförs på månader och poster som redan har utfall; beloppen läggs "
    "till. Kontrollera att de inte redan är inlästa från en annan fil."
)
CARRY_OVER_TWICE = (
    "Posten {name} ({amount} tkr) är lika stor som det som förs över från föregående period. "
    "Finsam räknar fram överföringen själv; ta bort posten om den är överföringen."
)
CARRY_OVER_NAMED = (
    "Posten {name} ser ut att vara överföringen från föregående period. Finsam räknar fram den "
    "själv; ta bort posten så att den inte räknas två gånger."
)
IMPORT_SESSION_KEY = "budget_ledger_import"
MONTH_NAMES = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _budget(request, pk) -> Budget:
    return get_object_or_404(
        Budget.objects.for_association(request.association).select_related("association"), pk=pk
    )


def _refuse_if_closed(request, budget):
    """Sends the officer back to a closed period's page: its actuals are locked."""
    if budget.closed_at is None:
        return None
    messages.error(request, services.PERIOD_CLOSED)
    return redirect(budget)


def _period(request, budget) -> selectors.Period:
    period = selectors.period_get(request.association, budget)
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
    return selectors.period_get(request.association, period.budget, selectors.DRAFT)


def _period_with_chain(request, budget, version_number=None):
    period, chain = selectors.period_with_chain(request.association, budget, version_number)
    if period is None:
        raise Http404
    return period, chain


@require_GET
@role_required(*READERS)
def budget_overview(request):
    """Every period of the förbund, newest first, with its version, status and result."""
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
        try:
            budget = services.budget_create(
                user=request.user,
                association=request.association,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                copy_from=form.cleaned_data["copy_from"],
                opening_equity=forms.kronor(form.cleaned_data.get("opening_equity")),
            )
        except BudgetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{budget} är skapad som utkast.")
            return redirect("budget:lines", budget.pk)
    return render(
        request, "budget/form.html", {"form": form, "title": "Ny budgetperiod", "submit": "Skapa"}
    )


@require_GET
@role_required(*READERS)
def budget_detail(request, pk):
    budget = _budget(request, pk)
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
    budget = _budget(request, pk)
    period = _draft(request, budget)
    if period is None:
        messages.error(request, NO_DRAFT)
        return redirect(budget)
    version = period.version
    chart = list(ChartLine.objects.for_association(request.association))
    amounts = {item.line_id: item.amount for item in version.lines.all()}
    form = forms.AmountsForm(
        request.POST or None,
        keys=[(line.pk, f"{line.get_group_display()}: {line.name}") for line in chart],
        field_for=lambda pk: f"line-{pk}",
        initial_for=lambda pk: forms.tkr_initial(amounts.get(pk)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_lines_save(user=request.user, version=version, amounts=form.amounts())
        except BudgetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Version {version.number} är sparad.")
            return redirect(budget)
    groups = [
        (label, [(line.name, form[f"line-{line.pk}"]) for line in chart if line.group == group])
        for group, label in ChartLine.Group.choices
    ]
    return render(
        request,
        "budget/lines.html",
        {"form": form, "groups": groups, "period": period, "budget": budget},
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def version_adopt(request, pk):
    budget = _budget(request, pk)
    period = _draft(request, budget)
    if period is None:
        messages.error(request, NO_DRAFT)
        return redirect(budget)
    form = forms.AdoptForm(request.POST or None, association=request.association)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_adopt(
                user=request.user,
                version=period.version,
                adopted_on=form.cleaned_data["adopted_on"],
                agenda_item=form.cleaned_data["agenda_item"],
            )
        except BudgetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{budget}, version {period.version.number} är fastställd.")
            return redirect(budget)
    return render(
        request,
        "budget/form.html",
        {
            "form": form,
            "budget": budget,
            "title": f"Fastställ budgeten för {budget.label}, version {period.version.number}",
            "submit": "Fastställ",
        },
    )


@require_POST
@role_required(OFFICER)
def version_revise(request, pk):
    budget = _budget(request, pk)
    try:
        version = services.version_revise(user=request.user, budget=budget)
    except BudgetError as error:
        messages.error(request, str(error))
        return redirect(budget)
    messages.success(request, f"Version {version.number} är skapad som utkast.")
    return redirect("budget:lines", budget.pk)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def contributions_edit(request, pk):
    """Each member's ägarbidrag: the § 5 split, or an amount the officer sets instead; in the
    draft when there is one, else as adopted (read only)."""
    budget = _budget(request, pk)
    current = _period(request, budget)
    period = _draft_of(request, current)
    draft = period is not None
    period = period or current
    contributions = selectors.contributions_for(period)
    rows = {row.member.pk: row for row in contributions.rows}
    form = forms.KronorAmountsForm(
        request.POST or None,
        keys=[(row.member.pk, row.member.name) for row in contributions.rows],
        field_for=lambda pk: f"member-{pk}",
        initial_for=lambda pk: forms.kronor_initial(rows[pk].override),
        min_value=0,
    )
    if request.method == "POST" and draft and form.is_valid():
        try:
            services.contributions_save(
                user=request.user, version=period.version, overrides=form.amounts()
            )
        except BudgetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Ägarbidragen är sparade.")
            return redirect("budget:contributions", budget.pk)
    return render(
        request,
        "budget/contributions.html",
        {
            "period": period,
            "contributions": contributions,
            "draft": draft,
            "rows": [(row, form[f"member-{row.member.pk}"]) for row in contributions.rows],
            "form": form,
        },
    )


def _cell_name(key) -> str:
    kind, pk, month = key
    return f"{kind}-{pk}-{month:%Y%m}"


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def actuals_edit(request, pk):
    """Utfall by month, in kronor, per line and per initiative."""
    budget = _budget(request, pk)
    if refused := _refuse_if_closed(request, budget):
        return refused
    period = _period(request, budget)
    grid = selectors.actuals_grid(period)
    financial = (ChartLine.Group.FINANCIAL_INCOME, ChartLine.Group.FINANCIAL_COST)
    targets = [
        (
            "line",
            line.pk,
            f"{line.get_group_display()}: {line.name}" if line.group in financial else line.name,
        )
        for line in grid.lines
    ] + [
        ("initiative", initiative.pk, f"Insats: {initiative.name}")
        for initiative in grid.initiatives
    ]
    keys = [
        ((kind, target_pk, month), f"{name}, {MONTH_NAMES[month.month - 1]} {month.year}")
        for kind, target_pk, name in targets
        for month in grid.months
    ]
    form = forms.KronorAmountsForm(
        request.POST or None,
        keys=keys,
        field_for=_cell_name,
        initial_for=lambda key: forms.kronor_initial(grid.cells.get(key)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.actuals_save(user=request.user, budget=budget, cells=form.amounts())
        except BudgetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Utfallet är sparat.")
            return redirect(budget)
    rows = [
        (name, [form[_cell_name((kind, target_pk, month))] for month in grid.months])
        for kind, target_pk, name in targets
    ]
    return render(
        request,
        "budget/actuals.html",
        {
            "period": period,
            "budget": budget,
            "form": form,
            "rows": rows,
            "months": [f"{MONTH_NAMES[m.month - 1]} {m.year}" for m in grid.months],
        },
    )


def _row_to_session(row: ImportRow) -> list:
    key = [row.key[0], row.key[1], row.key[2].isoformat()] if row.key else None
    return [row.row, row.text, row.target, key, str(row.amount) if row.amount is not None else None]


def _row_from_session(data: list) -> ImportRow:
    number, text, target, key, amount = data
    return ImportRow(
        row=number,
        text=text,
        target=target,
        key=(key[0], key[1], datetime.date.fromisoformat(key[2])),
        amount=Decimal(amount),
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def actuals_import(request, pk):
    """Step 1: upload the ledger file and see every row resolved, with each error in Swedish.
    Nothing is saved until the officer confirms a preview without errors."""
    budget = _budget(request, pk)
    if refused := _refuse_if_closed(request, budget):
        return refused
    form = forms.LedgerImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        initiatives = {
            initiative.name.lower(): initiative
            for initiative in Initiative.objects.filter(association=request.association)
        }
        try:
            preview = read_ledger(
                upload.read(),
                upload.name,
                budget=budget,
                chart=list(ChartLine.objects.for_association(request.association)),
                initiatives=initiatives,
                income_negative=form.cleaned_data["income_negative"],
            )
        except LedgerFileError as error:
            form.add_error("file", str(error))
        else:
            if not preview.errors and preview.rows:
                booked = selectors.booked_cells(budget)
                overlap = sum(1 for row in preview.rows if row.key in booked)
                if overlap:
                    messages.warning(request, ALREADY_BOOKED.format(count=overlap))
                request.session[IMPORT_SESSION_KEY] = {
                    "budget": budget.pk,
                    "file_name": preview.file_name,
                    "sha256": preview.sha256,
                    "rows": [_row_to_session(row) for row in preview.rows],
                }
    return render(
        request,
        "budget/import.html",
        {"budget": budget, "form": form, "preview": preview},
    )


@require_POST
@role_required(OFFICER)
def actuals_import_confirm(request, pk):
    """Step 2: every previewed row lands, or none."""
    budget = _budget(request, pk)
    pending = request.session.get(IMPORT_SESSION_KEY)
    if (
        not pending
        or pending["budget"] != budget.pk
        or pending["sha256"] != request.POST.get("sha256")
    ):
        messages.error(request, "Förhandsgranskningen har gått ut; läs in filen igen.")
        return redirect("budget:import", budget.pk)
    try:
        done = services.actuals_import(
            user=request.user,
            budget=budget,
            rows=[_row_from_session(row) for row in pending["rows"]],
            file_name=pending["file_name"],
            sha256=pending["sha256"],
        )
    except BudgetError as error:
        messages.error(request, str(error))
        return redirect("budget:import", budget.pk)
    del request.session[IMPORT_SESSION_KEY]
    messages.success(request, f"{done.rows} rader från {done.file_name} är inlästa.")
    return redirect(budget)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def forecast_edit(request, pk):
    """Prognos for the whole period per line, in tkr; an empty field follows the budget."""
    budget = _budget(request, pk)
    if refused := _refuse_if_closed(request, budget):
        return refused
    period = _period(request, budget)
    rows = [row for group in ChartLine.Group for row in period.rows.get(group, [])]
    form = forms.AmountsForm(
        request.POST or None,
        keys=[(row.line.pk, row.line.name) for row in rows],
        field_for=lambda pk: f"line-{pk}",
        initial_for=lambda pk: forms.tkr_initial(
            next(row.forecast_set for row in rows if row.line.pk == pk)
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.forecasts_save(user=request.user, budget=budget, amounts=form.amounts())
        except BudgetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Prognosen är sparad.")
            return redirect(budget)
    return render(
        request,
        "budget/forecast.html",
        {
            "period": period,
            "budget": budget,
            "form": form,
            "rows": [(row, form[f"line-{row.line.pk}"]) for row in rows],
        },
    )


@require_POST
@role_required(OFFICER)
def period_close(request, pk):
    budget = _budget(request, pk)
    try:
        services.period_close(user=request.user, budget=budget)
    except BudgetError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{budget} är stängd; utfallet är låst.")
    return redirect(budget)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def period_reopen(request, pk):
    budget = _budget(request, pk)
    if budget.closed_at is None:
        messages.error(request, services.NOT_CLOSED)
        return redirect(budget)
    form = forms.ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_reopen(
                user=request.user, budget=budget, reason=form.cleaned_data["reason"]
            )
        except BudgetError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{budget} är öppnad igen.")
            return redirect(budget)
    return render(
        request,
        "budget/form.html",
        {"form": form, "budget": budget, "title": f"Öppna {budget} igen", "submit": "Öppna"},
    )


def _report(request, pk):
    period, chain = _period_with_chain(request, _budget(request, pk))
    return period, chain, selectors.contributions_for(period)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(*READERS)
def report_pdf(request, pk):
    period, chain, contributions = _report(request, pk)
    return _download(
        exports.report_pdf(period, chain, contributions),
        "application/pdf",
        exports.report_filename(period, "pdf"),
    )


@require_GET
@role_required(*READERS)
def report_xlsx(request, pk):
    period, chain, contributions = _report(request, pk)
    return _download(
        exports.report_xlsx(period, chain, contributions),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.report_filename(period, "xlsx"),
    )


def _formset_page(request, formset_class, queryset, template, success):
    formset = formset_class(request.POST or None, queryset=queryset)
    formset.association = request.association
    if request.method == "POST" and formset.is_valid():
        try:
            services.formset_save(
                user=request.user, formset=formset, association=request.association
            )
        except BudgetError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, success)
            return redirect(request.path)
    return render(request, template, {"formset": formset})


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def chart_edit(request):
    """The förbund's chart: its lines, their order and the ledger accounts that book to them."""
    return _formset_page(
        request,
        forms.ChartFormSet,
        ChartLine.objects.for_association(request.association),
        "budget/chart.html",
        "Kontoplanen är sparad.",
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def ceilings_edit(request):
    """The förbund's guideline for eget kapital: a ceiling per level of contributions."""
    return _formset_page(
        request,
        forms.CeilingFormSet,
        EquityCeiling.objects.for_association(request.association),
        "budget/ceilings.html",
        "Riktlinjen för eget kapital är sparad.",
    )


def _carry_over_listed(lines, carry_over: Decimal) -> list[str]:
    """Other income that looks like the carry-over Finsam computes: by its name, or by its
    amount (the table's whole tkr against the carry-over rounded to tkr)."""
    carry_over_tkr = (carry_over / 1000).quantize(Decimal(1))
    warnings = []
    for line in lines:
        if line.group != ChartLine.Group.OTHER_INCOME:
            continue
        if line.name.lower().startswith("överfört"):
            warnings.append(CARRY_OVER_NAMED.format(name=line.name))
        elif carry_over and line.amount == carry_over_tkr:
            warnings.append(CARRY_OVER_TWICE.format(name=line.name, amount=kronor(line.amount)))
    return warnings


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def legacy_import(request):
    """A budget table in seed 004's layout (xlsx) becomes a draft; every typed sum that
    disagrees with its lines is listed."""
    form = forms.LegacyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = legacy.read_table(legacy.rows_from_xlsx(form.cleaned_data["file"].read()))
            if not table.lines:
                raise BudgetError(legacy.NO_LINES)
            budget = services.legacy_budget_import(
                user=request.user,
                association=request.association,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                lines=table.lines,
            )
        except (BudgetError, ValueError) as error:
            form.add_error("file", str(error))
        else:
            carry_over = selectors.period_get(request.association, budget).carry_over.amount
            twice = _carry_over_listed(table.lines, carry_over)
            return render(
                request,
                "budget/legacy_result.html",
                {
                    "budget": budget,
                    "mismatches": table.mismatches,
                    "lines": table.lines,
                    "carry_over_twice": twice,
                },
            )
    return render(
        request,
        "budget/form.html",
        {
            "form": form,
            "title": "Läs in en budgettabell",
            "submit": "Läs in som utkast",
            "multipart": True,
            "intro": (
                "Tabellen blir ett utkast till budget. Finsam räknar själv fram alla summor och "
                "jämför dem med de inskrivna; överfört från föregående år räknas fram och ska "
                "inte stå som en post."
            ),
        },
    )
