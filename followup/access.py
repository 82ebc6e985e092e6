"""Who may do what with an insats and its participant register. Views ask here; tested on its
own.

The officer keeps the register. The board and the auditors read the insats page, with its
aggregates (small counts suppressed), never the register's rows: participant data touches health
(art. 9 GDPR) and DESIGN.md § 2 gives the auditors no participant records. The beredningsgrupp
does not see insatser: the page is made of the board's decisions, minutes and the budget's
actuals, none of which it reads elsewhere.

The insatsansvarig (a later role, `lead`) is meant to fit here: add it to REGISTER_ROLES, let
selectors.initiatives_for give it only its own insatser, and permissions_for decide what it may
do there; the views need no change.
"""

from dataclasses import dataclass

from django.http import Http404

from applications.models import Initiative
from finsam.models import Role
from followup import selectors

READERS = selectors.INITIATIVE_ROLES
# Who may open the register: its rows, the register file, the anonymous counts.
REGISTER_ROLES = (Role.Kind.OFFICER,)


@dataclass(frozen=True)
class InitiativePermissions:
    sees_register: bool  # the participant rows and the anonymous counts, exact
    can_register: bool  # add and end participants, read a register file, enter counts
    can_end: bool  # record that the insats has ended
    sees_history: bool  # who changed what
    sees_minutes: bool  # links to the minutes of the decisions


def permissions_for(role: str, initiative: Initiative) -> InitiativePermissions:
    officer = role == Role.Kind.OFFICER
    register = role in REGISTER_ROLES
    return InitiativePermissions(
        sees_register=register,
        can_register=register,
        can_end=officer and initiative.is_running,
        sees_history=officer,
        sees_minutes=role in (Role.Kind.OFFICER, Role.Kind.BOARD, Role.Kind.AUDITOR),
    )


def get_initiative_for_user(request, pk: int) -> tuple[Initiative, InitiativePermissions]:
    """The insats and what the user may do with it, if their role in the current förbund may
    see it; 404 otherwise (another förbund's insats, or one the role does not see)."""
    try:
        initiative = (
            selectors.initiatives_for(
                association=request.association, role=request.role, user=request.user
            )
            .select_related("owner")
            .get(pk=pk)
        )
    except Initiative.DoesNotExist:
        raise Http404 from None
    return initiative, permissions_for(request.role, initiative)
