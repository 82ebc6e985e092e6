"""The förbund's budget per period (seed 004, DESIGN.md § 4). Amounts are Decimal kronor; every
sum is computed (budget/selectors.py), never stored."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from finsam.models import Association, AssociationScopedQuerySet, Member


class ChartLine(models.Model):
    """A line of the förbund's own chart, in seed 004's groups. Budgets, actuals and forecasts all
    point at it, so a line keeps its identity across years and versions; the ledger accounts that
    book to it map the municipality's ledger export onto it."""

    class Group(models.TextChoices):
        CONTRIBUTIONS = "contributions", "Ägarbidrag"
        OTHER_INCOME = "other_income", "Övriga intäkter"
        OPERATING = "operating", "Verksamhetens kostnader"
        FINANCIAL_INCOME = "financial_income", "Finansiella intäkter"
        FINANCIAL_COST = "financial_cost", "Finansiella kostnader"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="chart_lines"
    )
    group = models.CharField("grupp", max_length=20, choices=Group.choices)
    name = models.CharField("post", max_length=200)
    position = models.PositiveSmallIntegerField("ordning", default=0)
    accounts = models.CharField(
        "konton i huvudboken",
        max_length=300,
        blank=True,
        help_text="Kontonummer som bokförs på posten, åtskilda med komma, t.ex. 4010, 4011.",
    )

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "post i kontoplanen"
        verbose_name_plural = "kontoplan"
        ordering = ["association_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "group", "name"], name="chart_line_unique_name"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def account_list(self) -> list[str]:
        return [account.strip() for account in self.accounts.split(",") if account.strip()]


class Budget(models.Model):
    """A budget period: a calendar year or a part of one (seed 004: 2009 ran September–December).
    Closing the period locks its actuals; from then on its result from actuals is carried over."""

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="budgets")
    period_start = models.DateField("period från")
    period_end = models.DateField("period till")
    opening_equity = models.DecimalField(
        "ingående eget kapital (kr)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=(
            "Bara för förbundets första period i Finsam; "
            "senare perioder får det från perioden före."
        ),
    )
    closed_at = models.DateTimeField("stängd", null=True, blank=True, editable=False)

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "budget"
        verbose_name_plural = "budgetar"
        ordering = ["association_id", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "period_start"], name="budget_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="budget_period_ordered",
            ),
        ]

    def __str__(self):
        return f"Budget {self.label}"

    def get_absolute_url(self):
        return reverse("budget:detail", args=[self.pk])

    def months(self) -> list[datetime.date]:
        """The first day of each month in the period."""
        months, month = [], self.period_start.replace(day=1)
        while month <= self.period_end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    @property
    def year(self) -> int:
        return self.period_start.year

    @property
    def is_part_year(self) -> bool:
        return (self.period_start.month, self.period_start.day) != (1, 1) or (
            self.period_end.month,
            self.period_end.day,
        ) != (12, 31)

    @property
    def label(self) -> str:
        if not self.is_part_year:
            return str(self.year)
        return f"{self.year} ({self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d})"


