"""Reads of the applications app, one module per concept; callers import from here."""

from applications.selectors.application import (
    DNR_PATTERN,
    BudgetSummary,
    BudgetYear,
    application_detail,
    application_list,
    applications_for,
    budget_summary,
    current_assessment,
    decided_items,
    extract_recipients,
    recommended_amounts,
    registration_missing,
)
from applications.selectors.meeting import (
    PackItem,
    Quorum,
    board_seats_on,
    body_recipients,
    meeting_detail,
    meeting_page,
    meetings_for,
    notice_days_left,
    quorum_of,
)
from applications.selectors.start import start_panel

__all__ = [
    "DNR_PATTERN",
    "BudgetSummary",
    "BudgetYear",
    "PackItem",
    "Quorum",
    "application_detail",
    "application_list",
    "applications_for",
    "board_seats_on",
    "body_recipients",
    "budget_summary",
    "current_assessment",
    "decided_items",
    "extract_recipients",
    "meeting_detail",
    "meeting_page",
    "meetings_for",
    "notice_days_left",
    "quorum_of",
    "recommended_amounts",
    "registration_missing",
    "start_panel",
]
