"""The page shell (templates/base.html), built in Python once per page (issue #12).

Every page of the app renders the shell, so its cost is paid on every request: the main menu
was a dozen ``{% url %}`` tags and twice as many ``{% if %}``. Here the menu is one tag, the
shell's addresses are reversed once per process (they depend on nothing but the URLconf and the
script prefix; the cache is keyed by both), and the menu reads the request's role as the
tenancy middleware set it. The markup is the one the template wrote: the same links, the same
``active`` class and ``aria-current="page"`` on the page the user is on."""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from finsam.tenancy import LEAD, OFFICER, PREPARER

register = template.Library()

# The shell's addresses by name: the menu's, those the header and footer link to, and the start
# page's; a route name, or a route name and its arguments.
SHELL_URLS = {
    "start": "start",
    "applications": "applications:list",
    "meetings": "applications:meetings",
    "budget": "budget:overview",
    "followup": "followup:list",
    "organisation": "organisation:overview",
    "users": "accounts:users",
    "admin": "admin:index",
    "second_factor": "second_factor",
    "logout": "logout",
    "association_switch": "association_switch",
    "accessibility_statement": "accessibility_statement",
    "session_status": "session_status",
    # The start page's cards (templates/finsam/start.html).
    "applications_create": "applications:create",
    "association_edit": "organisation:association_edit",
    "member_create": ("organisation:section_create", "medlemmar"),
    "person_create": ("organisation:section_create", "personer"),
    "board_seat_create": ("organisation:section_create", "styrelse"),
}
ACTIVE = " active"
CURRENT = ' aria-current="page"'
_reversed: dict[tuple, dict[str, str]] = {}


def shell_urls() -> dict[str, str]:
    """The shell's addresses, reversed once per URLconf and script prefix."""
    key = (get_urlconf(), get_script_prefix())
    urls = _reversed.get(key)
    if urls is None:
        urls = _reversed[key] = {
            name: reverse(route) if isinstance(route, str) else reverse(route[0], args=route[1:])
            for name, route in SHELL_URLS.items()
        }
    return urls


_static: dict[str, str] = {}


@register.simple_tag
def shell_static(path: str) -> str:
    """``{% static path %}`` for the shell's stylesheets and scripts, looked up once per process:
    the manifest that names each file's hashed copy is read when the process starts and does not
    change while it runs (each lookup cost ~13 µs, four on every page)."""
    url = _static.get(path)
    if url is None:
        url = _static[path] = static(path)
    return url


# A pk no row has and no other part of an address contains (pk_url).
PK_MARKER = 987654321


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    # The tests' override_settings: the static files' storage or address, another URLconf.
    if setting in {"STORAGES", "STATIC_URL", "STATIC_ROOT"}:
        _static.clear()
    if setting == "ROOT_URLCONF":
        _reversed.clear()
        _reversed_around_pk.cache_clear()


@functools.lru_cache(maxsize=1024)
def _reversed_around_pk(urlconf, prefix: str, name: str, args: tuple) -> tuple[str, str]:
    # Bounded: an address with an object's pk among its arguments (a plan's, an insats's) is
    # kept for each object seen.
    head, tail = reverse(name, args=[*args, PK_MARKER]).rsplit(str(PK_MARKER), 1)
    return head, tail


def _address_around_pk(name: str, args: tuple) -> tuple[str, str]:
    """The address of ``name`` with ``args`` before and after its pk, reversed once per
    URLconf and script prefix (as shell_urls): a reverse cost ~50 µs."""
    return _reversed_around_pk(get_urlconf(), get_script_prefix(), name, args)


def pk_url(name: str, *args):
    """``reverse(name, args=[*args, pk])`` for many rows without a reverse each: the address
    around the pk is reversed once, and each row's pk goes in between. For lists that link every
    row (issue #12: a {% url %} per row was much of such a page's cost)."""
    head, tail = _address_around_pk(name, args)
    return lambda pk: f"{head}{pk}{tail}"


@register.filter
def row_url(pk, name: str) -> str:
    """``{% url name pk %}`` for a row of a list: ``{{ row.pk|row_url:"applications:detail" }}``."""
    head, tail = _address_around_pk(name, ())
    return f"{head}{int(pk)}{tail}"


@register.simple_tag
def shell_url(name: str) -> str:
    """One of the shell's addresses: ``{% shell_url "logout" %}``."""
    return shell_urls()[name]


def menu_items(*, path: str, role: str | None, in_association: bool, superuser: bool) -> list:
    """The main menu's links: (label, url, marked active, marked as the current page).

    A section's pages below its list (an application, a meeting) mark the section active; the
    list itself is also the current page. The meetings live under the applications' address,
    so "Ansökningar" is not active on them."""
    urls = shell_urls()
    items = []
    if in_association:
        start = urls["start"]
        items.append(("Start", start, path == start, path == start))
        followup = urls["followup"]
        if role == LEAD:
            items.append(("Mina insatser", followup, followup in path, path == followup))
        else:
            applications, meetings = urls["applications"], urls["meetings"]
            on_applications = applications in path and meetings not in path
            items.append(("Ansökningar", applications, on_applications, on_applications))
            on_meetings = meetings in path
            items.append(("Sammanträden", meetings, on_meetings, on_meetings))
            if role != PREPARER:
                budget = urls["budget"]
                items.append(("Budget", budget, path == budget, path == budget))
                items.append(("Insatser", followup, followup in path, path == followup))
            organisation = urls["organisation"]
            items.append(("Organisation", organisation, path == organisation, path == organisation))
            if role == OFFICER:
                users = urls["users"]
                items.append(("Användare", users, users in path, path == users))
    if superuser:
        items.append(("Administration", urls["admin"], False, False))
    return items


@register.simple_tag(takes_context=True)
def main_menu(context) -> SafeString:
    """The main menu's list items for the request's user, role and page."""
    request = context["request"]
    user = request.user
    items = menu_items(
        path=request.path,
        role=getattr(request, "role", None),
        in_association=getattr(request, "association", None) is not None,
        superuser=user.is_superuser,
    )
    return mark_safe(
        "\n".join(
            f'<li class="nav-item"><a class="nav-link{ACTIVE if active else ""}"'
            f'{CURRENT if current else ""} href="{escape(url)}">{label}</a></li>'
            for label, url, active, current in items
        )
    )
