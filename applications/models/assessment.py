"""Beredning: the beredningsgrupp's assessment of an application, one per round."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from applications.models.application import Application


class Assessment(models.Model):
    """The beredningsgrupp's assessment of an application, one per round. An återremiss starts a
    new round; earlier rounds stay readable."""

    class Extent(models.TextChoices):
        HIGHER = "higher", "I högre utsträckning"
        LOWER = "lower", "I lägre utsträckning"

    class Recommendation(models.TextChoices):
        GRANT = "grant", "Bevilja"
        REJECT = "reject", "Avslå"
        SUPPLEMENT = "supplement", "Komplettera"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    round = models.PositiveSmallIntegerField("omgång", default=1)
    individual_extent = models.CharField(
        "individperspektivet", max_length=10, choices=Extent.choices, blank=True
    )
    individual_comment = models.TextField("kommentar, individperspektivet", blank=True)
    cooperation_extent = models.CharField(
        "samverkansperspektivet", max_length=10, choices=Extent.choices, blank=True
    )
    cooperation_comment = models.TextField("kommentar, samverkansperspektivet", blank=True)
    implementation_comment = models.TextField("kommentar till implementeringsplanen", blank=True)
    takes_over_duties = models.BooleanField(
        "insatsen tar över eller löser brister i en medlems egna uppdrag", default=False
    )
    duties_comment = models.TextField("kommentar, medlemmarnas egna uppdrag", blank=True)
    recommendation = models.CharField(
        "rekommendation till styrelsen",
        max_length=20,
        choices=Recommendation.choices,
        blank=True,
    )
    recommendation_text = models.TextField("beredningsgruppens sammanfattning", blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    finalised_at = models.DateTimeField("fastställd", null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    history = HistoricalRecords()

    # What the beredningsgrupp writes, in the order the form shows it; round, author and
    # finalising are the service's.
    WRITTEN_BY_PREPARERS = (
        "individual_extent",
        "individual_comment",
        "cooperation_extent",
        "cooperation_comment",
        "implementation_comment",
        "takes_over_duties",
        "duties_comment",
        "recommendation",
        "recommendation_text",
    )

    class Meta:
        verbose_name = "beredning"
        verbose_name_plural = "beredningar"
        ordering = ["application_id", "round"]
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


class AssessmentAmount(models.Model):
    """What the beredningsgrupp recommends granting for one year, in kronor (typed in tkr); a
    partial grant names less than was applied for."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField("år")
    amount = models.DecimalField("rekommenderat belopp (kr)", max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "year"], name="assessment_amount_per_year"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="assessment_amount_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"
