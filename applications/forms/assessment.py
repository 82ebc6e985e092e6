"""The beredningsgrupp's assessment form."""

from django import forms

from applications.models import (
    Assessment,
)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "individual_extent",
            "individual_comment",
            "cooperation_extent",
            "cooperation_comment",
            "implementation_comment",
            "takes_over_duties",
            "duties_comment",
            "recommendation",
            "recommendation_text",
        ]
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("individual_extent", "cooperation_extent", "recommendation"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
            self.fields[name].required = False
