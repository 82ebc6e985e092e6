"""Budget forms: they validate and normalise, and hand typed values over to the services.
Budget amounts are typed in tkr (TkrField hands back kronor); the ledger's actuals are typed in
kronor, as they are booked."""

import datetime
import re
from decimal import Decimal
from html import escape  # the standard library's: hundreds of cells, no lazy strings

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe

from budget import ledger, legacy, selectors
from budget.models import Budget, ChartLine, EquityCeiling
from budget.services import (
    ACCOUNT_TWICE,
    CEILING_OPEN_TWICE,
    LEVEL_TWICE,
    LINE_TWICE,
    CeilingChange,
    CellKey,
    ChartLineChange,
)
from finsam.forms import DateInput, OwnRowsFormSet
from finsam.money import KronorField, TkrField, format_kronor, kronor_to_tkr
from finsam.uploads import UploadError, read_upload

ACCOUNT = re.compile(r"[0-9A-Za-z]+")
MONTH_NAMES = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]

END_BEFORE_START = "Periodens slut ska ligga efter dess början."
ACCOUNTS_INVALID = "Ange kontonummer med siffror, åtskilda med komma, t.ex. 4010, 4011."
ADOPTION_CHOOSE_ONE = "Ange antingen datum eller beslut, inte båda."
ADOPTION_MISSING = "Ange datum för fastställandet eller välj styrelsens beslut."
FILE_TYPE = "Välj en fil i formatet xlsx eller csv."
LEGACY_FILE_TYPE = "Välj en fil i formatet xlsx."


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
        """The table read from the file: ``cleaned_data["table"]`` is a legacy.LegacyTable."""
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(LEGACY_FILE_TYPE)
        try:
            self.cleaned_data["table"] = legacy.read_xlsx(read_upload(file, legacy.LIMITS))
        except (UploadError, legacy.LegacyFileError) as error:
            raise ValidationError(str(error)) from None
        return file


