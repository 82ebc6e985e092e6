"""Insatser (initiatives): what a granted application funds, and the grants per year."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from finsam.models import (
    Association,
    AssociationScopedQuerySet,
    Member,
)


class Orientation(models.TextChoices):
    INDIVIDUAL = "individual", "Individinriktad"
    STRUCTURAL = "structural", "Strukturövergripande"


class Initiative(models.Model):
    """An insats: a funded, time-limited project run by a member. Justering of a grant creates
    it; a continuation application points at one and extends it."""

    class State(models.TextChoices):
        RUNNING = "running", "Pågår"
        IMPLEMENTED = "implemented", "Avslutad – implementerad i ordinarie verksamhet"
        DISCONTINUED = "discontinued", "Avslutad – avvecklad"

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="initiatives"
    )
    name = models.CharField("namn", max_length=300)
    owner = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="owned_initiatives",
        verbose_name="huvudman",
    )
    orientation = models.CharField("inriktning", max_length=20, choices=Orientation.choices)
    period_start = models.DateField("från")
    period_end = models.DateField("till")
    state = models.CharField("status", max_length=20, choices=State.choices, default=State.RUNNING)
    # Set when the insats ends (services.initiative_end); the state says how it ended.
    ended_on = models.DateField("avslutad den", null=True, blank=True)

    objects = AssociationScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "insats"
        verbose_name_plural = "insatser"
        ordering = ["association_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="initiative_period_ordered",
            ),
            # Running means not ended; an ended insats has the date it ended, within its period.
            models.CheckConstraint(
                condition=Q(state="running", ended_on__isnull=True)
                | Q(
                    state__in=["implemented", "discontinued"],
                    ended_on__isnull=False,
                    ended_on__gte=models.F("period_start"),
                ),
                name="initiative_ended_has_date",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_running(self) -> bool:
        return self.state == self.State.RUNNING

    @property
    def last_day(self):
        """The insats's last day: the day it ended, else the end of its period."""
        return self.ended_on or self.period_end


class InitiativeGrant(models.Model):
    """What an approved decision granted an initiative for a year; the budget reads these."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="grants")
    decision = models.ForeignKey(
        "applications.Decision", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("år")
    amount = models.DecimalField("belopp (kr)", max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "decision", "year"], name="initiative_grant_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="initiative_grant_not_negative"
            ),
        ]
        indexes = [
            # The budget's pages and the yearly return sum a förbund's grants by insats and
            # year. With the year and the amount in the index, PostgreSQL reads them from it,
            # insats by insats; without, it scanned every förbund's grants on each page, 4 ms
            # on 75 förbund × 15 years and growing with the nation (issue #12).
            models.Index(fields=["initiative", "year", "amount"], name="initiative_grant_sum_idx"),
        ]

    def __str__(self):
        return f"{self.initiative} {self.year}: {self.amount}"