class BudgetVersion(models.Model):
    """A version of the budget: a draft, then adopted; a revision is a new version, and every
    earlier one stays readable."""

    class State(models.TextChoices):
        DRAFT = "draft", "Utkast"
        ADOPTED = "adopted", "Fastställd"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.DRAFT)
    adopted_on = models.DateField("fastställd", null=True, blank=True)
    agenda_item = models.ForeignKey(
        "applications.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="beslut",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "budgetversion"
        verbose_name_plural = "budgetversioner"
        ordering = ["budget_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="budget_version_number"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(adopted_on__isnull=False),
                name="budget_version_adopted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.budget}, version {self.number} ({self.get_state_display().lower()})"


class BudgetLine(models.Model):
    """A version's amount for one line of the chart."""

    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(ChartLine, on_delete=models.PROTECT, related_name="budget_lines")
    amount = models.DecimalField("belopp (kr)", max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "budgetpost"
        verbose_name_plural = "budgetposter"
        ordering = ["version_id", "line__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "line"], name="budget_line_once_per_version")
        ]

    def __str__(self):
        return self.line.name


class ContributionOverride(models.Model):
    """A member's contribution set by the officer instead of the § 5 split of the total."""

    version = models.ForeignKey(
        BudgetVersion, on_delete=models.CASCADE, related_name="contribution_overrides"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("ägarbidrag (kr)", max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ändrat ägarbidrag"
        verbose_name_plural = "ändrade ägarbidrag"
        constraints = [
            models.UniqueConstraint(fields=["version", "member"], name="contribution_override_once")
        ]

    def __str__(self):
        return f"{self.member}: {self.amount} kr"


class Actual(models.Model):
    """Utfall: what was booked in a month, on a line of the chart or on a granted initiative."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="actuals")
    line = models.ForeignKey(
        ChartLine, on_delete=models.PROTECT, null=True, blank=True, related_name="actuals"
    )
    initiative = models.ForeignKey(
        "applications.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actuals",
    )
    month = models.DateField("månad")
    amount = models.DecimalField("belopp (kr)", max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "utfall"
        verbose_name_plural = "utfall"
        constraints = [
            models.CheckConstraint(
                condition=Q(line__isnull=True, initiative__isnull=False)
                | Q(line__isnull=False, initiative__isnull=True),
                name="actual_line_or_initiative",
            ),
            models.UniqueConstraint(
                fields=["budget", "line", "month"],
                condition=Q(line__isnull=False),
                name="actual_one_per_line_and_month",
            ),
            models.UniqueConstraint(
                fields=["budget", "initiative", "month"],
                condition=Q(initiative__isnull=False),
                name="actual_one_per_initiative_and_month",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="actual_month_first_day"),
        ]

    def __str__(self):
        return f"Utfall {self.month:%Y-%m}: {self.amount} kr"


class Forecast(models.Model):
    """Prognos for the whole period, set by the officer per line; the budget where not set."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="forecasts")
    line = models.ForeignKey(ChartLine, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField("prognos (kr)", max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "prognos"
        verbose_name_plural = "prognoser"
        constraints = [
            models.UniqueConstraint(fields=["budget", "line"], name="forecast_once_per_line")
        ]

    def __str__(self):
        return f"Prognos {self.line}: {self.amount} kr"


class ActualImport(models.Model):
    """A ledger file read into the actuals: who, when, what (its checksum refuses a second read)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField("fil", max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField("rader")
    total = models.DecimalField("summa (kr)", max_digits=14, decimal_places=2)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField("inläst", auto_now_add=True)

    class Meta:
        verbose_name = "inläsning av utfall"
        verbose_name_plural = "inläsningar av utfall"
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "sha256"], name="actual_import_once")
        ]

    def __str__(self):
        return f"{self.file_name} ({self.rows} {'rad' if self.rows == 1 else 'rader'})"


class PeriodEvent(models.Model):
    """Closing or reopening a period: a recorded act, with who, when and (to reopen) why."""

    class Action(models.TextChoices):
        CLOSED = "closed", "Stängd"
        REOPENED = "reopened", "Öppnad igen"

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("händelse", max_length=10, choices=Action.choices)
    reason = models.TextField("skäl", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("tidpunkt", auto_now_add=True)

    class Meta:
        verbose_name = "stängning eller öppning"
        verbose_name_plural = "stängningar och öppningar"
        ordering = ["budget_id", "at", "id"]

    def __str__(self):
        return f"{self.budget}: {self.get_action_display()}"


class EquityCeiling(models.Model):
    """A step of the förbund's guideline for eget kapital: up to a level of the year's
    contributions, equity should not exceed this percentage of them. The step with no level
    applies above all others."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="equity_ceilings"
    )
    contributions_up_to = models.DecimalField(
        "ägarbidrag upp till (kr)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField("tak (%)", max_digits=5, decimal_places=2)

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tak för eget kapital"
        verbose_name_plural = "tak för eget kapital"
        ordering = ["association_id", models.F("contributions_up_to").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "contributions_up_to"],
                name="equity_ceiling_one_per_level",
            )
        ]

    def __str__(self):
        return f"{self.percent} % upp till {self.contributions_up_to or 'över alla'}"


# The verksamhetsplan, adopted with the budget (DESIGN.md § 5), in a module of its own.
from budget.plan_models import Plan, PlanSection  # noqa: E402, F401
