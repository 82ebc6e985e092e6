"""The insats page's tables and lists written in Python (issue #12): its applications, the
board's decisions, money per year, participants per year and the reports due, through the
template language with date filters and get_FOO_display per row, cost a quarter of the page.
The markup is what the templates' loops wrote (templates/followup/detail.html and its
includes _summary.html and _reports.html; the loops are kept in tests/test_followup_views.py
and tests/test_followup_reports.py), element for element, each value escaped as the template
escaped it."""

from html import escape

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from applications.models import Application, Decision, Meeting, PlannedReport
from finsam.money import format_tkr
from finsam.templatetags.finsam_shell import pk_url

register = template.Library()


def _e(value) -> str:
    """``{{ value }}``: localised, then escaped."""
    return escape(str(localize(value)))


def _day(value) -> str:
    """``{{ value|date:"Y-m-d" }}``: a moment in the förbund's time zone, nothing for None."""
    return f"{template_localtime(value):%Y-%m-%d}" if value else ""


def _labels(model, name: str) -> dict:
    """A field's choices by value, as get_FOO_display reads them (looked up once a page, not
    by get_FOO_display, which walks every choice on each call)."""
    return dict(model._meta.get_field(name).flatchoices)


@register.simple_tag
def initiative_application_rows(applications) -> str:
    """The ``<tr>`` of each application of the insats: dnr, name (linked) and kind, state and
    period."""
    url = pk_url("applications:detail")
    kinds, states = _labels(Application, "kind"), _labels(Application, "state")
    return mark_safe(
        "".join(
            f'<tr><td class="text-nowrap">{escape(application.dnr or "–")}</td>'
            f'<td><a href="{url(application.pk)}">{escape(application.name)}</a><br>'
            f'<span class="small">{escape(kinds.get(application.kind, application.kind))}'
            "</span></td>"
            f'<td><span class="badge state-{escape(application.state)}">'
            f"{escape(states.get(application.state, application.state))}</span></td>"
            f'<td class="text-nowrap">{_day(application.period_start)} – '
            f"{_day(application.period_end)}</td></tr>"
            for application in applications
        )
    )


def _decision(item):
    """The ärende's decision, None without one (as the template's ``{{ item.decision }}``)."""
    return getattr(item, "decision", None)


@register.simple_tag
def decided_item_blocks(items, sees_minutes: bool) -> str:
    """A block for each of the board's justerade decisions on the insats: the outcome, the §
    and meeting (linked to the minutes for those who may read them), the applications' dnr,
    the amounts granted per year in tkr and the conditions."""
    minutes = pk_url("applications:minutes_pdf")
    outcomes, bodies = _labels(Decision, "outcome"), _labels(Meeting, "body")
    blocks = []
    for item in items:
        decision = _decision(item)
        meeting = item.meeting
        outcome = outcomes.get(decision.outcome, decision.outcome) if decision else ""
        body = escape(bodies.get(meeting.body, meeting.body).lower())
        where = f"§ {_e(item.paragraph)}, {'protokoll ' if sees_minutes else ''}{body} "
        where += _day(meeting.starts_at)
        if sees_minutes:
            where = f'<a href="{minutes(item.meeting_id)}">{where}</a>'
        dnr = escape(item.application.dnr) if item.application_id else ""
        amounts = list(decision.amounts.all()) if decision else []
        granted = (
            '<p class="small mb-1">Beviljat: '
            + ", ".join(f"{row.year} {format_tkr(row.amount)} tkr" for row in amounts)
            + "</p>"
            if amounts
            else ""
        )
        conditions = (
            f'<p class="small mb-1">Villkor: {escape(decision.conditions)}</p>'
            if decision and decision.conditions
            else ""
        )
        blocks.append(
            f'<div class="decision mb-2"><p class="mb-1"><strong>{escape(outcome or item.title)}'
            f"</strong> · {where} · {dnr}</p>{granted}{conditions}</div>"
        )
    return mark_safe("".join(blocks))


