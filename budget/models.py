"""The förbund's budget per period (seed 004, DESIGN.md § 4). Amounts are Decimal kronor; every
sum is computed (budget/selectors.py), never stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finsam.models import Association, AssociationScopedQuerySet


class Budget(models.Model):
    """A budget period: a calendar year or a part of one (seed 004: 2009 ran September–December)."""

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="budgets")
    period_start = models.DateField(_("period från"))
    period_end = models.DateField(_("period till"))

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")
        ordering = ["association", "-period_start"]
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

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ADOPTED = "adopted", _("Fastställd")

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    adopted_on = models.DateField(_("fastställd"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetversion")
        verbose_name_plural = _("budgetversioner")
        ordering = ["budget", "number"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "number"], name="budget_version_number"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(adopted_on__isnull=False),
                name="budget_version_adopted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.budget}, version {self.number} ({self.get_status_display().lower()})"


class BudgetLine(models.Model):
    """A line of the förbund's own chart, in seed 004's groups."""

    class Group(models.TextChoices):
        CONTRIBUTIONS = "contributions", _("Ägarbidrag")
        OTHER_INCOME = "other_income", _("Övriga intäkter")
        OPERATING = "operating", _("Verksamhetens kostnader")
        FINANCIAL_INCOME = "financial_income", _("Finansiella intäkter")
        FINANCIAL_COST = "financial_cost", _("Finansiella kostnader")

    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines")
    group = models.CharField(_("grupp"), max_length=20, choices=Group.choices)
    name = models.CharField(_("post"), max_length=200)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        ordering = ["version", "position", "id"]

    def __str__(self):
        return self.name
