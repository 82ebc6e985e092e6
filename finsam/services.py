"""Every change to the organisation goes through here: atomic, scoped to a förbund, and recorded
with the user who made it (django-simple-history keeps the trail)."""

from django.db import IntegrityError, models, transaction
from django.forms import ModelForm

from finsam.models import Association, Role, User

IN_USE = "{object} kan inte tas bort eftersom {count} andra uppgifter hänvisar till den: {names}."
NO_ROLE_THERE = "Du har ingen behörighet i det förbundet."


class OrganisationError(Exception):
    """A change the rules refuse; the message is Swedish and shown to the user."""


def organisation_object_save(*, user: User, association: Association, form: ModelForm):
    """Saves a validated form for an object of ``association`` (a member, a seat, a person …)."""
    instance = form.save(commit=False)
    if hasattr(instance, "association_id"):
        instance.association = association
    instance._history_user = user
    with transaction.atomic():
        instance.save()
        form.save_m2m()
    return instance


def organisation_object_delete(*, user: User, instance: models.Model) -> None:
    """Deletes an object that nothing else refers to; refuses with a message otherwise."""
    instance._history_user = user
    try:
        with transaction.atomic():
            instance.delete()
    except models.ProtectedError as error:
        names = ", ".join(sorted({str(obj) for obj in error.protected_objects})[:5])
        raise OrganisationError(
            IN_USE.format(object=instance, count=len(error.protected_objects), names=names)
        ) from None


def association_update(*, user: User, form: ModelForm) -> Association:
    """Saves the förbund's details and settings."""
    instance = form.save(commit=False)
    instance._history_user = user
    with transaction.atomic():
        instance.save()
    return instance


def role_grant(*, granted_by: User | None, user: User, association: Association, kind: str) -> Role:
    """Gives ``user`` the role ``kind`` in ``association``, replacing any role held there."""
    with transaction.atomic():
        role = Role(user=user, association=association, kind=kind)
        role._history_user = granted_by
        try:
            with transaction.atomic():
                role.save()
        except IntegrityError:
            # Granted meanwhile (or before): change the role held there instead.
            role = Role.objects.select_for_update().get(user=user, association=association)
            role.kind = kind
            role._history_user = granted_by
            role.save()
    return role
