"""Forms of the verksamhetsplan: they validate and normalise, and hand typed values to
budget.plan_services. The text is Markdown from a plain textarea; no HTML is taken from the
browser (budget.plan_markdown renders and sanitises it when shown)."""

from django import forms
from django.utils import timezone

from budget import plan_selectors
from budget.plan_models import PlanSection
from budget.plan_services import HEADING_MAX, MAX_SPAN_YEARS, TEXT_MAX

LAST_BEFORE_FIRST = "Sista året kan inte ligga före det första."
SPAN_TOO_LONG = f"En verksamhetsplan omfattar högst {MAX_SPAN_YEARS} år."


class PlanCreateForm(forms.Form):
    first_year = forms.IntegerField(
        label="År", min_value=2000, max_value=2100, help_text="Året planen och budgeten gäller."
    )
    last_year = forms.IntegerField(
        label="Till och med år (för en flerårsplan)",
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Lämna tomt för en ettårsplan. Budgeten gäller det första året, de följande "
        "är preliminära.",
    )
    dnr = forms.CharField(label="Diarienummer", max_length=40, required=False)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        latest = plan_selectors.latest_plan(association)
        year = latest.first_year + 1 if latest else timezone.localdate().year + 1
        self.fields["first_year"].initial = year
        for name in ("first_year", "last_year"):
            self.fields[name].localize = False
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last:
            if last < first:
                self.add_error("last_year", LAST_BEFORE_FIRST)
            elif last - first + 1 > MAX_SPAN_YEARS:
                self.add_error("last_year", SPAN_TOO_LONG)
        return data


class PlanEditForm(forms.Form):
    dnr = forms.CharField(label="Diarienummer", max_length=40, required=False)
    budget_version = forms.ModelChoiceField(
        label="Budgetversion",
        queryset=None,
        required=False,
        empty_label="Ingen budget ännu",
        help_text="Versionen av årets budget som styrelsen antar tillsammans med planen.",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["budget_version"]
        field.queryset = plan_selectors.budget_versions_for_year(plan.association, plan.first_year)
        field.label_from_instance = lambda version: (
            f"Budget {version.budget.label}, version {version.number} "
            f"({plan_selectors.version_text(version).split(', ', 1)[1]})"
        )


class SectionAddForm(forms.Form):
    heading = forms.CharField(label="Rubrik", max_length=HEADING_MAX)


class SectionForm(forms.Form):
    heading = forms.CharField(label="Rubrik", max_length=HEADING_MAX)
    text = forms.CharField(label="Text", required=False, max_length=TEXT_MAX, strip=False)
    part = forms.ChoiceField(
        label="Genererad del efter texten", choices=PlanSection.Part.choices, required=False
    )


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(label="Styrelsens sammanträde", queryset=None)
    presenter = forms.CharField(label="Föredragande", max_length=200, required=False)

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = plan_selectors.schedulable_meetings(association)
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}, {meeting.place}"
        )


class AdoptForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label="Styrelsens beslut",
        queryset=None,
        help_text="Ett beslutat budgetärende i ett justerat protokoll. Beslutet antar planen och "
        "budgetversionen den anger.",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agenda_item"]
        field.queryset = plan_selectors.adopting_items(plan.association)
        field.label_from_instance = lambda item: (
            f"{timezone.localtime(item.meeting.starts_at):%Y-%m-%d}"
            f"{f', § {item.paragraph}' if item.paragraph else ''}: {item.title}"
        )
        if plan.agenda_item_id:
            field.initial = plan.agenda_item_id
