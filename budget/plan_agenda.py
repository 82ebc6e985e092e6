"""The verksamhetsplan on a board meeting's agenda, for the meeting page and the meeting pack.

Named by the setting FINSAM_AGENDA_PLANS, so that `applications` can ask without importing
`budget` (see applications/agenda_plans.py). The answer is finished HTML from the plan's own
templates: on the meeting page a summary with the plan's sections and links to the plan and its
PDF; in the pack, while the plan is a draft, the whole plan (every section's text and generated
part), which is what the board reads before it decides. An adopted plan is not rendered again:
the pack points at the PDF stored at adoption, with its SHA-256."""

from django.template.loader import render_to_string

from applications.agenda_plans import AgendaPlan
from budget.plan_exports import adoption_text
from budget.plan_selectors import plan_content, plans_for, version_text


def agenda_plans(*, association, role: str, items, full: bool = False) -> dict[int, AgendaPlan]:
    """Agenda item pk → the plan on it that ``role`` reads (the board every version, the auditor
    the adopted ones): two queries (the plans, their sections), and for the pack's draft also
    the generated parts it places, a fixed number of queries each."""
    by_pk = {item.pk: item for item in items}
    # The items with their meeting and decision are the caller's: joined again they were half
    # the query's columns, each compiled and converted (issue #12).
    plans = (
        plans_for(association, role)
        .filter(agenda_item__in=list(by_pk))
        .select_related(None)
        .select_related("budget_version__budget")
        .prefetch_related("sections")
    )
    answer = {}
    for plan in plans:
        plan.association = association  # not joined (plans_for)
        plan.agenda_item = by_pk[plan.agenda_item_id]
        context = {
            "plan": plan,
            "adoption_text": adoption_text(plan),
            "version_text": version_text(plan.budget_version),
            "sections": list(plan.sections.all()),
        }
        # SafeStrings: our own templates, with escaped values and nh3-sanitised Markdown.
        if not full:
            html = render_to_string("budget/plan/includes/_agenda.html", context)
            answer[plan.agenda_item_id] = AgendaPlan(plan.title, html)
            continue
        appendix = ""
        if plan.is_draft:
            context["content"] = plan_content(plan)
            appendix = render_to_string("budget/plan/includes/_pack.html", context)
        html = render_to_string("budget/plan/includes/_pack_item.html", context)
        answer[plan.agenda_item_id] = AgendaPlan(plan.title, html, appendix)
    return answer
