"""Beslut: the board's decisions on agenda items, the amounts granted and jäv."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from applications.models.meeting import AgendaItem
from finsam.models import (
    BoardSeat,
)


class Decision(models.Model):
    """The board's decision on an agenda item; for an application, its outcome and amounts."""

    class Outcome(models.TextChoices):
        GRANT = "grant", "Beviljas"
        PARTIAL = "partial", "Beviljas delvis"
        REJECT = "reject", "Avslås"
        REFER_BACK = "refer_back", "Återremitteras"
        TABLE = "table", "Bordläggs"

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField("beslut", max_length=20, choices=Outcome.choices, blank=True)
    text = models.TextField("beslutstext")
    conditions = models.TextField("villkor", blank=True)
    presenter_left = models.BooleanField(
        "föredraganden lämnade rummet före beslutet", default=False
    )
    exceeds_application = models.BooleanField(
        "beviljar mer än det sökta beloppet (bekräftat)", default=False
    )
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "beslut"
        verbose_name_plural = "beslut"

    def __str__(self):
        return f"{self.agenda_item}: {self.get_outcome_display() or self.text[:40]}"

    @property
    def grants_money(self) -> bool:
        return self.outcome in (self.Outcome.GRANT, self.Outcome.PARTIAL)


class DecisionAmount(models.Model):
    """A granted amount for one year, in kronor (entered and shown in tkr)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField("år")
    amount = models.DecimalField(
        "belopp (kr)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="decision_amount_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="decision_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Recusal(models.Model):
    """Jäv: a board member who takes no part in a decision, and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="recusals")
    seat = models.ForeignKey(BoardSeat, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("skäl", max_length=300)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "seat"], name="recusal_once_per_seat"),
        ]

    def __str__(self):
        return f"{self.seat.person}: {self.reason}"


class MinutesExtract(models.Model):
    """A protokollsutdrag sent: one paragraph of justerade minutes, e-mailed to those the
    decision concerns. Shown on the application's timeline."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="extracts")
    sent_at = models.DateTimeField("skickat", auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.TextField("mottagare")

    class Meta:
        verbose_name = "protokollsutdrag"
        verbose_name_plural = "protokollsutdrag"
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"Utdrag {self.agenda_item} till {self.recipients}"
