"""Budget forms. Budget amounts are typed in tkr and stored in kronor; the ledger's actuals are
typed in kronor, as they are booked."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format

from applications.forms import TkrField
from budget.models import Budget, ChartLine, EquityCeiling
from budget.selectors import budget_agenda_items
from finsam.forms import DateInput, KronorField
from finsam.templatetags.finsam_format import kronor as kronor_text

THOUSAND = Decimal(1000)
ACCOUNT = re.compile(r"[0-9A-Za-z]+")

END_BEFORE_START = "Periodens slut ska ligga efter dess början."
ACCOUNTS_INVALID = "Ange kontonummer med siffror, åtskilda med komma, t.ex. 4010, 4011."
ACCOUNT_TWICE = "Kontot {account} är kopplat till både {first} och {second}."
LINE_TWICE = "Posten {name} finns redan i gruppen {group}."
LEVEL_TWICE = "Nivån {level} kr finns redan; varje nivå anges en gång."
ADOPTION_CHOOSE_ONE = "Ange antingen datum eller beslut, inte båda."
ADOPTION_MISSING = "Ange datum för fastställandet eller välj styrelsens beslut."
CEILING_OPEN_TWICE = "Bara ett steg får sakna övre gräns (det gäller över alla andra)."
FILE_TYPE = "Välj en fil i formatet xlsx eller csv."


def kronor(tkr: Decimal | None) -> Decimal | None:
    return None if tkr is None else tkr * THOUSAND


def tkr_initial(kronor: Decimal | None) -> str:
    """Kronor as the tkr a user typed, without trailing zeros: 5440000 → '5440'."""
    if kronor is None:
        return ""
    value = (kronor / THOUSAND).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def kronor_initial(kronor: Decimal | None) -> str:
    """Kronor as typed: grouped the Swedish way, öre only where there are any: '1 250 000'."""
    if kronor is None:
        return ""
    places = 0 if kronor == kronor.to_integral_value() else 2
    return number_format(kronor, decimal_pos=places, use_l10n=True, force_grouping=True)


class PeriodForm(forms.Form):
    period_start = forms.DateField(label="Periodens första dag", widget=DateInput())
    period_end = forms.DateField(label="Periodens sista dag", widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", END_BEFORE_START)
        return data


class BudgetCreateForm(PeriodForm):
    copy_from = forms.ModelChoiceField(
        label="Utgå från budgeten",
        queryset=Budget.objects.none(),
        required=False,
        empty_label="Kontoplanens poster, med noll kronor",
    )
    opening_equity = TkrField(
        label="Ingående eget kapital (tkr)",
        required=False,
        help_text="Bara för förbundets första period i Finsam; senare perioder räknar det fram.",
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        budgets = Budget.objects.for_association(association).order_by("-period_start")
        self.fields["copy_from"].queryset = budgets
        latest = budgets.first()
        next_year = datetime.date.today().year + 1
        if latest is not None:
            self.fields["copy_from"].initial = latest.pk
            next_year = latest.period_end.year + 1
            self.fields.pop("opening_equity")
        self.fields["period_start"].initial = datetime.date(next_year, 1, 1)
        self.fields["period_end"].initial = datetime.date(next_year, 12, 31)


class LegacyImportForm(PeriodForm):
    file = forms.FileField(
        label="Budgettabell (xlsx)",
        help_text="Som i verksamhetsplanen: poster med belopp i tkr och inskrivna summarader.",
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError("Välj en fil i formatet xlsx.")
        return file


class AmountsForm(forms.Form):
    """One amount field per key; ``amounts()`` gives key → kronor (None when left empty)."""

    def __init__(self, *args, keys, field_for, initial_for, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = {}
        for key, label in keys:
            name = field_for(key)
            self.fields[name] = self.field(label)
            self.fields[name].initial = initial_for(key)
            self.keys[name] = key

    def field(self, label):
        return TkrField(label=label, required=False)

    def to_kronor(self, value):
        return kronor(value)

    def amounts(self) -> dict:
        return {key: self.to_kronor(self.cleaned_data.get(name)) for name, key in self.keys.items()}


class KronorAmountsForm(AmountsForm):
    """Kronor as booked: negative amounts allowed (a credit), unless ``min_value`` says not."""

    def __init__(self, *args, min_value=None, **kwargs):
        self.min_value = min_value
        super().__init__(*args, **kwargs)

    def field(self, label):
        return KronorField(label=label, required=False, min_value=self.min_value)

    def to_kronor(self, value):
        return value


class AdoptForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label="Styrelsens beslut",
        queryset=None,
        required=False,
        empty_label="Inget beslut i Finsam: ange datum",
    )
    adopted_on = forms.DateField(label="Fastställd den", required=False, widget=DateInput())

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = budget_agenda_items(association)
        self.fields["agenda_item"].label_from_instance = lambda item: (
            f"{item.meeting.starts_at:%Y-%m-%d}: {item.title}"
        )

    def clean(self):
        data = super().clean()
        if data.get("agenda_item") and data.get("adopted_on"):
            raise ValidationError(ADOPTION_CHOOSE_ONE)
        if not data.get("agenda_item") and not data.get("adopted_on"):
            raise ValidationError(ADOPTION_MISSING)
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Varför öppnas perioden igen?", widget=forms.Textarea(attrs={"rows": 3})
    )


class LedgerImportForm(forms.Form):
    file = forms.FileField(
        label="Fil från huvudboken (xlsx eller csv)",
        help_text=(
            "En rubrikrad med Belopp, Datum eller Period och Konto, Post eller Insats. "
            "Kontona kopplas till poster i kontoplanen."
        ),
    )
    income_negative = forms.BooleanField(
        label="Intäkter har minustecken i filen (kredit, som i huvudboken)", required=False
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(FILE_TYPE)
        return file


class ChartLineForm(forms.ModelForm):
    class Meta:
        model = ChartLine
        fields = ["group", "name", "position", "accounts"]

    def clean_accounts(self):
        accounts = [a.strip() for a in self.cleaned_data["accounts"].split(",") if a.strip()]
        if any(not ACCOUNT.fullmatch(account) for account in accounts):
            raise ValidationError(ACCOUNTS_INVALID)
        return ", ".join(accounts)


class LabelledRowsFormSet(forms.BaseModelFormSet):
    """A formset shown as a table: each input is named by its column and row for screen readers,
    and new rows belong to the current förbund."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.association = self.association
        for name, field in form.fields.items():
            css = "form-control form-control-sm"
            if name == "DELETE":
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)
            if name != "DELETE":
                field.widget.attrs["aria-label"] = f"{field.label}, rad {i + 1}"
        return form


