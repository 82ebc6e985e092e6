"""The rows of the verksamhetsplan's tables written in Python (issue #12): a row per insats
running in the plan's year, with its grants per year and its targets, cost the plan page and
its PDF more through the template language than the rest of the plan's parts together, and the
budget's, the members' and the board's rows came next. The markup is what the templates' loops
wrote (budget/plan/includes/_part_initiatives.html, _part_budget.html, _part_members.html and
_part_board.html), cell for cell, each value escaped as the template escaped it."""

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe

from applications.models import Orientation
from budget.selectors import tkr_text
from finsam.money import format_tkr
from finsam.templatetags.finsam_format import percent

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


def _budget_row(row) -> str:
    label = escape(row.label)
    if row.style == "group":
        return f'<tr class="group"><th scope="rowgroup" colspan="2">{label}</th></tr>'
    if row.style:
        head = f'<tr class="{escape(row.style)}"><th scope="row">{label}</th>'
    else:
        head = f"<tr><td>{label}</td>"
    return f'{head}<td class="num">{tkr_text(row.amount)}</td></tr>'


@register.filter
def plan_budget_rows(group) -> str:
    """The ``<tr>`` of a group of the plan's budget table (budget.plan_selectors.TableRow): a
    heading over the group's lines, a line, a sum or a total, its amount in tkr."""
    return mark_safe("".join(_budget_row(row) for row in group))


def _member_row(row) -> str:
    note = f' <span class="small">({escape(row.note)})</span>' if row.note else ""
    share = percent(row.share) if row.share is not None else "–"
    contribution = format_tkr(row.contribution) if row.contribution is not None else "–"
    return (
        f'<tr><td>{escape(row.member.name)}{note}</td><td class="num">{escape(share)}</td>'
        f'<td class="num">{contribution}</td></tr>'
    )


@register.filter
def plan_member_rows(rows) -> str:
    """The ``<tr>`` of each member (budget.plan_selectors.MemberRow): its § 5 share and its
    ägarbidrag in tkr, "–" where the plan has no figure."""
    return mark_safe("".join(_member_row(row) for row in rows))


def _seat(seat) -> str:
    """A board seat's holder and party, nothing for an empty place."""
    if not seat:
        return ""
    party = f" ({escape(seat.party)})" if seat.party else ""
    return f"{escape(seat.person.name)}{party}"


@register.filter
def plan_board_rows(rows) -> str:
    """The ``<tr>`` of each member's ordinary and deputy seat on the board
    (budget.plan_selectors.BoardRow)."""
    return mark_safe(
        "".join(
            f"<tr><td>{_seat(row.ordinary)}</td><td>{_seat(row.deputy)}</td>"
            f"<td>{escape(row.member.name)}</td></tr>"
            for row in rows
        )
    )
