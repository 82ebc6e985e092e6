from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.middleware import REFRESH_SECONDS
from finsam.templatetags.finsam_shell import shell_static, shell_urls

register = template.Library()

# How long before the end the warning shows: two minutes, or half the idle time if that is
# shorter (WCAG asks for at least 20 seconds to respond).
WARNING_SECONDS = 120

# Shown by session-warning.js shortly before an idle session ends; an alert, so that screen
# readers announce it. Written here rather than in a template of its own: every logged-in page
# carries it, and the template with its {% url %} and {% static %} cost ~60 µs a page (#12).
WARNING_HTML = """<div id="session-warning" class="session-warning alert alert-warning shadow" \
role="alert" hidden data-seconds-left="{seconds_left}" data-warning-seconds="{warning_seconds}">
  <p class="mb-2">Du har inte använt Finsam på en stund. Du loggas ut kl. <span data-session-end>\
–</span> om du inte fortsätter.</p>
  <form method="post" action="{action}">
    <input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">
    <input type="hidden" name="next" value="{next}">
    <button type="submit" class="btn btn-primary btn-sm">Fortsätt vara inloggad</button>
  </form>
</div>
<script src="{script}" defer></script>"""


@register.simple_tag(takes_context=True)
def session_warning(context) -> SafeString:
    """The hidden warning of a logged-in page and what its script needs: the session has at
    least the idle time less one refresh interval left when the page is shown (the idle
    middleware moves the end at most once a minute)."""
    age = settings.SESSION_COOKIE_AGE
    return format_html(
        WARNING_HTML,
        seconds_left=max(0, age - REFRESH_SECONDS),
        warning_seconds=min(WARNING_SECONDS, age // 2),
        action=shell_urls()["session_status"],
        csrf_token=context.get("csrf_token", ""),
        next=context["request"].get_full_path(),
        script=shell_static("finsam/session-warning.js"),
    )