class BaseChartFormSet(LabelledRowsFormSet):
    def clean(self):
        super().clean()
        seen: dict[str, str] = {}
        names: set[tuple[str, str]] = set()
        for form in self.forms:
            if not form.is_valid() or form in self.deleted_forms:
                continue
            name = form.cleaned_data.get("name")
            group = form.cleaned_data.get("group")
            if name and group:
                if (group, name.lower()) in names:
                    form.add_error(
                        "name", LINE_TWICE.format(name=name, group=ChartLine.Group(group).label)
                    )
                names.add((group, name.lower()))
            for account in (form.cleaned_data.get("accounts") or "").split(", "):
                if not account:
                    continue
                if account in seen:
                    form.add_error(
                        "accounts",
                        ACCOUNT_TWICE.format(account=account, first=seen[account], second=name),
                    )
                seen[account] = name


ChartFormSet = forms.modelformset_factory(
    ChartLine, form=ChartLineForm, formset=BaseChartFormSet, extra=3, can_delete=True
)


class EquityCeilingForm(forms.ModelForm):
    contributions_up_to = KronorField(label="Ägarbidrag upp till (kr)", required=False)
    percent = forms.DecimalField(
        label="Högst eget kapital (% av årets ägarbidrag)",
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        localize=True,
    )

    class Meta:
        model = EquityCeiling
        fields = ["contributions_up_to", "percent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kronor as the officer types them (10 000 000), not as the database keeps them.
        self.initial["contributions_up_to"] = kronor_initial(self.instance.contributions_up_to)


class BaseCeilingFormSet(LabelledRowsFormSet):
    def clean(self):
        super().clean()
        open_steps = [
            form
            for form in self.forms
            if form.is_valid()
            and form not in self.deleted_forms
            and form.has_changed() | bool(form.instance.pk)
            and form.cleaned_data.get("percent") is not None
            and form.cleaned_data.get("contributions_up_to") is None
        ]
        if len(open_steps) > 1:
            raise ValidationError(CEILING_OPEN_TWICE)
        levels = set()
        for form in self.forms:
            if not form.is_valid() or form in self.deleted_forms:
                continue
            level = form.cleaned_data.get("contributions_up_to")
            if level is not None:
                if level in levels:
                    form.add_error(
                        "contributions_up_to", LEVEL_TWICE.format(level=kronor_text(level))
                    )
                levels.add(level)


CeilingFormSet = forms.modelformset_factory(
    EquityCeiling, form=EquityCeilingForm, formset=BaseCeilingFormSet, extra=2, can_delete=True
)
