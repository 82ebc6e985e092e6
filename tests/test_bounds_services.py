"""finsam.bounds: the one check the services make of dates, amounts and counts."""

import datetime
from decimal import Decimal

import pytest

from finsam.bounds import MAX_COUNT, OutOfBounds, require_within_bounds
from finsam.errors import DomainError
from finsam.money import MAX_AMOUNT

OUT_OF_RANGE = "Värdet: Ange ett datum mellan 1990-01-01 och 2100-12-31."


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("dates", datetime.date(1990, 1, 1)),
        ("dates", datetime.date(2100, 12, 31)),
        ("dates", datetime.datetime(2026, 12, 4, 10, 0)),
        ("dates", None),
        ("amounts", MAX_AMOUNT),
        ("amounts", -MAX_AMOUNT),
        ("amounts", Decimal("0.5")),
        ("counts", 0),
        ("counts", MAX_COUNT),
    ],
)
def test_values_within_the_range_pass(kind, value):
    require_within_bounds(**{kind: {"Värdet": value}})


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("dates", datetime.date(1989, 12, 31), OUT_OF_RANGE),
        ("dates", datetime.date(2, 6, 1), OUT_OF_RANGE),
        ("dates", datetime.datetime(9999, 1, 1), OUT_OF_RANGE),
        ("amounts", MAX_AMOUNT + Decimal("0.01"), "högst 1\u00a0000\u00a0000\u00a0000 kr"),
        ("amounts", Decimal("-1E+28"), "Värdet: beloppet är för stort"),
        ("counts", -1, "Värdet: ange ett antal mellan 0 och 1\u00a0000\u00a0000."),
        ("counts", MAX_COUNT + 1, "ange ett antal mellan 0 och"),
    ],
)
def test_values_out_of_range_are_refused_with_a_swedish_message_naming_them(kind, value, message):
    with pytest.raises(OutOfBounds) as refused:
        require_within_bounds(**{kind: {"Värdet": value}})
    assert message in str(refused.value)
    assert isinstance(refused.value, DomainError)  # shown by refusals_shown like any refusal
