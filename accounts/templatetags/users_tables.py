"""The users page's tables written in Python (issue #12): fifty rows of six cells, a link and a
form each, through the template language cost more than the rest of the page. The markup is
what the template's loops wrote (templates/accounts/users/list.html), cell for cell, each value
escaped as the template escaped it."""

from html import escape

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

register = template.Library()


def _leads(names: list[str] | None) -> str:
    """The insatser of an insatsansvarig; nothing for the other roles (``None``)."""
    if names is None:
        return ""
    items = "".join(f"<li>{escape(name)}</li>" for name in names) or "<li>Ingen insats</li>"
    return f'<ul class="list-unstyled small mb-0">{items}</ul>'


def _user_row(row: dict, csrf_input: str) -> str:
    email = escape(row["email"])
    name = f"{escape(row['full_name'])}<br>" if row["full_name"] else ""
    me = ' <span class="small">(du)</span>' if row["is_me"] else ""
    closed = (
        "" if row["active"] else '<br><span class="badge text-bg-secondary">Avstängt konto</span>'
    )
    password = (
        "Valt"
        if row["password_set"]
        else (
            f'Inte valt än <form method="post" action="{escape(row["resend_url"])}" '
            f'class="mt-1">{csrf_input}<button type="submit" class="btn btn-sm '
            f'btn-outline-primary">Skicka ny länk<span class="visually-hidden"> till {email}'
            "</span></button></form>"
        )
    )
    return (
        f'<tr><th scope="row" class="fw-normal">{name}<span class="small">{email}</span>{me}'
        f"{closed}</th>"
        f"<td>{escape(row['kind'])}{_leads(row['leads'])}</td>"
        f'<td class="text-nowrap">{escape(row["last_login"])}</td>'
        f"<td>{password}</td>"
        f"<td>{'Kopplad' if row['second_factor'] else 'Nej'}</td>"
        f'<td class="text-nowrap"><a href="{escape(row["change_url"])}">Ändra roll'
        f'<span class="visually-hidden"> för {email}</span></a><br>'
        f'<a href="{escape(row["remove_url"])}">Ta bort<span class="visually-hidden"> '
        f"behörigheten för {email}</span></a></td></tr>"
    )


@register.simple_tag(takes_context=True)
def user_table_rows(context, rows: list[dict]):
    """The users table's ``<tr>`` elements (accounts.users_views._user_rows), the form that
    sends a new link with the page's CSRF token as {% csrf_token %} writes it."""
    csrf_input = CsrfTokenNode().render(context)
    return mark_safe("".join(_user_row(row, csrf_input) for row in rows))


@register.filter
def role_history_rows(history: list[dict]):
    """The role changes' ``<tr>`` elements (accounts.users_views._history_rows)."""
    return mark_safe(
        "".join(
            f'<tr><td class="text-nowrap">{escape(record["when"])}</td>'
            f"<td>{escape(record['who'])}</td><td>{escape(record['what'])}</td></tr>"
            for record in history
        )
    )
