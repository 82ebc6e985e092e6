"""The application page's timeline and budget table written in Python (issue #12): its moves
through the states and the extracts of the minutes sent, through the template language with a
date filter and two get_FOO_display a move, cost more than any other part of the page, and the
budget's rows came next. The markup is what the templates' loops wrote
(templates/applications/detail.html, templates/applications/includes/_budget.html), element
for element, each value escaped as the template escaped it."""

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from applications.models import Application
from finsam.money import format_kronor

register = template.Library()


def _when(moment) -> str:
    """As the template's date filter showed it: in the förbund's time zone."""
    return f"{template_localtime(moment):%Y-%m-%d %H:%M}"


@register.simple_tag
def application_timeline(application: Application, decided_items) -> str:
    """The ``<li>`` of each move of the application (its prefetched ``state_changes`` with
    ``by``), or the one saying it is a draft, then of each extract of the minutes sent for
    its decided ärenden (selectors.decided_items, ``extracts`` prefetched with ``sent_by``)."""
    # The labels looked up once, not by get_FOO_display, which walks every choice each call.
    states = dict(Application.State.choices)
    items = []
    for change in application.state_changes.all():
        moved = (
            f"{escape(states.get(change.from_state, change.from_state))} → "
            if change.from_state
            else ""
        )
        comment = (
            f'<br><span class="small">{escape(change.comment)}</span>' if change.comment else ""
        )
        items.append(
            f'<li><span class="small">{_when(change.at)}</span><br>{moved}'
            f"<strong>{escape(states.get(change.to_state, change.to_state))}</strong> av "
            f"{escape(str(change.by))}{comment}</li>"
        )
    if not items:
        items.append("<li>Utkast, inte registrerad.</li>")
    for item in decided_items:
        for extract in item.extracts.all():
            items.append(
                f'<li><span class="small">{_when(extract.sent_at)}</span><br>Protokollsutdrag '
                f"§ {escape(localize(item.paragraph))} skickat av {escape(str(extract.sent_by))}"
                f'<br><span class="small">till {escape(extract.recipients)}</span></li>'
            )
    return mark_safe("".join(items))


def _budget_year(year) -> str:
    label = str(year.year)
    rows = [
        f"<tr><td>{label}</td><td>{escape(row.label)}</td><td>{kind}</td>"
        f'<td class="num">{format_kronor(row.amount)}</td></tr>'
        for rows, kind in (
            (year.costs, "Kostnad"),
            (year.income, "Intäkt"),
            (year.own_funds, "Egna medel"),
        )
        for row in rows
    ]
    sums = [("Kostnader", year.total_costs)]
    if year.income:
        sums.append(("Intäkter", year.total_income))
    if year.own_funds:
        sums.append(("Egna medel", year.total_own_funds))
    sums.append(("Sökt från förbundet", year.sought))
    rows += [
        f'<tr class="subtotal"><th scope="row" colspan="3">{what} {label}</th>'
        f'<td class="num">{format_kronor(amount)}</td></tr>'
        for what, amount in sums
    ]
    return f"<tbody>{''.join(rows)}</tbody>"


@register.simple_tag
def application_budget_years(budget) -> str:
    """The application's budget table's ``<tbody>`` per year (selectors.BudgetSummary): its
    costs, income and own funds in kronor, then the year's sums, computed; or the one saying
    there is no budget."""
    if not budget.years:
        return mark_safe('<tbody><tr><td colspan="4">Ingen budget angiven.</td></tr></tbody>')
    return mark_safe("".join(_budget_year(year) for year in budget.years))
