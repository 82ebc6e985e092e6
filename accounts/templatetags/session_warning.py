from django import template
from django.conf import settings

from accounts.middleware import REFRESH_SECONDS

register = template.Library()

# How long before the end the warning shows: two minutes, or half the idle time if that is
# shorter (WCAG asks for at least 20 seconds to respond).
WARNING_SECONDS = 120


@register.inclusion_tag("accounts/includes/_session_warning.html", takes_context=True)
def session_warning(context):
    """The hidden warning of a logged-in page and what its script needs: the session has at
    least the idle time less one refresh interval left when the page is shown (the idle
    middleware moves the end at most once a minute)."""
    age = settings.SESSION_COOKIE_AGE
    request = context["request"]
    return {
        "seconds_left": max(0, age - REFRESH_SECONDS),
        "warning_seconds": min(WARNING_SECONDS, age // 2),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
