"""The yearly Verksamhetsplan med budget (DESIGN.md § 5; seeds 000, 001, 003, 004): narrative
sections the officer writes in Markdown, generated parts placed among them, adopted by the board
together with the budget version it names, and frozen as a stored PDF/A once adopted.

Imported at the end of budget/models.py, so that Django finds the models in the budget app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from finsam.models import Association, AssociationScopedQuerySet


def plan_pdf_path(plan: "Plan", filename: str) -> str:
    """Where an adopted plan's PDF is stored: one folder per förbund, by organisationsnummer."""
    return f"verksamhetsplaner/{plan.association.org_number}/{filename}"


class Plan(models.Model):
    """A version of the förbund's plan for a year or a span of years ("2027" or "2027–2029":
    budget for the first year, preliminary for the following). A revision is a new version made
    from the adopted one; every version stays readable."""

    class State(models.TextChoices):
        DRAFT = "draft", "Utkast"
        ADOPTED = "adopted", "Antagen"

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="plans")
    first_year = models.PositiveSmallIntegerField("första år")
    last_year = models.PositiveSmallIntegerField("sista år")
    number = models.PositiveSmallIntegerField("version", default=1)
    dnr = models.CharField("diarienummer", max_length=40, blank=True)
    budget_version = models.ForeignKey(
        "budget.BudgetVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="budgetversion",
    )
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.DRAFT)
    adopted_on = models.DateField("antagen", null=True, blank=True)
    # The board's budget item the plan is on (while a draft) and that adopted it. SET_NULL: the
    # officer may strike a draft's item from an agenda; a justerat item can no longer go.
    agenda_item = models.ForeignKey(
        "applications.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ärende",
    )
    pdf = models.FileField("antagen PDF", upload_to=plan_pdf_path, blank=True, max_length=255)
    pdf_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "verksamhetsplan"
        verbose_name_plural = "verksamhetsplaner"
        ordering = ["association_id", "-first_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "first_year", "number"], name="plan_version_number"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")), name="plan_years_ordered"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(adopted_on__isnull=False) & ~Q(pdf_sha256="")),
                name="plan_adopted_has_date_and_pdf",
            ),
        ]

    def __str__(self):
        return f"{self.title}, version {self.number} ({self.get_state_display().lower()})"

    def get_absolute_url(self):
        return reverse("budget:plan", args=[self.pk])

    @property
    def label(self) -> str:
        """ "2027" or "2027–2029"."""
        if self.last_year == self.first_year:
            return str(self.first_year)
        return f"{self.first_year}\u2013{self.last_year}"

    @property
    def title(self) -> str:
        return f"Verksamhetsplan med budget {self.label}"

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class PlanSection(models.Model):
    """A section of the plan, in order: a heading, the officer's text in Markdown (rendered and
    sanitised when shown, never stored as HTML) and, where the officer placed one, a part the
    system generates from the förbund's data."""

    class Part(models.TextChoices):
        NONE = "", "Ingen"
        MEMBERS = "members", "Medlemmar"
        BOARD = "board", "Styrelsen"
        OFFICE = "office", "Beredningsgrupp och kansli"
        TARGET_GROUPS = "target_groups", "Målgrupper"
        INITIATIVES = "initiatives", "Insatser"
        BUDGET = "budget", "Budget"
        EQUITY = "equity", "Eget kapital"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField("ordning")
    heading = models.CharField("rubrik", max_length=200)
    text = models.TextField("text", blank=True)
    part = models.CharField(
        "genererad del", max_length=20, choices=Part.choices, blank=True, default=""
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "avsnitt i verksamhetsplanen"
        verbose_name_plural = "avsnitt i verksamhetsplanen"
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plan_section_position"),
            models.UniqueConstraint(
                fields=["plan", "part"], condition=~Q(part=""), name="plan_section_part_once"
            ),
        ]

    def __str__(self):
        return self.heading

    def get_absolute_url(self):
        return reverse("budget:plan_section", args=[self.plan_id, self.pk])
