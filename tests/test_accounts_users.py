"""Användare och behörigheter: the officer invites people by e-mail, changes and removes their
roles, each recorded in the history; the förbund keeps at least one officer; another förbund's
roles are not found."""

import datetime
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.template import engines
from django.test import Client
from django.test.html import parse_html
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.services import AccountsError, RoleHeld
from finsam.models import Role, User
from followup import services as followup_services
from followup.models import InitiativeLead
from tests.factories import InitiativeFactory, RoleFactory, UserFactory, lead_for
from tests.helpers import LOGGED_IN

BASE_URL = "https://finsam.example.se/"
USERS = reverse("accounts:users")


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def link_in(message) -> str:
    return re.search(r"https?://\S+/konto/losenord/\S+/", message.body).group(0)


def role_of(user, association) -> Role:
    return Role.objects.get(user=user, association=association)


@pytest.fixture
def invite(officer, association, django_capture_on_commit_callbacks):
    """invite(email, kind) as the officer, the e-mail sent as on a saved change."""

    def make(email, kind=Role.Kind.BOARD, **values):
        with django_capture_on_commit_callbacks(execute=True):
            return services.role_invite(
                user=officer,
                association=association,
                email=email,
                kind=kind,
                base_url=BASE_URL,
                **values,
            )

    return make


# The invitation


@pytest.mark.django_db
def test_a_new_person_gets_an_account_without_password_and_a_link_to_choose_one(
    invite, officer, association
):
    role = invite(" Maria.Lind@Example.org ", first_name="Maria", last_name="Lind")

    person = User.objects.get(email="maria.lind@example.org")
    assert role.user == person and role.kind == Role.Kind.BOARD
    assert role.association == association
    assert person.get_full_name() == "Maria Lind"
    assert not person.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["maria.lind@example.org"]
    assert message.subject == f"Du har fått behörighet i Finsam för {association}"
    assert "med rollen styrelse" in message.body
    assert "Länken gäller i 3 dagar" in message.body
    assert link_in(message).startswith(BASE_URL + "konto/losenord/")
    # The role is recorded with the officer who invited.
    assert role.history.get().history_user == officer

    client = Client()
    form = client.get(link_in(message), follow=True)
    assert "new_password1" in text(form)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Höstlöv-i-Svalöv-26", "new_password2": "Höstlöv-i-Svalöv-26"},
    )
    assert Client().login(email="maria.lind@example.org", password="Höstlöv-i-Svalöv-26")
    # Used once: the link no longer sets a password.
    assert "new_password1" not in text(Client().get(link_in(message), follow=True))


