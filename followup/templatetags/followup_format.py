"""Counts of people as they may be published outside the register (followup.suppression)."""

from django import template
from django.utils.html import format_html_join

from followup.suppression import shown

register = template.Library()


@register.filter
def small_count(value) -> str:
    """1–4 → '<5'; other counts grouped the Swedish way."""
    return shown(value)


@register.simple_tag
def count_cells(*groups) -> str:
    """Table cells of counts, one `<td class="num">` each, escaped: one tag for a row's cells
    instead of a template loop per cell (a statistics page has a thousand of them). Each
    argument is a list of cells or one cell; None (no total) gives no cell."""
    cells = []
    for group in groups:
        if isinstance(group, list | tuple):
            cells.extend(group)
        elif group is not None:
            cells.append(group)
    return format_html_join("", '<td class="num">{}</td>', ((cell,) for cell in cells))
