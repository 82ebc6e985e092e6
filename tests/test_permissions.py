"""The permission matrix: every URL pattern of the project, for every persona, by GET and by POST.

The patterns are walked from the URL configuration: a new URL without an entry here makes
test_every_url_pattern_has_an_entry fail, so that no view can be added without deciding who may
use it. Each entry says what the persona's request answers; a POST that is refused (403, 404 or
the login page) must leave every table of the database as it was, and the same POST by the
persona it is meant for (sent last) must then get through.
"""

import dataclasses

import pytest
from django.urls import reverse

from finsam.models import BoardSeat, Member, OfficeStaff, Person, PreparationGroupSeat, TargetGroup
from tests.factories import (
    UserFactory,
    lead_for,
    objects_of,
)
from tests.urlwalk import table_sizes, url_routes, urls_for, world

PERSONAS = ["anonymous", "officer", "preparer", "board", "auditor", "other_officer", "lead"]
LOGIN = "login"  # redirected to the login page
ALLOWED = "allowed"  # the request gets through to the view: anything but 403, 404, login or 5xx

# What a request answers, per persona (GET codes; a POST is judged by the same entry, with
# 200 and 302 read as ALLOWED). The insatsansvarig (lead) leads one insats and sees nothing
# else of the förbund: where an entry does not name them, they get 403.
EVERYONE = {
    "anonymous": LOGIN,
    "officer": 200,
    "preparer": 200,
    "board": 200,
    "auditor": 200,
    "other_officer": 200,
}
OFFICER_PAGE = {**EVERYONE, "preparer": 403, "board": 403, "auditor": 403}
OFFICER_OBJECT = {**OFFICER_PAGE, "other_officer": 404}
# The auditor reads decided applications only; a registered one does not exist for them.
READERS_PAGE = EVERYONE
READERS_OBJECT = {**READERS_PAGE, "auditor": 404, "other_officer": 404}
# A published board meeting: the board reads it; the beredningsgrupp and (until justering) the
# auditor do not see it at all.
BOARD_MEETING = {**READERS_OBJECT, "preparer": 404, "auditor": 404}
# Justerade minutes: the auditor reads them too.
JUSTERADE_MINUTES = {**BOARD_MEETING, "auditor": 200}
PREPARER_OBJECT = {**dict.fromkeys(PERSONAS, 403), "anonymous": LOGIN, "preparer": 200}
# Budgets: the board and the auditors read and download; the beredningsgrupp has no access.
BUDGET_PAGE = {**EVERYONE, "preparer": 403}
BUDGET_OBJECT = {**BUDGET_PAGE, "other_officer": 404}
PUBLIC = dict.fromkeys(PERSONAS, 200)
# The register of an insats: its officer and its own insatsansvarig.
REGISTER = {**OFFICER_OBJECT, "lead": 200}
# A draft verksamhetsplan: the board reads it (it adopts it), the auditor adopted plans only.
PLAN_DRAFT = {**BUDGET_OBJECT, "auditor": 404}


@dataclasses.dataclass(frozen=True)
class Entry:
    access: dict  # persona → 200 / 302 / 403 / 404 / LOGIN for the request the view is for
    post_only: bool = False  # GET answers 405 for everyone
    get_only: bool = False  # POST answers 405 for everyone
    payload: dict = dataclasses.field(default_factory=dict)  # what the POST sends
    writes: bool = False  # the allowed persona's POST of the payload changes the database
    subject: str = "application"  # which application an application URL takes


def page(access, **kwargs):
    return Entry(access, **kwargs)


def read(access):
    return Entry(access, get_only=True)


def action(access, **kwargs):
    return Entry(access, post_only=True, **kwargs)


PARTICIPANT = {
    "gender": "woman",
    "birth_year": "1990",
    "education": "upper_secondary",
    "income_source_start": "social_assistance",
    "occupation_start": "none",
    "support_time": "1_2",
    "started_on": "2025-03-01",
}
PARTICIPANT_END = {
    "ended_on": "2025-09-30",
    "exit_reason": "work",
    "income_source_end": "salary",
    "occupation_end": "employed",
}

