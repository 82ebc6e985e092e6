"""Who may do what with an insats and its participant register. Views ask here; tested on its
own.

The officer keeps the register. The board and the auditors read the insats page, with its
aggregates (small counts suppressed), never the register's rows: participant data touches health
(art. 9 GDPR) and DESIGN.md § 2 gives the auditors no participant records. The beredningsgrupp
does not see insatser: the page is made of the board's decisions, minutes and the budget's
actuals, none of which it reads elsewhere.

The insatsansvarig (`lead`) sees only the insatser its role names (InitiativeLead): their
register, their anonymous counts and their reports due, which it uploads. It reads neither the
decisions, the money nor the history of its insats, nor anything else of the förbund: every
view that does not name LEAD answers it 403, and another insats is not found (404).
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from applications.models import Initiative
from finsam.models import Role
from followup import selectors

READERS = selectors.INITIATIVE_ROLES
# The insats page: the readers above, and the lead for its own insatser.
INITIATIVE_PAGE_ROLES = (*READERS, Role.Kind.LEAD)
# Who may open the register: its rows, the register file, the anonymous counts. The lead only
# reaches its own insatser (get_initiative_for_user).
REGISTER_ROLES = (Role.Kind.OFFICER, Role.Kind.LEAD)
# Who hands in a report due: the officer (a report that came by post) and the lead.
REPORT_ROLES = (Role.Kind.OFFICER, Role.Kind.LEAD)


@dataclass(frozen=True)
class InitiativePermissions:
    sees_register: bool  # the participant rows and the anonymous counts, exact
    can_register: bool  # add and end participants, read a register file, enter counts
    can_end: bool  # record that the insats has ended
    sees_history: bool  # who changed what
    sees_minutes: bool  # links to the minutes of the decisions
    sees_decisions: bool = True  # the applications, decisions, money and timeline
    can_give_access: bool = False  # make a person insatsansvarig for the insats
    can_receive_reports: bool = False  # upload a report due
    can_put_on_agenda: bool = False  # put a received report on a board meeting's agenda


def permissions_for(role: str, initiative: Initiative) -> InitiativePermissions:
    officer = role == Role.Kind.OFFICER
    register = role in REGISTER_ROLES
    return InitiativePermissions(
        sees_register=register,
        can_register=register,
        can_end=officer and initiative.is_running,
        sees_history=officer,
        sees_minutes=role in (Role.Kind.OFFICER, Role.Kind.BOARD, Role.Kind.AUDITOR),
        sees_decisions=role != Role.Kind.LEAD,
        can_give_access=officer,
        can_receive_reports=role in REPORT_ROLES,
        can_put_on_agenda=officer,
    )


def initiatives_visible(*, association, role: str, user) -> QuerySet[Initiative]:
    """The insatser a role sees: the lead only those its role names, the others as
    selectors.initiatives_for says."""
    if role == Role.Kind.LEAD:
        return Initiative.objects.for_association(association).filter(
            leads__role__user=user, leads__role__association=association
        )
    return selectors.initiatives_for(association=association, role=role, user=user)


def get_initiative_for_user(
    request, pk: int, *, owner: bool = False
) -> tuple[Initiative, InitiativePermissions]:
    """The insats and what the user may do with it, if their role in the current förbund may
    see it; 404 otherwise (another förbund's insats, or one the role does not see). With
    ``owner`` its huvudman too, for the insats's page: the register's, the reports' and the
    statistics' pages do not show it (issue #12: each join costs compiling and converting)."""
    initiatives = initiatives_visible(
        association=request.association, role=request.role, user=request.user
    )
    if owner:
        initiatives = initiatives.select_related("owner")
    try:
        initiative = initiatives.get(pk=pk)
    except Initiative.DoesNotExist:
        raise Http404 from None
    return initiative, permissions_for(request.role, initiative)
