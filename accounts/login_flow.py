"""The login as an explicit sequence of three steps:

1. Who the person is: today the e-mail address and password (login_views.PasswordLoginView,
   throttled by django-axes). An identity provider (SAML or OpenID Connect: SITHS, Freja,
   BankID through a broker) replaces this step with its own callback view, which calls
   ``identity_confirmed`` with the user it found; nothing after this step changes.
2. A second factor, where it applies (``second_factor_required``, or the user has connected an
   app): the code from the app or a recovery code (login_views.login_code), or connecting an
   app first (otp_views.enrol). A provider that has already proven two factors itself (BankID,
   a SITHS card) passes ``second_factor=`` its name, and this step is skipped.
3. The session (``session_start``): Django's login, recorded by django-axes, ending after the
   idle time (SESSION_COOKIE_AGE, kept fresh by middleware.SessionIdleMiddleware) and, unless
   the person asked to be remembered, when the browser closes.

Between 1 and 3 the person is not logged in: the session only holds who passed step 1, for
PENDING_SECONDS.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect
from django_otp import login as otp_login
from django_otp import user_has_device

from finsam.models import Role, User

PENDING_KEY = "finsam_login_pending"
# How the session's second factor was shown: a django-otp device's persistent id, or the name
# of the identity provider that proved two factors. Absent: the password alone.
SECOND_FACTOR_KEY = "finsam_second_factor"
# When the session's expiry was last pushed forward (middleware.SessionIdleMiddleware).
REFRESHED_KEY = "finsam_session_refreshed"
# The secret of an app being connected, until a code confirms it (otp_views.enrol).
ENROL_KEY = "finsam_totp_key"
# Recovery codes just made, shown once (otp_views.recovery_codes).
RECOVERY_CODES_KEY = "finsam_recovery_codes"
# Long enough to install an app and scan the code; after that, the password again.
PENDING_SECONDS = 15 * 60


def roles_of(user: User) -> list[Role]:
    return list(Role.objects.filter(user=user).select_related("association"))


def second_factor_required(user: User, roles) -> bool:
    """Whether ``user`` must show a second factor: officers (and the administrators) whenever
    FINSAM_OFFICER_SECOND_FACTOR is on, and everyone with a role in a förbund that requires it
    (Association.require_second_factor). ``roles`` are the user's roles with their förbund
    (request.roles, or ``roles_of``)."""
    if settings.FINSAM_OFFICER_SECOND_FACTOR and (
        user.is_staff or user.is_superuser or any(r.kind == Role.Kind.OFFICER for r in roles)
    ):
        return True
    return any(role.association.require_second_factor for role in roles)


def has_second_factor(user: User) -> bool:
    """An app or recovery codes connected to the account."""
    return user_has_device(user, confirmed=True)


def session_verified(session) -> bool:
    return SECOND_FACTOR_KEY in session


@dataclass(frozen=True)
class PendingLogin:
    user: User
    backend: str
    remember: bool
    next_url: str


def identity_confirmed(
    request, user: User, *, backend: str, remember: bool, next_url: str, second_factor: str = ""
):
    """Step 1 is done: ``user`` has shown who they are. Asks for the second factor where it
    applies, else starts the session. Returns the response to send."""
    # A secret shown to whoever logged in before in this browser is not this person's to use.
    request.session.pop(ENROL_KEY, None)
    if not second_factor and (
        has_second_factor(user) or second_factor_required(user, roles_of(user))
    ):
        request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": backend,
            "remember": remember,
            "next": next_url,
            "since": int(time.time()),
        }
        return redirect("login_code")
    session_start(request, user, backend=backend, remember=remember, second_factor=second_factor)
    return redirect(next_url)


def pending_login(request) -> PendingLogin | None:
    """Who passed step 1 in this browser and has not finished, if it was recent enough."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("since", 0) > PENDING_SECONDS:
        del request.session[PENDING_KEY]
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        return None
    return PendingLogin(
        user=user,
        backend=pending["backend"],
        remember=bool(pending.get("remember")),
        next_url=pending.get("next") or settings.LOGIN_REDIRECT_URL,
    )


def second_factor_passed(request, device) -> None:
    """Step 2 is done with ``device``: a pending login gets its session; a session that began
    before the second factor applied to its user is marked as having shown it."""
    pending = pending_login(request)
    if not request.user.is_authenticated and pending is not None:
        session_start(request, pending.user, backend=pending.backend, remember=pending.remember)
    otp_login(request, device)
    request.session[SECOND_FACTOR_KEY] = device.persistent_id


def session_start(
    request, user: User, *, backend: str, remember: bool, second_factor: str = ""
) -> None:
    """Step 3: the session. It ends after the idle time (SESSION_COOKIE_AGE) in any case, and
    when the browser closes unless the person asked to be remembered."""
    auth_login(request, user, backend=backend)
    request.session.pop(PENDING_KEY, None)
    request.session.set_expiry(None if remember else 0)
    request.session[REFRESHED_KEY] = int(time.time())
    if second_factor:
        request.session[SECOND_FACTOR_KEY] = second_factor
