"""Counts of people as they may be published outside the register (followup.suppression)."""

from django import template

from followup.suppression import shown

register = template.Library()


@register.filter
def small_count(value) -> str:
    """1–4 → '<5'; other counts grouped the Swedish way."""
    return shown(value)
