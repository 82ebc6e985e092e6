"""The verksamhetsplan that stands on a board meeting's agenda, as the meeting page and the
meeting pack show it.

The plan lives in `budget`, but `applications` must not import `budget` (dependencies point
finsam ← applications ← budget). So this module names the question and the setting
``FINSAM_AGENDA_PLANS`` names the function that answers it: `budget.plan_agenda.agenda_plans`,
which renders the plan with its own templates and hands back finished, safe HTML. Without the
setting (or the budget app) the agenda simply shows the item's title, as for any other item.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString

from applications.models import AgendaItem, Meeting


@dataclass(frozen=True)
class AgendaPlan:
    """A plan on an agenda item: its title, the HTML to show under the item (on the meeting
    page a summary with links; in the pack a pointer to the appendix) and, in the pack, the
    appendix: the whole plan, as the board reads it before it decides ("" on the page)."""

    title: str
    html: SafeString
    appendix: SafeString | str = ""


def agenda_plans(*, meeting: Meeting, role: str, full: bool = False) -> dict[int, AgendaPlan]:
    """Agenda item pk → the plan on it that ``role`` may read. Reads the meeting's prefetched
    agenda; asks (and queries) only when a budget item stands on it."""
    path = getattr(settings, "FINSAM_AGENDA_PLANS", "")
    items = [item for item in meeting.agenda_items.all() if item.kind == AgendaItem.Kind.BUDGET]
    if not path or not items:
        return {}
    return import_string(path)(association=meeting.association, role=role, items=items, full=full)
