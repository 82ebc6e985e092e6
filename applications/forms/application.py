"""The application form (seed 002) section by section, its tables, and the list filters."""

from dataclasses import dataclass

from django import forms
from django.db.models import F, Q
from django.forms import inlineformset_factory

from applications.models import (
    Activity,
    Application,
    BudgetRow,
    Initiative,
    Orientation,
    ParticipantTarget,
    PartyCommitment,
    PlannedReport,
)
from applications.selectors.application import workflow_order
from finsam.forms import DateInput, ModelIdsField, OwnRowsInlineFormSet
from finsam.models import Association, Member, TargetGroup
from finsam.money import KronorField

State = Application.State


PERIOD_ORDER = "Slutdatumet kan inte ligga före startdatumet."


CONTINUATION_NEEDS_INITIATIVE = "Ange vilken insats ansökan fortsätter eller ändrar."


ROW_PERIOD_ORDER = "Aktiviteten kan inte sluta innan den börjar."


BUDGET_YEAR_OUTSIDE = "Året ligger utanför insatsens period ({start}–{end})."


@dataclass(frozen=True)
class Section:
    """A section of the form, with the guidance of seed 002 for the person filling it in."""

    key: str
    title: str
    guidance: str
    fields: tuple[str, ...]
    formset: str = ""  # the rows that belong to the section


SECTIONS = [
    Section(
        "huvud",
        "Uppgifter om ansökan",
        "Uppdragsgivare är förbundet. Ange insatsansvarig, projektets namn, huvudman och vilka "
        "parter som deltar.",
        (
            "kind",
            "initiative",
            "date",
            "name",
            "lead_name",
            "lead_organisation",
            "lead_email",
            "lead_phone",
            "owner",
            "parties",
            "period_start",
            "period_end",
            "orientation",
            "target_groups",
            "fundable_kinds",
            "linked",
        ),
    ),
    Section(
        "syfte",
        "Syfte och bakgrund",
        "Beskriv bakgrunden och orsaken till varför projektet/verksamheten bör startas och i "
        "vilket sammanhang det bör ses. Här ska historiken ingå, vad behovet är grundat på – vilka "
        "analyser som gjorts – och vilka befintliga problem som ska lösas. Behovet av samordnad "
        "rehabilitering ska framgå både ur individ- och verksamhetsperspektiv.",
        ("purpose",),
    ),
    Section(
        "mal",
        "Mål och målgrupp",
        "Beskriv vilka som har möjlighet att delta, hur gruppen har identifierats och eventuella "
        "avgränsningar. Beskriv de mätbara mål som ska uppnås, gärna både kortsiktiga och "
        "långsiktiga. Samverkansmål: vad förbundets uppdrag till projektet är och vad projektet "
        "kan bidra med efter avslut. Deltagarmål: målen för deltagarna, specifika, mätbara, "
        "accepterade, realistiska och tillämpbara (SMART). Ange numeriska mål som rader, till "
        "exempel ”Beräknat flöde” 140.",
        ("target_group_description", "cooperation_goals", "participant_goals"),
        "targets",
    ),
    Section(
        "plan",
        "Plan för aktiviteten",
        "Hur kommer arbetet att bedrivas och hur bidrar arbetssättet till måluppfyllelsen? Vad är "
        "specifikt just här? Beskriv hur projektet säkerställer att man arbetar på rätt sätt, i "
        "tänkt riktning och i rätt tid. Lägg gärna in en tids- och aktivitetsplan som rader.",
        ("activity_plan",),
        "activities",
    ),
    Section(
        "organisation",
        "Organisation",
        "Beskriv projektets organisation och bemanning. Lista ingående parter och deras "
        "åtaganden. Tillskjuter någon part egna medel i form av personal etc.? Hur kommer "
        "samverkan ske? Vad är förbundets del? Vilka ingår i styrgrupp och referensgrupp, och "
        "med vilket uppdrag?",
        ("organisation", "steering_group", "reference_group"),
        "commitments",
    ),
    Section(
        "ekonomi",
        "Ekonomi",
        "Planerad budget med projektets kostnader (och eventuella intäkter) per kostnadsslag, "
        "preciserad per år från start. Ange egna medel från parterna. Summorna räknas fram.",
        ("economy",),
        "budget_rows",
    ),
    Section(
        "uppfoljning",
        "Uppföljning",
        "Hur ska projektet rapporteras? Hur ska uppföljning ske och med vilka parametrar? "
        "Uppföljning i den nationella uppföljningen ska ingå. Uppföljning och utvärdering på "
        "projektnivå och deltagarnivå? Koppling till extern utvärderare? Socioekonomiskt bokslut?",
        ("followup", "national_followup", "external_evaluator", "socioeconomic_report"),
    ),
    Section(
        "implementering",
        "Implementering/avveckling",
        "Hur länge ska verksamheten finnas? Finns plan för implementering och avveckling?",
        ("implementation",),
    ),
    Section(
        "aterkoppling",
        "Återkoppling till styrelsen",
        "När lämnas delrapport och slutrapport till styrelsen?",
        ("board_feedback",),
        "planned_reports",
    ),
]