@register.simple_tag
def money_rows(money) -> str:
    """The ``<tr>`` of each year of the insats: beviljat, utfall and their difference, in tkr."""
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{year.year}</th><td class="num">{format_tkr(year.granted)}</td>'
            f'<td class="num">{format_tkr(year.actual)}</td>'
            f'<td class="num">{format_tkr(year.deviation)}</td></tr>'
            for year in money
        )
    )


def _cells(by_gender) -> str:
    return "".join(f'<td class="num">{escape(str(cell))}</td>' for cell in by_gender.cells)


@register.simple_tag
def summary_year_rows(years) -> str:
    """The ``<tr>`` of each year's participants (followup.selectors.SummaryYear): who started,
    took part and ended, by kön, counts as they may be published."""
    return mark_safe(
        "".join(
            f'<tr><th scope="row">{row.year}</th>{_cells(row.started)}{_cells(row.took_part)}'
            f"{_cells(row.ended)}</tr>"
            for row in years
        )
    )


def _report_state(planned, received, today, file_url) -> str:
    if received is None:
        if planned.due < today:
            return '<span class="badge state-overdue">Försenad</span>'
        return '<span class="badge state-due">Ej lämnad</span>'
    item = received.agenda_item
    if received.is_handled:
        state = (
            f'<span class="badge state-handled">Behandlad</span> § {_e(item.paragraph)} '
            f"{_day(item.meeting.starts_at)}"
        )
    elif item is not None and not item.meeting.cancelled_at:
        state = (
            f'<span class="badge state-on-agenda">På dagordningen</span> '
            f"{_day(item.meeting.starts_at)}"
        )
    else:
        state = f'<span class="badge state-received">Mottagen</span> {_day(received.received_on)}'
    if file_url:
        state += f'<br><a class="small" href="{file_url}">{escape(received.file_name)}</a>'
    return state


@register.simple_tag
def report_rows(reports, initiative, permissions, today) -> str:
    """The ``<tr>`` of each report the insats's applications promise (the view's reports,
    ``received`` read with them): kind and dnr, the day it is due, whether it is received,
    on the board's agenda or handled, and the buttons the user's role may use."""
    kinds = _labels(PlannedReport, "kind")
    file_url = pk_url("followup:report_file", initiative.pk)
    upload_url = pk_url("followup:report_upload", initiative.pk)
    agenda_url = pk_url("followup:report_agenda", initiative.pk)
    receives, to_agenda = permissions.can_receive_reports, permissions.can_put_on_agenda
    rows = []
    for planned in reports:
        received = getattr(planned, "received", None)
        kind = escape(kinds.get(planned.kind, planned.kind))
        due = _day(planned.due)
        named = f"{kind.lower()} {due}"
        item = received.agenda_item if received is not None else None
        state = _report_state(planned, received, today, file_url(planned.pk) if receives else "")
        actions = ""
        if receives and item is None:
            label = (
                f'Byt fil<span class="visually-hidden"> för {named}</span>'
                if received is not None
                else f'Lämna rapport<span class="visually-hidden">: {named}</span>'
            )
            actions += (
                f'<a class="btn btn-sm btn-outline-primary" href="{upload_url(planned.pk)}">'
                f"{label}</a>"
            )
        if to_agenda and received is not None and (item is None or item.meeting.cancelled_at):
            actions += (
                f'<a class="btn btn-sm btn-outline-primary" href="{agenda_url(planned.pk)}">'
                f'Till styrelsen<span class="visually-hidden">: {named}</span></a>'
            )
        rows.append(
            f'<tr><td>{kind}<br><span class="small">{escape(planned.application.dnr)}</span>'
            f'</td><td class="text-nowrap">{due}</td><td>{state}</td>'
            f'<td class="text-end">{actions}</td></tr>'
        )
    return mark_safe("".join(rows))
