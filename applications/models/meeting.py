"""Sammanträden: meetings of the board and the beredningsgrupp, their agenda and attendance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from applications.models.application import Application
from finsam.models import (
    Association,
    AssociationScopedQuerySet,
    BoardSeat,
)


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
    approver = models.BooleanField(_("justerare"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_once_per_seat"),
        ]

    def __str__(self):
        return f"{self.seat.person} ({'närvarande' if self.present else 'frånvarande'})"
