"""The warning before an idle session ends (WCAG 2.1, 2.2.1 Timing Adjustable): every logged-in
page knows how long its session has left (templates/accounts/includes/_session_warning.html);
shortly before the end, static/finsam/session-warning.js asks here whether another tab has moved
the end, and otherwise warns with a button that keeps the session."""

import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import login_flow


def seconds_left(session) -> int:
    """At least how long the session has left: its expiry moved at the last refresh (any later
    save of the session moved it further)."""
    refreshed = session.get(login_flow.REFRESHED_KEY, 0)
    return max(0, refreshed + settings.SESSION_COOKIE_AGE - int(time.time()))


@require_http_methods(["GET", "POST"])
def session_status(request):
    """GET: the seconds left, without moving the end (the idle middleware leaves this view
    alone). POST ("Fortsätt vara inloggad"): the end moved to a full idle time from now; without
    JavaScript the form's POST returns to the page it came from."""
    if not request.user.is_authenticated:
        return JsonResponse({"seconds_left": 0}, status=401)
    if request.method == "POST":
        request.session[login_flow.REFRESHED_KEY] = int(time.time())
        if "application/json" not in request.headers.get("Accept", ""):
            target = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                target = "start"
            return redirect(target)
    return JsonResponse({"seconds_left": seconds_left(request.session)})
