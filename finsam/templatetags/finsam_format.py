"""Numbers the Swedish way: 5 440 000 kr, 5 440 tkr, 12,5 %. The money filters are
finsam.money's formatting, so pages, PDFs and exports round and group alike."""

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils.formats import number_format

from finsam.money import format_kronor, format_tkr, round_half_away

register = template.Library()


@register.filter
def kronor(value) -> str:
    """Whole kronor with grouping and the typographic minus sign: 5 440 000, −45 864."""
    return format_kronor(value)


@register.filter
def tkr(value) -> str:
    """Kronor shown in thousands, rounded once for display: 5 440 000 → 5 440, −458 000 → −458
    (with the typographic minus sign)."""
    return format_tkr(value)


@register.filter
def percent(value: Fraction, decimals: int = 2) -> str:
    """An exact share as a percentage: Fraction(1, 8) → 12,50 %."""
    if value is None:
        return ""
    exact = Decimal(value.numerator) / Decimal(value.denominator) * 100
    rounded = round_half_away(exact, decimals)
    grouped = number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return f"{grouped} %"


@register.filter
def sub(value, other):
    """value − other, for a deviation computed where it is shown (utfall − budget)."""
    return Decimal(value or 0) - Decimal(other or 0)
