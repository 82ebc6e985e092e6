"""Insatsansökningar: the BÅDESÅ form (seed 002) section by section, its timeline and Dnr."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from applications.models.initiative import Initiative, Orientation
from finsam.models import (
    Association,
    AssociationScopedQuerySet,
    Member,
    Role,
    TargetGroup,
)


def dnr_text(year: int | None, number: int | None) -> str:
    """Diarienummer as it is written, e.g. 2026-00009; "" before registration."""
    if number is None:
        return ""
    return f"{year}-{number:05d}"


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
        NEW = "new", "Ny ansökan"
        CONTINUATION = "continuation", "Fortsättningsansökan"
        CHANGE = "change", "Ändring av beviljad insats"

    class State(models.TextChoices):
        DRAFT = "draft", "Utkast"
        REGISTERED = "registered", "Registrerad"
        IN_PREPARATION = "in_preparation", "Under beredning"
        PREPARED = "prepared", "Beredd"
        ON_AGENDA = "on_agenda", "På dagordning"
        GRANTED = "granted", "Beviljad"
        PARTLY_GRANTED = "partly_granted", "Delvis beviljad"
        REJECTED = "rejected", "Avslagen"
        WITHDRAWN = "withdrawn", "Återtagen"

    DECIDED_STATES = (State.GRANTED, State.PARTLY_GRANTED, State.REJECTED)

    class FundableKind(models.TextChoices):
        NEW_METHODS = "new_methods", "Nya professioner, tjänster, arbetssätt eller metoder"
        ENABLING_COSTS = (
            "enabling_costs",
            "Kostnader som möjliggör samverkan (lokaler, samordnare, administration)",
        )
        COOPERATION_COST = (
            "cooperation_cost",
            "Samverkanskostnad i förhållande till ordinarie verksamhet",
        )

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="applications"
    )
    kind = models.CharField("typ av ansökan", max_length=20, choices=Kind.choices, default=Kind.NEW)
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="insats som fortsätter eller ändras",
    )
    state = models.CharField("status", max_length=20, choices=State.choices, default=State.DRAFT)
    dnr_year = models.PositiveSmallIntegerField("diarieår", null=True, blank=True, editable=False)
    dnr_number = models.PositiveIntegerField("löpnummer", null=True, blank=True, editable=False)
    registered_at = models.DateTimeField("registrerad", null=True, blank=True, editable=False)
    # Optimistic locking: each save bumps it; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    # Header
    date = models.DateField("datum", default=datetime.date.today)
    name = models.CharField("projektets namn", max_length=300)
    lead_name = models.CharField("insatsansvarig", max_length=200, blank=True)
    lead_organisation = models.CharField("insatsansvarigs organisation", max_length=200, blank=True)
    lead_email = models.EmailField("insatsansvarigs e-post", blank=True)
    lead_phone = models.CharField("insatsansvarigs telefon", max_length=40, blank=True)
    owner = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_applications",
        verbose_name="huvudman (projektägare)",
    )
    parties = models.ManyToManyField(
        Member,
        blank=True,
        related_name="participating_applications",
        verbose_name="deltagande parter",
    )
    period_start = models.DateField("startdatum", null=True, blank=True)
    period_end = models.DateField("slutdatum", null=True, blank=True)
    orientation = models.CharField(
        "inriktning", max_length=20, choices=Orientation.choices, blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="applications", verbose_name="målgrupper"
    )
    fundable_kinds = models.JSONField("vad medlen söks för", default=list, blank=True)

    # Sections of seed 002
    purpose = models.TextField("syfte och bakgrund", blank=True)
    target_group_description = models.TextField("mål och målgrupp", blank=True)
    cooperation_goals = models.TextField("samverkansmål", blank=True)
    participant_goals = models.TextField("deltagarmål", blank=True)
    activity_plan = models.TextField("plan för aktiviteten", blank=True)
    organisation = models.TextField("organisation och bemanning", blank=True)
    steering_group = models.TextField("styrgrupp", blank=True)
    reference_group = models.TextField("referensgrupp", blank=True)
    economy = models.TextField("ekonomi, kommentar", blank=True)
    followup = models.TextField("uppföljning", blank=True)
    national_followup = models.BooleanField(
        "rapporteras i den nationella uppföljningen (Uppföljning Finsam)", default=False
    )
    external_evaluator = models.CharField("extern utvärderare", max_length=300, blank=True)
    socioeconomic_report = models.BooleanField("socioekonomiskt bokslut", default=False)
    implementation = models.TextField("implementering och avveckling", blank=True)
    board_feedback = models.TextField("återkoppling till styrelsen", blank=True)

    linked = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        verbose_name="beroende ansökningar (beslutas vid samma sammanträde)",
    )

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[parties, target_groups])

    class Meta:
        verbose_name = "insatsansökan"
        verbose_name_plural = "insatsansökningar"
        # Drafts (no Dnr yet) last, on every database.
        ordering = [
            models.F("dnr_year").desc(nulls_last=True),
            models.F("dnr_number").desc(nulls_last=True),
            "-id",
        ]
        indexes = [
            # The förbund's applications in a state: the start page's prepared ones, the
            # reports its granted insatser owe (those with an insats: the third column, so the
            # index's condition holds all three) and the list's filter by state. Without it
            # each read every application of the förbund's (issue #12).
            models.Index(
                fields=["association", "state", "initiative"], name="application_state_idx"
            ),
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
        return dnr_text(self.dnr_year, self.dnr_number)

    @property
    def years(self) -> list[int]:
        if not (self.period_start and self.period_end):
            return []
        return list(range(self.period_start.year, self.period_end.year + 1))

    def fundable_kind_labels(self) -> list[str]:
        labels = dict(self.FundableKind.choices)
        return [str(labels[k]) for k in self.fundable_kinds if k in labels]


# The application's long texts (syfte, mål, plan …): a page that lists applications without
# printing them leaves them unread, as they cost more to read than the rest of a row (#12).
LONG_TEXTS = tuple(
    field.name for field in Application._meta.concrete_fields if isinstance(field, models.TextField)
)


class ParticipantTarget(models.Model):
    """A numeric participant target, e.g. "Beräknat flöde" 140."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="targets")
    text = models.CharField("mål", max_length=300)
    number = models.PositiveIntegerField("antal")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "deltagarmål"
        verbose_name_plural = "deltagarmål"
        ordering = ["id"]

    def __str__(self):
        return f"{self.text}: {self.number}"