@pytest.mark.django_db
def test_the_link_works_for_three_days_and_not_after(invite, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 60 * 60
    role = invite("sara@example.org")
    [message] = mail.outbox
    token = link_in(message).rstrip("/").rsplit("/", 1)[1]

    class Later(PasswordResetTokenGenerator):
        """Django's generator, asked ``days`` after now (as Django's own tests do)."""

        def __init__(self, days):
            super().__init__()
            self.days = days

        def _now(self):
            return datetime.datetime.now() + datetime.timedelta(days=self.days)

    assert Later(2.9).check_token(role.user, token)
    assert not Later(3.1).check_token(role.user, token)


@pytest.mark.django_db
def test_an_existing_account_just_gets_the_role_and_an_email_saying_so(invite, other_officer):
    role = invite(other_officer.email.upper(), kind=Role.Kind.AUDITOR)

    assert role.user == other_officer
    assert role.kind == Role.Kind.AUDITOR
    assert User.objects.filter(email__iexact=other_officer.email).count() == 1
    other_officer.refresh_from_db()
    assert other_officer.has_usable_password()
    [message] = mail.outbox
    assert "med rollen revisor" in message.body
    assert BASE_URL + "konto/logga-in/" in message.body
    assert "/konto/losenord/" not in message.body


@pytest.mark.django_db
def test_a_person_with_a_role_in_the_forbund_is_refused_and_nothing_is_sent(
    invite, board_member, django_capture_on_commit_callbacks
):
    with pytest.raises(RoleHeld) as refused:
        invite(board_member.email, kind=Role.Kind.AUDITOR)

    assert str(refused.value) == services.ROLE_HELD.format(
        email=board_member.email, role="styrelse"
    )
    assert Role.objects.get(user=board_member).kind == Role.Kind.BOARD
    assert not mail.outbox


@pytest.mark.django_db
def test_an_inactive_account_is_refused(invite):
    UserFactory(email="slutat@example.org", is_active=False)

    with pytest.raises(AccountsError, match=re.escape("Kontot slutat@example.org är avstängt")):
        invite("slutat@example.org")
    assert not Role.objects.filter(user__email="slutat@example.org").exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_an_unknown_role_is_refused(invite):
    with pytest.raises(AccountsError, match="”chef” är ingen roll i Finsam"):
        invite("ny@example.org", kind="chef")
    assert not User.objects.filter(email="ny@example.org").exists()


@pytest.mark.django_db
def test_a_new_link_goes_to_a_person_without_password_only(
    invite, officer, board_member, association, django_capture_on_commit_callbacks
):
    role = invite("ny@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(user=officer, role=role, base_url=BASE_URL)
    assert len(mail.outbox) == 2
    assert link_in(mail.outbox[1])

    with pytest.raises(AccountsError, match="har redan valt ett lösenord"):
        services.invitation_resend(
            user=officer, role=role_of(board_member, association), base_url=BASE_URL
        )


@pytest.mark.django_db
def test_an_invitation_refused_after_it_was_made_sends_nothing(
    officer, lead, lead_initiative, django_capture_on_commit_callbacks
):
    # The insats page's invitation of its own insatsansvarig again: role_invite has queued the
    # e-mail when initiative_lead_add refuses, and the rollback drops it.
    refused = pytest.raises(followup_services.FollowupError, match="är redan insatsansvarig")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, refused:
        followup_services.initiative_lead_add(
            user=officer, initiative=lead_initiative, email=lead.email, base_url=BASE_URL
        )
    assert callbacks == []
    assert not mail.outbox


# Changing and removing a role


@pytest.mark.django_db
def test_a_change_of_role_is_recorded_with_the_officer(officer, board_member, association):
    role = services.role_change(
        user=officer, role=role_of(board_member, association), kind=Role.Kind.AUDITOR
    )

    assert role_of(board_member, association).kind == Role.Kind.AUDITOR
    latest = role.history.latest()
    assert (latest.history_type, latest.kind, latest.history_user) == ("~", "auditor", officer)


@pytest.mark.django_db
def test_a_change_to_the_same_role_or_to_insatsansvarig_is_refused(
    officer, board_member, association
):
    role = role_of(board_member, association)
    with pytest.raises(AccountsError, match="har redan rollen styrelse"):
        services.role_change(user=officer, role=role, kind=Role.Kind.BOARD)
    with pytest.raises(AccountsError, match=re.escape(services.LEAD_FROM_INITIATIVE)):
        services.role_change(user=officer, role=role, kind=Role.Kind.LEAD)
    assert role.history.count() == 1


@pytest.mark.django_db
def test_the_last_officer_can_be_neither_demoted_nor_removed(officer, association):
    role = role_of(officer, association)
    expected = services.LAST_OFFICER.format(person=officer.get_full_name())

    with pytest.raises(AccountsError) as demoted:
        services.role_change(user=officer, role=role, kind=Role.Kind.BOARD)
    with pytest.raises(AccountsError) as removed:
        services.role_remove(user=officer, role=role)

    assert str(demoted.value) == str(removed.value) == expected
    assert role_of(officer, association).kind == Role.Kind.OFFICER


@pytest.mark.django_db
def test_with_a_second_officer_the_first_may_step_down(officer, association):
    RoleFactory(association=association, kind=Role.Kind.OFFICER)

    services.role_change(user=officer, role=role_of(officer, association), kind=Role.Kind.BOARD)

    assert role_of(officer, association).kind == Role.Kind.BOARD


@pytest.mark.django_db
def test_an_officer_of_another_forbund_does_not_count(officer, association, other_officer):
    with pytest.raises(AccountsError, match="enda tjänsteman"):
        services.role_remove(user=officer, role=role_of(officer, association))


@pytest.mark.django_db
def test_removing_a_role_keeps_the_account_and_records_who_removed_it(
    officer, board_member, association
):
    role = role_of(board_member, association)

    services.role_remove(user=officer, role=role)

    assert not Role.objects.filter(user=board_member, association=association).exists()
    assert User.objects.filter(pk=board_member.pk, is_active=True).exists()
    removal = Role.history.filter(id=role.pk).latest()
    assert (removal.history_type, removal.history_user) == ("-", officer)


@pytest.mark.django_db
def test_an_insatsansvarig_with_another_role_or_none_leads_no_insats(
    officer, association, lead, lead_initiative
):
    role = role_of(lead, association)

    services.role_change(user=officer, role=role, kind=Role.Kind.BOARD)

    assert not InitiativeLead.objects.filter(role=role).exists()
    ended = InitiativeLead.history.filter(history_type="-").get()
    assert ended.history_user == officer

    other = lead_for(InitiativeFactory(association=association))
    services.role_remove(user=officer, role=role_of(other, association))
    assert not InitiativeLead.objects.exists()
    assert InitiativeLead.history.filter(history_type="-", history_user=officer).count() == 2


@pytest.mark.django_db
def test_a_change_of_a_role_removed_meanwhile_is_refused(officer, board_member, association):
    role = role_of(board_member, association)
    Role.objects.filter(pk=role.pk).delete()

    with pytest.raises(AccountsError, match=re.escape(services.ROLE_GONE)):
        services.role_change(user=officer, role=role, kind=Role.Kind.AUDITOR)


# The pages


@pytest.mark.django_db
def test_the_page_lists_everyone_with_their_role_login_password_and_second_factor(
    officer_client, personas, association, lead, lead_initiative
):
    board = personas["board"]
    board.last_login = timezone.make_aware(datetime.datetime(2026, 3, 9, 14, 5))
    board.save()
    TOTPDevice.objects.create(user=board, name="Mobil", confirmed=True)
    invited = UserFactory(email="inbjuden@example.org", first_name="", last_name="")
    invited.set_unusable_password()
    invited.save()
    RoleFactory(user=invited, association=association, kind=Role.Kind.PREPARER)

    page = text(officer_client.get(USERS))

    assert "Användare och behörigheter" in page
    for name in ("officer", "preparer", "board", "auditor"):
        assert personas[name].email in page
    assert personas["other_officer"].email not in page
    row = re.search(rf"{re.escape(board.email)}.*?</tr>", page, re.S).group(0)
    assert "Styrelse" in row and "2026-03-09 14:05" in row and "Kopplad" in row
    row = re.search(r"inbjuden@example.org.*?</tr>", page, re.S).group(0)
    assert "Inte valt än" in row and "Aldrig" in row and "Skicka ny länk" in row
    row = re.search(rf"{re.escape(lead.email)}.*?</tr>", page, re.S).group(0)
    assert "Insatsansvarig" in row and "Steget vidare" in row


@pytest.mark.django_db
def test_the_officer_finds_the_page_in_the_menu_and_others_do_not(officer_client, login, personas):
    assert f'href="{USERS}"' in text(officer_client.get(reverse("start")))
    board = login(personas["board"])
    assert f'href="{USERS}"' not in text(board.get(reverse("start")))
    assert board.get(USERS).status_code == 403


@pytest.mark.django_db
def test_a_long_list_is_paginated(officer_client, association):
    for _ in range(55):
        RoleFactory(association=association, kind=Role.Kind.BOARD)

    first = text(officer_client.get(USERS))
    second = text(officer_client.get(USERS + "?sida=2"))

    assert "Sida 1 av 2" in first and "Sida 2 av 2" in second
    assert first.count("Ändra roll<span") == 50
    assert second.count("Ändra roll<span") == 6
    # past the last page and unreadable: the last and the first
    assert text(officer_client.get(USERS + "?sida=9")).count("Ändra roll<span") == 6
    assert "Sida 1 av 2" in text(officer_client.get(USERS + "?sida=x"))


@pytest.mark.django_db
def test_the_officer_invites_from_the_page(
    officer_client, association, django_capture_on_commit_callbacks
):
    url = reverse("accounts:invite")
    assert "Länken gäller i 3 dagar" in text(officer_client.get(url))

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            url,
            {
                "email": "Ny.Ledamot@Example.org",
                "first_name": "Ny",
                "last_name": "Ledamot",
                "kind": "board",
            },
            follow=True,
        )

    assert response.redirect_chain[-1][0] == USERS
    assert (
        "ny.ledamot@example.org har fått rollen styrelse och får ett e-postmeddelande med en "
        "länk för att välja lösenord." in text(response)
    )
    assert "Gav ny.ledamot@example.org rollen styrelse" in text(response)
    assert role_of(User.objects.get(email="ny.ledamot@example.org"), association).kind == "board"
    [message] = mail.outbox
    assert message.to == ["ny.ledamot@example.org"]


@pytest.mark.django_db
def test_the_invite_page_offers_no_insatsansvarig_and_shows_refusals(officer_client, board_member):
    url = reverse("accounts:invite")
    assert 'value="lead"' not in text(officer_client.get(url))

    response = officer_client.post(url, {"email": board_member.email, "kind": "auditor"})

    assert response.status_code == 200
    assert "har redan rollen styrelse i förbundet" in text(response)
    assert not mail.outbox


@pytest.mark.django_db
def test_the_change_page_asks_first_and_the_list_shows_the_trace(
    officer_client, officer, board_member, association
):
    role = role_of(board_member, association)
    url = reverse("accounts:role_change", args=[role.pk])

    asked = text(officer_client.get(url))
    assert "har i dag rollen <strong>styrelse</strong>" in asked
    assert 'value="board"' not in asked  # the role held is no change
    assert role_of(board_member, association).kind == Role.Kind.BOARD

    response = officer_client.post(url, {"kind": "auditor"}, follow=True)

    assert f"{board_member.get_full_name()} har nu rollen revisor." in text(response)
    assert f"Ändrade rollen för {board_member.email} till revisor" in text(response)
    assert role_of(board_member, association).kind == Role.Kind.AUDITOR


@pytest.mark.django_db
def test_the_remove_page_asks_first_then_removes(officer_client, board_member, association):
    role = role_of(board_member, association)
    url = reverse("accounts:role_remove", args=[role.pk])

    assert "Vill du ta bort rollen <strong>styrelse</strong>" in text(officer_client.get(url))
    assert Role.objects.filter(pk=role.pk).exists()

    response = officer_client.post(url, follow=True)

    assert "har inte längre någon behörighet i förbundet" in text(response)
    assert f"Tog bort behörigheten för {board_member.email} (styrelse)" in text(response)
    assert not Role.objects.filter(pk=role.pk).exists()


@pytest.mark.django_db
def test_the_last_officer_is_told_why_on_the_page(officer_client, officer, association):
    role = role_of(officer, association)

    removed = officer_client.post(reverse("accounts:role_remove", args=[role.pk]))
    change = reverse("accounts:role_change", args=[role.pk])
    demoted = officer_client.post(change, {"kind": "board"})

    for response in (removed, demoted):
        assert response.status_code == 200
        assert "är förbundets enda tjänsteman (kansli)" in text(response)
    assert role_of(officer, association).kind == Role.Kind.OFFICER


@pytest.mark.django_db
def test_an_officer_who_steps_down_lands_on_the_start_page(officer_client, officer, association):
    RoleFactory(association=association, kind=Role.Kind.OFFICER)
    role = role_of(officer, association)

    change = reverse("accounts:role_change", args=[role.pk])
    response = officer_client.post(change, {"kind": "board"})

    assert response["Location"] == reverse("start")


@pytest.mark.django_db
def test_another_forbunds_role_is_not_found(officer_client, other_officer, other_association):
    role = role_of(other_officer, other_association)
    for name in ("accounts:role_change", "accounts:role_remove"):
        url = reverse(name, args=[role.pk])
        assert officer_client.get(url).status_code == 404
        assert officer_client.post(url, {"kind": "board"}).status_code == 404
    resend = reverse("accounts:invitation_resend", args=[role.pk])
    assert officer_client.post(resend).status_code == 404
    assert role_of(other_officer, other_association).kind == Role.Kind.OFFICER
    assert not mail.outbox


# Query counts


def add_people(association, count=30):
    """Many more people of every kind: leads of several insatser, apps connected, history."""
    for index in range(count):
        role = RoleFactory(association=association, kind=Role.Kind.values[index % 4])
        TOTPDevice.objects.create(user=role.user, name="Mobil", confirmed=True)
        role.kind = Role.Kind.AUDITOR
        role.save()
    for _ in range(5):
        person = lead_for(InitiativeFactory(association=association))
        lead_for(InitiativeFactory(association=association), email=person.email)


@pytest.fixture
def measure(django_assert_num_queries, association):
    def check(client, url, expected):
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
        add_people(association)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200

    return check


@pytest.mark.django_db
def test_the_users_page_costs_the_same_for_many_people(measure, officer_client, personas, lead):
    # The page's roles with their accounts and second factors, counted in the same query
    # (page_of), the insatser of its insatsansvariga, and the latest role changes.
    measure(officer_client, USERS, LOGGED_IN + 3)


@pytest.mark.django_db
def test_a_page_without_insatsansvariga_does_not_ask_for_their_insatser(
    django_assert_num_queries, officer_client, personas
):
    # The roles with their count, the latest role changes: no insatser to read.
    with django_assert_num_queries(LOGGED_IN + 2):
        page = officer_client.get(USERS)
    assert page.status_code == 200
    assert "Ingen insats" not in page.content.decode()


@pytest.mark.django_db
def test_the_change_and_remove_pages_cost_the_same_for_many_people(
    measure, officer_client, board_member, association
):
    role = role_of(board_member, association)
    # The role with its account and förbund.
    measure(officer_client, reverse("accounts:role_change", args=[role.pk]), LOGGED_IN + 1)
    measure(officer_client, reverse("accounts:role_remove", args=[role.pk]), LOGGED_IN + 1)
    # Nothing but the form.
    measure(officer_client, reverse("accounts:invite"), LOGGED_IN)


# The loops the users page's template had before its rows were written in Python (#12): the
# markup accounts/templatetags/users_tables.py must write, cell for cell.
USER_ROWS_LOOP = """{% for row in rows %}
    <tr>
      <th scope="row" class="fw-normal">{% if row.full_name %}{{ row.full_name }}<br>{% endif %}<span class="small">{{ row.email }}</span>{% if row.is_me %} <span class="small">(du)</span>{% endif %}{% if not row.active %}<br><span class="badge text-bg-secondary">Avstängt konto</span>{% endif %}</th>
      <td>{{ row.kind }}{% if row.leads is not None %}<ul class="list-unstyled small mb-0">{% for name in row.leads %}<li>{{ name }}</li>{% empty %}<li>Ingen insats</li>{% endfor %}</ul>{% endif %}</td>
      <td class="text-nowrap">{{ row.last_login }}</td>
      <td>{% if row.password_set %}Valt{% else %}Inte valt än
        <form method="post" action="{{ row.resend_url }}" class="mt-1">
          {% csrf_token %}
          <button type="submit" class="btn btn-sm btn-outline-primary">Skicka ny länk<span class="visually-hidden"> till {{ row.email }}</span></button>
        </form>{% endif %}</td>
      <td>{% if row.second_factor %}Kopplad{% else %}Nej{% endif %}</td>
      <td class="text-nowrap">
        <a href="{{ row.change_url }}">Ändra roll<span class="visually-hidden"> för {{ row.email }}</span></a><br>
        <a href="{{ row.remove_url }}">Ta bort<span class="visually-hidden"> behörigheten för {{ row.email }}</span></a>
      </td>
    </tr>
  {% endfor %}"""  # noqa: E501 (the template's lines as they were)
HISTORY_ROWS_LOOP = """{% for record in history %}
      <tr>
        <td class="text-nowrap">{{ record.when }}</td>
        <td>{{ record.who }}</td>
        <td>{{ record.what }}</td>
      </tr>
    {% endfor %}"""


def test_the_users_tables_read_as_the_templates_loops_wrote_them():
    def row(**values):
        return {
            "full_name": "Anna <Andersson>",
            "email": "anna&co@example.org",
            "is_me": False,
            "active": True,
            "kind": "Styrelse",
            "leads": None,
            "last_login": "2026-03-09 14:05",
            "password_set": True,
            "second_factor": False,
            "change_url": "/konto/anvandare/1/andra/",
            "remove_url": "/konto/anvandare/1/ta-bort/",
            "resend_url": "/konto/anvandare/1/ny-lank/",
            **values,
        }

    rows = [
        row(),
        row(full_name="", is_me=True, second_factor=True, last_login="Aldrig"),
        row(active=False, password_set=False, kind="Insatsansvarig", leads=[]),
        row(kind="Insatsansvarig", leads=["Steget <vidare>", "Ung & aktiv"], password_set=False),
    ]
    history = [
        {"when": "2026-03-09 14:05", "who": "Eva <kansli>", "what": "Gav a&b@example.org rollen"},
        {"when": "2026-03-10 09:00", "who": "Systemet", "what": "Tog bort behörigheten"},
    ]
    engine = engines["django"]
    context = {"rows": rows, "history": history, "csrf_token": "abc123"}

    loops = engine.from_string(USER_ROWS_LOOP + HISTORY_ROWS_LOOP).render(context)
    written = engine.from_string(
        "{% load users_tables %}{% user_table_rows rows %}{{ history|role_history_rows }}"
    ).render(context)

    assert parse_html(written) == parse_html(loops), (written, loops)
    assert 'name="csrfmiddlewaretoken" value="abc123"' in written
    assert "Steget &lt;vidare&gt;" in written and "Anna &lt;Andersson&gt;" in written


@pytest.mark.django_db
def test_the_trace_names_who_did_what_to_whom_also_for_a_deleted_account(
    officer_client, officer, board_member, association
):
    services.role_remove(user=officer, role=role_of(board_member, association))
    gone = UserFactory(email="slutat@example.org")
    RoleFactory(user=gone, association=association, kind=Role.Kind.AUDITOR)  # by the system
    gone.delete()  # the role goes with the account; its trace stays
    nameless = UserFactory(email="namnlos@example.org", first_name="", last_name="")
    RoleFactory(user=nameless, association=association, kind=Role.Kind.OFFICER)
    services.role_invite(
        user=nameless,
        association=association,
        email="ny@example.org",
        kind=Role.Kind.PREPARER,
        first_name="Ny",
        last_name="Person",
        base_url="http://testserver/",
    )

    history = text(officer_client.get(USERS)).split('id="historik-rubrik"')[1].split("<tbody>")[1]
    rows = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr>.*?</tr>", history, re.S)]

    assert "|namnlos@example.org||Gav ny@example.org rollen beredningsgrupp|" in rows[0]
    assert "|Systemet||Tog bort behörigheten för en borttagen användare (revisor)|" in rows[2]
    assert "|Systemet||Gav en borttagen användare rollen revisor|" in rows[3]
    removed = f"Tog bort behörigheten för {board_member.email} (styrelse)"
    assert f"|{officer.get_full_name()}||{removed}|" in rows[4]
