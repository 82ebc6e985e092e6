"""Forms of the applications app, one module per concept. They validate and normalise only."""

from applications.forms.application import (
    FORMSET_TITLES,
    FORMSETS,
    SECTIONS,
    ApplicationFilterForm,
    ApplicationForm,
    Section,
    VersionForm,
    application_formsets,
    application_values,
    budget_years_within_period,
    formset_rows,
)
from applications.forms.assessment import AssessmentForm
from applications.forms.meeting import (
    AgendaItemForm,
    AgendaMoveForm,
    ApprovalForm,
    AttendanceForm,
    CancelForm,
    DecisionForm,
    MeetingForm,
    PublishForm,
)

__all__ = [
    "FORMSETS",
    "FORMSET_TITLES",
    "SECTIONS",
    "AgendaItemForm",
    "AgendaMoveForm",
    "ApplicationFilterForm",
    "ApplicationForm",
    "ApprovalForm",
    "AssessmentForm",
    "AttendanceForm",
    "CancelForm",
    "DecisionForm",
    "MeetingForm",
    "PublishForm",
    "Section",
    "VersionForm",
    "application_formsets",
    "application_values",
    "budget_years_within_period",
    "formset_rows",
]
