"""Every change to an application: one function each, atomic, recorded on the timeline."""

from django.db import transaction
from django.db.models import Max
from django.forms import BaseFormSet, ModelForm
from django.utils import timezone

from applications.models import Application, Assessment, DnrSequence, StateChange
from finsam.models import Association, User

State = Application.State

REGISTRATION_INCOMPLETE = "Ansökan kan inte registreras. Det saknas: {missing}."
ILLEGAL_MOVE = "En ansökan som är {from_state} kan inte bli {to_state}."
CHANGED_MEANWHILE = (
    "Ansökan har ändrats av någon annan sedan du öppnade den. Inget av det du skrev har sparats; "
    "öppna ansökan på nytt och gör ändringarna där."
)
NOT_EDITABLE = "En ansökan som är {state} kan inte ändras."
ASSESSMENT_NOT_OPEN = "Beredning kan bara skrivas när ansökan är registrerad eller under beredning."
ASSESSMENT_IS_FINAL = "Beredningen är fastställd och kan inte ändras."
ASSESSMENT_STARTED_MEANWHILE = (
    "Någon annan har påbörjat beredningen medan du skrev. Inget har sparats; öppna beredningen "
    "på nytt och gör dina ändringar där."
)
NO_RECOMMENDATION = "Beredningen saknar rekommendation eller sammanfattning till styrelsen."
NO_ASSESSMENT = "Det finns ingen beredning att fastställa."

# The moves an application may make (DESIGN.md § 3). The meeting issue adds the decisions.
TRANSITIONS = {
    State.DRAFT: {State.REGISTERED, State.WITHDRAWN},
    State.REGISTERED: {State.IN_PREPARATION, State.WITHDRAWN},
    State.IN_PREPARATION: {State.PREPARED, State.WITHDRAWN},
    State.PREPARED: {State.ON_AGENDA, State.IN_PREPARATION, State.WITHDRAWN},
    State.ON_AGENDA: {
        State.GRANTED,
        State.PARTLY_GRANTED,
        State.REJECTED,
        State.IN_PREPARATION,
        State.PREPARED,
    },
}
# An application on the agenda is withdrawn by striking it from the agenda first (back to beredd).
EDITABLE_STATES = {State.DRAFT, State.REGISTERED, State.IN_PREPARATION}

# What a registered matter needs (seed 002); the fields' own labels name what is missing.
REQUIRED_FOR_REGISTRATION = [
    "name",
    "owner",
    "lead_name",
    "lead_organisation",
    "period_start",
    "period_end",
    "purpose",
    "target_group_description",
    "cooperation_goals",
    "participant_goals",
    "activity_plan",
    "organisation",
    "followup",
    "implementation",
    "board_feedback",
]


class ApplicationError(Exception):
    """A change the rules refuse; the message is Swedish and meant for the user."""


def _label(state: str) -> str:
    return str(State(state).label).lower()


