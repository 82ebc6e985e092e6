"""The application's life in one place (DESIGN.md § 3): the moves it may make, what a decision
moves it to, and the one function that makes a move and records it on the timeline."""

from applications.errors import ApplicationError
from applications.models import Application, Decision, StateChange
from finsam.models import User

State = Application.State
Outcome = Decision.Outcome

ILLEGAL_MOVE = "En ansökan som är {from_state} kan inte bli {to_state}."
ALREADY_IN_STATE = "Ansökan är redan {state}."  # a second click, or a colleague's a moment earlier

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

# What a decision, once the minutes are justerade, moves the application to.
EFFECTS = {
    Outcome.GRANT: State.GRANTED,
    Outcome.PARTIAL: State.PARTLY_GRANTED,
    Outcome.REJECT: State.REJECTED,
    Outcome.REFER_BACK: State.IN_PREPARATION,
    Outcome.TABLE: State.PREPARED,
}


def state_label(state: str) -> str:
    """The state as it reads inside a sentence: "registrerad", "under beredning"."""
    return str(State(state).label).lower()


def can_move(application: Application, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(application.state, set())


def application_move(
    application: Application, to_state: str, *, by: User, comment: str = ""
) -> None:
    """Moves ``application`` (locked by the caller) and records the move on the timeline."""
    if application.state == to_state:
        raise ApplicationError(ALREADY_IN_STATE.format(state=state_label(to_state)))
    if not can_move(application, to_state):
        raise ApplicationError(
            ILLEGAL_MOVE.format(
                from_state=state_label(application.state), to_state=state_label(to_state)
            )
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


def application_lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)
