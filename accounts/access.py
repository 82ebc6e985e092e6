"""Which role of the förbund a users page is about: found among the current förbund's roles,
so that another förbund's role is not found (404). The views admit the officer only."""

from django.http import Http404

from finsam.models import Role


def get_role_for_user(request, pk: int) -> Role:
    """The role ``pk`` of the request's förbund, with its account and förbund; 404 otherwise."""
    role = (
        Role.objects.for_association(request.association)
        .select_related("user", "association")
        .filter(pk=pk)
        .first()
    )
    if role is None:
        raise Http404
    return role
