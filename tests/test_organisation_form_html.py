"""The organisation's and the users page's forms written in Python (finsam/form_html.py, through
finsam/templatetags/finsam_forms.py) read exactly as crispy-forms wrote them: the same elements,
attributes, ids, labels, required marks, help texts, error messages and aria attributes, for
every form unbound, filled in, and refused, so that the pages look and read as before."""

import pytest
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.test.html import parse_html

from accounts.users_forms import InviteForm, RoleChangeForm
from finsam import forms
from finsam.models import Role
from tests.factories import (
    BoardSeatFactory,
    MemberFactory,
    OfficeStaffFactory,
    PersonFactory,
    TargetGroupFactory,
    UserFactory,
    complete_association,
)

CRISPY_TAG = "{% load crispy_forms_tags %}{% crispy form %}"
CRISPY_FILTER = "{% load crispy_forms_tags %}{{ form|crispy }}"
PLAIN_TAG = "{% load finsam_forms %}{% plain_crispy form %}"
PLAIN_FILTER = "{% load finsam_forms %}{{ form|plain_form }}"
# Values a careless or hostile user types: every field refused for one reason or another.
REFUSED = {
    "name": "",
    "org_number": "12",
    "founded": "0002-06-01",
    "email": "inte en adress",
    "website": "javascript:alert(1)",
    "max_initiative_years": "-1",
    "municipal_split_key": "bogus",
    "quorum_percent": "x",
    "kind": "deputy",
    "member": "999999999",
    "person": "abc",
    "population": "<b>",
    "fixed_share": "101",
    "active_from": "2030-01-01",
    "active_until": "2020-01-01",
    "term_start": "2027-04-01",
    "term_end": "2023-04-01",
    "position": "<script>",
    "title": "x" * 500,
}


def render(source: str, form) -> str:
    return engines["django"].from_string(source).render({"form": form})


def assert_same(make_form, crispy: str = CRISPY_TAG, plain: str = PLAIN_TAG):
    """Each rendering gets its own form (crispy changes the widgets' classes as it renders);
    crispy's with Django's own widget templates."""
    expected = render(crispy, make_form(renderer=DjangoTemplates()))
    written = render(plain, make_form())
    assert parse_html(written) == parse_html(expected), (written, expected)
    return written


def bound(form_class, data, **kwargs):
    def make(**renderer):
        form = form_class(data, **kwargs, **renderer)
        form.is_valid()
        return form

    return make


def set_password(data, *, user, **renderer):
    return SetPasswordForm(user, data, **renderer)


@pytest.mark.django_db
def test_every_organisation_form_reads_as_crispy_wrote_it_unbound_filled_and_refused():
    association = complete_association()
    member = MemberFactory(association=association, name='Kommun "Ö" & <b>')
    person = PersonFactory(association=association, name="Åsa <Öberg>", email="")
    objects = {
        forms.MemberForm: member,
        forms.PersonForm: person,
        forms.BoardSeatForm: BoardSeatFactory(member=member, person=person, party="s"),
        forms.PreparationGroupSeatForm: None,
        forms.OfficeStaffForm: OfficeStaffFactory(association=association, person=person),
        forms.TargetGroupForm: TargetGroupFactory(association=association, name="Unga & vuxna"),
    }
    for form_class, instance in objects.items():
        kwargs = {"association": association}
        assert_same(lambda f=form_class, k=kwargs, **r: f(**k, **r))
        if instance is not None:
            assert_same(lambda f=form_class, i=instance, k=kwargs, **r: f(instance=i, **k, **r))
        assert_same(bound(form_class, REFUSED, **kwargs))
        assert_same(bound(form_class, {}, **kwargs))
    # The förbund's own form: a checkbox, a select without an empty choice, help texts.
    assert_same(lambda **r: forms.AssociationForm(instance=association, **r))
    written = assert_same(bound(forms.AssociationForm, REFUSED, instance=association))
    assert 'aria-invalid="true"' in written and "Ange ett datum mellan" in written


@pytest.mark.django_db
def test_a_refused_board_seat_ties_each_message_to_its_field():
    association = complete_association()
    written = assert_same(
        bound(
            forms.BoardSeatForm,
            {**REFUSED, "term_start": "0002-06-01", "term_end": "x"},
            association=association,
        )
    )
    assert 'aria-describedby="id_term_start_error"' in written
    assert '<span id="error_1_id_term_start"><strong>' in written
    # The date picker offers the bounded dates.
    assert 'min="1990-01-01" max="2100-12-31"' in written


@pytest.mark.django_db
def test_the_users_pages_forms_read_as_crispy_wrote_them():
    role = Role(kind=Role.Kind.BOARD)
    for make in (
        InviteForm,
        bound(InviteForm, {"email": "x", "kind": "bogus", "first_name": "<i>"}),
        bound(InviteForm, {"email": "a@example.org", "kind": "board"}),
        lambda **r: RoleChangeForm(role=role, **r),
        bound(RoleChangeForm, {}, role=role),
        bound(RoleChangeForm, {"kind": "officer"}, role=role),
        PasswordResetForm,
        bound(PasswordResetForm, {"email": "nej"}),
    ):
        assert_same(make, CRISPY_FILTER, PLAIN_FILTER)
    user = UserFactory()
    for make in (
        lambda **r: SetPasswordForm(user, **r),
        bound(set_password, {"new_password1": "a", "new_password2": "b"}, user=user),
    ):
        assert_same(make, CRISPY_FILTER, PLAIN_FILTER)
