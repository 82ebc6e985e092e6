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
    ApprovalForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
)

__all__ = [
    "FORMSETS",
    "FORMSET_TITLES",
    "SECTIONS",
    "AgendaItemForm",
    "ApplicationFilterForm",
    "ApplicationForm",
    "ApprovalForm",
    "AssessmentForm",
    "AttendanceForm",
    "DecisionForm",
    "MeetingForm",
    "Section",
    "VersionForm",
    "application_formsets",
    "application_values",
    "budget_years_within_period",
    "formset_rows",
]
