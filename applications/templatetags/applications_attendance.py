"""The attendance form's table written in Python (issue #12): a row per board seat with three
inputs, through the template language, cost more than the rest of the page. The markup is what
the template's loop wrote (templates/applications/meetings/attendance.html), cell for cell;
the inputs are the form's own, rendered by its renderer."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _hidden_label(field) -> str:
    return (
        f'<label class="visually-hidden" for="{escape(str(field.id_for_label))}">'
        f"{escape(str(field.label))}</label>"
    )


def _row(seat, present, serving_for, approver) -> str:
    party = f" ({escape(seat.party)})" if seat.party else ""
    order = f" {seat.deputy_order}" if seat.deputy_order else ""
    serving = f"{_hidden_label(serving_for)}{serving_for}" if serving_for is not None else ""
    return (
        f'<tr><th scope="row">{escape(str(seat.person))}{party}</th>'
        f"<td>{escape(seat.get_kind_display())}{order}</td>"
        f"<td>{escape(str(seat.member))}</td>"
        f"<td>{present}{_hidden_label(present)}</td>"
        f"<td>{serving}</td>"
        f"<td>{approver}{_hidden_label(approver)}</td></tr>"
    )


@register.filter
def attendance_rows(form):
    """The attendance table's ``<tr>`` elements (AttendanceForm.seat_fields), or its one row
    saying the board has no seats that day."""
    rows = form.seat_fields()
    if not rows:
        return mark_safe('<tr><td colspan="6">Styrelsen har inga platser den dagen.</td></tr>')
    return mark_safe("".join(_row(*row) for row in rows))
