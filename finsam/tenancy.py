"""Which förbund a request works in, and what the user may do there.

A user holds at most one role per förbund (``Role``). The chosen förbund is kept in the session;
every view reads ``request.association`` and ``request.role`` and scopes its queries by them, so an
object of another förbund is never found (404), and a role that may not act gets 403.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from finsam.models import Role, swedish_name_key

SESSION_KEY = "finsam_association_id"

OFFICER = Role.Kind.OFFICER
PREPARER = Role.Kind.PREPARER
BOARD = Role.Kind.BOARD
AUDITOR = Role.Kind.AUDITOR
# The insatsansvarig: a role scoped to the insatser its followup.InitiativeLead rows name.
LEAD = Role.Kind.LEAD
# The roles of the förbund itself, who read its organisation, meetings and extracts. The lead is
# deliberately not one of them: a view admits the lead only by naming LEAD (the follow-up's
# views for the lead's own insatser, and the start page), so that every other page answers 403.
ALL_ROLES = (OFFICER, PREPARER, BOARD, AUDITOR)
# The pages every role reaches: the start page and the switch between förbund.
EVERY_ROLE = (*ALL_ROLES, LEAD)


def in_name_order(roles) -> list[Role]:
    """The user's roles by their förbund's name in Swedish alphabetical order (the switch lists
    them so; the first is the förbund a new session works in). Sorted here, not by the query: a
    user holds a handful, and the query's ORDER BY cost Django ~0.15 ms to compile on every
    logged-in request, as it hashes each of the 30 selected columns (issue #12)."""
    return sorted(
        roles,
        key=lambda role: (
            swedish_name_key(role.association.name),
            role.association_id,
        ),
    )


class CurrentAssociationMiddleware:
    """Sets request.roles (all the user's roles), request.association and request.role."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.roles = []
        request.association = None
        request.role = None
        if request.user.is_authenticated:
            # Read with the user by accounts.backends.UserBackend; read here for a session
            # another backend loaded (an identity provider's, README) or a login in this request.
            roles = getattr(request.user, "roles_read", None)
            if roles is None:
                roles = in_name_order(
                    Role.objects.filter(user=request.user).select_related("association").order_by()
                )
            request.roles = roles
            chosen = request.session.get(SESSION_KEY)
            current = next((r for r in request.roles if r.association_id == chosen), None)
            current = current or (request.roles[0] if request.roles else None)
            if current is not None:
                request.association = current.association
                request.role = current.kind
        return self.get_response(request)


def association_context(request):
    role = getattr(request, "role", None)
    return {
        "current_association": getattr(request, "association", None),
        "current_role": role,
        "current_role_label": Role.Kind(role).label if role else "",
        "user_roles": getattr(request, "roles", []),
        "is_officer": role == OFFICER,
        "is_lead": role == LEAD,
    }


def role_required(*roles):
    """The view needs a logged-in user with one of ``roles`` in the current förbund.

    A user without any förbund sees a page that says so; a role not listed gets 403.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if request.association is None:
                return render(request, "finsam/no_association.html", status=403)
            if request.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
