"""The beredningsgrupp's assessment of an application: written in rounds, then made final."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications.errors import ApplicationError
from applications.models import Application, Assessment, AssessmentAmount
from applications.selectors import current_assessment
from applications.workflow import State, application_lock, application_move
from finsam import concurrency
from finsam.bounds import require_within_bounds
from finsam.models import User

ASSESSMENT_NOT_OPEN = "Beredning kan bara skrivas när ansökan är registrerad eller under beredning."
ASSESSMENT_IS_FINAL = "Beredningen är fastställd och kan inte ändras."
ASSESSMENT_STARTED_MEANWHILE = (
    "Någon annan har påbörjat beredningen medan du skrev. Inget har sparats; öppna beredningen "
    "på nytt och gör dina ändringar där."
)
NO_RECOMMENDATION = "Beredningen saknar rekommendation eller sammanfattning till styrelsen."
NO_ASSESSMENT = "Det finns ingen beredning att fastställa."
ALREADY_FINALISED = "Rekommendationen är redan fastställd."
ASSESSMENT_WHAT = "beredningen"  # finsam.errors.ChangedMeanwhile: "Någon annan har ändrat …"
AMOUNT_OUTSIDE_PERIOD = "Rekommenderat belopp för {years} ligger utanför ansökans period."
AMOUNT_NEGATIVE = "Ett rekommenderat belopp kan inte vara negativt."

WRITABLE_FIELDS = frozenset(Assessment.WRITTEN_BY_PREPARERS)


def assessment_fingerprint(open_round: Assessment | None, amounts: Mapping[int, Decimal]) -> str:
    """The fingerprint (finsam/concurrency.py) of the open round as the preparer's form shows
    it, with its recommended ``amounts`` per year; None when no round is open (the form starts
    one)."""
    return concurrency.fingerprint(
        open_round and open_round.pk,
        concurrency.field_values(open_round, sorted(WRITABLE_FIELDS)),
        amounts if open_round else {},
    )


def assessment_save(
    *,
    user: User,
    application: Application,
    values: Mapping[str, Any],
    amounts: Mapping[int, Decimal] | None = None,
    assessment_id: int | None = None,
    fingerprint: str | None = None,
) -> Assessment:
    """Saves the beredningsgrupp's assessment of the current round; the first save puts a
    registered application under beredning.

    ``assessment_id`` is the open round the preparer's form was based on, or None to start a new
    round. ``amounts`` are the recommended grants per year in kronor (None leaves them as they
    are; an empty mapping removes them), within the application's period. ``fingerprint`` is
    ``assessment_fingerprint`` of the round the form showed (None: not checked)."""
    unknown = set(values) - WRITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not assessment fields: {sorted(unknown)}")
    require_within_bounds(
        amounts={f"Rekommenderat belopp {year}": amount for year, amount in (amounts or {}).items()}
    )
    with transaction.atomic():
        application = application_lock(application)
        if application.state not in (State.REGISTERED, State.IN_PREPARATION):
            raise ApplicationError(ASSESSMENT_NOT_OPEN)
        latest = current_assessment(application)
        if fingerprint is not None:
            # Two preparers writing the same round: the second waits for the lock above, then
            # finds the first one's text here and is refused instead of overwriting it.
            open_round = latest if latest is not None and not latest.is_final else None
            shown = {row.year: row.amount for row in open_round.amounts.all()} if open_round else {}
            concurrency.check_unchanged(
                fingerprint, assessment_fingerprint(open_round, shown), what=ASSESSMENT_WHAT
            )
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
        if amounts is not None:
            _set_amounts(assessment, application, amounts, user)
    return assessment


def _set_amounts(assessment, application, amounts: Mapping[int, Decimal], user: User) -> None:
    outside = sorted(year for year in amounts if year not in application.years)
    if outside:
        raise ApplicationError(AMOUNT_OUTSIDE_PERIOD.format(years=", ".join(map(str, outside))))
    if any(amount < 0 for amount in amounts.values()):
        raise ApplicationError(AMOUNT_NEGATIVE)
    assessment.amounts.all().delete()
    bulk_create_with_history(
        [
            AssessmentAmount(assessment=assessment, year=year, amount=amount)
            for year, amount in sorted(amounts.items())
        ],
        AssessmentAmount,
        default_user=user,
    )


def assessment_finalise(*, user: User, application: Application) -> Assessment:
    """The officer marks the recommendation final; the application is then ready for a meeting."""
    with transaction.atomic():
        application = application_lock(application)
        assessment = current_assessment(application)
        if (
            assessment is not None
            and assessment.is_final
            and application.state != State.IN_PREPARATION
        ):
            raise ApplicationError(ALREADY_FINALISED)  # a second click, or a colleague's
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
