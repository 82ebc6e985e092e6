"""The headers every answer carries (Content-Security-Policy, Permissions-Policy, Cache-Control),
the load balancer's /healthz, the accessibility statement and the CSRF failure page. The tests
run with DEBUG off, as production does; tests/test_settings.py checks the same headers under the
production settings (HTTPS on)."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from finsam.pages import STATEMENT_DATE
from followup import charts
from followup.suppression import table
from tests.factories import registered_application


def csp_of(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as directive → sources."""
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


def assert_site_headers(response):
    policy = csp_of(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    # The headers from before the policy, kept.
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_page_and_the_login_page_send_the_policy_headers(officer_client, client, settings):
    assert not settings.DEBUG  # the header as production sends it

    page = officer_client.get(reverse("start"))
    login = client.get(reverse("login"))

    assert page.status_code == 200 and login.status_code == 200
    assert_site_headers(page)
    assert_site_headers(login)


@pytest.mark.django_db
def test_error_pages_send_the_policy_headers(officer_client):
    missing = officer_client.get("/finns-inte/")

    assert missing.status_code == 404
    assert "Sidan finns inte" in missing.content.decode()
    assert_site_headers(missing)


@pytest.mark.django_db
def test_no_page_of_the_site_has_inline_script_or_style(officer_client, client):
    # What the policy would block: the browser tests catch the rest (tests/browser/conftest.py).
    for response in (
        officer_client.get(reverse("start")),
        client.get(reverse("login")),
        client.get(reverse("accessibility_statement")),
    ):
        html = response.content.decode()
        assert "<style" not in html
        assert "style=" not in html
        assert "<script>" not in html and "<script src" in html


@pytest.mark.django_db
def test_logged_in_pages_pdfs_and_workbooks_are_not_stored(officer_client, association, officer):
    application = registered_application(association, officer)

    page = officer_client.get(reverse("start"))
    pdf = officer_client.get(reverse("applications:pdf", args=[application.pk]))
    workbook = officer_client.get(reverse("applications:export_xlsx"))

    for response in (page, pdf, workbook):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    assert pdf["Content-Type"] == "application/pdf"
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_a_pdf_has_no_content_security_policy_for_the_browser_viewer(
    officer_client, association, officer
):
    # Chromium's PDF viewer draws its page with inline styles the policy would block.
    application = registered_application(association, officer)

    pdf = officer_client.get(reverse("applications:pdf", args=[application.pk]))

    assert "Content-Security-Policy" not in pdf
    assert "camera=()" in pdf["Permissions-Policy"]


@pytest.mark.django_db
def test_healthz_answers_ok_without_session_cookie_or_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert Session.objects.count() == 0
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_fails_and_logs_no_error(client, caplog):
    def database_down(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with caplog.at_level(logging.INFO), connection.execute_wrapper(database_down):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable"  # no detail of the failure to whoever asks
    assert "no-store" in response["Cache-Control"]
    assert [r.levelname for r in caplog.records if r.name.startswith(("django", "finsam"))] == [
        "WARNING"
    ]
    assert "OperationalError" in caplog.records[-1].getMessage()


@pytest.mark.django_db
def test_accessibility_statement_is_public_and_linked_from_every_page(client, officer_client):
    url = reverse("accessibility_statement")

    statement = client.get(url)
    login = client.get(reverse("login"))
    start = officer_client.get(reverse("start"))

    assert statement.status_code == 200
    html = statement.content.decode()
    assert "Tillgänglighetsredogörelse för Finsam" in html
    assert "delvis förenlig" in html
    assert "https://www.digg.se/tdosanmalan" in html
    assert "axe" in html
    assert STATEMENT_DATE.strftime("%Y-%m-%d") in html
    for page in (statement, login, start):
        assert f'href="{url}">Tillgänglighetsredogörelse</a>' in page.content.decode()


@pytest.mark.django_db
def test_accessibility_statement_names_the_installations_contact(client, settings):
    settings.FINSAM_ACCESSIBILITY_CONTACT = "tillganglighet@samordning.example.se"
    settings.FINSAM_ACCESSIBILITY_OWNER = "Samordningsförbundet Landskrona-Svalöv"

    html = client.get(reverse("accessibility_statement")).content.decode()

    assert 'href="mailto:tillganglighet@samordning.example.se"' in html
    assert "Samordningsförbundet Landskrona-Svalöv står bakom den här tjänsten" in html


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_a_swedish_page(officer):
    client = Client(enforce_csrf_checks=True)
    anonymous = client.post(reverse("login"), {"username": "a@example.se", "password": "x"})
    client.force_login(officer)
    logged_in = client.post(reverse("logout"))

    for response in (anonymous, logged_in):
        assert response.status_code == 403
        html = response.content.decode()
        assert "Formuläret kunde inte skickas" in html
        assert "ingenting har sparats" in html
        assert "CSRF verification failed" not in html
        assert_site_headers(response)


def test_the_server_error_page_has_no_inline_style_and_needs_no_template_tag():
    # It must render when nothing else does, under the same policy.
    html = render_to_string("500.html")

    assert "Ett fel uppstod" in html
    assert "style=" not in html and "<style" not in html and "<script" not in html
    assert '<link rel="stylesheet" href="/static/finsam/finsam.css">' in html
    assert "{%" not in (Path(settings.BASE_DIR) / "templates" / "500.html").read_text()


def test_charts_inline_in_a_page_carry_no_style_the_policy_would_block():
    months = {"row_totals": False, "column_totals": False}
    counts = table("T", ["Kvinnor", "Män"], [("2025-01", [6, 9]), ("2025-02", [8, 7])], **months)
    before_after = table(
        "T", ["Kvinnor före", "Kvinnor efter", "Män före", "Män efter"], [("Arbete", [6, 9, 7, 8])]
    )

    for chart in (charts.over_time(counts), charts.before_after(before_after)):
        assert "style" not in chart.svg  # neither a style attribute nor a <style> sheet
        # Drawn the same, by presentation attributes.
        assert f'stroke="{charts.WOMEN_COLOUR}"' in chart.svg or (
            f'fill="{charts.BEFORE_COLOUR}"' in chart.svg
        )
        assert chart.svg.startswith('<svg stroke-linejoin="round" stroke-linecap="butt"')
