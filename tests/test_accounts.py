import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from finsam.forms import LOGIN_INVALID
from finsam.templatetags.finsam_shell import pk_url, row_url, shell_urls
from tests.factories import PASSWORD


@pytest.mark.django_db
def test_login_with_email_and_password_reaches_the_start_page(
    client, officer, association, settings
):
    settings.FINSAM_OFFICER_SECOND_FACTOR = False  # with it: tests/test_login.py
    response = client.post(
        reverse("login"), {"username": officer.email.upper(), "password": PASSWORD}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("start")
    assert f"Du arbetar i <strong>{association}</strong>" in html
    assert "tjänsteman (kansli)" in html


@pytest.mark.django_db
def test_wrong_password_gets_a_swedish_message(client, officer):
    response = client.post(reverse("login"), {"username": officer.email, "password": "fel"})

    assert response.status_code == 200
    assert LOGIN_INVALID in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(login, officer):
    client = login(officer)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("start"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_password_reset_sends_a_swedish_mail_whose_link_sets_a_new_password(client, officer):
    client.post(reverse("password_reset"), {"email": officer.email})

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nytt lösenord till Finsam"
    assert message.to == [officer.email]
    link = re.search(r"http://testserver(/konto/losenord/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Välj nytt lösenord" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "ny-hemlig-fras-42", "new_password2": "ny-hemlig-fras-42"},
    )
    officer.refresh_from_db()
    assert officer.check_password("ny-hemlig-fras-42")


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "okand@example.org"}, follow=True)

    assert mail.outbox == []
    assert "Kolla din e-post" in response.content.decode()


@pytest.mark.django_db
def test_menu_shows_what_the_role_may_do(login, officer, auditor):
    officer_start = login(officer).get(reverse("start")).content.decode()
    auditor_start = login(auditor).get(reverse("start")).content.decode()

    create_member = reverse("organisation:section_create", args=["medlemmar"])
    assert create_member in officer_start
    assert create_member not in auditor_start
    assert reverse("organisation:overview") in auditor_start


@pytest.mark.django_db
def test_the_shell_links_its_stylesheets_and_scripts_at_the_static_address_in_force(
    officer_client, settings
):
    links = [
        'href="/static/vendor/bootstrap/css/bootstrap.min.css"',
        'href="/static/finsam/finsam.css"',
        'src="/static/vendor/bootstrap/js/bootstrap.bundle.min.js"',
        'src="/static/finsam/session-warning.js"',
    ]
    page = officer_client.get(reverse("start")).content.decode()
    assert all(link in page for link in links)

    # The shell looks each address up once a process; a change of the setting is followed.
    settings.STATIC_URL = "/filer/"
    moved = officer_client.get(reverse("start")).content.decode()
    assert all(link.replace("/static/", "/filer/") in moved for link in links)


def test_a_rows_address_is_reversed_once_and_follows_the_script_prefix_and_urlconf():
    # Lists link every row through pk_url and row_url, the shell through shell_urls: each
    # address is reversed once a process, for each URLconf and script prefix.
    assert pk_url("applications:detail")(42) == reverse("applications:detail", args=[42])
    assert pk_url("organisation:section_edit", "styrelse")(7) == reverse(
        "organisation:section_edit", args=["styrelse", 7]
    )
    assert row_url(5, "applications:meeting") == reverse("applications:meeting", args=[5])
    set_script_prefix("/finsam/")
    try:
        assert pk_url("applications:detail")(42) == "/finsam/ansokningar/42/"
        assert row_url(5, "applications:meeting") == "/finsam/ansokningar/sammantraden/5/"
    finally:
        set_script_prefix("/")
    # And another URLconf, here one that mounts the app under /finsam/.
    with override_settings(ROOT_URLCONF="tests.urls_mounted"):
        assert pk_url("applications:detail")(42) == "/finsam/ansokningar/42/"
        assert shell_urls()["start"] == "/finsam/"
    assert shell_urls()["start"] == "/"


@pytest.mark.django_db
def test_error_pages_are_swedish(login, officer, other_association):
    client = login(officer)

    assert "Sidan finns inte" in client.get("/finns-inte/").content.decode()
    forbidden = login(officer)
    from finsam.models import Role

    officer.roles.update(kind=Role.Kind.AUDITOR)
    assert (
        "Åtkomst nekad" in forbidden.get(reverse("organisation:association_edit")).content.decode()
    )
