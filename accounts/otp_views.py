"""The second factor's own pages: connecting an app (during the login or later), its QR code,
the recovery codes, and the overview where a logged-in user manages them."""

import io
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import login_flow, otp_services
from accounts.login_forms import EnrolForm
from finsam.errors import refusals_shown

ISSUER = "Finsam"
REMOVED = "Appen och reservkoderna är borttagna från ditt konto."


def _enrolling_user(request):
    """Who is connecting an app: the logged-in user, or the login waiting for step 2."""
    if request.user.is_authenticated:
        return request.user, None
    pending = login_flow.pending_login(request)
    return (pending.user, pending) if pending is not None else (None, None)


def _enrol_key(request) -> str:
    """The secret shown on the page and in the QR code, kept in the session (not the database)
    until a code confirms it."""
    key = request.session.get(login_flow.ENROL_KEY)
    if not key:
        key = otp_services.new_totp_key()
        request.session[login_flow.ENROL_KEY] = key
    return key


def _secret(key: str) -> str:
    return b32encode(unhexlify(key.encode())).decode()


def _provisioning_uri(user, key: str) -> str:
    label = quote(f"{ISSUER}:{user.email}")
    params = urlencode({"secret": _secret(key), "issuer": ISSUER, "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{params}"


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Connects an authenticator app: scan the QR code (or type the secret), confirm with a
    code; ten recovery codes follow. During the login this is step 2 for whoever must have a
    second factor and has none; later, anyone may connect one here."""
    user, pending = _enrolling_user(request)
    if user is None:
        return redirect("login")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        if pending is not None:
            return redirect("login_code")
        messages.info(request, otp_services.ALREADY_ENROLLED)
        return redirect("second_factor")
    required = login_flow.second_factor_required(user, login_flow.roles_of(user))
    key = _enrol_key(request)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            enrolment = otp_services.totp_device_confirm(
                user=user, key=key, code=form.cleaned_data["code"]
            )
        if not outcome.refused:
            if pending is not None:
                next_url = pending.next_url
            elif required:
                next_url = settings.LOGIN_REDIRECT_URL
            else:
                next_url = "second_factor"
            del request.session[login_flow.ENROL_KEY]
            login_flow.second_factor_passed(request, enrolment.device)
            request.session[login_flow.RECOVERY_CODES_KEY] = {
                "codes": enrolment.recovery_codes,
                "next": next_url,
            }
            return redirect("second_factor_recovery_codes")
    secret = _secret(key)
    return render(
        request,
        "accounts/login/enrol.html",
        {
            "form": form,
            "required": required,
            "during_login": pending is not None,
            "account": user.email,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
    )


@never_cache
@require_GET
def qr_code(request):
    """The QR code of the app being connected, as SVG: its own URL, so that the page needs no
    inline image data."""
    user, _ = _enrolling_user(request)
    if user is None:
        return redirect("login")
    image = io.BytesIO()
    segno.make(_provisioning_uri(user, _enrol_key(request)), error="m").save(
        image, kind="svg", scale=6, border=4, light="#fff", title="QR-kod för Finsam"
    )
    return HttpResponse(image.getvalue(), content_type="image/svg+xml")


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def recovery_codes(request):
    """GET: the recovery codes just made, shown once. POST: ten new codes replace the old."""
    if request.method == "POST":
        with refusals_shown(request) as outcome:
            codes = otp_services.recovery_codes_create(user=request.user)
        if outcome.refused:
            return redirect("second_factor")
        request.session[login_flow.RECOVERY_CODES_KEY] = {"codes": codes, "next": "second_factor"}
        return redirect("second_factor_recovery_codes")
    shown = request.session.pop(login_flow.RECOVERY_CODES_KEY, None)
    if not shown:
        return redirect("second_factor")
    return render(
        request,
        "accounts/login/recovery_codes.html",
        {"codes": shown["codes"], "next_url": resolve_url(shown["next"])},
    )


@require_GET
@login_required
def overview(request):
    """The logged-in user's second factor: connected or not, recovery codes left, and whether
    their roles require it."""
    user = request.user
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    codes_left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return render(
        request,
        "accounts/login/second_factor.html",
        {
            "app": app,
            "codes_left": codes_left,
            "required": login_flow.second_factor_required(user, getattr(request, "roles", [])),
        },
    )


@require_POST
@login_required
def remove(request):
    """Disconnects the app and the recovery codes. The session then no longer counts as having
    shown a second factor: whoever must have one is sent on to connect a new app."""
    otp_services.second_factor_remove(user=request.user)
    request.session.pop(login_flow.SECOND_FACTOR_KEY, None)
    messages.success(request, REMOVED)
    return redirect("second_factor")
