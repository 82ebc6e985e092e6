"""Response headers the whole site sends, beside Django's SecurityMiddleware and X-Frame-Options
and django-csp's Content-Security-Policy (settings.CONTENT_SECURITY_POLICY)."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.cache import add_never_cache_headers, has_vary_header

from finsam.downloads import PDF

# Powerful browser features Finsam never uses, turned off for our pages and anything they embed:
# a script that got in anyway cannot reach the camera, the microphone or the user's position.
# Only features Chromium knows (an unknown one is reported in the console of every page).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's header on every response except a PDF: a PDF runs no script of ours, and
    Chromium's PDF viewer draws its own page with inline styles and a plugin frame, which our
    policy would block so that the PDF showed blank or cut off."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(PDF):
            return response
        return super().process_response(request, response)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer that depends on who asks: whenever someone is
    logged in, or the answer varies on the session cookie. A shared computer's browser cache
    (or a proxy) then keeps no page, PDF or workbook of a logged-in user after they log out.
    Static files are the same for everyone and stay cacheable.

    Sits outside SessionMiddleware and CsrfViewMiddleware, so that it sees the `Vary: Cookie`
    they add."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.static_prefix):
            return response
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or has_vary_header(response, "Cookie"):
            add_never_cache_headers(response)
        return response
