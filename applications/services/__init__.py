"""Every change in the applications app, one function each, atomic and recorded; one module per
concept. Callers import from here: `from applications import services`."""

from applications.errors import ApplicationError, MeetingError, ShortNotice
from applications.services.application import (
    application_create,
    application_refer_back,
    application_register,
    application_update,
    application_withdraw,
    next_dnr_number,
)
from applications.services.assessment import (
    assessment_finalise,
    assessment_fingerprint,
    assessment_save,
)
from applications.services.decision import (
    decision_fingerprint,
    decision_record,
    decision_wording,
    minutes_approve,
)
from applications.services.extract import minutes_extract_pdf, minutes_extract_send
from applications.services.initiative import (
    InitiativeError,
    initiative_end,
    initiative_grant,
    initiative_register,
)
from applications.services.meeting import (
    AttendanceRow,
    agenda_fingerprint,
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    attendance_fingerprint,
    attendance_record,
    meeting_cancel,
    meeting_create,
    meeting_fingerprint,
    meeting_publish,
    meeting_update,
    minutes_open,
)

__all__ = [
    "ApplicationError",
    "AttendanceRow",
    "InitiativeError",
    "MeetingError",
    "ShortNotice",
    "agenda_fingerprint",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "application_create",
    "application_refer_back",
    "application_register",
    "application_update",
    "application_withdraw",
    "assessment_finalise",
    "assessment_fingerprint",
    "assessment_save",
    "attendance_fingerprint",
    "attendance_record",
    "decision_fingerprint",
    "decision_record",
    "decision_wording",
    "initiative_end",
    "initiative_grant",
    "initiative_register",
    "meeting_cancel",
    "meeting_create",
    "meeting_fingerprint",
    "meeting_publish",
    "meeting_update",
    "minutes_approve",
    "minutes_extract_pdf",
    "minutes_extract_send",
    "minutes_open",
    "next_dnr_number",
]
