"""The rows of the application and meeting lists and of a kallelse's recipients written in
Python (issue #12): fifty rows of five to eight cells through the template language cost more
than the rest of the page. The markup is what the templates' loops wrote
(templates/applications/list.html, templates/applications/meetings/list.html,
templates/applications/meetings/publish.html), cell for cell."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from applications.selectors import ApplicationRow
from applications.selectors.meeting import MeetingRow, Recipient

register = template.Library()


def _row(row: ApplicationRow) -> str:
    kind = f'<br><span class="small">{escape(row.kind)}</span>' if row.kind else ""
    decided = f'<br><span class="small">{escape(row.decided)}</span>' if row.decided else ""
    return (
        f'<tr><td class="text-nowrap">{escape(row.dnr)}</td>'
        f'<td><a href="{escape(row.url)}">{escape(row.name)}</a>{kind}</td>'
        f'<td><span class="badge state-{escape(row.state)}">{escape(row.state_label)}</span>'
        f"{decided}</td>"
        f'<td class="text-end">{escape(row.granted)}</td>'
        f"<td>{escape(row.owner)}</td>"
        f"<td>{escape(row.orientation)}</td>"
        f'<td class="text-nowrap">{escape(row.period)}</td>'
        # Already safe: the names escaped, one a line.
        f'<td class="small">{row.target_groups}</td></tr>'
    )


@register.filter
def application_table_rows(rows: list[ApplicationRow]):
    """The list's ``<tr>`` elements, or its one row saying that nothing matches."""
    if not rows:
        return mark_safe('<tr><td colspan="8">Inga ansökningar matchar.</td></tr>')
    return mark_safe("".join(_row(row) for row in rows))


def _meeting_row(row: MeetingRow) -> str:
    minutes = (
        f' · <a href="{escape(row.minutes_url)}">Protokoll (PDF)</a>' if row.minutes_url else ""
    )
    return (
        f'<tr><td><a href="{escape(row.url)}">{escape(row.starts)}</a></td>'
        f"<td>{escape(row.body)}</td>"
        f"<td>{escape(row.place)}</td>"
        f"<td>{escape(row.status)}</td>"
        f'<td><a href="{escape(row.pack_url)}">Kallelse (PDF)</a>{minutes}</td></tr>'
    )


@register.filter
def meeting_table_rows(rows: list[MeetingRow]):
    """The meeting list's ``<tr>`` elements, or its one row saying there are none."""
    if not rows:
        return mark_safe('<tr><td colspan="5">Inga sammanträden.</td></tr>')
    return mark_safe("".join(_meeting_row(row) for row in rows))


def _recipient_row(recipient: Recipient) -> str:
    address = recipient.address
    warning, cell = (
        ("", escape(address))
        if address
        else (' class="table-warning"', "<strong>Saknar e-postadress</strong>")
    )
    return (
        f'<tr{warning}><th scope="row">{escape(str(recipient.person))}</th>'
        f"<td>{escape(recipient.role)}</td><td>{cell}</td></tr>"
    )


@register.filter
def recipient_table_rows(recipients: list[Recipient]):
    """The ``<tr>`` of each who the kallelse goes to, marked where the address is missing, or
    the one row saying there is nobody to call."""
    if not recipients:
        return mark_safe(
            '<tr><td colspan="3">Ingen att kalla: lägg in ledamöterna och kansliet under '
            "Organisation.</td></tr>"
        )
    return mark_safe("".join(_recipient_row(recipient) for recipient in recipients))
