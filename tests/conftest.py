"""Personas and shared fixtures: each role in one förbund, and an officer of another förbund."""

import io
import os
import time

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.login_flow import REFRESHED_KEY, SECOND_FACTOR_KEY, roles_of, second_factor_required
from finsam.models import Association, Role
from tests.factories import RoleFactory, complete_association

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable
# there (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")


def pytest_configure(config):
    from django.conf import settings

    # Tests serve static files from the finders, not from a collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A deliberately slow password hash is the point in production and only costs time here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _login_with_a_request()


def _login_with_a_request():
    """django-axes counts login attempts by the request's address and refuses authenticate()
    without a request, which Django's test Client.login() does not pass: the tests' logins pass
    one from 127.0.0.1, as the login page does."""
    from django.http import HttpRequest
    from django.test.client import ClientMixin

    login = ClientMixin.login

    def login_with_a_request(self, **credentials):
        if "request" not in credentials:
            request = HttpRequest()
            request.META["REMOTE_ADDR"] = "127.0.0.1"
            credentials["request"] = request
        return login(self, **credentials)

    ClientMixin.login = login_with_a_request


@pytest.fixture
def association(db):
    return complete_association(name="Samordningsförbundet Landskrona-Svalöv")


@pytest.fixture
def other_association(db):
    return complete_association(name="Samordningsförbundet Norrstrand")


def _persona(association, kind):
    return RoleFactory(association=association, kind=kind).user


@pytest.fixture
def officer(association):
    return _persona(association, Role.Kind.OFFICER)


@pytest.fixture
def preparer(association):
    return _persona(association, Role.Kind.PREPARER)


@pytest.fixture
def board_member(association):
    return _persona(association, Role.Kind.BOARD)


@pytest.fixture
def auditor(association):
    return _persona(association, Role.Kind.AUDITOR)


@pytest.fixture
def other_officer(other_association):
    return _persona(other_association, Role.Kind.OFFICER)


@pytest.fixture
def personas(officer, preparer, board_member, auditor, other_officer):
    return {
        "officer": officer,
        "preparer": preparer,
        "board": board_member,
        "auditor": auditor,
        "other_officer": other_officer,
    }


@pytest.fixture
def login():
    """login(user) → a test client logged in as that user."""

    def make(user):
        client = Client()
        client.force_login(user)
        # As after every step of the login (accounts/login_flow.py): the second factor shown
        # where the user must show one, and the idle stamp fresh (else the first page would
        # write the session, and the pinned query counts would count it).
        session = client.session
        if second_factor_required(user, roles_of(user)):
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "Testapp"}
            )
            session[SECOND_FACTOR_KEY] = device.persistent_id
        session[REFRESHED_KEY] = int(time.time())
        session.save()
        return client

    return make


@pytest.fixture
def officer_client(login, officer):
    return login(officer)


@pytest.fixture
def seed(db, settings):
    """Seed 004's förbund as the demo loads it: its 2009 and 2010 budgets, chart and actuals."""
    settings.DEBUG = True  # the demo command refuses to run in production
    settings.FINSAM_DEMO_HISTORY = False  # seed 004's 2009 and 2010 only
    call_command("demo", stdout=io.StringIO())
    settings.DEBUG = False
    # As `make run` serves it: the demo's officers log in with the password alone.
    settings.FINSAM_OFFICER_SECOND_FACTOR = False
    return Association.objects.get(org_number="222000-2733")


@pytest.fixture
def lead_initiative(association):
    """An individinriktad insats of the förbund, running 2024–2026, with an insatsansvarig."""
    from tests.factories import InitiativeFactory

    return InitiativeFactory(association=association, name="Steget vidare")


@pytest.fixture
def lead(lead_initiative):
    """The insatsansvarig (role `lead`) of lead_initiative, and of nothing else."""
    from tests.factories import lead_for

    return lead_for(lead_initiative)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files a test stores (reports, adopted plans, import previews) go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
