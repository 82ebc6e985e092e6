"""Insatser: what a granted application becomes, and the grants the budget reads."""

import datetime

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications.models import Application, Decision, Initiative, InitiativeGrant, Orientation
from finsam.bounds import require_within_bounds
from finsam.errors import DomainError
from finsam.models import Association, Member, User

INITIATIVE_ALREADY_ENDED = "Insatsen är redan avslutad ({how}, {day})."
INITIATIVE_END_OUTCOME = (
    "Ange hur insatsen avslutades: implementerad i ordinarie verksamhet eller avvecklad."
)
INITIATIVE_END_BEFORE_START = "Insatsen kan inte avslutas före sin start {start}."
INITIATIVE_END_IN_FUTURE = "Ett avslut registreras när det har skett; {day} ligger i framtiden."
ENDED_STATES = (Initiative.State.IMPLEMENTED, Initiative.State.DISCONTINUED)


class InitiativeError(DomainError):
    """A change to an insats that the rules refuse."""


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
    require_within_bounds(dates={"Startdatum": period_start, "Slutdatum": period_end})
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


def initiative_end(
    *, user: User, initiative: Initiative, outcome: str, ended_on: datetime.date
) -> Initiative:
    """The insats has ended (DESIGN.md § 3): implementerad i ordinarie verksamhet or avvecklad,
    on a day that has come, not before its start. Recorded in its history with the user.

    An insats may end before its planned period does (avvecklad early) or after it (the last
    participants finished later); the planned period is kept as decided."""
    require_within_bounds(dates={"Avslutad": ended_on})
    with transaction.atomic():
        # Locked so that two officers ending it at once cannot both pass the "running" check.
        initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if not initiative.is_running:
            raise InitiativeError(
                INITIATIVE_ALREADY_ENDED.format(
                    how=initiative.get_state_display().lower(), day=initiative.ended_on
                )
            )
        if outcome not in ENDED_STATES:
            raise InitiativeError(INITIATIVE_END_OUTCOME)
        if ended_on < initiative.period_start:
            raise InitiativeError(INITIATIVE_END_BEFORE_START.format(start=initiative.period_start))
        if ended_on > timezone.localdate():
            raise InitiativeError(INITIATIVE_END_IN_FUTURE.format(day=ended_on))
        initiative.state = outcome
        initiative.ended_on = ended_on
        initiative._history_user = user
        initiative.save(update_fields=["state", "ended_on"])
    return initiative
