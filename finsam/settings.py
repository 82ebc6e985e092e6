"""Settings for Finsam, read from the environment.

Production needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see README.md. The helpers below fail
loudly on values they cannot read, so a typo in the environment stops the server instead of
silently turning a safety setting off.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Development only: one generated key kept beside the code, so that logins survive the
    # autoreloader's restarts.
    _dev_key_file = BASE_DIR / ".dev-secret-key"
    if not _dev_key_file.exists():
        _dev_key_file.write_text(get_random_secret_key())
    SECRET_KEY = _dev_key_file.read_text().strip()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "finsam",
    "applications",
    "budget",
    "followup",
    "accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

# The decision form shows what the budget has left to distribute per year; `applications` asks
# through this function so that it need not import `budget` (see applications/budget_room.py).
FINSAM_BUDGET_ROOM = "budget.selectors.grant_room"
# The verksamhetsplan on a board meeting's agenda, for the meeting page and pack; asked the same
# way (see applications/agenda_plans.py).
FINSAM_AGENDA_PLANS = "budget.plan_agenda.agenda_plans"

# Uploads: a file is no longer received beyond the largest any purpose accepts (a report of an
# insats, 20 MB); each purpose's own, smaller limit is in its module (finsam/uploads.py).
FINSAM_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "finsam.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "finsam.headers.PermissionsPolicyMiddleware",
    "finsam.headers.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "finsam.headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "finsam.input_text.ControlCharactersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "finsam.tenancy.CurrentAssociationMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # Last: turns a login attempt that django-axes refused into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "finsam.urls"
WSGI_APPLICATION = "finsam.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "finsam.tenancy.association_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A select of model choices reads its queryset with .iterator(), which on PostgreSQL is a
# server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a list of a few dozen
# rows (~0.7 ms a select on the national dataset, issue #12). Nothing else of the project
# reads with .iterator(); and without them PgBouncer's transaction pooling works too.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# On PostgreSQL each connection prepares a statement the fifth time it runs it (psycopg's
# prepared statements need the parameters bound by the server): PostgreSQL then neither parses
# it again nor, where its generic plan costs no more than the last ones, plans it. Measured on
# the national dataset (issue #12): PostgreSQL's CPU a request 11 → 6 ms on the plan, 5.3 → 2.3
# on an application's page. Django leaves prepared statements off because PgBouncer before
# 1.21 in transaction mode cannot pass them on: set DATABASE_PREPARED_STATEMENTS=0 behind one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "finsam.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
# How long the link to choose a password works: an invitation (accounts/services.py) and
# "Glömt lösenordet?". Django's token is also used up when the password is set.
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# The login (accounts/login_flow.py): password, then a second factor where it applies, then the
# session. django-axes counts failed logins per account and per address; its backend, first,
# refuses while either is locked out. Superusers unlock in the admin (Access attempts) or with
# `manage.py axes_reset_username ADDRESS`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, whose session user comes with their roles (accounts/backends.py).
    "accounts.backends.UserBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.login_throttle.login_name"
AXES_CLIENT_IP_CALLABLE = "accounts.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.login_views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Every failure is kept (AccessFailureLog), beside every login and logout (AccessLog).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The number of proxies in front of the app that append to X-Forwarded-For (a load balancer,
# a TLS terminator): the address to count is then that many places from the right.
FINSAM_TRUSTED_PROXIES = env_int("LOGIN_TRUSTED_PROXIES", 0)
# Officers (and administrators) must log in with a second factor. `make run` (DEBUG=1) serves
# the demo, whose logins work with the password alone.
FINSAM_OFFICER_SECOND_FACTOR = env_bool("OFFICER_SECOND_FACTOR", not DEBUG)
FINSAM_PASSWORD_RESET_MAILS_PER_HOUR = env_int("PASSWORD_RESET_MAILS_PER_HOUR", 3)
OTP_TOTP_ISSUER = "Finsam"
# The cache holds only pure functions of their inputs (a chart's SVG under a hash of everything
# it draws, followup/charts.py), never a page or anything of a user or a förbund, so each process
# may keep its own and several machines need nothing shared. A few hundred charts of ~50 kB.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 500},
    }
}
# A session ends after this idle time (accounts.middleware.SessionIdleMiddleware keeps it fresh)
# and, unless "Kom ihåg mig" was ticked, when the browser closes.
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", 60)
for _name, _value in [
    ("LOGIN_FAILURE_LIMIT", AXES_FAILURE_LIMIT),
    ("LOGIN_COOLOFF_MINUTES", AXES_COOLOFF_TIME.total_seconds()),
    ("PASSWORD_RESET_MAILS_PER_HOUR", FINSAM_PASSWORD_RESET_MAILS_PER_HOUR),
    ("SESSION_IDLE_MINUTES", SESSION_COOKIE_AGE),
]:
    if _value < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
if FINSAM_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("LOGIN_TRUSTED_PROXIES must not be negative")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Swedish grouping: 5 440 (a non-breaking space), decimal comma.
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from npm (package-lock.json pins it) and is served by us: no CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Every form's widgets written in Python with the markup Django's templates make
# (finsam/form_html.py, issue #12): a select through the templates is one more template per
# option.
FORM_RENDERER = "finsam.form_html.PythonRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "finsam@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The accessibility statement (/tillganglighet/, lagen (2018:1937) om tillgänglighet till digital
# offentlig service): who runs this installation, and where to report what does not work.
FINSAM_ACCESSIBILITY_OWNER = env_str("FINSAM_ACCESSIBILITY_OWNER")
FINSAM_ACCESSIBILITY_CONTACT = env_str("FINSAM_ACCESSIBILITY_CONTACT", DEFAULT_FROM_EMAIL)

# HTTPS hardening is on whenever DEBUG is off; set SECURE_HTTPS=0 only behind a proxy that
# cannot pass X-Forwarded-Proto, or for tests over plain HTTP.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
if SECURE_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # The load balancer asks over plain HTTP inside the network (finsam/health.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, finsam/headers.py): scripts, styles, images and fonts from
# our own origin only, and no inline script or style anywhere: templates keep both in static/.
# data: images are Bootstrap's icons (the select arrow, the checkbox tick), drawn from its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