class AmountsForm(forms.Form):
    """One amount field per key, shown with its stored kronor; ``amounts()`` gives key → kronor
    (None when left empty). Amounts are typed in tkr unless ``field_class`` says otherwise.
    ``shown`` keeps key → the stored kronor the form opened with, for its fingerprint.

    The fields are made only when the form is bound (a save): a page only shows the inputs
    (``input``), and the actuals grid has some 500 of them, each a field to build (issue #12)."""

    def __init__(
        self, *args, keys, field_for, initial_for, field_class=TkrField, min_value=0, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.keys = {}
        self.shown = {}
        self.labels = {}
        self.shown_field = field_class(required=False, min_value=min_value)
        # Read once for the grid's hundreds of cells (get_format looks it up on each call).
        self.thousands = get_format("THOUSAND_SEPARATOR")
        for key, label in keys:
            name = field_for(key)
            initial = initial_for(key)  # kronor; the field shows them as typed
            self.keys[name] = key
            self.labels[name] = label
            self.shown[key] = initial
            if self.is_bound:
                self.fields[name] = field_class(label=label, required=False, min_value=min_value)
                self.fields[name].initial = initial

    def amounts(self) -> dict:
        return {key: self.cleaned_data.get(name) for name, key in self.keys.items()}

    def _typed(self, kronor: Decimal | None) -> str:
        """The stored kronor as the field shows them (finsam.money's kronor_input or tkr_input):
        whole amounts, nearly all of them, without Django's general number formatting."""
        if kronor is None:
            return ""
        kronor = Decimal(kronor)
        shown = kronor_to_tkr(kronor) if isinstance(self.shown_field, TkrField) else kronor
        if shown != shown.to_integral_value():
            return self.shown_field.prepare_value(kronor)
        whole = int(shown)
        text = f"{abs(whole):,}".replace(",", self.thousands)
        return "-" + text if whole < 0 else text

    def input(self, name: str, *, hidden_label: bool = False) -> SafeString:
        """The amount's input, its label hidden (named by aria-label) in a grid, and its error
        tied to it; written here rather than by a template per field, as a grid has hundreds."""
        if self.is_bound:
            errors = self.errors.get(name)
            value = self.data.get(name)
        else:
            errors = None
            value = self._typed(self.shown[self.keys[name]])
        html = [
            '<input type="text" inputmode="decimal" class="form-control form-control-sm '
            f'text-end amount-input{" is-invalid" if errors else ""}" name="{name}" '
            f'id="id_{name}" value="{escape("" if value is None else value)}"'
        ]
        if hidden_label:
            html.append(f' aria-label="{escape(self.labels[name])}"')
        if errors:
            html.append(f' aria-invalid="true" aria-describedby="id_{name}-error"')
        html.append(">")
        if errors:
            text = escape(" ".join(errors))
            html.append(f'\n<div class="invalid-feedback" id="id_{name}-error">{text}</div>')
        return mark_safe("".join(html))


class ActualsForm(AmountsForm):
    """The grid of actuals: a kronor field per line or initiative and month, negative allowed (a
    credit). ``cells()`` gives (kind, pk, month) → kronor, None where left empty."""

    def __init__(self, *args, grid: selectors.Grid, **kwargs):
        financial = (ChartLine.Group.FINANCIAL_INCOME, ChartLine.Group.FINANCIAL_COST)
        self.targets = [
            ("line", line.pk, f"{line.get_group_display()}: {line.name}")
            if line.group in financial
            else ("line", line.pk, line.name)
            for line in grid.lines
        ] + [
            ("initiative", initiative.initiative_id, f"Insats: {initiative.name}")
            for initiative in grid.initiatives
        ]
        self.months = grid.months
        super().__init__(
            *args,
            keys=[
                ((kind, pk, month), f"{name}, {month_label(month)}")
                for kind, pk, name in self.targets
                for month in grid.months
            ],
            field_for=cell_name,
            initial_for=grid.cells.get,
            field_class=KronorField,
            min_value=None,
            **kwargs,
        )

    def cells(self) -> dict[CellKey, object]:
        return self.amounts()

    def rows(self) -> list[tuple[str, SafeString]]:
        """(name, the row's cells by month as table cells), as the grid shows them."""
        return [
            (
                name,
                mark_safe(
                    "".join(
                        f"<td>{self.input(cell_name((kind, pk, month)), hidden_label=True)}</td>"
                        for month in self.months
                    )
                ),
            )
            for kind, pk, name in self.targets
        ]

    def month_labels(self) -> list[str]:
        return [month_label(month) for month in self.months]


def month_label(month: datetime.date) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def cell_name(key: CellKey) -> str:
    kind, pk, month = key
    return f"{kind}-{pk}-{month.year:04d}{month.month:02d}"  # strftime costs 500 times a page


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
        self.fields["agenda_item"].queryset = selectors.budget_agenda_items(association)
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

    def __init__(self, *args, budget: Budget, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget = budget

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(FILE_TYPE)
        return file

    def clean(self):
        """Every row of the file resolved against the förbund's chart and initiatives:
        ``cleaned_data["preview"]`` is a ledger.LedgerPreview (rows with errors included)."""
        data = super().clean()
        file = data.get("file")
        if file is None:
            return data
        association = self.budget.association
        try:
            data["preview"] = ledger.read_ledger(
                read_upload(file, ledger.LIMITS),
                file.name,
                budget=self.budget,
                chart=selectors.chart_lines(association),
                initiatives=selectors.initiatives_by_name(association),
                income_negative=data.get("income_negative", False),
            )
        except (UploadError, ledger.LedgerFileError) as error:
            self.add_error("file", str(error))
        return data


class ChartLineForm(forms.ModelForm):
    class Meta:
        model = ChartLine
        fields = ["group", "name", "position", "accounts"]

    def clean_accounts(self):
        accounts = [a.strip() for a in self.cleaned_data["accounts"].split(",") if a.strip()]
        if any(not ACCOUNT.fullmatch(account) for account in accounts):
            raise ValidationError(ACCOUNTS_INVALID)
        return ", ".join(accounts)


class LabelledRowsFormSet(OwnRowsFormSet):
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
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", css)
            if name != "DELETE" and not field.widget.is_hidden:
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

    def changes(self) -> list[ChartLineChange]:
        """The lines added, changed or removed, for services.chart_save."""
        changes = []
        for form in self.forms:
            if form in self.deleted_forms:
                if form.instance.pk:
                    changes.append(ChartLineChange(pk=form.instance.pk, delete=True))
            elif form.has_changed():
                data = form.cleaned_data
                changes.append(
                    ChartLineChange(
                        pk=form.instance.pk,
                        group=data["group"],
                        name=data["name"],
                        position=data["position"],
                        accounts=data["accounts"],
                    )
                )
        return changes


ChartFormSet = forms.modelformset_factory(
    ChartLine,
    form=ChartLineForm,
    formset=BaseChartFormSet,
    extra=3,
    can_delete=True,
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
                        "contributions_up_to", LEVEL_TWICE.format(level=format_kronor(level))
                    )
                levels.add(level)

    def changes(self) -> list[CeilingChange]:
        """The steps added, changed or removed, for services.ceilings_save."""
        changes = []
        for form in self.forms:
            if form in self.deleted_forms:
                if form.instance.pk:
                    changes.append(CeilingChange(pk=form.instance.pk, delete=True))
            elif form.has_changed():
                changes.append(
                    CeilingChange(
                        pk=form.instance.pk,
                        contributions_up_to=form.cleaned_data["contributions_up_to"],
                        percent=form.cleaned_data["percent"],
                    )
                )
        return changes


CeilingFormSet = forms.modelformset_factory(
    EquityCeiling,
    form=EquityCeilingForm,
    formset=BaseCeilingFormSet,
    extra=2,
    can_delete=True,
)
