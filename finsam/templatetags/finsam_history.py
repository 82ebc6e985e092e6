"""The rows of a page's change history written in Python (issue #12): through the template
language, with a date filter and a loop of changes per record, they cost some 400 calls a
record on six pages. The markup is what the loop in templates/finsam/includes/_history.html
wrote, cell for cell, each value escaped as the template escaped it."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from finsam.selectors import HistoryEntry

register = template.Library()


def _row(entry: HistoryEntry) -> str:
    # The time as the template's date filter shows it: in the förbund's time zone.
    when = f"{template_localtime(entry.when):%Y-%m-%d %H:%M}"
    changes = (
        '<ul class="list-unstyled small mb-0">'
        + "".join(f"<li>{escape(change)}</li>" for change in entry.changes)
        + "</ul>"
        if entry.changes
        else ""
    )
    return (
        f'<tr><td class="text-nowrap">{when}</td><td>{escape(entry.who)}</td>'
        f"<td>{escape(entry.summary)}{changes}</td></tr>"
    )


@register.filter
def history_rows(history: list[HistoryEntry]) -> str:
    """The ``<tr>`` of each record of finsam.selectors.history_for: when, who, and what changed
    ("Ändrad: Namn, Folkmängd"), old → new where short."""
    return mark_safe("".join(_row(entry) for entry in history))
