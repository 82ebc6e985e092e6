"""Användare och behörigheter: the officer's page of who holds which role in the förbund, and
the invitation, change and removal of a role (each through accounts.services)."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access, selectors, services
from accounts.users_forms import InviteForm, RoleChangeForm
from finsam.errors import refusals_shown
from finsam.models import Role
from finsam.pagination import page_of
from finsam.templatetags.finsam_shell import pk_url
from finsam.tenancy import OFFICER, role_required


def _name(person) -> str:
    return person.get_full_name() or person.email


def _back(request, role: Role):
    """The list, or the start page after officers changed their own role (they may no longer
    reach the list)."""
    if role.user_id == request.user.pk:
        return redirect("start")
    return redirect("accounts:users")


def _user_rows(roles, me) -> list[dict]:
    """The users table as plain values, each address reversed once (issue #12)."""
    change, remove = pk_url("accounts:role_change"), pk_url("accounts:role_remove")
    resend = pk_url("accounts:invitation_resend")
    roles = list(roles)
    led = selectors.led_initiatives(roles)
    # Looked up once, not by get_kind_display, which walks every choice on each call.
    kinds = dict(Role.Kind.choices)
    rows = []
    for role in roles:
        person = role.user
        last_login = person.last_login
        rows.append(
            {
                "full_name": person.get_full_name(),
                "email": person.email,
                "is_me": person.pk == me.pk,
                "active": person.is_active,
                "kind": kinds.get(role.kind, role.kind),
                # The insatser of an insatsansvarig; None for the other roles.
                "leads": led.get(role.pk),
                "last_login": f"{timezone.localtime(last_login):%Y-%m-%d %H:%M}"
                if last_login
                else "Aldrig",
                "password_set": person.has_usable_password(),
                "second_factor": role.has_second_factor,
                "change_url": change(role.pk),
                "remove_url": remove(role.pk),
                "resend_url": resend(role.pk),
            }
        )
    return rows


def _history_rows(records: list[dict]) -> list[dict]:
    """The latest role changes (selectors.role_history) as sentences: who gave, changed or
    took away whose role."""
    kinds = dict(Role.Kind.choices)
    rows = []
    for record in records:
        whose = record["whose"] or "en borttagen användare"
        kind = str(kinds.get(record["kind"], record["kind"])).lower()
        if record["history_type"] == "+":
            what = f"Gav {whose} rollen {kind}"
        elif record["history_type"] == "~":
            what = f"Ändrade rollen för {whose} till {kind}"
        else:
            what = f"Tog bort behörigheten för {whose} ({kind})"
        # User.__str__: the name, or the e-mail of an account without one.
        first, last = record["history_user__first_name"], record["history_user__last_name"]
        who = f"{first or ''} {last or ''}".strip() or record["history_user__email"] or "Systemet"
        rows.append(
            {
                "when": f"{timezone.localtime(record['history_date']):%Y-%m-%d %H:%M}",
                "who": who,
                "what": what,
            }
        )
    return rows


@require_GET
@role_required(OFFICER)
def users(request):
    # One page of the roles with their count in one query (page_of), fifty to a page.
    page = page_of(selectors.association_roles(request.association), request.GET.get("sida"))
    return render(
        request,
        "accounts/users/list.html",
        {
            "page": page,
            "rows": _user_rows(page, request.user),
            "history": _history_rows(selectors.role_history(request.association)),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def invite(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            role = services.role_invite(
                user=request.user,
                association=request.association,
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                base_url=request.build_absolute_uri("/"),
            )
            how = (
                "en länk för att välja lösenord"
                if not role.user.has_usable_password()
                else "besked om behörigheten"
            )
            outcome.success = (
                f"{role.user.email} har fått rollen {role.get_kind_display().lower()} och får "
                f"ett e-postmeddelande med {how}."
            )
        if not outcome.refused:
            return redirect("accounts:users")
    return render(
        request,
        "accounts/users/invite.html",
        {"form": form, "valid_days": services.invitation_valid_days()},
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def role_change(request, pk):
    role = access.get_role_for_user(request, pk)
    form = RoleChangeForm(request.POST or None, role=role)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            changed = services.role_change(
                user=request.user, role=role, kind=form.cleaned_data["kind"]
            )
            outcome.success = (
                f"{_name(role.user)} har nu rollen {changed.get_kind_display().lower()}."
            )
        if not outcome.refused:
            return _back(request, role)
    return render(
        request,
        "accounts/users/role_change.html",
        {"role": role, "form": form, "leads": _leads(role)},
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def role_remove(request, pk):
    role = access.get_role_for_user(request, pk)
    if request.method == "POST":
        success = f"{_name(role.user)} har inte längre någon behörighet i förbundet."
        with refusals_shown(request, success=success) as outcome:
            services.role_remove(user=request.user, role=role)
        if not outcome.refused:
            return _back(request, role)
    return render(request, "accounts/users/role_remove.html", {"role": role, "leads": _leads(role)})


@require_POST
@role_required(OFFICER)
def invitation_resend(request, pk):
    role = access.get_role_for_user(request, pk)
    success = f"En ny länk för att välja lösenord har skickats till {role.user.email}."
    with refusals_shown(request, success=success):
        services.invitation_resend(
            user=request.user, role=role, base_url=request.build_absolute_uri("/")
        )
    return redirect("accounts:users")


def _leads(role: Role) -> list:
    """The insatser an insatsansvarig's role names, which a change or removal ends."""
    if role.kind != Role.Kind.LEAD:
        return []
    leads = role.initiative_leads.select_related("initiative").order_by("initiative__name", "pk")
    return [lead.initiative for lead in leads]
