"""The verksamhetsplan as PDF/A: title page, a table of contents with page numbers (WeasyPrint's
target-counter), bookmarks for every heading, running header and footer. A draft is rendered on
request; an adopted plan was rendered once, at adoption, and is served as stored."""

from django.core.files.storage import default_storage
from django.utils import timezone

from budget.plan_models import Plan
from budget.plan_selectors import plan_content, version_text
from finsam.downloads import render_pdf


def adoption_text(plan: Plan) -> str:
    """ "Antagen av styrelsen 2026-11-20, § 45", or "Utkast" while a draft."""
    if plan.is_draft:
        return "Utkast"
    text = f"Antagen av styrelsen {plan.adopted_on:%Y-%m-%d}"
    if plan.agenda_item is not None and plan.agenda_item.paragraph:
        text += f", § {plan.agenda_item.paragraph}"
    return text


def plan_html_context(plan: Plan) -> dict:
    return {
        "plan": plan,
        "association": plan.association,
        "content": plan_content(plan),
        "adoption_text": adoption_text(plan),
        "version_text": version_text(plan.budget_version),
        "printed": timezone.localdate(),
    }


def plan_pdf(plan: Plan) -> bytes:
    """The plan rendered now, from today's data (a draft's download, and adoption's one
    rendering)."""
    return render_pdf("budget/plan/pdf.html", plan_html_context(plan))


def stored_pdf(plan: Plan) -> bytes:
    """The adopted plan's PDF, byte for byte as stored at adoption."""
    with default_storage.open(plan.pdf.name, "rb") as stored:
        return stored.read()


def plan_filename(plan: Plan) -> str:
    years = str(plan.first_year)
    if plan.last_year != plan.first_year:
        years += f"-{plan.last_year}"
    state = "antagen" if not plan.is_draft else "utkast"
    return f"verksamhetsplan-{years}-v{plan.number}-{state}.pdf"
