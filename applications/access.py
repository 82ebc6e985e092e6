"""Who may do what with an application or a meeting. Views ask here; tested on its own."""

from dataclasses import dataclass

from django.http import Http404

from applications import selectors
from applications.models import AgendaItem, Application, Meeting
from applications.services import decision as decision_rules
from applications.services import meeting as meeting_rules
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


def get_application_to_edit(request, pk: int) -> tuple[Application, bool]:
    """The application for its form, as get_application_for_user finds it (404 alike), and
    whether the user may change it now (Permissions.can_edit), without the page's other rows."""
    try:
        application = selectors.application_to_edit(
            association=request.association, role=request.role, pk=pk
        )
    except Application.DoesNotExist:
        raise Http404 from None
    can_edit = request.role == Role.Kind.OFFICER and application.state in EDITABLE_STATES
    return application, can_edit


@dataclass(frozen=True)
class MeetingPermissions:
    """What the user may do with a meeting, from their role and how far the meeting has come:
    agenda and kallelse → attendance → minutes drawn up (upprättat) → decisions → justering."""

    can_edit: bool  # time, place and the agenda, until the minutes are drawn up
    can_publish: bool  # the kallelse, sent again as often as needed until the minutes
    can_cancel: bool
    can_record_attendance: bool
    can_open_minutes: bool
    can_decide: bool
    can_approve: bool
    sees_steps: bool  # the officer's to-do list on the meeting page, until justering
    sees_minutes: bool


def meeting_permissions_for(role: str, meeting: Meeting) -> MeetingPermissions:
    changing = role == Role.Kind.OFFICER and not meeting.is_locked and not meeting.is_cancelled
    opened = meeting.minutes_opened_at is not None
    board = meeting.body == Meeting.Body.BOARD
    return MeetingPermissions(
        can_edit=changing and not opened,
        can_publish=changing and not opened,
        can_cancel=changing and not opened,
        can_record_attendance=changing and board and not opened,
        can_open_minutes=changing and board and not opened,
        can_decide=changing and opened,
        can_approve=changing and opened,
        sees_steps=changing,
        sees_minutes=opened,
    )


def meeting_closed_because(meeting: Meeting) -> str:
    """Why an officer's change to the meeting is no longer (or not yet) possible, for the pages
    that open only while it is: the same texts the services refuse with."""
    if meeting.is_locked:
        return meeting_rules.MEETING_LOCKED
    if meeting.is_cancelled:
        return meeting_rules.MEETING_CANCELLED
    if meeting.body != Meeting.Body.BOARD:
        return meeting_rules.ONLY_BOARD_DECIDES
    if meeting.minutes_opened_at:
        return meeting_rules.MINUTES_FROZEN
    return decision_rules.MINUTES_NOT_OPEN


def get_meeting_for_user(
    request,
    pk: int,
    *,
    full_applications: bool = False,
    decision_amounts: bool = True,
    only_item: int | None = None,
    assessed: bool = True,
    notices: bool = True,
    present_only: bool = False,
    approved_by: bool = False,
) -> tuple[Meeting, MeetingPermissions]:
    """The meeting with its page's data, if the user's role in the current förbund may see it;
    404 otherwise: another förbund's meeting, and (selectors.meetings_for) for the board an
    unpublished meeting or the beredningsgrupp's, for the beredningsgrupp the board's, for the
    auditor any without justerat protokoll. ``full_applications`` reads what the pack prints;
    without ``decision_amounts`` the decisions' amounts are not read; with ``only_item`` only
    that ärende of the agenda; without ``assessed`` not what the applications' criteria and
    recommendations are made from; without ``notices`` not the kallelser sent; with
    ``present_only`` of the attendance only the seats present; with ``approved_by`` who
    registered the justering (selectors.meeting_detail)."""
    try:
        meeting = selectors.meeting_detail(
            association=request.association,
            role=request.role,
            pk=pk,
            full_applications=full_applications,
            decision_amounts=decision_amounts,
            only_item=only_item,
            assessed=assessed,
            notices=notices,
            present_only=present_only,
            approved_by=approved_by,
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
    return meeting, meeting_permissions_for(request.role, meeting)


def get_meeting_to_change(
    request, pk: int, *, attendance: bool = False, notices: bool = False
) -> tuple[Meeting, MeetingPermissions]:
    """The meeting for a form that changes it without showing its agenda, found as
    get_meeting_for_user finds it (404 alike), with its attendance or notices when asked
    (selectors.meeting_to_change)."""
    try:
        meeting = selectors.meeting_to_change(
            association=request.association,
            role=request.role,
            pk=pk,
            attendance=attendance,
            notices=notices,
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
    return meeting, meeting_permissions_for(request.role, meeting)


def get_agenda_item(meeting: Meeting, pk: int) -> AgendaItem:
    """An ärende of this meeting, from the meeting's prefetched agenda; 404 otherwise."""
    for agenda_item in meeting.agenda_items.all():
        if agenda_item.pk == pk:
            return agenda_item
    raise Http404
