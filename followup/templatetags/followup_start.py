"""The follow-up's part of the start page (finsam/start.html): the officer's overdue and
soon-due reports, and the insatsansvarig's own insatser with theirs. Other roles: no query."""

from django import template
from django.utils import timezone

from finsam.models import Role
from followup import report_selectors

register = template.Library()


@register.inclusion_tag("followup/includes/_start.html", takes_context=True)
def followup_start(context):
    request = context["request"]
    association, role = request.association, request.role
    if role not in (Role.Kind.OFFICER, Role.Kind.LEAD):
        return {"show": False}
    lead = role == Role.Kind.LEAD
    return {
        "show": True,
        "lead": lead,
        "within_days": association.report_reminder_days,
        # One query each: the reports, and (for the lead) its insatser.
        "reports": report_selectors.start_reports(
            association=association,
            today=timezone.localdate(),
            within_days=association.report_reminder_days,
            leads_user=request.user if lead else None,
        ),
        "initiatives": (
            list(report_selectors.lead_initiatives(association=association, user=request.user))
            if lead
            else None
        ),
    }
