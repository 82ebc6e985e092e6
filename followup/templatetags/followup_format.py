"""Counts of people as they may be published outside the register (followup.suppression)."""

import html

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from finsam.money import format_tkr
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


def escape(value) -> str:
    """Django's escape without its lazy-string wrapper (called for every cell of a table)."""
    return html.escape(str(value))


@register.simple_tag
def stats_table(table) -> str:
    """One statistics table (followup.suppression.Table), built in Python: a page has over a
    dozen of them, and a template loop per row and cell cost more than the rest of the page."""
    caption = escape(table.caption)
    rows = table.rows
    with_totals = bool(rows) and rows[0].total is not None
    wide = " wide-table" if len(table.columns) > 4 else ""
    total_heading = '<th scope="col" class="num">Totalt</th>' if with_totals else ""
    columns = "".join(
        f'<th scope="col" class="num">{escape(column)}</th>' for column in table.columns
    )
    parts = [
        '<div class="table-responsive stats-table" tabindex="0" role="region" '
        f'aria-label="{caption}">\n'
        f'<table class="table table-sm budget-table{wide}">\n'
        f"  <caption>{caption}</caption>\n"
        f'  <thead><tr><th scope="col">{escape(table.row_heading)}</th>{columns}'
        f"{total_heading}</tr></thead>\n"
        "  <tbody>\n"
    ]
    for row in rows:
        parts.append(
            f'    <tr><th scope="row">{escape(row.label)}</th>{_cells(row.cells, row.total)}</tr>\n'
        )
    parts.append("  </tbody>\n")
    if table.column_totals:
        parts.append(
            '  <tfoot><tr><th scope="row">Totalt</th>'
            f"{_cells(table.column_totals, table.grand_total)}</tr></tfoot>\n"
        )
    parts.append("</table>\n</div>")
    return mark_safe("".join(parts))


def _cells(cells, total) -> str:
    shown_cells = [*cells, total] if total is not None else cells
    return "".join(f'<td class="num">{escape(cell)}</td>' for cell in shown_cells)


@register.simple_tag(takes_context=True)
def initiative_flow_rows(context, initiatives) -> str:
    """The förbund's page's row per insats (over a hundred): its name, linking to its own
    statistics for the same period, and who began, took part and ended, built in Python."""
    request = context["request"]
    query = f"?{escape(request.GET.urlencode())}" if request.GET else ""
    sentinel = 987654321
    link = reverse("followup:initiative_statistics", args=[sentinel])
    rows = []
    for initiative, item in initiatives:
        href = link.replace(str(sentinel), str(initiative.pk))
        rows.append(
            f'    <tr><th scope="row"><a href="{href}{query}">{escape(initiative.name)}</a></th>\n'
            f"      {_cells([*item.started.cells, *item.took_part.cells, *item.ended.cells], None)}"
            "</tr>\n"
        )
    return mark_safe("".join(rows))


@register.simple_tag
def target_rows(targets) -> str:
    """The rows of the targets table (followup.statistics.TargetRow), built in Python: a
    förbund has a target or more per insats."""
    return mark_safe(
        "".join(
            f"    <tr><td>{escape(row.initiative.name)}</td><td>{escape(row.text)}</td>"
            f'<td class="num">{row.number}</td><td>{escape(row.measure)}</td>'
            f'<td class="num">{escape(row.outcome)}</td></tr>\n'
            for row in targets
        )
    )


@register.simple_tag
def return_rows(rows) -> str:
    """The yearly return's row per insats (followup.returns.ReturnRow), built in Python: a
    förbund runs over a hundred insatser, each row fifteen cells."""
    parts = []
    for row in rows:
        initiative = row.initiative
        planned = "–" if row.planned is None else str(row.planned)
        parts.append(
            f'    <tr><th scope="row">{escape(initiative.name)}</th><td>{escape(row.orientation)}'
            f"</td><td>{escape(row.target_groups or '–')}</td>\n"
            f'      <td class="text-nowrap">{initiative.period_start:%Y-%m-%d} – '
            f"{initiative.last_day:%Y-%m-%d}</td>\n"
            f'      <td class="num">{escape(format_tkr(row.granted))}</td>'
            f'<td class="num">{escape(format_tkr(row.actual))}</td>'
            f'<td class="num">{planned}</td>\n'
            f"      {_cells(row.counts, None)}</tr>\n"
        )
    return mark_safe("".join(parts))


