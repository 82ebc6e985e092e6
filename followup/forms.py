"""Forms of the follow-up: validate and normalise only; the services decide."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from applications.models import Initiative, Meeting, Orientation
from finsam.forms import DateInput
from finsam.models import Association, Member
from finsam.uploads import UploadError, check_unpacked, megabytes, read_upload
from followup import register_file, report_files
from followup.models import (
    Education,
    ExitReason,
    Gender,
    IncomeSource,
    Occupation,
    SupportTime,
)
from followup.services import ParticipantEnd, ParticipantValues, label

MAX_COUNT = 10_000


class InitiativeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Alla"), ("running", "Pågående"), ("ended", "Avslutade")],
    )
    year = forms.IntegerField(
        label="År",
        required=False,
        min_value=2000,
        max_value=2100,
    )
    owner = forms.ModelChoiceField(label="Huvudman", queryset=Member.objects.none(), required=False)
    orientation = forms.ChoiceField(label="Inriktning", required=False)

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orientation"].choices = [("", "Alla"), *Orientation.choices]
        self.fields["owner"].queryset = Member.objects.for_association(association)
        self.fields["owner"].empty_label = "Alla"


class InitiativeEndForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Hur avslutades insatsen?",
        choices=[
            (Initiative.State.IMPLEMENTED, "Implementerad i ordinarie verksamhet"),
            (Initiative.State.DISCONTINUED, "Avvecklad"),
        ],
        widget=forms.RadioSelect,
    )
    ended_on = forms.DateField(label="Avslutad den", widget=DateInput())


def _choice(name: str, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label(name), choices=[("", "Välj"), *choices.choices], **kwargs)


class ParticipantForm(forms.Form):
    """A new participant: coded values only; the code is given by the system."""

    gender = forms.ChoiceField(
        label=label("gender"), choices=Gender.choices, widget=forms.RadioSelect
    )
    birth_year = forms.IntegerField(
        label=label("birth_year"),
        min_value=1900,
        max_value=2100,
        help_text="Fyra siffror. Visas i registret som åldersgrupp.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    education = _choice("education", Education)
    income_source_start = _choice(
        "income_source_start", IncomeSource, help_text="Den huvudsakliga försörjningen."
    )
    occupation_start = _choice("occupation_start", Occupation)
    support_time = _choice("support_time", SupportTime)
    started_on = forms.DateField(label=label("started_on"), widget=DateInput())

    def values(self) -> ParticipantValues:
        return ParticipantValues(**self.cleaned_data)


class ParticipantEndForm(forms.Form):
    ended_on = forms.DateField(label=label("ended_on"), widget=DateInput())
    exit_reason = _choice("exit_reason", ExitReason)
    income_source_end = _choice("income_source_end", IncomeSource)
    occupation_end = _choice("occupation_end", Occupation)

    def end(self) -> ParticipantEnd:
        return ParticipantEnd(**self.cleaned_data)


class RegisterImportForm(forms.Form):
    file = forms.FileField(
        label="Deltagarregistret (xlsx)",
        help_text="Mallen som Finsam ger ut, ifylld. Högst 2 MB och 5 000 deltagare.",
    )

    def __init__(self, *args, initiative: Initiative, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        self.existing = existing  # a callable: the register by number, read only when needed

    def clean_file(self):
        file = self.cleaned_data["file"]
        # Refused by its size before a byte of it is read.
        if file.size > register_file.MAX_BYTES:
            raise ValidationError(register_file.TOO_LARGE)
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(register_file.NOT_XLSX)
        return file

    def clean(self):
        """Every row of the file read and checked: ``cleaned_data["preview"]`` is a
        register_file.RegisterPreview (rows with errors included)."""
        data = super().clean()
        file = data.get("file")
        if file is None:
            return data
        try:
            data["preview"] = register_file.read_register(
                read_upload(file, register_file.LIMITS),
                file.name,
                initiative=self.initiative,
                existing=self.existing(),
            )
        except UploadError as error:
            self.add_error("file", str(error))
        except register_file.RegisterFileError as error:
            self.add_error("file", str(error))
        return data


class AnonymousCountsForm(forms.Form):
    """Anonyma deltagare who started in each month of a year, women and men; empty is none."""

    def __init__(self, *args, months: list[datetime.date], initial_counts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.months = months
        for month in months:
            row = initial_counts.get(month)
            for key, text in (("women", "Kvinnor"), ("men", "Män")):
                self.fields[f"{key}-{month:%Y-%m}"] = forms.IntegerField(
                    label=f"{text}, {MONTH_NAMES[month.month - 1]} {month.year}",
                    required=False,
                    min_value=0,
                    max_value=MAX_COUNT,
                    initial=getattr(row, key) if row and getattr(row, key) else None,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
                )

    def rows(self):
        """(month name, women field, men field) for the grid."""
        return [
            (
                f"{MONTH_NAMES[month.month - 1].capitalize()}",
                self[f"women-{month:%Y-%m}"],
                self[f"men-{month:%Y-%m}"],
            )
            for month in self.months
        ]

    def counts(self) -> dict[datetime.date, tuple[int, int]]:
        data = self.cleaned_data
        return {
            month: (data[f"women-{month:%Y-%m}"] or 0, data[f"men-{month:%Y-%m}"] or 0)
            for month in self.months
        }


MONTH_NAMES = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


class LeadAccessForm(forms.Form):
    email = forms.EmailField(label="E-postadress", max_length=254)
    first_name = forms.CharField(label="Förnamn", max_length=150, required=False)
    last_name = forms.CharField(label="Efternamn", max_length=150, required=False)


TOO_LARGE_UNREAD = "Filen är större än {limit}; högst {limit} tas emot."


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label="Rapporten (PDF, Word eller Excel, högst 20 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": report_files.ACCEPT}),
    )
    received_on = forms.DateField(label="Mottagen den", widget=DateInput())

    def __init__(self, *args, upload_refused: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The request-wide upload handler stopped receiving a file beyond its limit: say why
        # the file is missing rather than that it was not chosen.
        self.upload_refused = upload_refused

    def clean(self):
        cleaned = super().clean()
        if self.upload_refused:
            self.errors.pop("file", None)
            limit = megabytes(report_files.LIMITS.max_bytes)
            self.add_error(
                "file", ValidationError(TOO_LARGE_UNREAD.format(limit=limit), code="file")
            )
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            content = read_upload(upload, report_files.LIMITS)
            if report_files.report_kind(upload.name, content) != "PDF":
                # Kept, not read here; but whoever opens it must not get a zip bomb.
                check_unpacked(content, report_files.LIMITS)
        except UploadError as error:
            raise ValidationError(str(error), code="file") from None
        self.cleaned_data["content"] = content
        return upload


class ReportAgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label="Styrelsens sammanträde", queryset=Meeting.objects.none(), empty_label="Välj"
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["meeting"]
        field.queryset = meetings  # what a posted choice is found in
        # Read once: the page asks whether there are any and then lists them, which through
        # the queryset is two queries (issue #12).
        self.meetings = list(meetings)
        field.choices = [
            ("", field.empty_label),
            *((meeting.pk, field.label_from_instance(meeting)) for meeting in self.meetings),
        ]
