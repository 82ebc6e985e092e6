import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam import forms, selectors, services
from finsam.concurrency import carried, posted
from finsam.errors import refusals_shown
from finsam.models import (
    Association,
    BoardSeat,
    Member,
    OfficeStaff,
    Person,
    PreparationGroupSeat,
    TargetGroup,
)
from finsam.money import format_kronor
from finsam.templatetags.finsam_format import percent
from finsam.templatetags.finsam_shell import pk_url
from finsam.tenancy import ALL_ROLES, EVERY_ROLE, OFFICER, SESSION_KEY, role_required


@dataclass(frozen=True)
class Section:
    """A section of the organisation page whose objects the officer adds, edits and removes."""

    model: type[models.Model]
    form: type[forms.OrganisationForm]
    singular: str  # "medlem" → "Lägg till medlem"
    anchor: str  # the section of the organisation page to return to
    related: tuple[str, ...] = ()  # what the object's name (__str__) reads


SECTIONS = {
    "medlemmar": Section(Member, forms.MemberForm, "medlem", "medlemmar"),
    "personer": Section(Person, forms.PersonForm, "person", "personer"),
    "styrelse": Section(
        BoardSeat, forms.BoardSeatForm, "styrelseplats", "styrelse", ("person", "member")
    ),
    "beredningsgrupp": Section(
        PreparationGroupSeat,
        forms.PreparationGroupSeatForm,
        "plats i beredningsgruppen",
        "beredningsgrupp",
        ("person", "member"),
    ),
    "kansli": Section(
        OfficeStaff, forms.OfficeStaffForm, "befattning i kansliet", "kansli", ("person",)
    ),
    "malgrupper": Section(TargetGroup, forms.TargetGroupForm, "målgrupp", "malgrupper"),
}


def _today() -> datetime.date:
    return timezone.localdate()


def get_section(slug: str) -> Section:
    try:
        return SECTIONS[slug]
    except KeyError:
        raise Http404 from None


def get_section_object_for_user(request, section: Section, pk: int):
    """The object if it belongs to the user's current förbund; 404 otherwise."""
    queryset = section.model.objects.for_association(request.association).select_related(
        *section.related
    )
    return get_object_or_404(queryset, pk=pk)


def _back_to(section: Section) -> str:
    return reverse("organisation:overview") + "#" + section.anchor


def _detail_url(section: Section, pk: int) -> str | None:
    """The read-only page of the object, where it has one (members)."""
    if section.model is Member:
        return reverse("organisation:member_detail", args=[pk])
    return None


@require_GET
@role_required(*EVERY_ROLE)
def start(request):
    return render(request, "finsam/start.html", {"today": _today()})


@require_POST
@role_required(*EVERY_ROLE)
def association_switch(request):
    wanted = request.POST.get("association")
    role = next((r for r in request.roles if str(r.association_id) == wanted), None)
    if role is None:
        raise Http404(services.NO_ROLE_THERE)
    request.session[SESSION_KEY] = role.association_id
    messages.success(request, f"Du arbetar nu i {role.association}.")
    return redirect("start")


def _seat_cell(seat: BoardSeat | None, edit_url) -> dict | None:
    """A board seat as the board table shows it: the person (linked for the officer), party,
    office."""
    if seat is None:
        return None
    return {
        "name": seat.person.name,
        "url": edit_url(seat.pk) if edit_url else "",
        "party": seat.party,
        "office": seat.get_office_display().lower() if seat.office else "",
    }


def overview_rows(organisation: selectors.Organisation, key_shares, *, officer: bool) -> dict:
    """The organisation page's tables as plain values, each address reversed once (issue #12:
    a {% url %} and an {% include %} per row were most of the page's cost)."""
    member_url = pk_url("organisation:member_detail")
    edit = {
        slug: pk_url("organisation:section_edit", slug) if officer else None
        for slug in ("styrelse", "beredningsgrupp", "kansli", "malgrupper", "personer")
    }
    by_member = {share.member.pk: share for share in key_shares}
    members = []
    for member in organisation.members:
        share = by_member.get(member.pk)
        members.append(
            {
                "name": member.name,
                "url": member_url(member.pk),
                "kind": member.get_kind_display(),
                "population": format_kronor(member.population) if member.population else "",
                "share": percent(share.share) if share else "",
                "note": share.note if share else "",
                "since": f"{member.active_from:%Y-%m-%d}",
            }
        )
    board = [
        {
            # ordinarie ledamot, ersättare
            "seats": (
                _seat_cell(row.ordinary, edit["styrelse"]),
                _seat_cell(row.deputy, edit["styrelse"]),
            ),
            "member": row.member.name,
            "member_url": member_url(row.member.pk),
        }
        for row in organisation.board_rows
    ]
    preparation = [
        {
            "name": seat.person.name,
            "url": edit["beredningsgrupp"](seat.pk) if officer else "",
            "title": seat.person.title,
            "member": seat.member.name,
        }
        for seat in organisation.preparation_seats
    ]
    staff = [
        {
            "name": row.person.name,
            "url": edit["kansli"](row.pk) if officer else "",
            "position": row.get_position_display(),
            "email": row.person.email,
            "phone": row.person.phone,
        }
        for row in organisation.staff
    ]
    target_groups = [
        {"name": group.name, "url": edit["malgrupper"](group.pk) if officer else ""}
        for group in organisation.target_groups
    ]
    # The longest table (every person of the förbund) as markup: its cells were most of the
    # page's template work. The markup is the template's, each value escaped as it escaped them.
    person_url = edit["personer"]
    people = (
        mark_safe(
            "".join(
                f'\n      <tr><td><a href="{escape(person_url(person.pk))}">{escape(person.name)}'
                f"</a></td><td>{escape(person.title)}</td><td>{escape(person.email)}</td>"
                f"<td>{escape(person.phone)}</td></tr>\n    "
                for person in organisation.people
            )
        )
        if officer
        else ""
    )
    return {
        "member_rows": members,
        "board_rows": board,
        "preparation_rows": preparation,
        "staff_rows": staff,
        "target_group_rows": target_groups,
        "people_rows": people,
    }


