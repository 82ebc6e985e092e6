"""The budget's tables written in Python (issue #12): on the budget page and in the auditors'
report Budget och utfall (some forty rows of five cells), Insatser and Eget kapital (a row per
year of the förbund's history), and the overview's periods (a row per year, three links each),
cost more through the template language than the rest of their pages. Every amount is already
text in tkr (budget.selectors.tkr_text); the markup is what the templates' loops wrote (their
text is kept in tests/test_budget_rendering.py), cell for cell, each value escaped as the
templates escaped it."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from budget.selectors import tkr_text
from finsam.templatetags.finsam_shell import pk_url

register = template.Library()


def _e(value) -> str:
    return str(conditional_escape(value))


def _cells(cells) -> str:
    return "".join(f'<td class="num">{_e(cell)}</td>' for cell in cells)


def _carry_over_label(period, link: bool) -> str:
    carry_over = period.carry_over
    if not carry_over.source:
        return f' <span class="small">({_e(carry_over.basis)})</span>'
    shown = (
        f' <a href="{_e(carry_over.source.get_absolute_url())}">Visa {_e(carry_over.source)}</a>'
        if link
        else ""
    )
    return f' <span class="small">({_e(carry_over.basis)}{shown})</span>'


@register.simple_tag
def figure_table_rows(period, link_carry_over=False):
    """The rows of Budget och utfall (Period.figure_rows): a line's label in a cell, a derived
    row's as its row header, the carry-over's with what it comes from (and with
    ``link_carry_over`` a link to that period)."""
    rows = []
    for row in period.figure_rows:
        cells = _cells(row.cells)
        if row.carry_over:
            label = _e(row.label) + _carry_over_label(period, bool(link_carry_over))
            rows.append(f"<tr><td>{label}</td>{cells}</tr>")
        elif row.derived:
            css = f' class="{_e(row.css)}"' if row.css else ""
            rows.append(f'<tr{css}><th scope="row">{_e(row.label)}</th>{cells}</tr>')
        else:
            rows.append(f"<tr><td>{_e(row.label)}</td>{cells}</tr>")
    return mark_safe("".join(rows))


@register.filter
def initiative_table_rows(period):
    """The rows of Insatser: each insats granted or booked in the period (or one row saying
    there is none), then Summa insatser."""
    rows = [
        f"<tr><td>{_e(name)}</td>{_cells((budget, actual, deviation))}</tr>"
        for name, budget, actual, deviation in period.initiative_rows
    ] or [f'<tr><td colspan="4">Inga beviljade insatser för {period.budget.year}.</td></tr>']
    total = _cells(period.initiatives_total_row)
    rows.append(f'<tr class="total"><th scope="row">Summa insatser</th>{total}</tr>')
    return mark_safe("".join(rows))


@register.filter
def equity_table_rows(chain):
    """The rows of Eget kapital: each period of the chain with its opening, result, closing,
    contributions and the guideline's ceiling, marked where the closing is over it."""
    rows = []
    for item in chain:
        equity = item.equity
        warning = ' class="table-warning"' if equity.over_ceiling else ""
        ceiling = (
            f"{tkr_text(equity.ceiling)} ({floatformat(equity.ceiling_percent, '-2')} %)"
            if equity.ceiling is not None
            else "–"
        )
        figures = "".join(
            f'<td class="num">{tkr_text(amount)}</td>'
            for amount in (equity.opening, equity.year_result, equity.closing, equity.contributions)
        )
        rows.append(
            f'<tr{warning}><th scope="row">{_e(item.budget.label)} <span class="small">'
            f"(enligt {_e(equity.basis)})</span></th>{figures}"
            f'<td class="num">{ceiling}</td></tr>'
        )
    return mark_safe("".join(rows))


@register.filter
def period_overview_rows(periods):
    """The overview's rows: each period with its version, whether its actuals are closed, what
    it has to distribute, its result and closing equity (marked over the guideline's ceiling),
    and its report as PDF and Excel; or one row saying there is no budget yet."""
    detail, pdf, xlsx = (
        pk_url(name) for name in ("budget:detail", "budget:report_pdf", "budget:report_xlsx")
    )
    rows = []
    for period in periods:
        budget, version = period.budget, period.version
        label = _e(budget.label)
        adopted = f" {version.adopted_on:%Y-%m-%d}" if version.adopted_on else ""
        state = "Stängd" if period.closed else "Pågår" if period.has_actuals else "Inget ännu"
        over = (
            ' <span class="badge text-bg-warning">Över taket</span>'
            if period.equity.over_ceiling
            else ""
        )
        rows.append(
            f'<tr><th scope="row"><a href="{detail(budget.pk)}">Budget {label}</a></th>'
            f"<td>{version.number}, {_e(version.get_state_display().lower())}{adopted}</td>"
            f"<td>{state}</td>"
            f'<td class="num">{tkr_text(period.budgeted.means_to_distribute)}</td>'
            f'<td class="num">{tkr_text(period.basis.year_result)}</td>'
            f'<td class="num">{tkr_text(period.equity.closing)}{over}</td>'
            f'<td><a href="{pdf(budget.pk)}">PDF<span class="visually-hidden"> för {label}</span>'
            f'</a> · <a href="{xlsx(budget.pk)}">Excel<span class="visually-hidden"> för {label}'
            "</span></a></td></tr>"
        )
    return mark_safe("".join(rows) or '<tr><td colspan="7">Inga budgetar ännu.</td></tr>')
