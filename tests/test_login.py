"""The login: throttling (django-axes), the bound on password-reset mails, the second factor
(django-otp: an app's code, recovery codes, enrolment), and how long a session lasts."""

import datetime
import os
import subprocess
import sys
import time
from binascii import unhexlify
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import login_flow, otp_services
from accounts.login_throttle import client_address
from accounts.login_views import RECOVERY_CODE_USED
from finsam.forms import LOGIN_INVALID
from finsam.models import Association, Role
from tests.factories import PASSWORD, RoleFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent


def post_login(client, email, password=PASSWORD, remember=False, address="127.0.0.1"):
    data = {"username": email, "password": password}
    if remember:
        data["remember"] = "on"
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return client.get(reverse("start")).status_code == 200


def code_of(device, steps_ahead=0) -> str:
    """What the person's app shows now (or ``steps_ahead`` 30-second steps later)."""
    return str(totp(device.bin_key, drift=steps_ahead)).zfill(6)


def app_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)


def wait_out_the_throttle():
    """As if the second a wrong code costs (django-otp: 1, 2, 4 … seconds) has passed."""
    a_while_ago = timezone.now() - datetime.timedelta(seconds=2)
    for model in (TOTPDevice, StaticDevice):
        model.objects.exclude(throttling_failure_timestamp=None).update(
            throttling_failure_timestamp=a_while_ago
        )


@pytest.fixture
def second_factor_for_officers(settings):
    settings.FINSAM_OFFICER_SECOND_FACTOR = True


# Throttling


MONTHS = (
    "", "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
    "oktober", "november", "december",
)  # fmt: skip


def expected_retry_times(minutes):
    """The lockout page's "kl. HH:MM": now + the cool-off, rounded up to the minute (either of
    two minutes, should the clock turn during the request), with the day ("6 december kl.
    00:05") when the lockout ends after midnight."""
    times = set()
    for delay in (0, 60):
        moment = timezone.localtime(timezone.now() + datetime.timedelta(minutes=minutes))
        moment += datetime.timedelta(seconds=delay)
        moment = moment.replace(second=0, microsecond=0)
        day = (
            "" if moment.date() == timezone.localdate() else f"{moment.day} {MONTHS[moment.month]} "
        )
        times.add(f"{day}kl. {moment:%H:%M}")
    return times


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_with_a_swedish_message_saying_when(
    client, board_member, settings
):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)

    for _ in range(4):
        response = post_login(client, board_member.email, "fel")
        assert response.status_code == 200
        assert LOGIN_INVALID in response.content.decode()
    fifth = post_login(client, board_member.email, "fel")
    html = fifth.content.decode()

    assert fifth.status_code == 429
    assert "Inloggningen är spärrad efter för många misslyckade försök" in html
    assert any(f"Försök igen tidigast {when}" in html for when in expected_retry_times(15))

    # Still locked with the right password, and the lockout starts over from this attempt.
    right = post_login(client, board_member.email)
    assert right.status_code == 429
    assert "spärrad" in right.content.decode()
    assert not logged_in(client)


@pytest.mark.django_db
def test_the_lock_holds_the_account_from_any_address_and_in_any_case(client, board_member):
    for number in range(5):
        post_login(Client(), board_member.email.upper(), "fel", address=f"10.0.0.{number}")

    assert post_login(client, board_member.email, address="10.9.9.9").status_code == 429
    assert not logged_in(client)


@pytest.mark.django_db
def test_the_lock_holds_an_address_for_every_account(client, board_member, auditor):
    for number in range(5):
        post_login(Client(), f"gissning{number}@example.org", "fel", address="10.1.1.1")

    assert post_login(client, auditor.email, address="10.1.1.1").status_code == 429
    # Another address still logs in.
    assert post_login(client, board_member.email, address="10.2.2.2").status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, board_member):
    for _ in range(5):
        post_login(client, board_member.email, "fel")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert post_login(client, board_member.email).status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_a_superuser_unlocks_an_account_in_the_admin(client, board_member, login):
    for _ in range(5):
        post_login(client, board_member.email, "fel")
    assert post_login(client, board_member.email).status_code == 429
    admin = login(UserFactory(is_staff=True, is_superuser=True))

    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert board_member.email in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username=board_member.email)
    deleted = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 302
    assert post_login(client, board_member.email).status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_axes_reset_username_unlocks_an_account(client, board_member):
    for _ in range(5):
        post_login(client, board_member.email, "fel")

    call_command("axes_reset_username", board_member.email)

    assert post_login(client, board_member.email).status_code == 302


