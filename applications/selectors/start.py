"""The start page's panel: what waits for the user's role in the förbund."""

import datetime

from django.db.models import Q

from applications.models import (
    AgendaItem,
    Application,
)
from applications.selectors.application import applications_for
from applications.selectors.meeting import MEETING_ROW_FIELDS, meetings_for
from finsam.models import Association, Role

START_LIMIT = 10


def start_panel(*, association: Association, role: str, now: datetime.datetime) -> dict:
    """What each role's start page lists from applications and meetings (a few queries)."""
    meetings = meetings_for(association=association, role=role).only(*MEETING_ROW_FIELDS)
    # Only what the lists show (an application's __str__ and state): a row carries twelve
    # long texts, which cost more to read than the rest of the ten rows (issue #12).
    applications = applications_for(association=association, role=role).only(
        "state", "dnr_year", "dnr_number", "name"
    )
    panel = {}
    if role == Role.Kind.OFFICER:
        panel["ready"] = list(applications.filter(state=Application.State.PREPARED)[:START_LIMIT])
        # One query for both lists (the start page's count stays fixed with the follow-up's
        # reports beside them): meetings to prepare, the earliest first, and minutes awaiting
        # justering, the latest first. Neither kind piles up (a meeting is held, then
        # justerad or cancelled), so twice the limit of the earliest of them holds both lists.
        to_prepare = Q(minutes_opened_at__isnull=True, cancelled_at__isnull=True)
        awaiting = Q(minutes_opened_at__isnull=False, approved_at__isnull=True)
        unfinished = list(
            meetings.filter(to_prepare | awaiting).order_by("starts_at")[: 2 * START_LIMIT]
        )
        # Of these, a meeting whose minutes are open awaits justering; the rest are to prepare.
        panel["to_prepare"] = [m for m in unfinished if m.minutes_opened_at is None][:START_LIMIT]
        panel["awaiting_approval"] = [
            m for m in reversed(unfinished) if m.minutes_opened_at is not None
        ][:START_LIMIT]
    elif role == Role.Kind.PREPARER:
        panel["to_assess"] = list(
            applications.filter(
                state__in=[Application.State.REGISTERED, Application.State.IN_PREPARATION]
            )[:START_LIMIT]
        )
    if role == Role.Kind.BOARD:
        panel["upcoming"] = list(meetings.upcoming(now)[:START_LIMIT])
    if role in (Role.Kind.BOARD, Role.Kind.AUDITOR):
        panel["minutes"] = list(
            meetings.filter(approved_at__isnull=False).order_by("-starts_at")[:START_LIMIT]
        )
        panel["decisions"] = list(
            AgendaItem.objects.filter(
                meeting__association=association,
                meeting__approved_at__isnull=False,
                decision__isnull=False,
            )
            .select_related("decision", "meeting")
            .order_by("-meeting__starts_at", "paragraph")[:START_LIMIT]
        )
    return panel
