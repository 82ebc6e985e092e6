"""The applications app's models, one module per concept; imported here so that Django, the
migrations and callers find them as `applications.models.X`."""

from applications.models.application import (
    Activity,
    Application,
    ApplicationQuerySet,
    BudgetRow,
    DnrSequence,
    ParticipantTarget,
    PartyCommitment,
    PlannedReport,
    StateChange,
    dnr_text,
)
from applications.models.assessment import Assessment, AssessmentAmount
from applications.models.decision import Decision, DecisionAmount, MinutesExtract, Recusal
from applications.models.initiative import Initiative, InitiativeGrant, Orientation
from applications.models.meeting import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingQuerySet,
    MinutesSequence,
    Notice,
    NoticeEmail,
)

__all__ = [
    "Activity",
    "AgendaItem",
    "Application",
    "ApplicationQuerySet",
    "Assessment",
    "AssessmentAmount",
    "Attendance",
    "BudgetRow",
    "Decision",
    "DecisionAmount",
    "DnrSequence",
    "Initiative",
    "InitiativeGrant",
    "Meeting",
    "MeetingQuerySet",
    "MinutesExtract",
    "MinutesSequence",
    "Notice",
    "NoticeEmail",
    "Orientation",
    "ParticipantTarget",
    "PartyCommitment",
    "PlannedReport",
    "Recusal",
    "StateChange",
    "dnr_text",
]