@pytest.mark.django_db
def test_failed_and_successful_logins_are_recorded(client, board_member):
    post_login(client, board_member.email, "fel", address="10.3.3.3")
    assert "fel" not in AccessAttempt.objects.values_list("post_data", flat=True).get()
    post_login(client, board_member.email, address="10.3.3.3")

    failure = AccessFailureLog.objects.get()
    success = AccessLog.objects.get()
    assert (failure.username, failure.ip_address) == (board_member.email, "10.3.3.3")
    assert (success.username, success.ip_address) == (board_member.email, "10.3.3.3")
    # A login that succeeds clears the account's earlier failures.
    assert not AccessAttempt.objects.exists()


def test_the_address_counted_behind_proxies_is_the_one_the_nearest_proxy_saw(rf, settings):
    # The client typed 6.6.6.6 itself; the proxy appended the address it was reached from.
    request = rf.post("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2")

    settings.FINSAM_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.2"
    settings.FINSAM_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.7"
    settings.FINSAM_TRUSTED_PROXIES = 2
    assert client_address(request) == "6.6.6.6"


# Password-reset mails


@pytest.mark.django_db
def test_at_most_three_reset_mails_an_hour_go_to_one_address_and_the_answer_stays_the_same(
    client, board_member
):
    answers = [
        client.post(reverse("password_reset"), {"email": board_member.email.upper()})
        for _ in range(5)
    ]
    unknown = client.post(reverse("password_reset"), {"email": "okand@example.org"})

    assert len(mail.outbox) == 3
    assert {message.to[0] for message in mail.outbox} == {board_member.email}
    for answer in [*answers, unknown]:
        assert answer.status_code == 302
        assert answer["Location"] == reverse("password_reset_done")


@pytest.mark.django_db
def test_the_reset_mail_bound_is_per_address_and_frees_up_after_the_hour(
    client, board_member, auditor
):
    from accounts.models import PasswordResetMail

    for _ in range(4):
        client.post(reverse("password_reset"), {"email": board_member.email})
    client.post(reverse("password_reset"), {"email": auditor.email})
    assert len(mail.outbox) == 4  # three for one address, one for the other

    PasswordResetMail.objects.update(sent_at=timezone.now() - datetime.timedelta(minutes=61))
    client.post(reverse("password_reset"), {"email": board_member.email})

    assert len(mail.outbox) == 5


# The second factor


@pytest.mark.django_db
def test_an_officer_logs_in_with_the_code_from_the_app(client, officer, second_factor_for_officers):
    device = app_for(officer)

    first = post_login(client, officer.email)
    assert first["Location"] == reverse("login_code")
    assert not logged_in(client)  # the password alone starts no session

    wrong = client.post(reverse("login_code"), {"code": "000000"})
    assert otp_services.CODE_WRONG in wrong.content.decode()
    assert not logged_in(client)
    wait_out_the_throttle()

    right = client.post(reverse("login_code"), {"code": code_of(device)})
    assert right["Location"] == reverse("start")
    assert logged_in(client)
    assert AccessLog.objects.filter(username=officer.email).count() == 1


@pytest.mark.django_db
def test_the_code_step_keeps_where_the_person_was_going(
    client, officer, second_factor_for_officers
):
    device = app_for(officer)
    wanted = reverse("organisation:overview")

    client.post(
        f"{reverse('login')}?next={wanted}", {"username": officer.email, "password": PASSWORD}
    )
    response = client.post(reverse("login_code"), {"code": code_of(device)})

    assert response["Location"] == wanted


@pytest.mark.django_db
def test_a_used_code_cannot_log_in_again(client, officer, second_factor_for_officers):
    device = app_for(officer)
    code = code_of(device)
    post_login(client, officer.email)
    client.post(reverse("login_code"), {"code": code})

    other = Client()
    post_login(other, officer.email)
    again = other.post(reverse("login_code"), {"code": code})

    assert otp_services.CODE_WRONG in again.content.decode()
    assert not logged_in(other)