class Activity(models.Model):
    """A row of the time and activity plan."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="activities"
    )
    activity = models.CharField("aktivitet", max_length=300)
    start = models.DateField("från")
    end = models.DateField("till")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "aktivitet"
        verbose_name_plural = "tids- och aktivitetsplan"
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
    member = models.ForeignKey(Member, on_delete=models.PROTECT, verbose_name="part")
    commitment = models.TextField("åtagande")
    own_contribution = models.DecimalField(
        "egna medel (kr)",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "partens åtagande"
        verbose_name_plural = "parternas åtaganden"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(own_contribution__gte=0), name="party_commitment_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.commitment[:40]}"


class BudgetRow(models.Model):
    """One line of the application's budget: a cost, an income or a party's own funds, per year."""

    class Kind(models.TextChoices):
        COST = "cost", "Kostnad"
        INCOME = "income", "Intäkt"
        OWN_FUNDS = "own_funds", "Egna medel från part"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_rows"
    )
    year = models.PositiveSmallIntegerField("år")
    kind = models.CharField("slag", max_length=20, choices=Kind.choices, default=Kind.COST)
    label = models.CharField("kostnadsslag / post", max_length=200)
    amount = models.DecimalField(
        "belopp (kr)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "budgetrad"
        verbose_name_plural = "budget"
        ordering = ["year", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_row_amount_positive"),
        ]

    def __str__(self):
        return f"{self.year} {self.label}"


class PlannedReport(models.Model):
    """A report the insats owes the board (återkoppling till styrelsen)."""

    class Kind(models.TextChoices):
        INTERIM = "interim", "Delrapport"
        FINAL = "final", "Slutrapport"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="planned_reports"
    )
    kind = models.CharField("rapport", max_length=10, choices=Kind.choices)
    due = models.DateField("senast")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "planerad rapport"
        verbose_name_plural = "planerade rapporter"
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
