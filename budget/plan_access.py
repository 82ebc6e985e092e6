"""Who may reach a verksamhetsplan: the views' decorators check the role (the officer writes;
the board and the auditors read; the beredningsgrupp has no access); here the plan must belong
to the user's förbund and be one the role reads (the auditor reads adopted plans only), else 404
so that it is not even known to exist."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404

from budget.plan_models import Plan, PlanSection
from budget.plan_selectors import plans_for
from finsam.tenancy import OFFICER


@dataclass(frozen=True)
class PlanPermissions:
    edit: bool  # change the draft's sections and details, schedule and adopt it
    revise: bool  # make a new version from the adopted plan


def get_plan_for_user(
    request, pk, *, related: tuple[str, ...] | None = None
) -> tuple[Plan, PlanPermissions]:
    """The plan with its budget version and agenda item (one query), its förbund the request's,
    and what the user may do with it. A page that shows less of them names what it shows in
    ``related`` (none: the plan's own columns): of the 57 columns of plans_for's joins, a form's
    page shows the plan's title (issue #12)."""
    plans = plans_for(request.association, request.role)
    if related is not None:
        plans = plans.select_related(None)
        if related:  # select_related() without names would follow every relation
            plans = plans.select_related(*related)
    plan = get_object_or_404(plans, pk=pk)
    plan.association = request.association
    officer = request.role == OFFICER
    return plan, PlanPermissions(
        edit=officer and plan.is_draft, revise=officer and not plan.is_draft
    )


def get_section_for_user(request, pk, section_pk) -> tuple[Plan, PlanSection, PlanPermissions]:
    """A section of a plan the user may reach (two queries); 404 for another plan's section."""
    plan, permissions = get_plan_for_user(request, pk, related=())
    section = get_object_or_404(PlanSection.objects.filter(plan=plan), pk=section_pk)
    section.plan = plan
    return plan, section, permissions
