"""Every change to the organisation goes through here: atomic, scoped to a förbund, and recorded
with the user who made it (django-simple-history keeps the trail).

The services take plain values (a form's ``cleaned_data``, or the demo's data), never forms, and
validate the model's own rules before they write, so a caller without a form is held to them too.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst

from finsam import concurrency
from finsam.bounds import require_within_bounds
from finsam.errors import DomainError
from finsam.models import Association, Role, User

IN_USE = "{object} kan inte tas bort eftersom {count} andra uppgifter hänvisar till den: {names}."
NO_ROLE_THERE = "Du har ingen behörighet i det förbundet."
OTHER_ASSOCIATION = "{object} hör till ett annat förbund."
# What someone else changed meanwhile (finsam.errors.ChangedMeanwhile: "Någon annan har ändrat …").
OBJECT_WHAT = "uppgifterna"
ASSOCIATION_WHAT = "förbundets uppgifter"

OrganisationObject = TypeVar("OrganisationObject", bound=models.Model)


class OrganisationError(DomainError):
    """A change the rules refuse; the message is Swedish and shown to the user."""


def _validate(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        raise OrganisationError(" ".join(error.messages)) from None


def _check_scope(association_id: int, values: Mapping[str, Any]) -> None:
    """Refuses a member or person of another förbund (a seat reaches its förbund through them)."""
    for value in values.values():
        owner = getattr(value, "association_id", None)
        if isinstance(value, models.Model) and owner is not None and owner != association_id:
            raise OrganisationError(OTHER_ASSOCIATION.format(object=value))


# Whole numbers that are not counts: a population (Region Stockholm has 2.4 million people) is
# bounded by its column, which full_clean() checks.
NOT_COUNTS = {"population"}


def _require_bounds(instance: models.Model) -> None:
    """The domain's bounds (finsam.bounds) on every date and count of ``instance``, as the
    caller gave them: a board seat from year 2 made the organisation page fail for everyone."""
    dates, counts = {}, {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        label = capfirst(str(field.verbose_name))
        if isinstance(field, models.DateField):  # and DateTimeField
            dates[label] = getattr(instance, field.attname)
        elif isinstance(field, models.IntegerField) and field.name not in NOT_COUNTS:
            counts[label] = getattr(instance, field.attname)
    require_within_bounds(dates=dates, counts=counts)


def _save(instance: OrganisationObject, *, user: User | None) -> OrganisationObject:
    _validate(instance)  # first: it turns the values into the fields' types
    _require_bounds(instance)
    instance._history_user = user
    with transaction.atomic():
        instance.save()
    return instance


def organisation_object_create(
    *,
    user: User | None,
    association: Association,
    model: type[OrganisationObject],
    values: Mapping[str, Any],
) -> OrganisationObject:
    """Creates a member, person, board seat, beredningsgrupp seat, kansli position or target
    group of ``association`` from field ``values``."""
    _check_scope(association.pk, values)
    instance = model(**values)
    if hasattr(instance, "association_id"):
        instance.association = association
    return _save(instance, user=user)


def object_fingerprint(instance: models.Model, names) -> str:
    """The fingerprint (finsam/concurrency.py) of ``instance`` as a form of the fields ``names``
    shows it: compute it before the form is bound (a bound form changes its instance)."""
    return concurrency.fingerprint(concurrency.field_values(instance, sorted(names)))


def _check_unchanged(instance: models.Model, values, fingerprint: str | None, what: str) -> None:
    """Locks ``instance``'s row for the caller's transaction and refuses the save if someone
    changed the fields being saved since the form was opened."""
    if fingerprint is None:
        return
    # Two officers saving the same object: the second waits here, then sees the first's values.
    current = type(instance).objects.select_for_update().get(pk=instance.pk)
    concurrency.check_unchanged(fingerprint, object_fingerprint(current, values), what=what)


def organisation_object_update(
    *,
    user: User | None,
    association: Association,
    instance: OrganisationObject,
    values: Mapping[str, Any],
    fingerprint: str | None = None,
) -> OrganisationObject:
    """Changes the given fields of ``instance``, an object of ``association`` (found through the
    förbund's own queryset). ``fingerprint`` is ``object_fingerprint`` of the fields as the form
    showed them (None: not checked)."""
    _check_scope(association.pk, values)
    with transaction.atomic():
        _check_unchanged(instance, values, fingerprint, OBJECT_WHAT)
        for name, value in values.items():
            setattr(instance, name, value)
        return _save(instance, user=user)


def organisation_object_delete(*, user: User | None, instance: models.Model) -> None:
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


def association_create(*, user: User | None, values: Mapping[str, Any]) -> Association:
    """Creates a förbund with its details and settings."""
    return _save(Association(**values), user=user)


def association_update(
    *,
    user: User | None,
    association: Association,
    values: Mapping[str, Any],
    fingerprint: str | None = None,
) -> Association:
    """Changes the förbund's details and settings. ``fingerprint`` is ``object_fingerprint`` of
    the fields as the form showed them (None: not checked)."""
    with transaction.atomic():
        _check_unchanged(association, values, fingerprint, ASSOCIATION_WHAT)
        for name, value in values.items():
            setattr(association, name, value)
        return _save(association, user=user)


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
