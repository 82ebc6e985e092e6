"""The organisation page's longest tables written in Python (issue #12): the members, the
board and the beredningsgrupp, a link or two and several cells a row, through the template
language cost more than the rest of the page. The markup is what the template's loops wrote
(templates/finsam/organisation.html), cell for cell, each value escaped as the template escaped
it. The rows are finsam.views.overview_rows's plain values."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _linked(url: str, name: str) -> str:
    return f'<a href="{escape(url)}">{escape(name)}</a>' if url else escape(name)


def _rows(rows: list[dict], write, *, columns: int, empty: str):
    """The rows as markup, each written by ``write``; one row saying ``empty`` without any."""
    if not rows:
        return mark_safe(f'<tr><td colspan="{columns}">{empty}</td></tr>')
    return mark_safe("".join(write(row) for row in rows))


def _member(row: dict) -> str:
    return (
        f'<tr><th scope="row"><a href="{escape(row["url"])}">{escape(row["name"])}</a></th>'
        f"<td>{escape(row['kind'])}</td>"
        f'<td class="num">{escape(row["population"])}</td>'
        f'<td class="num">{escape(row["share"])}</td>'
        f"<td>{escape(row['note'])}</td><td>{escape(row['since'])}</td></tr>"
    )


def _seat(seat: dict | None) -> str:
    """A board seat's cell: the person (linked for the officer), party, office."""
    if not seat:
        return "<td></td>"
    party = f" ({escape(seat['party'])})" if seat["party"] else ""
    office = f", <em>{escape(seat['office'])}</em>" if seat["office"] else ""
    return f"<td>{_linked(seat['url'], seat['name'])}{party}{office}</td>"


def _board_row(row: dict) -> str:
    return (
        f"<tr>{''.join(_seat(seat) for seat in row['seats'])}"
        f'<td><a href="{escape(row["member_url"])}">{escape(row["member"])}</a></td></tr>'
    )


def _preparation_seat(seat: dict) -> str:
    title = f", {escape(seat['title'])}" if seat["title"] else ""
    return (
        f"<tr><td>{_linked(seat['url'], seat['name'])}{title}</td>"
        f"<td>{escape(seat['member'])}</td></tr>"
    )


@register.filter
def member_table_rows(rows: list[dict]):
    return _rows(rows, _member, columns=6, empty="Inga medlemmar ännu.")


@register.filter
def board_table_rows(rows: list[dict]):
    return _rows(rows, _board_row, columns=3, empty="Inga styrelseplatser registrerade.")


@register.filter
def preparation_table_rows(rows: list[dict]):
    return _rows(rows, _preparation_seat, columns=2, empty="Ingen beredningsgrupp registrerad.")