@register.simple_tag
def initiative_list_rows(rows) -> str:
    """The insatser list's rows (followup.selectors.InitiativeRow), built in Python."""
    parts = []
    for row in rows:
        if row.running:
            state = '<span class="badge state-running">Pågår</span>'
        else:
            outcome = "Implementerad i ordinarie verksamhet" if row.implemented else "Avvecklad"
            state = (
                f'<span class="badge state-ended">Avslutad {escape(row.ended_on)}</span><br>'
                f'<span class="small">{outcome}</span>'
            )
        if row.next_report_due:
            late = ' <span class="badge text-bg-warning">Försenad</span>' if row.overdue else ""
            due = f"{escape(row.next_report_due)}{late}"
        else:
            due = "–"
        parts.append(
            "    <tr>\n"
            f'      <td><a href="{escape(row.url)}">{escape(row.name)}</a></td>\n'
            f"      <td>{escape(row.owner)}</td>\n"
            f"      <td>{escape(row.orientation)}</td>\n"
            f'      <td class="text-nowrap">{escape(row.period)}</td>\n'
            f"      <td>{state}</td>\n"
            f'      <td class="num">{escape(row.granted)}</td>\n'
            f'      <td class="num">{escape(row.participants)}</td>\n'
            f'      <td class="text-nowrap">{due}</td>\n'
            "    </tr>\n"
        )
    return mark_safe("".join(parts))


@register.simple_tag
def register_table_rows(rows, initiative) -> str:
    """The register page's rows (followup.selectors.RegisterRow), built in Python: fifty rows
    of ten cells each."""
    sentinel = 987654321
    end_link = reverse("followup:participant_end", args=[initiative.pk, sentinel])
    parts = []
    for row in rows:
        code = escape(row.code)
        if row.ended_on:
            ended = (
                f'      <td class="text-nowrap">{row.ended_on:%Y-%m-%d}</td>\n'
                f"      <td>{escape(row.exit_reason)}</td>\n"
                f"      <td>{escape(row.income_source_end)}<br>{escape(row.occupation_end)}</td>\n"
            )
        else:
            href = end_link.replace(str(sentinel), str(row.pk))
            ended = (
                f'      <td colspan="3"><a href="{href}">Avsluta<span class="visually-hidden"> '
                f"{code}</span></a></td>\n"
            )
        parts.append(
            "    <tr>\n"
            f'      <th scope="row" class="text-nowrap">{code}</th>\n'
            f"      <td>{escape(row.gender)}</td>\n"
            f'      <td class="text-nowrap">{escape(row.age_band)}</td>\n'
            f"      <td>{escape(row.education)}</td>\n"
            f'      <td class="text-nowrap">{escape(row.support_time)}</td>\n'
            f'      <td class="text-nowrap">{row.started_on:%Y-%m-%d}</td>\n'
            f"      <td>{escape(row.income_source_start)}<br>{escape(row.occupation_start)}</td>\n"
            f"{ended}"
            "    </tr>\n"
        )
    return mark_safe("".join(parts))


@register.simple_tag
def timeline_items(events) -> str:
    """The insats's timeline (followup.selectors.TimelineEvent, oldest first) as ``<li>``
    elements: a long-lived insats has a hundred events, and a template loop with a date filter
    for each cost a tenth of its page (issue #12)."""
    if not events:
        return mark_safe("<li>Ingenting ännu.</li>")
    items = []
    for event in events:
        text = escape(event.text)
        if event.url:
            text = f'<a href="{escape(event.url)}">{text}</a>'
        detail = f'<br><span class="small">{escape(event.detail)}</span>' if event.detail else ""
        items.append(
            f'<li><span class="small">{timezone.localtime(event.when):%Y-%m-%d %H:%M}</span>'
            f"<br>{text}{detail}</li>"
        )
    return mark_safe("\n".join(items))
