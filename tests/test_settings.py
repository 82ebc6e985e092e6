import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from finsam.settings import env_bool, env_int

ROOT = Path(__file__).resolve().parent.parent


def test_env_helpers_fail_loudly_on_values_they_cannot_read(monkeypatch):
    monkeypatch.setenv("FINSAM_FLAG", "kanske")
    monkeypatch.setenv("FINSAM_NUMBER", "tre")

    with pytest.raises(ImproperlyConfigured):
        env_bool("FINSAM_FLAG", False)
    with pytest.raises(ImproperlyConfigured):
        env_int("FINSAM_NUMBER", 1)


def run_manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "SECURE_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_a_production_environment():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 30 + "a-long-random-production-secret-value-1234567890",
        ALLOWED_HOSTS="finsam.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_without_a_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


# Asks the production settings for a page, an error page and /healthz over HTTPS and over plain
# HTTP (static files as the tests serve them: nothing is collected here).
PRODUCTION_PROBE = """
import json
from django.test import Client, override_settings
storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(STORAGES={"staticfiles": storage, "default": storage}):
    client = Client()
    answers = {
        name: client.get(path, secure=secure)
        for name, path, secure in [
            ("page", "/tillganglighet/", True),
            ("error", "/finns-inte/", True),
            ("health", "/healthz", False),
            ("page_over_http", "/tillganglighet/", False),
        ]
    }
print(json.dumps({name: [r.status_code, dict(r.headers)] for name, r in answers.items()}))
"""


def test_production_settings_send_the_policy_headers_and_exempt_healthz_from_https(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        PRODUCTION_PROBE,
        SECRET_KEY="x" * 30 + "a-long-random-production-secret-value-1234567890",
        ALLOWED_HOSTS="testserver",
        # A database of its own that /healthz can reach (the suite's test database is not the
        # one DATABASE_URL names, which need not exist on PostgreSQL).
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])

    for name in ("page", "error"):
        headers = answers[name][1]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "style-src 'self'" in headers["Content-Security-Policy"]
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert answers["page"][0] == 200
    assert answers["error"][0] == 404
    # The load balancer asks over plain HTTP: answered, not redirected like every other page.
    assert answers["health"][0] == 200
    assert answers["page_over_http"][0] == 301


OPTIONS_PROBE = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


@pytest.mark.parametrize(
    ("url", "prepared", "options"),
    [
        (
            "postgres://finsam@db.internal:5432/finsam",
            None,
            {"server_side_binding": True, "prepare_threshold": 5},
        ),
        ("postgres://finsam@db.internal:5432/finsam", "0", {}),
        ("sqlite:///probe.sqlite3", None, {}),
    ],
)
def test_postgresql_prepares_statements_unless_told_not_to(url, prepared, options):
    env = {"DEBUG": "1", "DATABASE_URL": url}
    if prepared is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = prepared
    # Settings only: the shell reads them without connecting to the database.
    result = run_manage("shell", "-c", OPTIONS_PROBE, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == options


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree():
    # A model change committed without its migration (or the reverse) fails here, not in a
    # deployment's migrate.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


WSGI_PROBE = """
import gc, json, sys
from wsgiref.util import setup_testing_defaults
from finsam.wsgi import application
from django.template import engines
frozen = gc.get_freeze_count()
compiled = engines["django"].engine.template_loaders[0].get_template_cache
environ = {"PATH_INFO": "/healthz"}
setup_testing_defaults(environ)
statuses = []
body = b"".join(application(environ, lambda status, headers: statuses.append(status)))
print(json.dumps({
    "frozen": frozen,
    "views_loaded": "applications.views.meeting" in sys.modules,
    "templates_compiled": sorted(compiled),
    "pdf_ready": "weasyprint" in sys.modules,
    "status": statuses[0],
}))
"""


def test_the_wsgi_application_loads_the_views_and_freezes_them_out_of_the_collectors_way(
    tmp_path,
):
    """finsam.wsgi imports every view and compiles every template at start and moves what is
    loaded into the permanent generation, so that a full collection no longer walks it in the
    middle of a request (issue #12's p99); the application still answers afterwards."""
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    result = subprocess.run(
        [sys.executable, "-c", WSGI_PROBE],
        cwd=ROOT,
        env={**base, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])

    assert answer["views_loaded"]
    # Every template of the project, compiled before the first request: the pages' shell, a
    # form's page, an e-mail's text.
    templates = [
        path.relative_to(ROOT / "templates").as_posix()
        for path in (ROOT / "templates").rglob("*")
        if path.suffix in {".html", ".txt"}
    ]
    assert len(templates) > 100
    assert set(answer["templates_compiled"]) >= set(templates)
    assert answer["pdf_ready"]  # WeasyPrint, imported before the freeze, not at the first PDF
    # Some 180 000 objects with the views and templates; a freeze before they were loaded
    # leaves about 67 000 (Django and the apps' models) in the permanent generation, and none 0.
    assert answer["frozen"] > 100_000
    assert answer["status"].startswith("200")
