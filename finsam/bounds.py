"""The domain's bounds as the services check them. Forms and imports refuse out-of-range input
with a message next to the field (finsam.validators, finsam.money); the services check the same
bounds again, because not every caller is a form (the demo, the dataset generator, a future API,
a shell). One range per kind, from the same constants:

    require_within_bounds(
        dates={"Sammanträdets tid": starts_at},
        amounts={"Beviljat belopp": amount},
        counts={"Antal deltagare": count},
    )

raises OutOfBounds (a DomainError, so views show it like any refusal) before anything is
written."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from finsam.errors import DomainError
from finsam.money import MAX_AMOUNT, format_kronor, grouped
from finsam.validators import DATE_OUT_OF_RANGE, date_in_range

# A count of people or things one figure may hold (participants in a month, rows of a table):
# a förbund's whole register is some thousands; a million is already a typing error.
MAX_COUNT = 1_000_000


class OutOfBounds(DomainError):
    """A value outside the domain's range reached a service; nothing was written."""


def require_within_bounds(
    *,
    dates: Mapping[str, datetime.date | None] | None = None,
    amounts: Mapping[str, Decimal | int | None] | None = None,
    counts: Mapping[str, int | None] | None = None,
    maximum: Decimal = MAX_AMOUNT,
) -> None:
    """Raises OutOfBounds naming the first value out of range (None is not checked: whether a
    value is required is the service's own rule)."""
    for label, value in (dates or {}).items():
        if value is not None and not date_in_range(value):
            raise OutOfBounds(f"{label}: {DATE_OUT_OF_RANGE}")
    for label, value in (amounts or {}).items():
        if value is not None and not abs(Decimal(value)) <= maximum:
            raise OutOfBounds(
                f"{label}: beloppet är för stort; högst {format_kronor(maximum)} kr tas emot."
            )
    for label, value in (counts or {}).items():
        if value is not None and not 0 <= value <= MAX_COUNT:
            raise OutOfBounds(f"{label}: ange ett antal mellan 0 och {grouped(MAX_COUNT)}.")
