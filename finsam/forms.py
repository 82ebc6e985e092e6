"""Forms for the organisation. They validate and normalise; services do the saving."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from finsam.models import (
    Association,
    BoardSeat,
    Member,
    OfficeStaff,
    Person,
    PreparationGroupSeat,
    TargetGroup,
)
from finsam.money import AmountError, check_amount, parse_amount
from finsam.money import KronorField as KronorField  # re-exported; import it from finsam.money
from finsam.validators import EARLIEST_DATE, LATEST_DATE, normalise_org_number

POPULATION_REQUIRED = "Ange folkmängd: förbundet fördelar kommunernas del efter folkmängd."
FIXED_SHARE_REQUIRED = "Ange kommunens fasta andel: förbundet fördelar kommunernas del så."
PERIOD_ORDER = "Slutdatumet kan inte ligga före startdatumet."
TERM_ORDER = "Mandatperioden måste sluta efter att den börjar."
DEPUTY_ORDER_REQUIRED = "Ange ersättarordning (1, 2 …) för en ersättare."
LOGIN_INVALID = "Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen."
LOGIN_INACTIVE = "Kontot är avstängt. Kontakta förbundets kansli."
TOTAL_INVALID = "Ange totalbeloppet i hela kronor, till exempel 5 440 000."


def _helper(submit_label: str = "Spara") -> FormHelper:
    helper = FormHelper()
    # Our templates write the <form> tag and its {% csrf_token %}; crispy adds neither.
    helper.form_tag = False
    helper.disable_csrf = True
    helper.add_input(Submit("submit", submit_label))
    return helper


class DateInput(forms.DateInput):
    """A date picker that offers the dates every form accepts (finsam.validators)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
        self.attrs.setdefault("min", f"{EARLIEST_DATE:%Y-%m-%d}")
        self.attrs.setdefault("max", f"{LATEST_DATE:%Y-%m-%d}")