class ApplicationForm(forms.ModelForm):
    fundable_kinds = forms.MultipleChoiceField(
        label="Vad medlen söks för",
        choices=Application.FundableKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Application
        fields = [name for section in SECTIONS for name in section.fields]
        widgets = {
            "date": DateInput(),
            "period_start": DateInput(),
            "period_end": DateInput(),
            "parties": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "linked": forms.CheckboxSelectMultiple,
            "orientation": forms.RadioSelect,
        }
        field_classes = {
            "parties": ModelIdsField,
            "target_groups": ModelIdsField,
            "linked": ModelIdsField,
        }

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        members = Member.objects.for_association(association)
        self.fields["owner"].queryset = members
        self.fields["parties"].queryset = members
        # One query for both lists and the commitments' rows (application_formsets), as plain
        # pairs: no model object per option.
        self.member_choices = members.seed_ordered_choices()
        self.fields["owner"].choices = [("", "---------"), *self.member_choices]
        self.fields["parties"].choices = self.member_choices
        target_groups = TargetGroup.objects.for_association(association)
        self.fields["target_groups"].queryset = target_groups
        # Without the model's ordering by förbund, which joins the förbund's table.
        self.fields["target_groups"].choices = list(
            target_groups.order_by("position", "name").values_list("pk", "name")
        )
        initiatives = Initiative.objects.for_association(association)
        self.fields["initiative"].queryset = initiatives
        # Every insats of the förbund's years, as plain pairs: no model object per option.
        self.fields["initiative"].choices = [
            ("", "---------"),
            *initiatives.order_by("name", "pk").values_list("pk", "name"),
        ]
        # Matters not yet decided; a link already made stays on offer so a save keeps it.
        open_states = [State.DRAFT, State.REGISTERED, State.IN_PREPARATION, State.PREPARED]
        others = Application.objects.for_association(association).filter(
            Q(state__in=open_states)
            | Q(pk__in=self.instance.linked.all() if self.instance.pk else [])
        )
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["linked"].queryset = others
        # As str(application) names them ("2026-00009 Namn", a draft by its name alone).
        self.fields["linked"].choices = [
            (pk, f"{year}-{number:05d} {name}" if number is not None else name)
            for pk, year, number, name in others.values_list("pk", "dnr_year", "dnr_number", "name")
        ]
        self.fields["orientation"].choices = Orientation.choices
        self.fields["orientation"].required = False
        for name in ("purpose", "target_group_description", "activity_plan", "organisation"):
            self.fields[name].widget.attrs["rows"] = 6

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", PERIOD_ORDER)
        if cleaned.get("kind") != Application.Kind.NEW and not cleaned.get("initiative"):
            self.add_error("initiative", CONTINUATION_NEEDS_INITIATIVE)
        return cleaned


class RowForm(forms.ModelForm):
    """A row of a table in the form: Bootstrap classes on the bare widgets (``style``)."""

    @classmethod
    def style(cls):
        """Bootstrap classes on the class's widgets, once rather than once per row: each row's
        fields are copies of these."""
        for field in cls.base_fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else css

    def __init__(
        self,
        *args,
        association: Association | None = None,
        member_choices=(),
        members=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.association = association
        self.member_choices = member_choices
        self.members = members

    def full_clean(self):
        super().full_clean()
        # Mark the bad cells for assistive technology; the template names the error by id.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                # The formset's hidden row id has no class of its own.
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"


class ParticipantTargetForm(RowForm):
    class Meta:
        model = ParticipantTarget
        fields = ["text", "number"]


class ActivityForm(RowForm):
    class Meta:
        model = Activity
        fields = ["activity", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", ROW_PERIOD_ORDER)
        return cleaned


class PartyCommitmentForm(RowForm):
    own_contribution = KronorField(label="Egna medel (kr)", required=False)

    class Meta:
        model = PartyCommitment
        fields = ["member", "commitment", "own_contribution"]
        widgets = {"commitment": forms.TextInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            self.members
            if self.members is not None
            else Member.objects.for_association(self.association)
        )
        # The choices are read once for all rows (application_formsets), not once per row.
        self.fields["member"].choices = [("", "---------"), *self.member_choices]

    def clean_own_contribution(self):
        return self.cleaned_data["own_contribution"] or 0


class BudgetRowForm(RowForm):
    amount = KronorField(label="Belopp (kr)")

    class Meta:
        model = BudgetRow
        fields = ["year", "kind", "label", "amount"]


class PlannedReportForm(RowForm):
    class Meta:
        model = PlannedReport
        fields = ["kind", "due"]
        widgets = {"due": DateInput()}


def _rows(model, form):
    return inlineformset_factory(
        Application,
        model,
        form=form,
        formset=OwnRowsInlineFormSet,
        extra=2,
        can_delete=True,
    )


FORMSETS = {
    "targets": _rows(ParticipantTarget, ParticipantTargetForm),
    "activities": _rows(Activity, ActivityForm),
    "commitments": _rows(PartyCommitment, PartyCommitmentForm),
    "budget_rows": _rows(BudgetRow, BudgetRowForm),
    "planned_reports": _rows(PlannedReport, PlannedReportForm),
}


for _formset in FORMSETS.values():
    _formset.form.style()  # the factory's subclass has fields of its own


FORMSET_TITLES = {
    "targets": "Numeriska deltagarmål",
    "activities": "Tids- och aktivitetsplan",
    "commitments": "Parternas åtaganden och egna medel",
    "budget_rows": "Budget per år",
    "planned_reports": "Planerade rapporter",
}


def application_formsets(
    data, instance, association, renderer=None, *, member_choices=None
) -> dict:
    """The form's tables of rows; ``renderer`` replaces FORM_RENDERER's (the tests compare the
    Python widgets with Django's templates); ``member_choices`` are the förbund's members as
    the ApplicationForm read them (read here otherwise)."""
    if member_choices is None:
        member_choices = Member.objects.for_association(association).seed_ordered_choices()
    form_kwargs = {
        "association": association,
        "member_choices": member_choices,
        # The rows' choice of member, built once for all rows.
        "members": Member.objects.for_association(association),
    }
    formsets = {
        key: formset_class(data, instance=instance, prefix=key, form_kwargs=form_kwargs)
        for key, formset_class in FORMSETS.items()
    }
    if renderer is not None:
        for formset in formsets.values():
            formset.renderer = renderer  # its management form and errors
            # The rows' forms (the empty row's too) are made when first read, with this one.
            formset.form_renderer = renderer
    return formsets


def budget_years_within_period(form: ApplicationForm, budget_formset) -> bool:
    """Budget rows must fall in the years of the period; marks offending rows."""
    start, end = form.cleaned_data.get("period_start"), form.cleaned_data.get("period_end")
    if not (start and end):
        return True
    valid = True
    for row in budget_formset.forms:
        year = row.cleaned_data.get("year") if hasattr(row, "cleaned_data") else None
        if year and not row.cleaned_data.get("DELETE") and not start.year <= year <= end.year:
            row.add_error("year", BUDGET_YEAR_OUTSIDE.format(start=start.year, end=end.year))
            valid = False
    return valid


class VersionForm(forms.Form):
    """The version of the application the edit form was based on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ApplicationFilterForm(forms.Form):
    SORTS = {
        "dnr": (
            F("dnr_year").desc(nulls_last=True),
            F("dnr_number").desc(nulls_last=True),
            "-id",
        ),
        "namn": ("name",),
        "status": (workflow_order(), "name"),
        "huvudman": ("owner__name", "name"),
        "start": ("period_start", "name"),
    }

    q = forms.CharField(label="Sök (namn, diarienummer, insatsansvarig)", required=False)
    state = forms.ChoiceField(label="Status", required=False)
    year = forms.IntegerField(label="År", required=False, min_value=2000, max_value=2100)
    owner = forms.ModelChoiceField(label="Huvudman", queryset=Member.objects.none(), required=False)
    orientation = forms.ChoiceField(label="Inriktning", required=False)
    target_group = forms.ModelChoiceField(
        label="Målgrupp", queryset=TargetGroup.objects.none(), required=False
    )
    sort = forms.ChoiceField(
        label="Sortera efter",
        required=False,
        choices=[
            ("dnr", "Diarienummer"),
            ("namn", "Namn"),
            ("status", "Status"),
            ("huvudman", "Huvudman"),
            ("start", "Startdatum"),
        ],
    )

    def __init__(self, *args, association: Association, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Alla"), *states]
        self.fields["orientation"].choices = [("", "Alla"), *Orientation.choices]
        self.fields["owner"].queryset = Member.objects.for_association(association)
        self.fields["owner"].empty_label = "Alla"
        self.fields["target_group"].queryset = TargetGroup.objects.for_association(association)
        self.fields["target_group"].empty_label = "Alla"


def formset_rows(formset) -> list[dict]:
    """The rows a valid formset keeps, as field values for the services; a row that exists
    carries its ``id``. Blank extra rows and rows marked for removal are left out."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        # The foreign key to the application is the service's to set.
        row = {name: data[name] for name in form._meta.fields if name != formset.fk.name}
        if data.get("id") is not None:
            row["id"] = data["id"].pk
        rows.append(row)
    return rows


def application_values(form: ApplicationForm, formsets: dict) -> tuple[dict, dict]:
    """A valid form and its formsets as the services take them: field values, and each table's
    rows."""
    tables = {name: formset_rows(formset) for name, formset in formsets.items()}
    return dict(form.cleaned_data), tables
