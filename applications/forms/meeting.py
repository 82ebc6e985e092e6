"""Forms for meetings: the meeting, an ärende, attendance, a decision with amounts in tkr,
justering."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from applications.models import AgendaItem, Application, Attendance, Decision, Meeting
from applications.selectors.application import budget_summary
from applications.services import AttendanceRow
from finsam.models import Association, BoardSeat
from finsam.money import TkrField, format_tkr


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


class AttendanceForm(forms.Form):
    """Who is present, which deputy serves for which absent ordinary, and the justerare: three
    fields per seat on the board that day, present_<pk>, serving_for_<pk> (deputies only) and
    approver_<pk>. The rules between seats are the service's (attendance_record)."""

    secretary = forms.CharField(
        label="Sekreterare",
        max_length=200,
        required=False,
        help_text="Den som för protokollet, till exempel förbundschefen.",
    )
    others_present = forms.CharField(
        label="Övriga närvarande",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Tjänstemän och föredragande, en per rad: namn och befattning.",
    )

    def __init__(
        self,
        *args,
        seats: list[BoardSeat],
        attendance: list[Attendance],
        meeting: Meeting | None = None,
        **kwargs,
    ):
        kwargs.setdefault("auto_id", "%s")
        if meeting is not None:
            kwargs.setdefault(
                "initial",
                {"secretary": meeting.secretary, "others_present": meeting.others_present},
            )
        super().__init__(*args, **kwargs)
        self.seats = seats
        current = {row.seat_id: row for row in attendance}
        ordinaries = [seat for seat in seats if seat.kind == BoardSeat.Kind.ORDINARY]
        for seat in seats:
            row = current.get(seat.pk)
            self.fields[f"present_{seat.pk}"] = forms.BooleanField(
                label=f"{seat.person} närvarande",
                required=False,
                initial=row is not None and row.present,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            if seat.kind == BoardSeat.Kind.DEPUTY:
                # A deputy serves only for an ordinary of the member that appointed both.
                own = [o for o in ordinaries if o.member_id == seat.member_id]
                self.fields[f"serving_for_{seat.pk}"] = forms.TypedChoiceField(
                    label=f"{seat.person} tjänstgör för",
                    choices=[("", "–")] + [(str(o.pk), str(o.person)) for o in own],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=row.serving_for_id if row else None,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
            self.fields[f"approver_{seat.pk}"] = forms.BooleanField(
                label=f"{seat.person} justerare",
                required=False,
                initial=row is not None and row.approver,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def rows(self) -> list[AttendanceRow]:
        by_pk = {seat.pk: seat for seat in self.seats}
        data = self.cleaned_data
        return [
            AttendanceRow(
                seat=seat,
                present=data[f"present_{seat.pk}"],
                serving_for=by_pk.get(data.get(f"serving_for_{seat.pk}")),
                approver=data[f"approver_{seat.pk}"],
            )
            for seat in self.seats
        ]

    def seat_fields(self) -> list[tuple]:
        """Per seat, for the table: the seat and its present, serving-for (or None) and
        justerare fields."""
        return [
            (
                seat,
                self[f"present_{seat.pk}"],
                self[f"serving_for_{seat.pk}"] if f"serving_for_{seat.pk}" in self.fields else None,
                self[f"approver_{seat.pk}"],
            )
            for seat in self.seats
        ]


class DecisionForm(forms.Form):
    """The board's decision on an ärende: for an application its outcome and the amounts
    granted per year (typed in tkr, handed on in kronor); jäv for each member present. Opened on
    an ärende already decided, it shows that decision."""

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
    confirm_exceeding = forms.BooleanField(
        label="Styrelsen beviljar medvetet mer än det sökta beloppet",
        help_text="Krävs när ett år får mer än ansökan begär; protokollet noterar det.",
        required=False,
    )

    def __init__(
        self, *args, item: AgendaItem, recommended: dict[int, Decimal] | None = None, **kwargs
    ):
        # The item comes from selectors.meeting_detail: its meeting's attendance and its
        # decision with amounts and recusals are already read; the application's budget rows
        # (the amounts it asks for) are read here in one query: the decision page reads the
        # meeting without ``assessed``.
        decision = getattr(item, "decision", None)
        self.sought = {}
        if item.application_id:
            self.sought = {y.year: y.sought for y in budget_summary(item.application).years}
        if decision is not None:
            kwargs.setdefault("initial", decision_initial(decision))
        else:
            # A new decision starts from what was applied for; the board changes what it grants.
            kwargs.setdefault("initial", {f"amount_{y}": a for y, a in self.sought.items()})
        super().__init__(*args, **kwargs)
        self.item = item
        self.years = item.application.years if item.application_id else []
        recommended = recommended or {}
        for year in self.years:
            hint = f"Sökt {format_tkr(self.sought.get(year, 0))} tkr"
            if year in recommended:
                hint += f" · beredningen rekommenderar {format_tkr(recommended[year])} tkr"
            self.fields[f"amount_{year}"] = TkrField(
                label=f"Beviljat {year} (tkr)", required=False, help_text=hint
            )
        if not self.years:
            del self.fields["confirm_exceeding"]
        self.seats = [row.seat for row in item.meeting.attendance.all() if row.present]
        for seat in self.seats:
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
        """Kronor per year, the years left empty or at 0 left out."""
        return {
            year: self.cleaned_data[f"amount_{year}"]
            for year in self.years
            if self.cleaned_data.get(f"amount_{year}")
        }

    def recusals(self) -> list[tuple[BoardSeat, str]]:
        return [
            (seat, self.cleaned_data[f"reason_{seat.pk}"])
            for seat in self.seats
            if self.cleaned_data.get(f"recused_{seat.pk}")
        ]

    def decision_values(self) -> dict:
        """What services.decision_record takes besides the user and the ärende."""
        return {
            "outcome": self.cleaned_data.get("outcome", ""),
            "text": self.cleaned_data["text"],
            "conditions": self.cleaned_data["conditions"],
            "presenter_left": self.cleaned_data["presenter_left"],
            "amounts": self.amounts(),
            "recusals": self.recusals(),
            "confirm_exceeding": self.cleaned_data.get("confirm_exceeding", False),
        }

    def shown_amounts(self) -> dict[int, Decimal]:
        """The amounts as the form shows them now (posted or initial), kronor per year, for the
        budget room after this decision; what cannot be read counts as nothing."""
        shown = {}
        for year in self.years:
            field = self[f"amount_{year}"]
            value = field.value()
            try:
                # The initial value is the tkr text the field shows, read as the field reads it.
                amount = value if isinstance(value, Decimal) else field.field.clean(value)
            except forms.ValidationError:
                amount = None
            shown[year] = amount or Decimal(0)
        return shown

    def amount_fields(self):
        return [self[f"amount_{year}"] for year in self.years]

    def recusal_fields(self):
        return [(self[f"recused_{seat.pk}"], self[f"reason_{seat.pk}"]) for seat in self.seats]


def decision_initial(decision: Decision) -> dict:
    """A recorded decision as the form shows it; TkrField shows the kronor as tkr."""
    recusals = list(decision.recusals.all())
    return {
        "outcome": decision.outcome,
        "text": decision.text,
        "conditions": decision.conditions,
        "presenter_left": decision.presenter_left,
        "confirm_exceeding": decision.exceeds_application,
        **{f"amount_{row.year}": row.amount for row in decision.amounts.all()},
        **{f"recused_{row.seat_id}": True for row in recusals},
        **{f"reason_{row.seat_id}": row.reason for row in recusals},
    }


class PublishForm(forms.Form):
    """Sending the kallelse; the service refuses what is not confirmed (WITHOUT_EMAIL,
    SHORT_NOTICE), so both boxes are optional here."""

    confirm_without_email = forms.BooleanField(
        label="Skicka till dem som har e-postadress; övriga kallas på annat sätt", required=False
    )
    confirm_short_notice = forms.BooleanField(
        label="Skicka trots att kallelsen går ut senare än förbundets regel", required=False
    )


class CancelForm(forms.Form):
    """Ställa in ett sammanträde; the service refuses an empty reason (CANCEL_REASON_REQUIRED)."""

    reason = forms.CharField(label="Skäl till att sammanträdet ställs in", required=False)


class AgendaMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Upp"), ("down", "Ned")])


class ApprovalForm(forms.Form):
    """Justering. Both boxes are optional here: the service refuses unless both are ticked
    (NOT_APPROVED), so the refusal reads the same however it is reached."""

    chair_approved = forms.BooleanField(
        label="Ordföranden har justerat protokollet", required=False
    )
    approvers_approved = forms.BooleanField(
        label="Justeraren har justerat protokollet", required=False
    )
    urgent_reason = forms.CharField(
        label="Brådskande ärende: varför sammanträdet hölls utan kallelse",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