def _move(application: Application, to_state: str, *, by: User, comment: str = "") -> None:
    """Moves ``application`` (locked by the caller) and records the move on the timeline."""
    if to_state not in TRANSITIONS.get(application.state, set()):
        raise ApplicationError(
            ILLEGAL_MOVE.format(from_state=_label(application.state), to_state=_label(to_state))
        )
    StateChange.objects.create(
        application=application,
        from_state=application.state,
        to_state=to_state,
        by=by,
        comment=comment,
    )
    application.state = to_state
    application.version += 1  # the row is locked, so this cannot lose a concurrent bump
    application._history_user = by
    application.save(update_fields=["state", "version", "dnr_year", "dnr_number", "registered_at"])


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def registration_missing(application: Application) -> list[str]:
    """What the application lacks to be registered, in the words of the form."""
    missing = []
    for name in REQUIRED_FOR_REGISTRATION:
        value = getattr(application, name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            missing.append(str(Application._meta.get_field(name).verbose_name))
    if not (application.lead_email or application.lead_phone):
        missing.append("insatsansvarigs e-post eller telefon")
    if not application.budget_rows.exists():
        missing.append("minst en budgetrad")
    return missing


def next_dnr_number(*, association: Association, year: int) -> int:
    """The next running number for ``association`` and ``year``; call inside the registering
    transaction, so that a failed registration gives its number back."""
    sequence, _ = DnrSequence.objects.get_or_create(association=association, year=year)
    # Two officers registering at once would otherwise both read the same last number.
    sequence = DnrSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def application_save(
    *,
    user: User,
    association: Association,
    form: ModelForm,
    formsets: list[BaseFormSet],
    expected_version: int | None = None,
) -> Application:
    """Creates a draft or saves changes to an editable application, with all its rows.

    ``expected_version`` is the version the user's form was based on; if someone saved in
    between, nothing is written and ApplicationError(CHANGED_MEANWHILE) is raised.
    """
    with transaction.atomic():
        application = form.instance
        if application.pk:
            current = _lock(application)
            if current.state not in EDITABLE_STATES:
                raise ApplicationError(NOT_EDITABLE.format(state=_label(current.state)))
            if expected_version is not None and current.version != expected_version:
                raise ApplicationError(CHANGED_MEANWHILE)
            application.version = current.version + 1
        else:
            application.association = association
        created = application.pk is None
        application._history_user = user
        application = form.save()
        if created:
            StateChange.objects.create(application=application, to_state=State.DRAFT, by=user)
        for formset in formsets:
            formset.instance = application
            for row in formset.save(commit=False):
                row._history_user = user
                row.save()
            for row in formset.deleted_objects:
                row._history_user = user
                row.delete()
    return application


def application_register(*, user: User, application: Application) -> Application:
    """Registers a draft: checks it is complete and gives it the next diarienummer."""
    with transaction.atomic():
        application = _lock(application)
        if application.state != State.DRAFT:
            raise ApplicationError(
                ILLEGAL_MOVE.format(from_state=_label(application.state), to_state="registrerad")
            )
        missing = registration_missing(application)
        if missing:
            raise ApplicationError(REGISTRATION_INCOMPLETE.format(missing=", ".join(missing)))
        now = timezone.now()
        year = timezone.localdate(now).year
        application.dnr_year = year
        application.dnr_number = next_dnr_number(association=application.association, year=year)
        application.registered_at = now
        _move(application, State.REGISTERED, by=user)
    return application


def application_withdraw(*, user: User, application: Application, comment: str = "") -> Application:
    """The applicant withdraws (återtagen); possible at any point before the decision."""
    with transaction.atomic():
        application = _lock(application)
        _move(application, State.WITHDRAWN, by=user, comment=comment)
    return application


def current_assessment(application: Application) -> Assessment | None:
    return application.assessments.order_by("-round").first()


def assessment_save(*, user: User, application: Application, form: ModelForm) -> Assessment:
    """Saves the beredningsgrupp's assessment of the current round; the first save puts a
    registered application under beredning."""
    with transaction.atomic():
        application = _lock(application)
        if application.state not in (State.REGISTERED, State.IN_PREPARATION):
            raise ApplicationError(ASSESSMENT_NOT_OPEN)
        assessment = form.instance
        latest = current_assessment(application)
        if assessment.pk and Assessment.objects.get(pk=assessment.pk).is_final:
            raise ApplicationError(ASSESSMENT_IS_FINAL)
        if not assessment.pk and latest is not None and not latest.is_final:
            # Two preparers opened the form at once; the second must not start a new round.
            raise ApplicationError(ASSESSMENT_STARTED_MEANWHILE)
        if application.state == State.REGISTERED:
            _move(application, State.IN_PREPARATION, by=user)
        assessment = form.save(commit=False)
        assessment.application = application
        if not assessment.pk:
            last = application.assessments.aggregate(last=Max("round"))["last"] or 0
            assessment.round = last + 1
        assessment.written_by = user
        assessment._history_user = user
        assessment.save()
    return assessment


def assessment_finalise(*, user: User, application: Application) -> Assessment:
    """The officer marks the recommendation final; the application is then ready for a meeting."""
    with transaction.atomic():
        application = _lock(application)
        assessment = current_assessment(application)
        if assessment is None or assessment.is_final:
            raise ApplicationError(NO_ASSESSMENT)
        if not (assessment.recommendation and assessment.recommendation_text.strip()):
            raise ApplicationError(NO_RECOMMENDATION)
        _move(application, State.PREPARED, by=user)
        assessment.finalised_at = timezone.now()
        assessment.finalised_by = user
        assessment._history_user = user
        assessment.save(update_fields=["finalised_at", "finalised_by"])
    return assessment


def application_refer_back(*, user: User, application: Application, comment: str) -> Application:
    """Återremiss: back to beredning. The next assessment saved opens a new round; the earlier
    rounds stay as they were."""
    with transaction.atomic():
        application = _lock(application)
        _move(application, State.IN_PREPARATION, by=user, comment=comment)
    return application
