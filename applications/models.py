"""Insatsansökningar (the BÅDESÅ form, seed 002), their beredning and the insatser they fund."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finsam.models import (
    Association,
    AssociationScopedQuerySet,
    BoardSeat,
    Member,
    Role,
    TargetGroup,
)


class Orientation(models.TextChoices):
    INDIVIDUAL = "individual", _("Individinriktad")
    STRUCTURAL = "structural", _("Strukturövergripande")


class Initiative(models.Model):
    """An insats: a funded, time-limited project run by a member. Grants create them (next
    issue); a continuation application points at one."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Pågår")
        IMPLEMENTED = "implemented", _("Avslutad – implementerad i ordinarie verksamhet")
        DISCONTINUED = "discontinued", _("Avslutad – avvecklad")

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="initiatives"
    )
    name = models.CharField(_("namn"), max_length=300)
    owner = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="owned_initiatives",
        verbose_name=_("huvudman"),
    )
    orientation = models.CharField(_("inriktning"), max_length=20, choices=Orientation.choices)
    period_start = models.DateField(_("från"))
    period_end = models.DateField(_("till"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["association", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="initiative_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class ApplicationQuerySet(AssociationScopedQuerySet):
    def visible_to(self, role: str):
        """What each role may read: the officer everything; the beredningsgrupp and the board
        registered matters, never drafts."""
        if role == Role.Kind.OFFICER:
            return self
        if role in (Role.Kind.PREPARER, Role.Kind.BOARD):
            return self.exclude(state=Application.State.DRAFT)
        if role == Role.Kind.AUDITOR:
            return self.filter(state__in=Application.DECIDED_STATES)
        return self.none()


class Application(models.Model):
    """An insatsansökan, section by section as in seed 002."""

    class Kind(models.TextChoices):
        NEW = "new", _("Ny ansökan")
        CONTINUATION = "continuation", _("Fortsättningsansökan")
        CHANGE = "change", _("Ändring av beviljad insats")

    class State(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        REGISTERED = "registered", _("Registrerad")
        IN_PREPARATION = "in_preparation", _("Under beredning")
        PREPARED = "prepared", _("Beredd")
        ON_AGENDA = "on_agenda", _("På dagordning")
        GRANTED = "granted", _("Beviljad")
        PARTLY_GRANTED = "partly_granted", _("Delvis beviljad")
        REJECTED = "rejected", _("Avslagen")
        WITHDRAWN = "withdrawn", _("Återtagen")

    DECIDED_STATES = (State.GRANTED, State.PARTLY_GRANTED, State.REJECTED)

    class FundableKind(models.TextChoices):
        NEW_METHODS = "new_methods", _("Nya professioner, tjänster, arbetssätt eller metoder")
        ENABLING_COSTS = (
            "enabling_costs",
            _("Kostnader som möjliggör samverkan (lokaler, samordnare, administration)"),
        )
        COOPERATION_COST = (
            "cooperation_cost",
            _("Samverkanskostnad i förhållande till ordinarie verksamhet"),
        )

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField(
        _("typ av ansökan"), max_length=20, choices=Kind.choices, default=Kind.NEW
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("insats som fortsätter eller ändras"),
    )
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.DRAFT)
    dnr_year = models.PositiveSmallIntegerField(
        _("diarieår"), null=True, blank=True, editable=False
    )
    dnr_number = models.PositiveIntegerField(_("löpnummer"), null=True, blank=True, editable=False)
    registered_at = models.DateTimeField(_("registrerad"), null=True, blank=True, editable=False)
    # Optimistic locking: each save bumps it; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    # Header
    date = models.DateField(_("datum"), default=datetime.date.today)
    name = models.CharField(_("projektets namn"), max_length=300)
    lead_name = models.CharField(_("insatsansvarig"), max_length=200, blank=True)
    lead_organisation = models.CharField(
        _("insatsansvarigs organisation"), max_length=200, blank=True
    )
    lead_email = models.EmailField(_("insatsansvarigs e-post"), blank=True)
    lead_phone = models.CharField(_("insatsansvarigs telefon"), max_length=40, blank=True)
    owner = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_applications",
        verbose_name=_("huvudman (projektägare)"),
    )
    participants = models.ManyToManyField(
        Member,
        blank=True,
        related_name="participating_applications",
        verbose_name=_("deltagande parter"),
    )
    period_start = models.DateField(_("startdatum"), null=True, blank=True)
    period_end = models.DateField(_("slutdatum"), null=True, blank=True)
    orientation = models.CharField(
        _("inriktning"), max_length=20, choices=Orientation.choices, blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="applications", verbose_name=_("målgrupper")
    )
    fundable_kinds = models.JSONField(_("vad medlen söks för"), default=list, blank=True)

    # Sections of seed 002
    purpose = models.TextField(_("syfte och bakgrund"), blank=True)
    target_group_description = models.TextField(_("mål och målgrupp"), blank=True)
    cooperation_goals = models.TextField(_("samverkansmål"), blank=True)
    participant_goals = models.TextField(_("deltagarmål"), blank=True)
    activity_plan = models.TextField(_("plan för aktiviteten"), blank=True)
    organisation = models.TextField(_("organisation och bemanning"), blank=True)
    steering_group = models.TextField(_("styrgrupp"), blank=True)
    reference_group = models.TextField(_("referensgrupp"), blank=True)
    economy = models.TextField(_("ekonomi, kommentar"), blank=True)
    followup = models.TextField(_("uppföljning"), blank=True)
    national_followup = models.BooleanField(
        _("rapporteras i den nationella uppföljningen (Uppföljning Finsam)"), default=False
    )
    external_evaluator = models.CharField(_("extern utvärderare"), max_length=300, blank=True)
    socioeconomic_report = models.BooleanField(_("socioekonomiskt bokslut"), default=False)
    implementation = models.TextField(_("implementering och avveckling"), blank=True)
    board_feedback = models.TextField(_("återkoppling till styrelsen"), blank=True)

    linked = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        verbose_name=_("beroende ansökningar (beslutas vid samma sammanträde)"),
    )

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[participants, target_groups])

    class Meta:
        verbose_name = _("insatsansökan")
        verbose_name_plural = _("insatsansökningar")
        # Drafts (no Dnr yet) last, on every database.
        ordering = [
            models.F("dnr_year").desc(nulls_last=True),
            models.F("dnr_number").desc(nulls_last=True),
            "-id",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "dnr_year", "dnr_number"], name="application_unique_dnr"
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="application_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(dnr_number__isnull=False),
                name="application_registered_has_dnr",
            ),
        ]

    def __str__(self):
        return f"{self.dnr} {self.name}" if self.dnr else self.name

    def get_absolute_url(self):
        return reverse("applications:detail", args=[self.pk])

    @property
    def dnr(self) -> str:
        """Diarienummer, e.g. 2026-00009."""
        if self.dnr_number is None:
            return ""
        return f"{self.dnr_year}-{self.dnr_number:05d}"

    @property
    def years(self) -> list[int]:
        if not (self.period_start and self.period_end):
            return []
        return list(range(self.period_start.year, self.period_end.year + 1))

    def fundable_kind_labels(self) -> list[str]:
        labels = dict(self.FundableKind.choices)
        return [str(labels[k]) for k in self.fundable_kinds if k in labels]


