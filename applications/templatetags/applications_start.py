"""The applications' and meetings' part of each role's start page (finsam/start.html)."""

from django import template
from django.utils import timezone

from applications.selectors import start_panel

register = template.Library()


@register.inclusion_tag("applications/includes/_start.html", takes_context=True)
def applications_start(context):
    request = context["request"]
    return {
        "panel": start_panel(
            association=request.association, role=request.role, now=timezone.now()
        ),
        "role": request.role,
    }