@pytest.mark.django_db
def test_wrong_codes_in_a_row_make_the_app_wait(client, officer, second_factor_for_officers):
    device = app_for(officer)
    post_login(client, officer.email)
    client.post(reverse("login_code"), {"code": "000000"})

    # Right away after a wrong one, even the right code waits (1, 2, 4 … seconds).
    waiting = client.post(reverse("login_code"), {"code": code_of(device)})

    assert "För många felaktiga koder i rad" in waiting.content.decode()
    assert not logged_in(client)


@pytest.mark.django_db
def test_an_officer_without_an_app_connects_one_after_the_password_and_nothing_else(
    client, officer, second_factor_for_officers
):
    post_login(client, officer.email)
    step = client.get(reverse("login_code"))
    assert step["Location"] == reverse("second_factor_enrol")
    assert not logged_in(client)

    page = client.get(reverse("second_factor_enrol"))
    html = page.content.decode()
    assert "Ditt konto kräver tvåstegsverifiering" in html
    assert f'src="{reverse("second_factor_qr")}"' in html
    key = client.session[login_flow.ENROL_KEY]
    qr = client.get(reverse("second_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<?xml")

    wrong = client.post(reverse("second_factor_enrol"), {"code": "123456"})
    assert otp_services.ENROL_CODE_WRONG in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=officer).exists()

    code = str(totp(unhexlify(key))).zfill(6)
    confirmed = client.post(reverse("second_factor_enrol"), {"code": code})
    assert confirmed["Location"] == reverse("second_factor_recovery_codes")
    codes_page = client.get(reverse("second_factor_recovery_codes"))
    codes = list(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    assert logged_in(client)
    assert TOTPDevice.objects.get(user=officer).confirmed
    # Shown once.
    assert client.get(reverse("second_factor_recovery_codes")).status_code == 302


@pytest.mark.django_db
def test_the_enrolment_secret_on_the_page_is_the_one_in_the_qr_code(
    client, officer, second_factor_for_officers
):
    post_login(client, officer.email)
    html = client.get(reverse("second_factor_enrol")).content.decode()
    key = client.session[login_flow.ENROL_KEY]

    from base64 import b32encode

    secret = b32encode(unhexlify(key)).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in html
    assert officer.email in html


@pytest.mark.django_db
def test_a_session_that_must_show_a_second_factor_can_do_nothing_else(
    officer, second_factor_for_officers
):
    client = Client()
    client.force_login(officer)  # e.g. a session older than the requirement

    for url in [reverse("start"), reverse("organisation:overview"), reverse("second_factor")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("second_factor_enrol")
    assert client.get(reverse("second_factor_enrol")).status_code == 200

    app_for(officer)
    assert client.get(reverse("start"))["Location"] == reverse("login_code")
    assert client.post(reverse("logout")).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_ours(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")

    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_a_recovery_code_logs_in_once(client, officer, second_factor_for_officers):
    app_for(officer)
    codes = otp_services.recovery_codes_create(user=officer)

    post_login(client, officer.email)
    used = client.post(reverse("login_code"), {"code": codes[0].upper()}, follow=True)
    assert logged_in(client)
    assert RECOVERY_CODE_USED.format(left=9) in used.content.decode()

    other = Client()
    post_login(other, officer.email)
    again = other.post(reverse("login_code"), {"code": codes[0]})
    assert otp_services.CODE_WRONG in again.content.decode()
    assert not logged_in(other)
    wait_out_the_throttle()
    assert other.post(reverse("login_code"), {"code": codes[1]}).status_code == 302


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old(login, officer, second_factor_for_officers):
    client = login(officer)  # with an app (tests/conftest.py)
    old = otp_services.recovery_codes_create(user=officer)

    client.post(reverse("second_factor_recovery_codes"))
    page = client.get(reverse("second_factor_recovery_codes")).content.decode()

    new = list(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(new) == 10
    assert not set(old) & set(new)
    assert all(code in page for code in new)


@pytest.mark.django_db
def test_the_forbund_setting_requires_the_second_factor_for_board_members(
    client, board_member, association
):
    assert post_login(client, board_member.email)["Location"] == reverse("start")
    client.post(reverse("logout"))

    association.require_second_factor = True
    association.save()
    other = Client()

    assert post_login(other, board_member.email)["Location"] == reverse("login_code")
    assert other.get(reverse("login_code"))["Location"] == reverse("second_factor_enrol")
    assert not logged_in(other)


@pytest.mark.django_db
def test_the_officer_turns_the_forbund_setting_on_in_the_forbund_form(officer_client, association):
    page = officer_client.get(reverse("organisation:association_edit"))
    assert "Kräv tvåstegsverifiering för alla roller" in page.content.decode()
    form = page.context["form"]
    data = {
        name: form[name].value() for name in form.fields if form[name].value() not in (None, "")
    }
    data["founded"] = association.founded.isoformat()
    data["require_second_factor"] = "on"

    response = officer_client.post(reverse("organisation:association_edit"), data)

    assert response.status_code == 302, response.context["form"].errors
    association.refresh_from_db()
    assert association.require_second_factor
    change = association.history.first()
    assert change.history_user == Role.objects.get(kind="officer", association=association).user


@pytest.mark.django_db
def test_a_board_member_may_choose_a_second_factor_and_then_needs_it(login, board_member):
    client = login(board_member)
    overview = client.get(reverse("second_factor")).content.decode()
    assert "Du kan välja att logga in" in overview

    client.get(reverse("second_factor_enrol"))
    key = client.session[login_flow.ENROL_KEY]
    client.post(reverse("second_factor_enrol"), {"code": str(totp(unhexlify(key))).zfill(6)})
    assert client.get(reverse("second_factor_recovery_codes")).status_code == 200

    again = Client()
    assert post_login(again, board_member.email)["Location"] == reverse("login_code")

    client.post(reverse("second_factor_remove"))
    assert not TOTPDevice.objects.filter(user=board_member).exists()
    assert post_login(Client(), board_member.email)["Location"] == reverse("start")


@pytest.mark.django_db
def test_an_officer_replacing_the_app_is_sent_to_connect_a_new_one(
    login, officer, second_factor_for_officers
):
    client = login(officer)

    client.post(reverse("second_factor_remove"))

    assert client.get(reverse("start"))["Location"] == reverse("second_factor_enrol")


@pytest.mark.django_db
def test_a_login_waiting_for_its_code_expires(client, officer, second_factor_for_officers):
    device = app_for(officer)
    post_login(client, officer.email)
    session = client.session
    session[login_flow.PENDING_KEY]["since"] -= login_flow.PENDING_SECONDS + 1
    session.save()

    response = client.post(reverse("login_code"), {"code": code_of(device)})

    assert response["Location"] == reverse("login")
    assert not logged_in(client)


# The demo


@pytest.mark.django_db
def test_the_demo_logins_work_with_the_password_alone_and_the_requirement_is_a_setting(
    seed, settings
):
    demo_officer = Client()
    assert post_login(demo_officer, "kansli@example.org", "finsam-demo")["Location"] == "/"
    assert not Association.objects.filter(require_second_factor=True).exists()

    # With the setting on (production's default), the same login asks for the second factor.
    settings.FINSAM_OFFICER_SECOND_FACTOR = True
    strict = Client()
    response = post_login(strict, "kansli@example.org", "finsam-demo")
    assert response["Location"] == reverse("login_code")
    # Non-officers of the demo förbund still log in with the password alone.
    board = Client()
    assert post_login(board, "styrelse@example.org", "finsam-demo")["Location"] == "/"


def setting_in(env: dict, name: str) -> str:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "OFFICER_SECOND_FACTOR", "SESSION_IDLE_MINUTES")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            f"print(settings.{name})",
        ],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "finsam.settings", "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_officers_need_the_second_factor_in_production_and_not_under_make_run():
    assert setting_in({"DEBUG": "0"}, "FINSAM_OFFICER_SECOND_FACTOR") == "True"
    assert setting_in({"DEBUG": "1"}, "FINSAM_OFFICER_SECOND_FACTOR") == "False"  # make run
    assert setting_in({"DEBUG": "0"}, "SESSION_COOKIE_AGE") == "3600"


# Sessions


def session_of(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


@pytest.mark.django_db
def test_a_session_ends_after_an_hour_without_requests(client, board_member):
    post_login(client, board_member.email, remember=True)
    expiry = session_of(client).expire_date
    assert abs(expiry - (timezone.now() + datetime.timedelta(minutes=60))) < datetime.timedelta(
        seconds=30
    )

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_request_after_a_minute_moves_the_end_forward_and_one_sooner_writes_nothing(
    client, board_member
):
    post_login(client, board_member.email)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("start")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]

    session = client.session
    session[login_flow.REFRESHED_KEY] = int(time.time()) - 61
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    client.get(reverse("start"))

    expiry = session_of(client).expire_date
    assert expiry > timezone.now() + datetime.timedelta(minutes=59)


@pytest.mark.django_db
def test_without_kom_ihag_mig_the_session_ends_when_the_browser_closes(client, board_member):
    response = post_login(client, board_member.email)
    cookie = response.cookies["sessionid"]

    assert cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()


@pytest.mark.django_db
def test_with_kom_ihag_mig_the_session_outlives_the_browser_until_the_idle_time(
    client, board_member
):
    response = post_login(client, board_member.email, remember=True)
    cookie = response.cookies["sessionid"]

    assert cookie["max-age"] == 3600
    assert not client.session.get_expire_at_browser_close()


@pytest.mark.django_db
def test_the_remember_choice_survives_the_second_factor_step(
    client, officer, second_factor_for_officers
):
    device = app_for(officer)
    post_login(client, officer.email, remember=True)
    response = client.post(reverse("login_code"), {"code": code_of(device)})

    assert response.cookies["sessionid"]["max-age"] == 3600


@pytest.mark.django_db
def test_the_login_page_offers_kom_ihag_mig_unchecked(client):
    html = client.get(reverse("login")).content.decode()

    assert 'name="remember"' in html
    assert "Kom ihåg mig" in html
    assert "checked" not in html.split('name="remember"')[1].split(">")[0]


@pytest.mark.django_db
def test_a_role_granted_later_is_required_at_the_next_page(login, board_member, association):
    client = login(board_member)
    assert client.get(reverse("start")).status_code == 200

    association.require_second_factor = True
    association.save()

    assert client.get(reverse("start"))["Location"] == reverse("second_factor_enrol")


@pytest.mark.django_db
def test_a_user_of_two_forbund_needs_the_second_factor_if_either_requires_it(
    client, board_member, other_association
):
    other_association.require_second_factor = True
    other_association.save()
    RoleFactory(user=board_member, association=other_association, kind=Role.Kind.AUDITOR)

    assert post_login(client, board_member.email)["Location"] == reverse("login_code")


# The session's user comes with their roles in one query (accounts.backends.UserBackend); these
# hold what Django's ModelBackend promised as well.


@pytest.mark.django_db
def test_the_user_of_a_session_comes_with_every_role_in_the_forbunds_name_order(login):
    user = RoleFactory(association__name="Samordningsförbundet Östra", kind=Role.Kind.BOARD).user
    RoleFactory(user=user, association__name="Samordningsförbundet Ale", kind=Role.Kind.OFFICER)
    client = login(user)

    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("start")).content.decode()

    switch = html.split('id="byt-forbund"')[1].split("</select>")[0]
    assert switch.index("Samordningsförbundet Ale (Tjänsteman (kansli))") < switch.index(
        "Samordningsförbundet Östra (Styrelse)"
    )
    # Without a förbund chosen, the first by name is the one worked in.
    assert '<span class="fw-semibold">Samordningsförbundet Ale</span>' in html
    # One read of the roles, the user's row joined to it, and no read of the user alone.
    sqls = [query["sql"] for query in queries.captured_queries]
    role_reads = [sql for sql in sqls if 'FROM "finsam_role"' in sql]
    assert len(role_reads) == 1 and '"finsam_user"."password"' in role_reads[0]
    assert not [sql for sql in sqls if 'FROM "finsam_user"' in sql]


@pytest.mark.django_db
def test_a_deactivated_account_is_logged_out_at_its_next_page(login, officer):
    client = login(officer)
    assert client.get(reverse("start")).status_code == 200

    officer.is_active = False
    officer.save()

    assert client.get(reverse("start"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_password_set_elsewhere_ends_the_session(login, officer):
    client = login(officer)
    assert client.get(reverse("start")).status_code == 200

    officer.set_password("ett helt annat lösenord 42")
    officer.save()

    assert client.get(reverse("start"))["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_role_taken_away_leaves_the_session_without_a_forbund(login, officer):
    client = login(officer)
    assert client.get(reverse("start")).status_code == 200

    officer.roles.all().delete()

    # The session, the roles (none), the user alone; not the roles again.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("start"))
    assert len(queries) == 3
    assert response.status_code == 403
    assert "Du har ingen behörighet i något förbund" in response.content.decode()