class ParticipantTarget(models.Model):
    """A numeric participant target, e.g. "Beräknat flöde" 140."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="targets")
    text = models.CharField(_("mål"), max_length=300)
    number = models.PositiveIntegerField(_("antal"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deltagarmål")
        verbose_name_plural = _("deltagarmål")
        ordering = ["id"]

    def __str__(self):
        return f"{self.text}: {self.number}"


class Activity(models.Model):
    """A row of the time and activity plan."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="activities"
    )
    activity = models.CharField(_("aktivitet"), max_length=300)
    start = models.DateField(_("från"))
    end = models.DateField(_("till"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("tids- och aktivitetsplan")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="activity_period_ordered"
            ),
        ]

    def __str__(self):
        return self.activity


class PartyCommitment(models.Model):
    """What a participating party commits to, and its own contribution in kronor."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="commitments"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, verbose_name=_("part"))
    commitment = models.TextField(_("åtagande"))
    own_contribution = models.DecimalField(
        _("egna medel (kr)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partens åtagande")
        verbose_name_plural = _("parternas åtaganden")
        ordering = ["id"]

    def __str__(self):
        return f"{self.member}: {self.commitment[:40]}"


class BudgetRow(models.Model):
    """One line of the application's budget: a cost, an income or a party's own funds, per year."""

    class Kind(models.TextChoices):
        COST = "cost", _("Kostnad")
        INCOME = "income", _("Intäkt")
        OWN_FUNDS = "own_funds", _("Egna medel från part")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_rows"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices, default=Kind.COST)
    label = models.CharField(_("kostnadsslag / post"), max_length=200)
    amount = models.DecimalField(
        _("belopp (kr)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budget")
        ordering = ["year", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_row_amount_positive"),
        ]

    def __str__(self):
        return f"{self.year} {self.label}"


class PlannedReport(models.Model):
    """A report the insats owes the board (återkoppling till styrelsen)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Delrapport")
        FINAL = "final", _("Slutrapport")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="planned_reports"
    )
    kind = models.CharField(_("rapport"), max_length=10, choices=Kind.choices)
    due = models.DateField(_("senast"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planerad rapport")
        verbose_name_plural = _("planerade rapporter")
        ordering = ["due", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due}"


class StateChange(models.Model):
    """The application's timeline: every move between states, who made it, when and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="state_changes"
    )
    from_state = models.CharField(max_length=20, choices=Application.State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=Application.State.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class DnrSequence(models.Model):
    """The last diarienummer given per förbund and year. Registration locks the row, so numbers
    are unique and without gaps also under concurrent registrations."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="dnr_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.association} {self.year}: {self.last_number}"


class Assessment(models.Model):
    """The beredningsgrupp's assessment of an application, one per round. An återremiss starts a
    new round; earlier rounds stay readable."""

    class Extent(models.TextChoices):
        HIGHER = "higher", _("I högre utsträckning")
        LOWER = "lower", _("I lägre utsträckning")

    class Recommendation(models.TextChoices):
        GRANT = "grant", _("Bevilja")
        REJECT = "reject", _("Avslå")
        SUPPLEMENT = "supplement", _("Komplettera")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    round = models.PositiveSmallIntegerField(_("omgång"), default=1)
    individual_extent = models.CharField(
        _("individperspektivet"), max_length=10, choices=Extent.choices, blank=True
    )
    individual_comment = models.TextField(_("kommentar, individperspektivet"), blank=True)
    cooperation_extent = models.CharField(
        _("samverkansperspektivet"), max_length=10, choices=Extent.choices, blank=True
    )
    cooperation_comment = models.TextField(_("kommentar, samverkansperspektivet"), blank=True)
    implementation_comment = models.TextField(_("kommentar till implementeringsplanen"), blank=True)
    takes_over_duties = models.BooleanField(
        _("insatsen tar över eller löser brister i en medlems egna uppdrag"), default=False
    )
    duties_comment = models.TextField(_("kommentar, medlemmarnas egna uppdrag"), blank=True)
    recommendation = models.CharField(
        _("rekommendation till styrelsen"),
        max_length=20,
        choices=Recommendation.choices,
        blank=True,
    )
    recommendation_text = models.TextField(_("beredningsgruppens sammanfattning"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    finalised_at = models.DateTimeField(_("fastställd"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beredning")
        verbose_name_plural = _("beredningar")
        ordering = ["application", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round"], name="assessment_one_per_round"
            ),
        ]

    def __str__(self):
        return f"Beredning omgång {self.round} av {self.application}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


# Meetings and decisions ----------------------------------------------------------------------


class MeetingQuerySet(AssociationScopedQuerySet):
    def upcoming(self, now):
        return self.filter(starts_at__gte=now).order_by("starts_at")

    def past(self, now):
        return self.filter(starts_at__lt=now).order_by("-starts_at")


class Meeting(models.Model):
    """A sammanträde of the board or of the beredningsgrupp."""

    class Body(models.TextChoices):
        BOARD = "board", _("Styrelsen")
        PREPARATION = "preparation", _("Beredningsgruppen")

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="meetings")
    body = models.CharField(_("organ"), max_length=20, choices=Body.choices, default=Body.BOARD)
    starts_at = models.DateTimeField(_("datum och tid"))
    place = models.CharField(_("plats"), max_length=200)
    published_at = models.DateTimeField(
        _("kallelse skickad"), null=True, blank=True, editable=False
    )
    minutes_opened_at = models.DateTimeField(_("protokoll upprättat"), null=True, editable=False)
    approved_at = models.DateTimeField(_("protokoll justerat"), null=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-starts_at"]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.get_body_display()} {local:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("applications:meeting", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_locked(self) -> bool:
        """Justerat: the minutes, attendance and decisions can no longer change."""
        return self.approved_at is not None


class AgendaItem(models.Model):
    """An ärende on the agenda; in the minutes it becomes a numbered paragraph (§)."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Beslut om ansökan")
        BUDGET = "budget", _("Fastställande av budget")
        PLAN = "plan", _("Fastställande av verksamhetsplan")
        REPORT = "report", _("Rapport")
        INFORMATION = "information", _("Information")
        OTHER = "other", _("Övrigt")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("ordning"))
    kind = models.CharField(_("typ av ärende"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=300)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("ansökan"),
    )
    presenter = models.CharField(_("föredragande"), max_length=200, blank=True)
    paragraph = models.PositiveIntegerField(_("§"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("dagordning")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position"),
            models.CheckConstraint(
                condition=Q(kind="application", application__isnull=False) | ~Q(kind="application"),
                name="agenda_item_application_needs_one",
            ),
        ]

    def __str__(self):
        prefix = f"§ {self.paragraph} " if self.paragraph else ""
        return f"{prefix}{self.title}"


class MinutesSequence(models.Model):
    """The last paragraph number a body used in a calendar year; numbering locks the row."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=20, choices=Meeting.Body.choices)
    year = models.PositiveSmallIntegerField()
    last_paragraph = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "body", "year"], name="minutes_sequence_unique"
            ),
        ]

    def __str__(self):
        return f"{self.association} {self.body} {self.year}: § {self.last_paragraph}"


class Attendance(models.Model):
    """Who sat at a board meeting: a seat present, or a deputy serving for an absent ordinary."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(BoardSeat, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("närvarande"), default=False)
    serving_for = models.ForeignKey(
        BoardSeat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tjänstgör för"),
    )
    adjuster = models.BooleanField(_("justerare"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_once_per_seat"),
        ]

    def __str__(self):
        return f"{self.seat.person} ({'närvarande' if self.present else 'frånvarande'})"


class Decision(models.Model):
    """The board's decision on an agenda item; for an application, its outcome and amounts."""

    class Outcome(models.TextChoices):
        GRANT = "grant", _("Beviljas")
        PARTIAL = "partial", _("Beviljas delvis")
        REJECT = "reject", _("Avslås")
        REFER_BACK = "refer_back", _("Återremitteras")
        TABLE = "table", _("Bordläggs")

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("beslut"), max_length=20, choices=Outcome.choices, blank=True)
    text = models.TextField(_("beslutstext"))
    conditions = models.TextField(_("villkor"), blank=True)
    presenter_left = models.BooleanField(
        _("föredraganden lämnade rummet före beslutet"), default=False
    )
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")

    def __str__(self):
        return f"{self.agenda_item}: {self.get_outcome_display() or self.text[:40]}"

    @property
    def grants_money(self) -> bool:
        return self.outcome in (self.Outcome.GRANT, self.Outcome.PARTIAL)


class DecisionAmount(models.Model):
    """A granted amount for one year, in kronor (entered and shown in tkr)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(
        _("belopp (kr)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="decision_amount_per_year"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Recusal(models.Model):
    """Jäv: a board member who takes no part in a decision, and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="recusals")
    seat = models.ForeignKey(BoardSeat, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("skäl"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "seat"], name="recusal_once_per_seat"),
        ]

    def __str__(self):
        return f"{self.seat.person}: {self.reason}"


class InitiativeGrant(models.Model):
    """What an approved decision granted an initiative for a year; the budget reads these."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="grants")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]

    def __str__(self):
        return f"{self.initiative} {self.year}: {self.amount}"
