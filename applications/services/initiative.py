"""Insatser: what a granted application becomes, and the grants the budget reads."""

import datetime

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from applications.models import Application, Decision, Initiative, InitiativeGrant, Orientation
from finsam.models import Association, Member, User


def initiative_grant(*, user: User, application: Application, decision: Decision) -> Initiative:
    """A justerad grant: the application's insats (created at its first grant, extended by a
    continuation) receives the decided amount for each year."""
    with transaction.atomic():
        initiative = application.initiative
        if initiative is None:
            initiative = Initiative(
                association=application.association,
                name=application.name,
                owner=application.owner,
                orientation=application.orientation or Orientation.INDIVIDUAL,
                period_start=application.period_start,
                period_end=application.period_end,
            )
            initiative._history_user = user
            initiative.save()
            application.initiative = initiative
            application._history_user = user
            application.save(update_fields=["initiative"])
        elif application.period_end and application.period_end > initiative.period_end:
            # A continuation extends the initiative it continues.
            initiative.period_end = application.period_end
            initiative._history_user = user
            initiative.save(update_fields=["period_end"])
        bulk_create_with_history(
            [
                InitiativeGrant(
                    initiative=initiative, decision=decision, year=row.year, amount=row.amount
                )
                for row in decision.amounts.all()
            ],
            InitiativeGrant,
            default_user=user,
        )
    return initiative


def initiative_register(
    *,
    user: User,
    association: Association,
    name: str,
    owner: Member,
    orientation: str,
    period_start: datetime.date,
    period_end: datetime.date,
) -> Initiative:
    """An insats granted before the förbund kept its decisions here, so that continuations,
    actuals and follow-up have something to point at."""
    initiative = Initiative(
        association=association,
        name=name,
        owner=owner,
        orientation=orientation,
        period_start=period_start,
        period_end=period_end,
    )
    initiative._history_user = user
    initiative.save()
    return initiative
