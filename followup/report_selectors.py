"""Reads of the insatser's reports due and received, and of their leads: for the insats page,
the start page, the lead's own list and the reminders. Each a fixed number of queries.

The reports due are the planned reports (delrapport, slutrapport) of the insats's granted
applications: the application says when the board wants to hear from the insats, and a
continuation's reports join the first one's. A report is received when a Report points at its
planned report; it is behandlad when the board meeting it was put before has justerade minutes.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from applications.models import Application, Initiative, Meeting, PlannedReport
from applications.models.application import LONG_TEXTS
from finsam.models import Association, Role, User
from followup.models import InitiativeLead

GRANTED = (Application.State.GRANTED, Application.State.PARTLY_GRANTED)
KIND_LABELS = dict(PlannedReport.Kind.choices)
START_LIMIT = 10


def _owed(association: Association) -> QuerySet[PlannedReport]:
    """The reports the förbund's insatser owe: those of its granted applications of an insats."""
    return PlannedReport.objects.filter(
        application__association=association,
        application__state__in=GRANTED,
        application__initiative__isnull=False,
    )


def reports_due(*, association: Association) -> QuerySet[PlannedReport]:
    """Every report the förbund's insatser owe, with its insats and what was received."""
    return (
        _owed(association)
        .select_related(
            "application__initiative",
            "received__agenda_item__meeting",
        )
        # The lists and the report's pages show the application's Dnr, never its long texts,
        # which cost more to read than the rest of the row (issue #12).
        .defer(*(f"application__{name}" for name in LONG_TEXTS))
        .order_by("due", "pk")
    )


def initiative_reports(initiative: Initiative) -> list[PlannedReport]:
    """The insats's reports due, oldest first, each with what was received (one query). Only
    the columns the insats page shows: each column costs compiling and converting, and the
    full rows of the four tables were a fifth of the page's Python work (issue #12)."""
    return list(
        _owed(initiative.association_id)
        .filter(application__initiative=initiative)
        .select_related("application", "received__agenda_item__meeting")
        .only(
            "kind",
            "due",
            "application__dnr_year",
            "application__dnr_number",
            "received__file_name",
            "received__received_on",
            "received__agenda_item__paragraph",
            "received__agenda_item__meeting__starts_at",
            "received__agenda_item__meeting__approved_at",
            "received__agenda_item__meeting__cancelled_at",
        )
        .order_by("due", "pk")
    )


def initiative_report(initiative: Initiative, pk: int) -> PlannedReport | None:
    """One of the insats's reports due with the file received, if any; None if it is not one
    of them. One query, of the columns the report's pages (upload, file, agenda) and their
    services read: not the application's, which reports_due joins for the lists, nor the
    agenda item and meeting (issue #12: the six tables cost more than the rest of the page)."""
    planned = (
        _owed(initiative.association_id)
        .filter(pk=pk, application__initiative=initiative)
        .select_related("application", "received")
        .only(
            "kind",
            "due",
            "application__initiative",
            "received__file",
            "received__file_name",
            "received__received_on",
            "received__agenda_item",
        )
        .first()
    )
    if planned is not None:
        # The insats the caller read: the services lock it through the report.
        planned.application.initiative = initiative
    return planned


def outstanding(*, association: Association) -> QuerySet[PlannedReport]:
    """Reports due and not received yet."""
    return reports_due(association=association).filter(received__isnull=True)


@dataclass(frozen=True)
class ReportRow:
    """A report not received yet, as the start page and the lead's list show it."""

    kind: str  # PlannedReport.Kind
    due: datetime.date
    initiative_id: int
    initiative_name: str
    days: int  # days left (negative: days late)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def is_overdue(self) -> bool:
        return self.days < 0


def start_reports(
    *, association: Association, today: datetime.date, within_days: int, leads_user=None
) -> list[ReportRow]:
    """Overdue reports and those due within ``within_days``, the earliest due first and at most
    START_LIMIT (one query); only the lead's own insatser when ``leads_user`` is given."""
    # Only what the list shows (_reports_due_list.html), as values: an outstanding report has
    # nothing received to join, and building the reports with their applications and insatser
    # (select_related and only) cost more than the query (issue #12). Built from _owed rather
    # than narrowed from outstanding: its joins and deferred texts, undone here, cost more to
    # build than the query costs to run (issue #12).
    reports = (
        _owed(association)
        .filter(due__lte=today + datetime.timedelta(days=within_days))
        .filter(received__isnull=True)
        .order_by("due", "pk")
    )
    if leads_user is not None:
        reports = reports.filter(application__initiative__leads__role__user=leads_user)
    rows = reports.values_list(
        "kind", "due", "application__initiative_id", "application__initiative__name"
    )[:START_LIMIT]
    return [
        ReportRow(kind, due, initiative_id, name, (due - today).days)
        for kind, due, initiative_id, name in rows
    ]


def lead_initiatives(*, association: Association, user: User) -> QuerySet[Initiative]:
    """The lead's own insatser in the förbund."""
    return (
        Initiative.objects.for_association(association)
        .filter(leads__role__user=user, leads__role__kind=Role.Kind.LEAD)
        .select_related("owner")
        .order_by("name")
    )


def initiative_leads(initiative: Initiative) -> list[InitiativeLead]:
    """Who is insatsansvarig for the insats (one query)."""
    return list(
        InitiativeLead.objects.filter(initiative=initiative)
        .select_related("role__user")
        .order_by("role__user__email")
    )


def agenda_meetings(*, association: Association, now: datetime.datetime) -> QuerySet[Meeting]:
    """The board meetings a report can be put before: coming, not cancelled, agenda open."""
    return (
        Meeting.objects.for_association(association)
        .upcoming(now)
        .filter(body=Meeting.Body.BOARD, minutes_opened_at__isnull=True)
    )


def reminders_due(*, today: datetime.date) -> QuerySet[PlannedReport]:
    """Every förbund's outstanding reports that are due within its reminder days or late,
    with the insats and its leads' e-mail addresses (two queries)."""
    candidates = (
        PlannedReport.objects.filter(
            application__state__in=GRANTED,
            application__initiative__isnull=False,
        )
        .filter(received__isnull=True)
        .select_related("application__initiative__association")
        .prefetch_related("application__initiative__leads__role__user", "reminders")
        .order_by("due", "pk")
    )
    # The widest window any förbund may choose (Association.report_reminder_days ≤ 90); each
    # förbund's own is applied by the service.
    return candidates.filter(due__lte=today + datetime.timedelta(days=90))
