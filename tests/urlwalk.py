"""The project's URLs walked from its URL configuration, and a world of objects to fill them:
shared by the permission matrix (tests/test_permissions.py) and the fuzz test
(tests/test_fuzz.py)."""

import datetime

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from applications import services as application_services
from budget import plan_services
from budget import services as budget_services
from finsam.views import SECTIONS
from followup import services as followup_services
from tests.factories import (
    HELD,
    ApplicationFactory,
    InitiativeFactory,
    MeetingFactory,
    ParticipantFactory,
    assess,
    objects_of,
    open_board_meeting,
    registered_application,
    report_due,
)


def url_routes(resolver=None, namespace="", prefix=""):
    """Every named URL pattern of the project: name → its whole route."""
    resolver = resolver or get_resolver()
    routes = {}
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: superusers only, tested by Django itself.
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes |= url_routes(entry, inner, route)
        elif isinstance(entry, URLPattern) and entry.name:
            routes[namespace + entry.name] = route
    return routes


def table_sizes() -> dict[str, int]:
    """The number of rows of every table of the project, history tables included (so that an
    update of a tracked object shows too), in one query. Sessions are left out: logging in is not
    a change of the förbund's data."""
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and model._meta.db_table != "django_session"
    )
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def world(association, officer, preparer):
    """One object of every kind the URLs take, all of ``association``: the organisation's parts,
    a registered application, a board meeting with justerade minutes, one with its minutes
    drawn up, one not yet held, and a draft budget for a year of its own."""
    objects = objects_of(association)
    objects["application"] = registered_application(association, officer)
    objects["draft"] = ApplicationFactory(association=association)
    objects["assessed"] = registered_application(association, officer)
    assess(objects["assessed"], preparer)
    justerat = open_board_meeting(association, officer, starts_at=HELD - datetime.timedelta(days=7))
    application_services.minutes_approve(
        user=officer, meeting=justerat, chair_approved=True, approvers_approved=True
    )
    objects["justerat"] = justerat
    objects["meeting"] = open_board_meeting(association, officer)
    objects["unopened_meeting"] = MeetingFactory(association=association)
    application_services.agenda_item_add(
        user=officer, meeting=objects["unopened_meeting"], kind="information", title="Info"
    )
    application_services.agenda_item_add(
        user=officer, meeting=objects["unopened_meeting"], kind="information", title="Övrigt"
    )
    objects["initiative"] = InitiativeFactory(association=association)
    objects["participant"] = ParticipantFactory(initiative=objects["initiative"])
    objects["report"] = report_due(objects["initiative"], due=datetime.date(2026, 6, 30))
    followup_services.report_receive(
        user=officer,
        planned_report=objects["report"],
        file_name="delrapport.pdf",
        content=b"%PDF-1.4\n% en delrapport\n",
        received_on=datetime.date(2026, 6, 28),
    )
    objects["budget"] = budget_services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    objects["role"] = preparer.roles.get()  # the users page's role URLs
    objects["plan"] = plan_services.plan_create(
        user=officer, association=association, first_year=2030
    )
    return objects


# Where a pattern needs a meeting in a particular state.
UNOPENED = {
    "applications:attendance",  # closes once the minutes are drawn up
    "applications:meeting_edit",
    "applications:publish",
    "applications:meeting_cancel",
    "applications:agenda_add",
    "applications:agenda_remove",
    "applications:agenda_move",
}
JUSTERAT = {"applications:minutes_extract", "applications:minutes_extract_send"}


def urls_for(name, route, objects, subject="application"):
    """Every concrete URL of a pattern, read from its route: one per organisation section where
    it takes one. ``subject`` names the object a pattern with a bare pk takes."""
    if "<slug:section>" in route:
        if "<int:pk>" not in route:
            return [reverse(name, args=[section]) for section in SECTIONS]
        return [reverse(name, args=[section, objects[section].pk]) for section in SECTIONS]
    if "<uidb64>" in route:
        return [reverse(name, args=["MQ", "ogiltig-token"])]
    if "<int:pk>" not in route:
        return [reverse(name)]
    if route.startswith("konto/anvandare/"):
        return [reverse(name, args=[objects["role"].pk])]
    if route.startswith("budget/verksamhetsplan/"):
        plan = objects["plan"]
        if "<int:section>" in route:
            section = plan.sections.order_by("position").first()
            return [reverse(name, args=[plan.pk, section.pk])]
        return [reverse(name, args=[plan.pk])]
    if route.startswith("budget/"):
        return [reverse(name, args=[objects["budget"].pk])]
    if route.startswith("insatser/"):
        args = [objects["initiative"].pk]
        if "<int:participant>" in route:
            args.append(objects["participant"].pk)
        if "<int:report>" in route:
            args.append(objects["report"].pk)
        return [reverse(name, args=args)]
    if not route.startswith("ansokningar/sammantraden/"):
        return [reverse(name, args=[objects[subject].pk])]
    meeting = objects["meeting"]
    if name in UNOPENED:
        meeting = objects["unopened_meeting"]
    elif name in JUSTERAT:
        meeting = objects["justerat"]
    if "<int:item>" in route:
        item = meeting.agenda_items.order_by("position").first()
        return [reverse(name, args=[meeting.pk, item.pk])]
    return [reverse(name, args=[meeting.pk])]