MATRIX = {
    "start": read({**EVERYONE, "lead": 200}),
    # Without a förbund named there is nothing to switch to.
    "association_switch": action({**dict.fromkeys(PERSONAS, 404), "anonymous": LOGIN}),
    "organisation:overview": read(EVERYONE),
    "organisation:association_edit": page(OFFICER_PAGE, payload={"name": ""}),
    # Every role of the förbund reads a member's page; only the officer sees its history.
    "organisation:member_detail": Entry(
        {**EVERYONE, "other_officer": 404}, get_only=True, subject="medlemmar"
    ),
    "organisation:section_create": page(OFFICER_PAGE, payload={"name": "Ny"}),
    "organisation:section_edit": page(OFFICER_OBJECT, payload={"name": "Ändrad"}),
    "organisation:section_delete": page(OFFICER_OBJECT, writes=True),
    "applications:list": read(READERS_PAGE),
    "applications:export_xlsx": read(READERS_PAGE),
    "applications:create": page(OFFICER_PAGE),
    "applications:detail": read(READERS_OBJECT),
    "applications:edit": page(OFFICER_OBJECT),
    "applications:register": action(OFFICER_OBJECT, subject="draft", writes=True),
    "applications:withdraw": action(
        OFFICER_OBJECT, payload={"confirm": "1", "comment": "Sökanden drar tillbaka."}, writes=True
    ),
    "applications:assess": page(PREPARER_OBJECT, payload={"recommendation": "grant"}),
    "applications:finalise": action(OFFICER_OBJECT, subject="assessed", writes=True),
    "applications:pdf": read(READERS_OBJECT),
    "applications:meetings": read(EVERYONE),
    "applications:meeting_create": page(OFFICER_PAGE),
    "applications:meeting": read(BOARD_MEETING),
    "applications:meeting_edit": page(OFFICER_OBJECT),
    "applications:agenda_add": action(
        OFFICER_OBJECT, payload={"kind": "information", "title": "Lägesrapport"}, writes=True
    ),
    "applications:agenda_remove": action(OFFICER_OBJECT, writes=True),
    "applications:agenda_move": action(OFFICER_OBJECT, payload={"direction": "down"}, writes=True),
    "applications:publish": page(OFFICER_OBJECT),
    "applications:meeting_cancel": action(
        OFFICER_OBJECT, payload={"reason": "För få kan komma."}, writes=True
    ),
    "applications:pack_pdf": read(BOARD_MEETING),
    "applications:attendance": page(OFFICER_OBJECT),
    "applications:minutes_open": action(OFFICER_OBJECT),
    "applications:decision": page(OFFICER_OBJECT),
    "applications:minutes_extract": read(JUSTERADE_MINUTES),
    "applications:minutes_extract_send": action(OFFICER_OBJECT),
    "applications:approve": action(OFFICER_OBJECT),
    "applications:minutes_pdf": read(BOARD_MEETING),
    # Insatser: read by the officer, the board and the auditors; the register by the officer.
    "followup:list": read({**BUDGET_PAGE, "lead": 200}),
    "followup:export_xlsx": read(BUDGET_PAGE),
    "followup:detail": read({**BUDGET_OBJECT, "lead": 200}),
    # The insats has an active participant: the officer's end is refused on the page.
    "followup:end": page(
        OFFICER_OBJECT, payload={"outcome": "implemented", "ended_on": "2025-06-30"}
    ),
    "followup:register": read(REGISTER),
    "followup:participant_add": page(REGISTER, payload=PARTICIPANT, writes=True),
    "followup:participant_end": page(REGISTER, payload=PARTICIPANT_END, writes=True),
    "followup:register_template": read(REGISTER),
    "followup:register_import": page(REGISTER),
    "followup:register_import_confirm": action(REGISTER),
    "followup:lead_add": page(OFFICER_OBJECT, payload={"email": "ny@example.org"}, writes=True),
    # An empty form comes back with its errors: nothing is written.
    "followup:report_upload": page(REGISTER),
    "followup:report_file": read(REGISTER),
    "followup:report_agenda": page(OFFICER_OBJECT),
    # Statistics and the yearly return: aggregates for the officer, the board and the auditors;
    # never the beredningsgrupp or the insatsansvarig.
    "followup:statistics": read(BUDGET_PAGE),
    "followup:initiative_statistics": read(BUDGET_OBJECT),
    "followup:yearly_return": read(BUDGET_PAGE),
    "followup:yearly_return_xlsx": read(BUDGET_PAGE),
    "followup:yearly_return_csv": read(BUDGET_PAGE),
    "followup:yearly_return_pdf": read(BUDGET_PAGE),
    "followup:anonymous_counts": page(REGISTER, payload={"women-2026-01": "3"}, writes=True),
    "budget:overview": read(BUDGET_PAGE),
    "budget:plans": read(BUDGET_PAGE),
    "budget:plan_create": page(OFFICER_PAGE, payload={"first_year": "2031"}, writes=True),
    "budget:plan": read(PLAN_DRAFT),
    "budget:plan_pdf": read(PLAN_DRAFT),
    "budget:plan_edit": page(OFFICER_OBJECT, payload={"dnr": "2029-00001"}, writes=True),
    "budget:plan_section_add": page(OFFICER_OBJECT, payload={"heading": "Nytt"}, writes=True),
    "budget:plan_section": page(
        OFFICER_OBJECT,
        payload={"heading": "Inledning", "text": "Ny *text*.", "part": ""},
        writes=True,
    ),
    "budget:plan_section_move": action(OFFICER_OBJECT, payload={"direction": "down"}, writes=True),
    "budget:plan_section_remove": action(OFFICER_OBJECT, writes=True),
    "budget:plan_schedule": page(OFFICER_OBJECT),
    "budget:plan_adopt": page(OFFICER_OBJECT),
    "budget:plan_revise": action(OFFICER_OBJECT),  # a draft: refused with a message
    "budget:create": page(OFFICER_PAGE),
    "budget:legacy_import": page(OFFICER_PAGE),
    "budget:chart": page(OFFICER_PAGE),
    "budget:ceilings": page(OFFICER_PAGE),
    "budget:detail": read(BUDGET_OBJECT),
    "budget:report_pdf": read(BUDGET_OBJECT),
    "budget:report_xlsx": read(BUDGET_OBJECT),
    "budget:lines": page(OFFICER_OBJECT),
    "budget:adopt": page(OFFICER_OBJECT),
    "budget:contributions": page(OFFICER_OBJECT),
    "budget:actuals": page(OFFICER_OBJECT),
    "budget:import": page(OFFICER_OBJECT),
    "budget:forecast": page(OFFICER_OBJECT),
    "budget:reopen": page({**OFFICER_OBJECT, "officer": 302}),  # the period is open: sent back
    "budget:revise": action(OFFICER_OBJECT),
    "budget:import_confirm": action(OFFICER_OBJECT),
    "budget:close": action(OFFICER_OBJECT, writes=True),
    # Logged-in users are sent on from the login page to their start page.
    "login": page({**dict.fromkeys(PERSONAS, 302), "anonymous": 200}),
    "logout": action({**dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN}),
    "password_reset": page(PUBLIC),
    "password_reset_done": page(PUBLIC),
    "password_reset_confirm": page(PUBLIC),
    "password_reset_complete": page(PUBLIC),
    # The login's second step and the second factor's own pages: every logged-in user's, for
    # their own account. Sent on where there is nothing to do: the code step to the start page
    # (the officers' sessions have shown theirs), connecting an app to the overview for whoever
    # has one, the recovery codes page to the overview unless codes were just made.
    "login_code": page({**dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN}),
    "second_factor": read({**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    "second_factor_enrol": page(
        {**dict.fromkeys(PERSONAS, 200), "officer": 302, "other_officer": 302, "anonymous": LOGIN}
    ),
    "second_factor_qr": read({**dict.fromkeys(PERSONAS, 200), "anonymous": LOGIN}),
    "second_factor_recovery_codes": page({**dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN}),
    "second_factor_remove": action({**dict.fromkeys(PERSONAS, 302), "anonymous": LOGIN}),
    # Användare och behörigheter: the officer's; a role URL takes the preparer's role.
    "accounts:users": read(OFFICER_PAGE),
    "accounts:invite": page(
        OFFICER_PAGE, payload={"email": "ny@example.org", "kind": "board"}, writes=True
    ),
    "accounts:role_change": page(
        OFFICER_OBJECT, payload={"kind": "board"}, writes=True, subject="role"
    ),
    "accounts:role_remove": page(OFFICER_OBJECT, writes=True, subject="role"),
    # The preparer has a password: refused with a message on the list.
    "accounts:invitation_resend": action(OFFICER_OBJECT, subject="role"),
    # The idle session's warning asks how long is left and keeps the session: anyone's own.
    "session_status": page({**dict.fromkeys(PERSONAS, 200), "anonymous": 401}),
    # Public: the accessibility statement, and the load balancer's health check.
    "accessibility_statement": read(PUBLIC),
    "healthz": read(PUBLIC),
}


def test_every_url_pattern_has_an_entry():
    assert set(url_routes()) == set(MATRIX)


@pytest.fixture
def clients(personas, login, client):
    return {"anonymous": client} | {name: login(user) for name, user in personas.items()}


def expected_of(entry, persona):
    return entry.access.get(persona, 403)  # the lead, where the entry does not name them


def as_post(expected):
    return ALLOWED if expected in (200, 302) else expected


def check(response, expected, persona, url):
    where = (persona, url, response.status_code)
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("login")), where
    elif expected == ALLOWED:
        assert response.status_code not in (403, 404) and response.status_code < 500, where
        # login_required sends to the login page with ?next=; logging out lands there without
        assert not response.get("Location", "").startswith(reverse("login") + "?next="), where
    else:
        assert response.status_code == expected, where


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_persona_gets_what_the_matrix_says_by_get_and_by_post(
    name, clients, login, association, officer, preparer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the received report's file
    entry = MATRIX[name]
    objects = world(association, officer, preparer)
    clients["lead"] = login(lead_for(objects["initiative"]))
    urls = urls_for(name, url_routes()[name], objects, entry.subject)

    for persona in PERSONAS:
        for url in urls:
            # require_POST answers before any login or role check
            expected = 405 if entry.post_only else expected_of(entry, persona)
            check(clients[persona].get(url), expected, persona, url)

    # Refused personas first: the same POST that the allowed persona sends last must change
    # nothing for them.
    order = sorted(PERSONAS, key=lambda persona: as_post(expected_of(entry, persona)) == ALLOWED)
    written = False
    for persona in order:
        expected = 405 if entry.get_only else as_post(expected_of(entry, persona))
        before = table_sizes()
        for url in urls:
            check(clients[persona].post(url, entry.payload), expected, persona, url)
        if expected != ALLOWED:
            assert table_sizes() == before, ("refused, yet written", persona)
        elif entry.writes and not written:
            # The first persona allowed writes; another sending the same again may find it done.
            assert table_sizes() != before, ("allowed, yet nothing written", persona)
            written = True


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["preparer", "board", "auditor"])
def test_read_only_roles_get_403_on_every_organisation_write_and_nothing_changes(
    persona, clients, association
):
    objects = objects_of(association)
    counts = {
        model: model.objects.count()
        for model in (Member, Person, BoardSeat, PreparationGroupSeat, OfficeStaff, TargetGroup)
    }
    client = clients[persona]
    for part, obj in objects.items():
        create = reverse("organisation:section_create", args=[part])
        assert client.post(create, {"name": "X"}).status_code == 403
        edit = reverse("organisation:section_edit", args=[part, obj.pk])
        assert client.post(edit, {"name": "X"}).status_code == 403
        delete = reverse("organisation:section_delete", args=[part, obj.pk])
        assert client.post(delete).status_code == 403
    assert client.post(reverse("organisation:association_edit"), {"name": "X"}).status_code == 403
    assert {model: model.objects.count() for model in counts} == counts


@pytest.mark.django_db
def test_unknown_section_is_404(officer_client):
    assert officer_client.get("/organisation/okand/ny/").status_code == 404


@pytest.mark.django_db
def test_user_without_any_role_sees_a_page_that_says_so(login):
    response = login(UserFactory()).get(reverse("start"))

    assert response.status_code == 403
    assert "Du har ingen behörighet i något förbund" in response.content.decode()
