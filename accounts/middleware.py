"""The session's idle time, and the second factor for sessions that lack one they need.

Neither adds a query to an ordinary page: both read the session and the roles that
SessionMiddleware and finsam.tenancy.CurrentAssociationMiddleware have loaded already.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts import login_flow

# The expiry is pushed forward at most once a minute, so that a logged-in page does not write
# the session on every request: a session ends between idle time − 1 minute and idle time after
# its last request.
REFRESH_SECONDS = 60


class SessionIdleMiddleware:
    """A logged-in session ends SESSION_COOKIE_AGE seconds after its last request.

    Django's SESSION_SAVE_EVERY_REQUEST would do the same with a write on every request; this
    writes once a minute at most. Must come after SessionMiddleware and AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # After the view: a login has set the stamp, a logout has left an anonymous user.
        match = request.resolver_match
        # The session warning's question must not itself keep the session (session_views).
        asks_only = match is not None and match.view_name == "session_status"
        if request.user.is_authenticated and not asks_only:
            now = int(time.time())
            refreshed = request.session.get(login_flow.REFRESHED_KEY, 0)
            if now - refreshed >= REFRESH_SECONDS:
                # Any change makes SessionMiddleware save the session, which moves its expiry
                # (and the cookie's, for a remembered login) to now + SESSION_COOKIE_AGE.
                request.session[login_flow.REFRESHED_KEY] = now
        return response


# Where a session that must show a second factor may still go: the steps themselves and out.
SECOND_FACTOR_PAGES = {"login_code", "second_factor_enrol", "second_factor_qr", "logout"}


class SecondFactorMiddleware:
    """A logged-in user who must show a second factor (login_flow.second_factor_required) and
    has not in this session can do nothing but show it, or connect an app first.

    The login itself asks before the session starts; this catches sessions that began before
    the requirement applied to the user (a new officer role, the förbund's setting turned on,
    sessions older than this rule). Django's admin login is replaced by ours, so that it cannot
    skip the second factor. Must come after finsam.tenancy.CurrentAssociationMiddleware, whose
    request.roles it reads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.view_name == "admin:login":
            target = request.GET.get("next") or reverse("admin:index")
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': target})}")
        if not request.user.is_authenticated or login_flow.session_verified(request.session):
            return None
        if match is not None and match.view_name in SECOND_FACTOR_PAGES:
            return None
        if not login_flow.second_factor_required(request.user, getattr(request, "roles", [])):
            return None
        if login_flow.has_second_factor(request.user):
            return redirect("login_code")
        return redirect("second_factor_enrol")
