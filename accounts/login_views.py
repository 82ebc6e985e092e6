"""The login's pages: the password (step 1), the code (step 2), and the answer while django-axes
has locked the account or address out. The sequence itself is in login_flow.py."""

import datetime

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import login_flow, otp_services
from accounts.login_forms import CodeForm
from finsam.errors import refusals_shown
from finsam.forms import LoginForm

LOGIN_LOCKED = (
    "Inloggningen är spärrad efter för många misslyckade försök. Försök igen tidigast {when}. "
    "Varje nytt försök innan dess flyttar fram tiden."
)
RECOVERY_CODE_USED = (
    "Du loggade in med en reservkod. Den kan inte användas igen; du har {left} kvar. "
    "Skapa nya reservkoder under Tvåstegsverifiering när de börjar ta slut."
)


class PasswordLoginView(auth_views.LoginView):
    """Step 1: the e-mail address and password, checked by Django's backends behind
    django-axes (AUTHENTICATION_BACKENDS)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(idle_minutes=settings.SESSION_COOKIE_AGE // 60, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        return login_flow.identity_confirmed(
            self.request,
            user,
            backend=user.backend,
            remember=form.cleaned_data["remember"],
            next_url=self.get_success_url(),
        )


def _try_again_at(request) -> str:
    """When the lockout ends, rounded up to the minute: each failure during a lockout starts
    the cool-off again (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), this one included."""
    until = timezone.localtime(timezone.now() + get_cool_off(request))
    if until.second or until.microsecond:
        until = until.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
    if until.date() == timezone.localdate():
        return "kl. " + formats.date_format(until, "H:i")
    return formats.date_format(until, "j F") + " kl. " + formats.date_format(until, "H:i")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to an attempt while the account or address is locked out
    (AXES_LOCKOUT_CALLABLE): the login page with the time to try again. The message is the same
    whichever of the two is locked, and whether the password was right."""
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "locked": LOGIN_LOCKED.format(when=_try_again_at(request)),
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        },
        status=429,
    )


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_code(request):
    """Step 2: the code from the app, or a recovery code. For a login that has passed step 1,
    or a session that must show a second factor and has not (accounts/middleware.py)."""
    if request.user.is_authenticated:
        roles = getattr(request, "roles", [])
        if login_flow.session_verified(request.session) or not (
            login_flow.second_factor_required(request.user, roles)
        ):
            return redirect("start")
        user, next_url = request.user, "start"
    else:
        pending = login_flow.pending_login(request)
        if pending is None:
            return redirect("login")
        user, next_url = pending.user, pending.next_url
    if not login_flow.has_second_factor(user):
        return redirect("second_factor_enrol")

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            device = otp_services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if not outcome.refused:
            login_flow.second_factor_passed(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, RECOVERY_CODE_USED.format(left=left))
            return redirect(next_url)
    return render(request, "accounts/login/code.html", {"form": form, "user_email": user.email})
