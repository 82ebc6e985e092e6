"""Forms for meetings: the meeting, an ärende, a decision with amounts in tkr, justering."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from applications.models import (
    AgendaItem,
    Application,
    Decision,
    Meeting,
)
from finsam.models import Association
from finsam.money import TkrField


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["body", "starts_at", "place"]
        widgets = {"starts_at": DateTimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class AgendaItemForm(forms.Form):
    """An ärende to add: a prepared application, or another matter with a heading."""

    application = forms.ModelChoiceField(
        label="Beredd ansökan", queryset=Application.objects.none(), required=False
    )
    kind = forms.ChoiceField(
        label="Eller annat ärende",
        choices=[("", "–")] + [c for c in AgendaItem.Kind.choices if c[0] != "application"],
        required=False,
    )
    title = forms.CharField(label="Rubrik", max_length=300, required=False)
    presenter = forms.CharField(label="Föredragande", max_length=200, required=False)

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.for_association(
            association
        ).filter(state=Application.State.PREPARED)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("application"):
            return cleaned
        if not cleaned.get("kind"):
            raise ValidationError(AGENDA_ITEM_EMPTY, code="agenda_item_empty")
        if not cleaned.get("title"):
            self.add_error("title", "Ange en rubrik för ärendet.")
        return cleaned


AGENDA_ITEM_EMPTY = "Välj en beredd ansökan eller typ av ärende."


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Beslut", choices=Decision.Outcome.choices, required=False, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="Beslutstext",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Som i protokollet, till exempel ”Styrelsen beslutar att bevilja 450 tkr för "
        "2027 till …”. Lämnas tom för ansökningar räknas den fram.",
        required=False,
    )
    conditions = forms.CharField(
        label="Villkor", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    presenter_left = forms.BooleanField(
        label="Föredraganden lämnade rummet före beslutet", required=False
    )

    def __init__(self, *args, item: AgendaItem, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.years = item.application.years if item.application_id else []
        for year in self.years:
            self.fields[f"amount_{year}"] = TkrField(label=f"Beviljat {year} (tkr)", required=False)
        self.seats = seats
        for seat in seats:
            self.fields[f"recused_{seat.pk}"] = forms.BooleanField(
                label=f"{seat.person} anmäler jäv", required=False
            )
            self.fields[f"reason_{seat.pk}"] = forms.CharField(
                label=f"Skäl för jäv, {seat.person}", max_length=300, required=False
            )
        if not item.application_id:
            del self.fields["outcome"]

    def clean(self):
        cleaned = super().clean()
        for seat in self.seats:
            if cleaned.get(f"recused_{seat.pk}") and not cleaned.get(f"reason_{seat.pk}"):
                self.add_error(f"reason_{seat.pk}", "Ange skälet för jävet.")
        if not self.item.application_id and not cleaned.get("text"):
            self.add_error("text", "Skriv beslutet.")
        return cleaned

    def amounts(self) -> dict[int, Decimal]:
        return {
            year: self.cleaned_data[f"amount_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"amount_{year}")
        }

    def recusals(self):
        return [
            (seat, self.cleaned_data[f"reason_{seat.pk}"])
            for seat in self.seats
            if self.cleaned_data.get(f"recused_{seat.pk}")
        ]

    def amount_fields(self):
        return [self[f"amount_{year}"] for year in self.years]

    def recusal_fields(self):
        return [(self[f"recused_{seat.pk}"], self[f"reason_{seat.pk}"]) for seat in self.seats]


class ApprovalForm(forms.Form):
    chair_approved = forms.BooleanField(label="Ordföranden har justerat protokollet")
    adjusters_approved = forms.BooleanField(label="Justeraren har justerat protokollet")
