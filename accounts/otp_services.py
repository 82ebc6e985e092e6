"""The second factor: a TOTP app in the user's phone (django-otp's TOTPDevice) and ten recovery
codes (a StaticDevice with one StaticToken per code, each removed when used).

Every change goes through a function here. django-otp's devices carry no django-simple-history;
who logged in with what is in django-axes' access log, and the admin shows each device's
creation and last use.
"""

import re
import time
from binascii import unhexlify
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from finsam.errors import DomainError
from finsam.models import User

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Autentiseringsapp"
RECOVERY_NAME = "Reservkoder"

CODE_WRONG = (
    "Koden stämmer inte. Skriv de sex siffror som appen visar nu (de byts var 30:e sekund), "
    "eller en av dina reservkoder."
)
CODE_THROTTLED = "För många felaktiga koder i rad. Vänta till kl. {time} och försök igen."
ENROL_CODE_WRONG = (
    "Koden stämmer inte. Kontrollera att du har lagt till kontot i appen och att klockan i "
    "telefonen går rätt, och skriv sedan de sex siffror som appen visar nu."
)
ALREADY_ENROLLED = "Du har redan en autentiseringsapp kopplad till kontot."
NO_APP = "Koppla först en autentiseringsapp; reservkoderna hör till den."

_RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


class SecondFactorRefused(DomainError):
    """The code was wrong, or the device is resting after too many wrong codes."""


def new_totp_key() -> str:
    """A fresh secret (hex), kept in the session until the user confirms it with a code."""
    return default_key()


def _totp_code(typed: str) -> int | None:
    digits = re.sub(r"\s", "", typed)
    return int(digits) if re.fullmatch(r"\d{6}", digits) else None


def _recovery_code(typed: str) -> str | None:
    code = re.sub(r"[\s-]", "", typed).lower()
    return code if _RECOVERY_CODE.match(code) else None


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    recovery_codes: list[str]


def totp_device_confirm(*, user: User, key: str, code: str) -> Enrolment:
    """Connects the app that shows ``code`` for ``key`` to ``user``, with new recovery codes.

    The device is only saved once a code proves the app has the key; a wrong code saves
    nothing."""
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    token = _totp_code(code)
    if token is None or not totp.verify(token, tolerance=1):
        raise SecondFactorRefused(ENROL_CODE_WRONG)
    with transaction.atomic():
        # Two confirmations at once (a double click) would connect two apps: the user's row lock
        # lets the second one find the first.
        User.objects.select_for_update().get(pk=user.pk)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise SecondFactorRefused(ALREADY_ENROLLED)
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name=TOTP_NAME,
            key=key,
            confirmed=True,
            # The code just typed may not be used again.
            last_t=totp.t(),
        )
        codes = _recovery_codes_replace(user)
    return Enrolment(device=device, recovery_codes=codes)


def _recovery_codes_replace(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_create(*, user: User) -> list[str]:
    """Ten new recovery codes for ``user``; the old ones stop working."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise DomainError(NO_APP)
        return _recovery_codes_replace(user)


def second_factor_verify(*, user: User, code: str):
    """The device that accepts ``code``: the app's current code, or a recovery code (used up).

    A wrong code counts against the device (django-otp waits 1, 2, 4 … seconds after each in a
    row) and is committed before the refusal, so that retrying does not reset the count."""
    totp_code = _totp_code(code)
    recovery_code = None if totp_code is not None else _recovery_code(code)
    if totp_code is not None:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        token = str(totp_code).zfill(6)
    elif recovery_code is not None:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
        token = recovery_code
    else:
        raise SecondFactorRefused(CODE_WRONG)
    locked_until = None
    with transaction.atomic():
        # Two requests with one code at once must not both succeed: the row lock makes the
        # second see the code used (the app's last step, or the recovery code deleted).
        for device in devices.select_for_update():
            allowed, details = device.verify_is_allowed()
            if not allowed:
                locked_until = (details or {}).get("locked_until")
                continue
            if device.verify_token(token):
                return device
    if locked_until is not None:
        moment = timezone.localtime(locked_until)
        raise SecondFactorRefused(CODE_THROTTLED.format(time=f"{moment:%H:%M:%S}"))
    raise SecondFactorRefused(CODE_WRONG)


def second_factor_remove(*, user: User) -> None:
    """Disconnects the app and the recovery codes. Whoever must have a second factor is sent to
    connect a new app at once (accounts/middleware.py): this is how a new phone replaces an old
    one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
