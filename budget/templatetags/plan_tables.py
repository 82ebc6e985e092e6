"""The verksamhetsplan's table of insatser written in Python (issue #12): a row per insats
running in the plan's year, with its grants per year and its targets, cost the plan page and
its PDF more through the template language than the rest of the plan's parts together. The
markup is what the template's loop wrote (budget/plan/includes/_part_initiatives.html), cell
for cell, each value escaped as the template escaped it."""

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe

from applications.models import Orientation
from budget.selectors import tkr_text

register = template.Library()


def _targets(targets) -> str:
    """ "Beräknat flöde: 140; Till arbete eller studier: 10", or "–" without targets."""
    if not targets:
        return "–"
    return "; ".join(
        f"{escape(target.text)}: {escape(str(localize(target.number)))}" for target in targets
    )


def _day(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


@register.filter
def plan_initiative_rows(lines) -> str:
    """The ``<tr>`` of each InitiativeLine (budget.plan_selectors): name and orientation,
    huvudman, period, beviljat per year in tkr, and the targets."""
    orientations = {value: str(label) for value, label in Orientation.choices}
    rows = []
    for line in lines:
        initiative = line.initiative
        orientation = orientations.get(initiative.orientation, initiative.orientation or "")
        granted = "".join(f'<td class="num">{tkr_text(amount)}</td>' for amount in line.granted)
        rows.append(
            f'<tr><td>{escape(initiative.name)}<span class="small d-block">'
            f"{escape(orientation)}</span></td><td>{escape(initiative.owner.name)}</td>"
            f"<td>{_day(initiative.period_start)} – {_day(initiative.period_end)}</td>"
            f"{granted}<td>{_targets(line.targets)}</td></tr>"
        )
    return mark_safe("".join(rows))