# The largest key a row can have (a 64-bit integer): a larger "id" cannot name a row, and a
# database asked for one fails instead of answering none.
MAX_ID = 2**63 - 1


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A choice of several rows by id. An id that is not a whole number within MAX_ID is refused
    as not among the choices before the database is asked (Django asks it with the text as it
    came: 20 digits made SQLite fail)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for pk in value:
                text = str(pk)
                if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class OwnRowsFormSet(forms.BaseModelFormSet):
    """A model formset that knows a row only among its own (its queryset): the förbund's lines,
    the application's rows. Django looks a posted row id up among all rows of the table; then
    another förbund's id made a new row and was answered differently from an id that does not
    exist. Here both are refused alike, and nothing is saved."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        key = self.model._meta.pk.name
        if isinstance(form.fields.get(key), forms.ModelChoiceField):
            form.fields[key].queryset = self.get_queryset()


class OwnRowsInlineFormSet(forms.BaseInlineFormSet, OwnRowsFormSet):
    """OwnRowsFormSet for the rows of one object (forms.inlineformset_factory's formset)."""


class NameChoiceIterator(forms.models.ModelChoiceIterator):
    """A select's choices as (pk, name), read with ``values_list``, for rows whose name is what
    ``str()`` shows (members, people): the same options as Django's, without an object each."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


def valid_filters(form: forms.Form) -> dict:
    """A list's filters that hold: a bound filter form's valid values, each invalid one left out
    (the form shows its error beside it), so that one bad value (?state=bogus) does not drop the
    others and show, or export, everything."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return dict(form.cleaned_data)


class OrganisationForm(forms.ModelForm):
    """Base for the forms of the förbund's own objects; knows the current förbund."""

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        if hasattr(self.instance, "association_id"):
            self.instance.association = association
        self.helper = _helper()

    def _get_validation_exclusions(self):
        # The förbund is not a form field, but its unique constraints (a name once per förbund)
        # must still be checked here, so that a clash is a form error and not a database error.
        return super()._get_validation_exclusions() - {"association"}

    def _limit(self, field: str, queryset):
        """The choice of ``field`` among the förbund's own rows (members or people), listed by
        name without building each row (issue #12: the select of people built one object per
        person)."""
        self.fields[field].iterator = NameChoiceIterator  # before the queryset sets the choices
        self.fields[field].queryset = queryset


class AssociationForm(forms.ModelForm):
    # A web address typed without a scheme means https (Django 6's default, chosen now).
    website = forms.URLField(label="Webbplats", required=False, assume_scheme="https")

    class Meta:
        model = Association
        fields = [
            "name",
            "org_number",
            "founded",
            "address",
            "postal_code",
            "city",
            "email",
            "phone",
            "website",
            "max_initiative_years",
            "municipal_split_key",
            "quorum_percent",
            "notice_days",
            "report_reminder_days",
            "require_second_factor",
        ]
        widgets = {"founded": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_org_number(self):
        return normalise_org_number(self.cleaned_data["org_number"])


class TargetGroupForm(OrganisationForm):
    class Meta:
        model = TargetGroup
        fields = ["name", "position"]


class MemberForm(OrganisationForm):
    class Meta:
        model = Member
        fields = ["kind", "name", "population", "fixed_share", "active_from", "active_until"]
        widgets = {"active_from": DateInput(), "active_until": DateInput()}

    def clean(self):
        cleaned = super().clean()
        key = self.association.municipal_split_key
        if cleaned.get("kind") == Member.Kind.KOMMUN:
            if key == Association.SplitKey.POPULATION and not cleaned.get("population"):
                self.add_error("population", POPULATION_REQUIRED)
            if key == Association.SplitKey.FIXED and cleaned.get("fixed_share") is None:
                self.add_error("fixed_share", FIXED_SHARE_REQUIRED)
        start, end = cleaned.get("active_from"), cleaned.get("active_until")
        if start and end and end < start:
            self.add_error("active_until", PERIOD_ORDER)
        return cleaned


class PersonForm(OrganisationForm):
    class Meta:
        model = Person
        fields = ["name", "title", "email", "phone"]


class BoardSeatForm(OrganisationForm):
    class Meta:
        model = BoardSeat
        fields = [
            "member",
            "person",
            "kind",
            "deputy_order",
            "party",
            "office",
            "term_start",
            "term_end",
        ]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(
            "member", Member.objects.for_association(self.association).order_by("kind", "name")
        )
        self._limit("person", Person.objects.for_association(self.association).order_by("name"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == BoardSeat.Kind.DEPUTY and not cleaned.get("deputy_order"):
            self.add_error("deputy_order", DEPUTY_ORDER_REQUIRED)
        if cleaned.get("kind") == BoardSeat.Kind.ORDINARY:
            cleaned["deputy_order"] = None
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end <= start:
            self.add_error("term_end", TERM_ORDER)
        return cleaned


class PreparationGroupSeatForm(OrganisationForm):
    class Meta:
        model = PreparationGroupSeat
        fields = ["member", "person"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit(
            "member", Member.objects.for_association(self.association).order_by("kind", "name")
        )
        self._limit("person", Person.objects.for_association(self.association).order_by("name"))


class OfficeStaffForm(OrganisationForm):
    class Meta:
        model = OfficeStaff
        fields = ["person", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit("person", Person.objects.for_association(self.association).order_by("name"))


class LoginForm(AuthenticationForm):
    """The login's first step (accounts/login_flow.py): the e-mail address and password."""

    error_messages = {"invalid_login": LOGIN_INVALID, "inactive": LOGIN_INACTIVE}
    # Unchecked, the session also ends when the browser closes (on a shared computer).
    remember = forms.BooleanField(label="Kom ihåg mig", required=False)


class ContributionTotalForm(forms.Form):
    """The yearly total to split, typed the Swedish way: '5 440 000'."""

    total = forms.CharField(label="Totalt ägarbidrag (kr)", max_length=20)

    def clean_total(self) -> int:
        try:
            total = parse_amount(self.cleaned_data["total"])
        except AmountError as error:
            # A dot gets the reason it cannot be read; anything else the total's own hint.
            message = TOTAL_INVALID if error.code == "invalid" else str(error)
            raise ValidationError(message, code="total_invalid") from None
        if total is None or total < 0 or total != total.to_integral_value():
            raise ValidationError(TOTAL_INVALID, code="total_invalid")
        try:
            check_amount(total, text=self.cleaned_data["total"].strip())
        except AmountError as error:
            raise ValidationError(str(error), code=error.code) from None
        return int(total)
