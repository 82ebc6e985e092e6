"""Reads of the users page: the förbund's roles with what the officer needs to know of each
account, and the trace of role changes. Each a fixed number of queries, however many people."""

from functools import cache, reduce
from operator import or_

from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Value
from django_otp import device_classes

from finsam.expressions import Rank
from finsam.models import Association, Role
from finsam.selectors import historical_model

# The roles in the order of Role.Kind: the kansli first, the insatsansvariga last.
KIND_ORDER = Rank("kind", Role.Kind.values)
HISTORY_SHOWN = 20


@cache
def _second_factor():
    """Whether the role's person has a confirmed django-otp device (an app, recovery codes),
    as accounts.login_flow.has_second_factor asks. One EXISTS per installed kind of device in
    the list's own query, rather than django_otp.devices_for_user per person. Built once a
    process, as KIND_ORDER is: django_otp.device_classes() walks every installed model (about
    a thousand Python calls), and the installed kinds of device do not change while it runs;
    the query resolves a copy of the expression."""
    exists = [
        Exists(device.objects.filter(user=OuterRef("user"), confirmed=True))
        for device in device_classes()
    ]
    if not exists:
        return Value(False, output_field=models.BooleanField())
    return ExpressionWrapper(reduce(or_, exists), output_field=models.BooleanField())


def association_roles(association: Association):
    """Everyone with a role in the förbund, kansli first, then by name: the account
    (``user``) and ``has_second_factor``. The insatser of its insatsansvariga: led_initiatives."""
    return (
        Role.objects.filter(association=association)
        .select_related("user")
        .annotate(has_second_factor=_second_factor())
        .alias(kind_rank=KIND_ORDER)
        .order_by("kind_rank", "user__last_name", "user__first_name", "user__email")
    )


def led_initiatives(roles) -> dict[int, list[str]]:
    """The names of the insatser each insatsansvarig among ``roles`` leads, by role id, in name
    order: one query, and none where no role is an insatsansvarig (most pages of users)."""
    leads = [role.pk for role in roles if role.kind == Role.Kind.LEAD]
    if not leads:
        return {}
    # followup.InitiativeLead, reached through the role: the follow-up imports accounts, so
    # accounts does not import it.
    lead_model = Role._meta.get_field("initiative_leads").related_model
    names: dict[int, list[str]] = {pk: [] for pk in leads}
    for role_id, name in (
        lead_model.objects.filter(role_id__in=leads)
        .order_by("initiative__name", "pk")
        .values_list("role_id", "initiative__name")
    ):
        names[role_id].append(name)
    return names


def officer_count(association: Association) -> int:
    return Role.objects.filter(association=association, kind=Role.Kind.OFFICER).count()


def role_history(association: Association, limit: int = HISTORY_SHOWN) -> list[dict]:
    """The förbund's latest role changes, newest first (simple-history's records of Role), as
    values: ``history_date``, ``history_type`` (+ given, ~ changed, - taken away), ``kind``,
    ``whose`` (the account's e-mail; None for an account deleted since) and the name and
    e-mail of who made the change (None for the system). Values rather than three model
    objects a record: the page shows only these (issue #12)."""
    return list(
        historical_model(Role)
        .objects.filter(association_id=association.pk)
        .order_by("-history_date", "-history_id")
        # The record's account by a left join (simple-history's key is nullable and without a
        # constraint): None for an account deleted since.
        .annotate(whose=F("user__email"))
        .values(
            "history_date",
            "history_type",
            "kind",
            "whose",
            "history_user__first_name",
            "history_user__last_name",
            "history_user__email",
        )[:limit]
    )
