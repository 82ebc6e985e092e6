"""Pages of the Verksamhetsplan med budget. The officer writes; the board reads every version
(it adopts them); the auditor reads and downloads adopted plans; the beredningsgrupp has no
access (403), as for the budget. Each page: decorators → access helper → form → service →
redirect, with a refusal shown by refusals_shown."""

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from budget import plan_exports, plan_forms, plan_selectors, plan_services
from budget.plan_access import get_plan_for_user, get_section_for_user
from budget.plan_markdown import render_markdown
from finsam.concurrency import carried, posted
from finsam.downloads import PDF, file_download
from finsam.errors import refusals_shown
from finsam.templatetags.finsam_shell import pk_url
from finsam.tenancy import AUDITOR, BOARD, OFFICER, role_required

READERS = (OFFICER, BOARD, AUDITOR)
SCHEDULE_INTRO = (
    "Planen tas upp som ett budgetärende. När styrelsen har beslutat och protokollet är "
    "justerat antar beslutet både planen och budgetversionen den anger."
)
ADOPT_INTRO = (
    "Beslutet antar planen och budgetversionen den anger ({version}). Planen sparas då som "
    "PDF/A och kan inte längre ändras; en ändring görs i en ny version."
)


def _frozen(request, plan):
    """Sends the officer back to an adopted plan's page: it can no longer change."""
    messages.error(request, plan_services.FROZEN)
    return redirect(plan)


@require_GET
@role_required(*READERS)
def plan_list(request):
    plans = plan_selectors.plans_for(request.association, request.role)
    return render(request, "budget/plan/list.html", {"plans": plans})


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def plan_create(request):
    form = plan_forms.PlanCreateForm(request.POST or None, association=request.association)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            plan = plan_services.plan_create(
                user=request.user, association=request.association, **form.cleaned_data
            )
            outcome.success = f"{plan.title} är skapad som utkast."
        if not outcome.refused:
            return redirect(plan)
    context = {
        "form": form,
        "title": "Ny verksamhetsplan",
        "submit": "Skapa",
        "intro": "Planen börjar som en kopia av den senaste planens text, med samma rubriker "
        "och delar; den första planen får rubrikerna som samordningsförbundens planer brukar ha.",
    }
    return render(request, "budget/plan/form.html", context)


@dataclass(frozen=True)
class SectionActions:
    """The addresses of a draft section's buttons for the officer."""

    edit: str
    move: str
    remove: str


def _sections(plan, content, edit_allowed: bool) -> list:
    """Each section with its buttons' addresses (None unless the user may edit the plan): each
    address is reversed once for the page, not three times a section (issue #12)."""
    if not edit_allowed:
        return [(view, None) for view in content.sections]
    edit, move, remove = (
        pk_url(name, plan.pk)
        for name in (
            "budget:plan_section",
            "budget:plan_section_move",
            "budget:plan_section_remove",
        )
    )
    return [
        (
            view,
            SectionActions(edit(view.section.pk), move(view.section.pk), remove(view.section.pk)),
        )
        for view in content.sections
    ]


@require_GET
@role_required(*READERS)
def plan_detail(request, pk):
    plan, permissions = get_plan_for_user(request, pk)
    # The year's versions for their links: number and state, without the plan's joins.
    versions = (
        plan_selectors.plans_for(request.association, request.role)
        .filter(first_year=plan.first_year)
        .select_related(None)
        .only("pk", "number", "state")
    )
    content = plan_selectors.plan_content(plan)
    context = {
        "plan": plan,
        "permissions": permissions,
        "content": content,
        "sections": _sections(plan, content, permissions.edit),
        "adoption": plan_selectors.plan_adoption(plan),
        "adoption_text": plan_exports.adoption_text(plan),
        "version_text": plan_selectors.version_text(plan.budget_version),
        "versions": sorted(versions, key=lambda other: other.number),
    }
    return render(request, "budget/plan/detail.html", context)