@require_GET
@role_required(*ALL_ROLES)
def organisation_overview(request):
    organisation = selectors.organisation_get(
        association=request.association, requested_term=request.GET.get("period"), today=_today()
    )
    key = request.association.municipal_split_key
    # The key itself: each member's exact share, shown whether or not a total is asked for.
    key_shares, key_error = selectors.contribution_shares(organisation.members, key)
    split = None
    total_form = forms.ContributionTotalForm(request.GET if "total" in request.GET else None)
    if total_form.is_valid() and not key_error:
        split, _ = selectors.contribution_shares(
            organisation.members, key, total_form.cleaned_data["total"]
        )
    officer = request.role == OFFICER
    context = {
        "organisation": organisation,
        **overview_rows(organisation, key_shares, officer=officer),
        "key_error": key_error,
        "total_form": total_form,
        "split": split,
        "split_total": sum(share.amount for share in split) if split else None,
    }
    if officer:
        context["history"] = selectors.history_for(request.association)
    return render(request, "finsam/organisation.html", context)


@require_GET
@role_required(*ALL_ROLES)
def member_detail(request, pk):
    # The förbund's members, read once: the member itself (another förbund's → 404) and the
    # members its § 5 share is counted among.
    members = list(Member.objects.for_association(request.association))
    member = next((m for m in members if m.pk == pk), None)
    if member is None:
        raise Http404
    context = {
        "page": selectors.member_page_get(
            association=request.association, member=member, today=_today(), members=members
        ),
        "member": member,
    }
    if request.role == OFFICER:
        context["history"] = selectors.history_for(member)
    return render(request, "finsam/member_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def association_edit(request):
    # A copy: a refused form must not change the förbund's name in the page shell.
    association = Association.objects.get(pk=request.association.pk)
    form = forms.AssociationForm(request.POST or None, instance=association)
    # Before is_valid(): validating a bound form changes the instance it holds.
    fingerprint = carried(request, services.object_fingerprint(association, form.fields))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request, success="Förbundets uppgifter är sparade.") as outcome:
            services.association_update(
                user=request.user,
                association=association,
                values=form.cleaned_data,
                fingerprint=posted(request),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            return redirect("organisation:overview")
    return render(
        request,
        "finsam/association_form.html",
        {
            "form": form,
            "history": selectors.history_for(request.association),
            "fingerprint": fingerprint,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def section_create(request, section):
    section_info = get_section(section)
    form = section_info.form(request.POST or None, association=request.association)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            instance = services.organisation_object_create(
                user=request.user,
                association=request.association,
                model=section_info.model,
                values=form.cleaned_data,
            )
        if not outcome.refused:
            messages.success(request, f"{instance} är sparad.")
            return redirect(_back_to(section_info))
    return render(
        request,
        "finsam/section_form.html",
        {"form": form, "section": section_info, "title": f"Lägg till {section_info.singular}"},
    )


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def section_edit(request, section, pk):
    section_info = get_section(section)
    instance = get_section_object_for_user(request, section_info, pk)
    # Named before the form is bound: a refused form changes the instance it holds.
    title = f"Ändra {section_info.singular}: {instance}"
    detail_url, detail_name = _detail_url(section_info, pk), str(instance)
    form = section_info.form(
        request.POST or None, instance=instance, association=request.association
    )
    # Before is_valid(): validating a bound form changes the instance it holds.
    fingerprint = carried(request, services.object_fingerprint(instance, form.fields))
    if request.method == "POST" and form.is_valid():
        with refusals_shown(request) as outcome:
            services.organisation_object_update(
                user=request.user,
                association=request.association,
                instance=instance,
                values=form.cleaned_data,
                fingerprint=posted(request),
            )
        if outcome.changed_meanwhile:
            return redirect(request.get_full_path())
        if not outcome.refused:
            messages.success(request, f"{instance} är sparad.")
            return redirect(detail_url or _back_to(section_info))
    return render(
        request,
        "finsam/section_form.html",
        {
            "form": form,
            "section": section_info,
            "object": instance,
            "title": title,
            "detail_url": detail_url,
            "detail_name": detail_name,
            "delete_url": reverse("organisation:section_delete", args=[section, pk]),
            "history": selectors.history_for(instance),
            "fingerprint": fingerprint,
        },
    )


ALREADY_DELETED = "Uppgiften är redan borttagen."


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def section_delete(request, section, pk):
    section_info = get_section(section)
    try:
        instance = get_section_object_for_user(request, section_info, pk)
    except Http404:
        # A second click on "Ta bort": the user removed it a moment ago. Only the user's own
        # removals are told apart, so the answer says nothing about another förbund's objects.
        removed = selectors.historical_model(section_info.model).objects.filter(
            id=pk, history_type="-", history_user=request.user
        )
        if request.method == "POST" and removed.exists():
            messages.info(request, ALREADY_DELETED)
            return redirect(_back_to(section_info))
        raise
    if request.method == "POST":
        with refusals_shown(request, success=f"{instance} är borttagen.") as outcome:
            services.organisation_object_delete(user=request.user, instance=instance)
        if outcome.refused:
            return redirect("organisation:section_edit", section, pk)
        return redirect(_back_to(section_info))
    return render(
        request,
        "finsam/section_confirm_delete.html",
        {"section": section_info, "object": instance},
    )
