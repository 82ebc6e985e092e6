"""The beredningsgrupp's assessment form."""

from decimal import Decimal

from django import forms

from applications.models import Assessment
from finsam.money import TkrField


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = Assessment.WRITTEN_BY_PREPARERS
        widgets = {
            "individual_comment": forms.Textarea(attrs={"rows": 3}),
            "cooperation_comment": forms.Textarea(attrs={"rows": 3}),
            "implementation_comment": forms.Textarea(attrs={"rows": 3}),
            "duties_comment": forms.Textarea(attrs={"rows": 2}),
            "recommendation_text": forms.Textarea(attrs={"rows": 4}),
            "individual_extent": forms.RadioSelect,
            "cooperation_extent": forms.RadioSelect,
            "recommendation": forms.RadioSelect,
        }
        help_texts = {
            "individual_extent": "Når ansökan individer med samordnade behov så att de kan "
            "förbättra sin förmåga att utföra förvärvsarbete och stärka sin egen försörjning?",
            "cooperation_extent": "Utvecklar verksamheterna sin samverkan och blir därmed "
            "effektivare?",
            "takes_over_duties": "Insatsen får inte ta över eller lösa brister i en medlems egen "
            "organisation.",
        }

    def __init__(self, *args, years: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # The recommended grant per year of the application's period (tkr), for a partial grant.
        self.years = list(years)
        current = {}
        if self.instance.pk:
            current = {row.year: row.amount for row in self.instance.amounts.all()}
        self.shown_amounts = current  # kronor per year as stored, for the form's fingerprint
        for year in self.years:
            self.fields[f"amount_{year}"] = TkrField(
                label=f"Rekommenderat belopp {year} (tkr)",
                required=False,
                initial=current.get(year),
                help_text="Lämna tomt om beredningsgruppen inte rekommenderar ett belopp.",
            )
        for name in ("individual_extent", "cooperation_extent", "recommendation"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
            self.fields[name].required = False

    def values(self) -> dict:
        """The assessment's own fields, as the service takes them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def amounts(self) -> dict[int, Decimal]:
        """The recommended amounts in kronor, per year that has one."""
        amounts = {year: self.cleaned_data.get(f"amount_{year}") for year in self.years}
        return {year: amount for year, amount in amounts.items() if amount is not None}
