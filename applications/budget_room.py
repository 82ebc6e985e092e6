"""What the budget has left to distribute, as the decision form shows it.

The budget app knows the figures, but `applications` must not import `budget` (dependencies
point finsam ← applications ← budget). So this module names the question and the setting
``FINSAM_BUDGET_ROOM`` names the function that answers it: `budget.selectors.grant_room`. Without
the setting (or the budget app) the form simply shows no room.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

from finsam.models import Association


@dataclass(frozen=True)
class BudgetRoom:
    """Per year: the Medel för insatser att fördela still not granted by justerade decisions,
    and which budget version it comes from ("fastställd budget 2027, version 2" or "utkast")."""

    year: int
    left: Decimal
    source: str
    adopted: bool


def budget_room(*, association: Association, years: list[int]) -> dict[int, BudgetRoom]:
    """Room per year for the years that have a budget; years without one are left out."""
    path = getattr(settings, "FINSAM_BUDGET_ROOM", "")
    if not path or not years:
        return {}
    return import_string(path)(association=association, years=years)


@dataclass(frozen=True)
class RoomAfter:
    room: BudgetRoom
    amount: Decimal

    @property
    def left_after(self) -> Decimal:
        return self.room.left - self.amount

    @property
    def overdrawn(self) -> bool:
        return self.left_after < 0


def room_after(room: dict[int, BudgetRoom], amounts: dict[int, Decimal]) -> list[RoomAfter]:
    """Each year's room once ``amounts`` (this decision's, in kronor) are granted."""
    return [RoomAfter(room[year], amounts.get(year, Decimal(0))) for year in sorted(room)]
