"""The beredningsgrupp's assessment of an application: written in rounds, then made final."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from applications.errors import ApplicationError
from applications.models import Application, Assessment
from applications.selectors import current_assessment
from applications.workflow import State, application_lock, application_move
from finsam.models import User

ASSESSMENT_NOT_OPEN = "Beredning kan bara skrivas när ansökan är registrerad eller under beredning."
ASSESSMENT_IS_FINAL = "Beredningen är fastställd och kan inte ändras."
ASSESSMENT_STARTED_MEANWHILE = (
    "Någon annan har påbörjat beredningen medan du skrev. Inget har sparats; öppna beredningen "
    "på nytt och gör dina ändringar där."
)
NO_RECOMMENDATION = "Beredningen saknar rekommendation eller sammanfattning till styrelsen."
NO_ASSESSMENT = "Det finns ingen beredning att fastställa."

# What the beredningsgrupp writes; round, author and finalising are the service's.
WRITABLE_FIELDS = frozenset(
    {
        "individual_extent",
        "individual_comment",
        "cooperation_extent",
        "cooperation_comment",
        "implementation_comment",
        "takes_over_duties",
        "duties_comment",
        "recommendation",
        "recommendation_text",
    }
)


def assessment_save(
    *,
    user: User,
    application: Application,
    values: Mapping[str, Any],
    assessment_id: int | None = None,
) -> Assessment:
    """Saves the beredningsgrupp's assessment of the current round; the first save puts a
    registered application under beredning.

    ``assessment_id`` is the open round the preparer's form was based on, or None to start a new
    round."""
    unknown = set(values) - WRITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not assessment fields: {sorted(unknown)}")
    with transaction.atomic():
        application = application_lock(application)
        if application.state not in (State.REGISTERED, State.IN_PREPARATION):
            raise ApplicationError(ASSESSMENT_NOT_OPEN)
        latest = current_assessment(application)
        if assessment_id is not None:
            assessment = Assessment.objects.get(pk=assessment_id, application=application)
            if assessment.is_final:
                raise ApplicationError(ASSESSMENT_IS_FINAL)
        elif latest is not None and not latest.is_final:
            # Two preparers opened the form at once; the second must not start a new round.
            raise ApplicationError(ASSESSMENT_STARTED_MEANWHILE)
        else:
            last = application.assessments.aggregate(last=Max("round"))["last"] or 0
            assessment = Assessment(application=application, round=last + 1)
        if application.state == State.REGISTERED:
            application_move(application, State.IN_PREPARATION, by=user)
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.written_by = user
        assessment._history_user = user
        assessment.save()
    return assessment


def assessment_finalise(*, user: User, application: Application) -> Assessment:
    """The officer marks the recommendation final; the application is then ready for a meeting."""
    with transaction.atomic():
        application = application_lock(application)
        assessment = current_assessment(application)
        if assessment is None or assessment.is_final:
            raise ApplicationError(NO_ASSESSMENT)
        if not (assessment.recommendation and assessment.recommendation_text.strip()):
            raise ApplicationError(NO_RECOMMENDATION)
        application_move(application, State.PREPARED, by=user)
        assessment.finalised_at = timezone.now()
        assessment.finalised_by = user
        assessment._history_user = user
        assessment.save(update_fields=["finalised_at", "finalised_by"])
    return assessment
