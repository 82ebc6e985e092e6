"""How django-axes tells login attempts apart: by account and by address (finsam/settings.py,
AXES_LOCKOUT_PARAMETERS). Both callables are named in the settings."""

from django.conf import settings


def login_name(request, credentials) -> str | None:
    """The account an attempt is for, as typed and lower-cased: people type their address in any
    case (finsam.models.UserManager), and KANSLI@… and kansli@… are one account to lock."""
    typed = credentials.get("username") if credentials else request.POST.get("username")
    if not isinstance(typed, str) or not typed.strip():
        return None
    return typed.strip().lower()


def client_address(request) -> str | None:
    """The address the attempt comes from.

    Behind LOGIN_TRUSTED_PROXIES proxies (a load balancer, a TLS terminator), REMOTE_ADDR is the
    nearest proxy's: locking it would lock everyone. Each proxy appends the address it was
    reached from to X-Forwarded-For, so the client's is the one that many places from the right;
    whatever stands further left was typed by the client and proves nothing."""
    proxies = settings.FINSAM_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
