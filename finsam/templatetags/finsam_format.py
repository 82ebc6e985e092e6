"""Numbers the Swedish way: 5 440 000 kr, 5 440 tkr, 12,5 %."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template
from django.utils.formats import number_format

register = template.Library()


def _grouped(value: Decimal, decimals: int = 0) -> str:
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def kronor(value) -> str:
    """Whole kronor with grouping and the typographic minus sign: 5 440 000, −45 864."""
    if value is None or value == "":
        return ""
    rounded = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _grouped(rounded).replace("-", "\u2212")


@register.filter
def tkr(value) -> str:
    """Kronor shown in thousands, rounded once for display: 5 440 000 → 5 440, −458 000 → −458
    (with the typographic minus sign)."""
    if value is None or value == "":
        return ""
    thousands = (Decimal(value) / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _grouped(thousands).replace("-", "\u2212")


@register.filter
def percent(value: Fraction, decimals: int = 2) -> str:
    """An exact share as a percentage: Fraction(1, 8) → 12,50 %."""
    if value is None:
        return ""
    exact = Decimal(value.numerator) / Decimal(value.denominator) * 100
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{_grouped(rounded, decimals)} %"


@register.filter
def sub(value, other):
    """value − other, for a deviation computed where it is shown (utfall − budget)."""
    return Decimal(value or 0) - Decimal(other or 0)