@require_GET
@role_required(*READERS)
def plan_pdf(request, pk):
    """A draft rendered now; an adopted plan exactly as it was stored at adoption."""
    plan, _permissions = get_plan_for_user(request, pk)
    content = plan_exports.plan_pdf(plan) if plan.is_draft else plan_exports.stored_pdf(plan)
    return file_download(content, plan_exports.plan_filename(plan), PDF)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def plan_edit(request, pk):
    """The draft's Dnr and the budget version it is adopted with."""
    plan, permissions = get_plan_for_user(request, pk, related=())
    if not permissions.edit:
        return _frozen(request, plan)
    initial = {"dnr": plan.dnr, "budget_version": plan.budget_version_id}
    form = plan_forms.PlanEditForm(request.POST or None, initial=initial, plan=plan)
    fingerprint = carried(request, plan_services.details_fingerprint(plan))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success="Uppgifterna om planen är sparade.") as outcome:
            plan_services.plan_update(
                user=request.user, plan=plan, fingerprint=posted(request), **form.cleaned_data
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(plan)
    context = {
        "form": form,
        "plan": plan,
        "title": "Uppgifter om planen",
        "submit": "Spara",
        "fingerprint": fingerprint,
    }
    return render(request, "budget/plan/form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def plan_section_add(request, pk):
    plan, permissions = get_plan_for_user(request, pk, related=())
    if not permissions.edit:
        return _frozen(request, plan)
    form = plan_forms.SectionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            section = plan_services.plan_section_add(
                user=request.user, plan=plan, heading=form.cleaned_data["heading"]
            )
            outcome.success = f"Avsnittet ”{section.heading}” är tillagt sist i planen."
        if not outcome.refused:
            return redirect(section)
    context = {"form": form, "plan": plan, "title": "Nytt avsnitt", "submit": "Lägg till"}
    return render(request, "budget/plan/form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def plan_section_edit(request, pk, section):
    """Heading, Markdown text and generated part; "Förhandsgranska" shows the text as it will be
    rendered, without saving (a server-rendered preview: no script on the page)."""
    plan, section, permissions = get_section_for_user(request, pk, section)
    if not permissions.edit:
        return _frozen(request, plan)
    initial = {"heading": section.heading, "text": section.text, "part": section.part}
    form = plan_forms.SectionForm(request.POST or None, initial=initial)
    # Carried through previews: a save is checked against the section as first opened.
    fingerprint = carried(request, plan_services.section_fingerprint(section))
    previewing = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and form.is_valid() and not previewing:
        success = f"”{form.cleaned_data['heading']}” är sparat."
        with refusals_shown(request, success=success) as outcome:
            plan_services.plan_section_save(
                user=request.user,
                section=section,
                fingerprint=posted(request),
                **form.cleaned_data,
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(f"{plan.get_absolute_url()}#avsnitt-{section.pk}")
    shown = form.data if form.is_bound else initial
    context = {
        "form": form,
        "plan": plan,
        "section": section,
        "previewing": previewing,
        "preview_heading": shown.get("heading", "").strip() or section.heading,
        "preview": render_markdown(shown.get("text", "")),
        "fingerprint": fingerprint,
    }
    return render(request, "budget/plan/section.html", context)


@require_POST
@role_required(OFFICER)
def plan_section_move(request, pk, section):
    plan, section, _permissions = get_section_for_user(request, pk, section)
    with refusals_shown(request):
        plan_services.plan_section_move(
            user=request.user, section=section, up=request.POST.get("direction") == "up"
        )
    return redirect(f"{plan.get_absolute_url()}#avsnitt-{section.pk}")


@require_POST
@role_required(OFFICER)
def plan_section_remove(request, pk, section):
    plan, section, _permissions = get_section_for_user(request, pk, section)
    with refusals_shown(request, success=f"Avsnittet ”{section.heading}” är borttaget."):
        plan_services.plan_section_remove(user=request.user, section=section)
    return redirect(plan)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def plan_schedule(request, pk):
    """Puts the draft on a board meeting's agenda, as a budget item."""
    plan, permissions = get_plan_for_user(request, pk, related=())
    if not permissions.edit:
        return _frozen(request, plan)
    form = plan_forms.ScheduleForm(request.POST or None, association=request.association)
    fingerprint = carried(request, plan_services.schedule_fingerprint(plan))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            item = plan_services.plan_schedule(
                user=request.user, plan=plan, fingerprint=posted(request), **form.cleaned_data
            )
            outcome.success = f"{plan.title} står på dagordningen för {item.meeting}."
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect(plan)
    context = {
        "form": form,
        "plan": plan,
        "title": "Sätt upp planen på dagordningen",
        "submit": "Sätt upp",
        "intro": SCHEDULE_INTRO,
        "fingerprint": fingerprint,
    }
    return render(request, "budget/plan/form.html", context)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def plan_adopt(request, pk):
    """Records that the board's justerade decision adopted the plan (and its budget version)."""
    plan, permissions = get_plan_for_user(request, pk, related=("budget_version",))
    if not permissions.edit:
        return _frozen(request, plan)
    form = plan_forms.AdoptForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            plan = plan_services.plan_adopt(
                user=request.user, plan=plan, agenda_item=form.cleaned_data["agenda_item"]
            )
            outcome.success = f"{plan.title} är antagen och sparad som PDF/A."
        if not outcome.refused:
            return redirect(plan)
    context = {
        "form": form,
        "plan": plan,
        "title": f"Anta {plan.title}",
        "submit": "Anta planen",
        "intro": ADOPT_INTRO.format(version=plan_selectors.version_text(plan.budget_version)),
    }
    return render(request, "budget/plan/form.html", context)


@require_POST
@role_required(OFFICER)
def plan_revise(request, pk):
    plan, _permissions = get_plan_for_user(request, pk)
    with refusals_shown(request) as outcome:
        revision = plan_services.plan_revise(user=request.user, plan=plan)
        outcome.success = f"Version {revision.number} är skapad som utkast."
    if outcome.refused:
        return redirect(plan)
    return redirect(revision)
