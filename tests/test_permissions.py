"""The permission matrix: every URL pattern of the project, for every persona.

A new URL without an entry here makes test_every_url_pattern_has_an_entry fail, so that no view
can be added without deciding who may see it.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from finsam.models import BoardSeat, Member, OfficeStaff, Person, PreparationGroupSeat, TargetGroup
from finsam.views import PARTS
from tests.factories import (
    MeetingFactory,
    OfficeStaffFactory,
    PreparationGroupSeatFactory,
    TargetGroupFactory,
    registered_application,
)

PERSONAS = ["anonymous", "officer", "preparer", "board", "auditor", "other_officer"]
LOGIN = "login"

# What a GET answers, per persona. "login" = redirected to the login page.
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
# Applications: the auditor sees none until decided (the meetings issue).
# The auditor reads decided applications only; a registered one does not exist for them.
READERS_PAGE = EVERYONE
READERS_OBJECT = {**READERS_PAGE, "auditor": 404, "other_officer": 404}
# A published board meeting: the board reads it; the beredningsgrupp and (until justering) the
# auditor do not see it at all.
BOARD_MEETING = {**READERS_OBJECT, "preparer": 404, "auditor": 404}
PREPARER_OBJECT = {**dict.fromkeys(PERSONAS, 403), "anonymous": LOGIN, "preparer": 200}
# Budgets: the board and the auditors read and download; the beredningsgrupp has no access.
BUDGET_PAGE = {**EVERYONE, "preparer": 403}
BUDGET_OBJECT = {**BUDGET_PAGE, "other_officer": 404}
BUDGET_PAGES_WITHOUT_ARGS = {
    "budget:overview",
    "budget:create",
    "budget:legacy_import",
    "budget:chart",
    "budget:ceilings",
}
PUBLIC = dict.fromkeys(PERSONAS, 200)
POST_ONLY = dict.fromkeys(PERSONAS, 405)

MATRIX = {
    "start": EVERYONE,
    "association_switch": POST_ONLY,
    "organisation:overview": EVERYONE,
    "organisation:association_edit": OFFICER_PAGE,
    "organisation:part_create": OFFICER_PAGE,
    "organisation:part_edit": OFFICER_OBJECT,
    "organisation:part_delete": OFFICER_OBJECT,
    "applications:list": READERS_PAGE,
    "applications:export_xlsx": READERS_PAGE,
    "applications:create": OFFICER_PAGE,
    "applications:detail": READERS_OBJECT,
    "applications:edit": OFFICER_OBJECT,
    "applications:register": POST_ONLY,
    "applications:withdraw": POST_ONLY,
    "applications:assess": PREPARER_OBJECT,
    "applications:finalise": POST_ONLY,
    "applications:pdf": READERS_OBJECT,
    "applications:meetings": EVERYONE,
    "applications:meeting_create": OFFICER_PAGE,
    "applications:meeting": BOARD_MEETING,
    "applications:meeting_edit": OFFICER_OBJECT,
    "applications:agenda_add": POST_ONLY,
    "applications:agenda_remove": POST_ONLY,
    "applications:publish": POST_ONLY,
    "applications:pack_pdf": BOARD_MEETING,
    "applications:attendance": OFFICER_OBJECT,
    "applications:minutes_open": POST_ONLY,
    "applications:decision": OFFICER_OBJECT,
    "applications:approve": POST_ONLY,
    "applications:minutes_pdf": BOARD_MEETING,
    "budget:overview": BUDGET_PAGE,
    "budget:create": OFFICER_PAGE,
    "budget:legacy_import": OFFICER_PAGE,
    "budget:chart": OFFICER_PAGE,
    "budget:ceilings": OFFICER_PAGE,
    "budget:detail": BUDGET_OBJECT,
    "budget:report_pdf": BUDGET_OBJECT,
    "budget:report_xlsx": BUDGET_OBJECT,
    "budget:lines": OFFICER_OBJECT,
    "budget:adopt": OFFICER_OBJECT,
    "budget:contributions": OFFICER_OBJECT,
    "budget:actuals": OFFICER_OBJECT,
    "budget:import": OFFICER_OBJECT,
    "budget:forecast": OFFICER_OBJECT,
    "budget:reopen": {**OFFICER_OBJECT, "officer": 302},  # the period is open: sent back
    "budget:revise": POST_ONLY,
    "budget:import_confirm": POST_ONLY,
    "budget:close": POST_ONLY,
    # Logged-in users are sent on from the login page to their start page.
    "login": {**dict.fromkeys(PERSONAS, 302), "anonymous": 200},
    "logout": POST_ONLY,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
}


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: superusers only, tested by Django itself.
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_url_names(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_url_pattern_has_an_entry():
    assert set(all_url_names()) == set(MATRIX)


def objects_of(association):
    """One object of every organisation part, all belonging to ``association``."""
    member = Member.objects.filter(association=association).first()
    return {
        "medlemmar": member,
        "personer": Person.objects.filter(association=association).first(),
        "styrelse": BoardSeat.objects.filter(member__association=association).first(),
        "beredningsgrupp": PreparationGroupSeatFactory(member=member),
        "kansli": OfficeStaffFactory(association=association),
        "malgrupper": TargetGroupFactory(association=association),
    }


NO_ARGS = {"applications:meetings", "applications:meeting_create"}
MEETING_PAGES = {
    "applications:agenda_add",
    "applications:publish",
    "applications:pack_pdf",
    "applications:attendance",
    "applications:minutes_open",
    "applications:approve",
    "applications:minutes_pdf",
}


def open_board_meeting(association, officer):
    """A published board meeting with one ärende, everyone present, the minutes drawn up."""
    from applications import meetings
    from tests.factories import MeetingFactory
    from tests.test_meetings import all_present

    meeting = MeetingFactory(association=association)
    meetings.agenda_item_add(user=officer, meeting=meeting, kind="information", title="Information")
    meetings.meeting_publish(user=officer, meeting=meeting, confirm_short_notice=True)
    meetings.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    meetings.minutes_open(user=officer, meeting=meeting)
    return meeting


def draft_budget(association, officer):
    """A draft budget for next year, on the default chart, with its period open."""
    from budget import services

    return services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )


def urls_for(name, objects):
    """Every concrete URL of a pattern: one per organisation part where the pattern takes one."""
    meeting = objects.get("meeting")
    if name in ("applications:attendance", "applications:meeting_edit"):
        # Both close once the minutes are drawn up; before that, the officer's pages.
        return [reverse(name, args=[objects["unopened_meeting"].pk])]
    if name in ("applications:agenda_remove", "applications:decision"):
        return [reverse(name, args=[meeting.pk, meeting.agenda_items.first().pk])]
    if name in BUDGET_PAGES_WITHOUT_ARGS:
        return [reverse(name)]
    if name.startswith("budget:"):
        return [reverse(name, args=[objects["budget"].pk])]
    if "meeting" in name or name in MEETING_PAGES:
        return [reverse(name, args=[meeting.pk])] if name not in NO_ARGS else [reverse(name)]
    if name.startswith("applications:") and name not in (
        "applications:list",
        "applications:export_xlsx",
        "applications:create",
    ):
        return [reverse(name, args=[objects["application"].pk])]
    if name in ("organisation:part_edit", "organisation:part_delete"):
        return [reverse(name, args=[part, objects[part].pk]) for part in PARTS]
    if name == "organisation:part_create":
        return [reverse(name, args=[part]) for part in PARTS]
    if name == "password_reset_confirm":
        return [reverse(name, args=["MQ", "ogiltig-token"])]
    return [reverse(name)]


@pytest.fixture
def clients(personas, login, client):
    return {"anonymous": client} | {name: login(user) for name, user in personas.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get_answers_as_designed_for_every_persona(name, clients, association, officer):
    objects = objects_of(association)
    objects["application"] = registered_application(association, officer)
    objects["meeting"] = open_board_meeting(association, officer)
    objects["unopened_meeting"] = MeetingFactory(association=association)
    objects["budget"] = draft_budget(association, officer)
    for persona in PERSONAS:
        expected = MATRIX[name][persona]
        for url in urls_for(name, objects):
            response = clients[persona].get(url)
            if expected == LOGIN:
                assert response.status_code == 302, (persona, url)
                assert response["Location"].startswith(reverse("login")), (persona, url)
            else:
                assert response.status_code == expected, (persona, url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["preparer", "board", "auditor"])
def test_read_only_roles_get_403_on_every_write_and_nothing_changes(persona, clients, association):
    objects = objects_of(association)
    counts = {
        model: model.objects.count()
        for model in (Member, Person, BoardSeat, PreparationGroupSeat, OfficeStaff, TargetGroup)
    }
    client = clients[persona]
    for part, obj in objects.items():
        assert (
            client.post(reverse("organisation:part_create", args=[part]), {"name": "X"}).status_code
            == 403
        )
        assert (
            client.post(
                reverse("organisation:part_edit", args=[part, obj.pk]), {"name": "X"}
            ).status_code
            == 403
        )
        assert (
            client.post(reverse("organisation:part_delete", args=[part, obj.pk])).status_code == 403
        )
    assert client.post(reverse("organisation:association_edit"), {"name": "X"}).status_code == 403
    assert {model: model.objects.count() for model in counts} == counts


@pytest.mark.django_db
def test_another_forbunds_officer_cannot_change_or_delete_our_objects(clients, association):
    objects = objects_of(association)
    client = clients["other_officer"]
    for part, obj in objects.items():
        assert (
            client.post(
                reverse("organisation:part_edit", args=[part, obj.pk]), {"name": "X"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("organisation:part_delete", args=[part, obj.pk])).status_code == 404
        )
        assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_unknown_part_is_404(officer_client):
    assert officer_client.get("/organisation/okand/ny/").status_code == 404


@pytest.mark.django_db
def test_user_without_any_role_sees_a_page_that_says_so(login):
    from tests.factories import UserFactory

    response = login(UserFactory()).get(reverse("start"))

    assert response.status_code == 403
    assert "Du har ingen behörighet i något förbund" in response.content.decode()
