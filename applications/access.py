"""Who may do what with an application. Views ask here; tested on its own."""

from dataclasses import dataclass

from django.http import Http404

from applications import selectors
from applications.models import Application
from applications.workflow import EDITABLE_STATES, State, can_move
from finsam.models import Role

# The auditor reads decided applications only (ApplicationQuerySet.visible_to).
READERS = (Role.Kind.OFFICER, Role.Kind.PREPARER, Role.Kind.BOARD, Role.Kind.AUDITOR)


@dataclass(frozen=True)
class Permissions:
    can_edit: bool
    can_register: bool
    can_withdraw: bool
    can_assess: bool
    can_finalise: bool
    sees_history: bool
    sees_minutes: bool


def permissions_for(role: str, application: Application) -> Permissions:
    officer = role == Role.Kind.OFFICER
    state = application.state
    current = application.assessments.all()
    current = current[len(current) - 1] if current else None
    return Permissions(
        can_edit=officer and state in EDITABLE_STATES,
        can_register=officer and state == State.DRAFT,
        can_withdraw=officer and can_move(application, State.WITHDRAWN),
        can_assess=role == Role.Kind.PREPARER and state in (State.REGISTERED, State.IN_PREPARATION),
        can_finalise=officer
        and state == State.IN_PREPARATION
        and current is not None
        and not current.is_final,
        sees_history=officer,
        # The beredningsgrupp does not read the board's minutes (selectors.meetings_for).
        sees_minutes=role in (Role.Kind.OFFICER, Role.Kind.BOARD, Role.Kind.AUDITOR),
    )


def get_application_for_user(request, pk: int) -> tuple[Application, Permissions]:
    """The application with its page's data, if the user's role in the current förbund may read
    it; 404 otherwise (another förbund's application, or a draft for a non-officer)."""
    try:
        application = selectors.application_detail(
            association=request.association, role=request.role, pk=pk
        )
    except Application.DoesNotExist:
        raise Http404 from None
    return application, permissions_for(request.role, application)
