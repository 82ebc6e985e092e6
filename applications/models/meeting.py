"""Sammanträden: meetings of the board and the beredningsgrupp, their agenda and attendance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from applications.models.application import Application
from finsam.models import (
    Association,
    AssociationScopedQuerySet,
    BoardSeat,
    Person,
)


class MeetingQuerySet(AssociationScopedQuerySet):
    def upcoming(self, now):
        """Still to be held: not yet begun and not cancelled."""
        return self.filter(starts_at__gte=now, cancelled_at__isnull=True).order_by("starts_at")

    def past(self, now):
        """Held (or due and not minuted), and every cancelled meeting, whatever its date."""
        return self.filter(Q(starts_at__lt=now) | Q(cancelled_at__isnull=False)).order_by(
            "-starts_at"
        )

    def not_cancelled(self):
        return self.filter(cancelled_at__isnull=True)


class Meeting(models.Model):
    """A sammanträde of the board or of the beredningsgrupp."""

    class Body(models.TextChoices):
        BOARD = "board", "Styrelsen"
        PREPARATION = "preparation", "Beredningsgruppen"

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="meetings")
    body = models.CharField("organ", max_length=20, choices=Body.choices, default=Body.BOARD)
    starts_at = models.DateTimeField("datum och tid")
    place = models.CharField("plats", max_length=200)
    published_at = models.DateTimeField("kallelse skickad", null=True, blank=True, editable=False)
    minutes_opened_at = models.DateTimeField("protokoll upprättat", null=True, editable=False)
    approved_at = models.DateTimeField("protokoll justerat", null=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    cancelled_at = models.DateTimeField("inställt", null=True, editable=False)
    cancelled_reason = models.TextField("skäl till att sammanträdet ställdes in", blank=True)
    urgent_reason = models.TextField(
        "brådskande ärende: varför sammanträdet hölls utan kallelse", blank=True
    )
    secretary = models.CharField("sekreterare", max_length=200, blank=True)
    others_present = models.TextField(
        "övriga närvarande",
        blank=True,
        help_text="Tjänstemän och föredragande, en per rad: namn och befattning.",
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sammanträde"
        verbose_name_plural = "sammanträden"
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

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def status_text(self) -> str:
        """How far the meeting has come, as the lists and its page say it."""
        if self.cancelled_at:
            return "Inställt"
        if self.approved_at:
            return f"Protokoll justerat {timezone.localtime(self.approved_at):%Y-%m-%d}"
        if self.minutes_opened_at:
            return "Protokoll upprättat, ej justerat"
        if self.published_at:
            return f"Kallelse skickad {timezone.localtime(self.published_at):%Y-%m-%d}"
        return "Under förberedelse"

    @property
    def others_present_lines(self) -> list[str]:
        return [line.strip() for line in self.others_present.splitlines() if line.strip()]


class AgendaItem(models.Model):
    """An ärende on the agenda; in the minutes it becomes a numbered paragraph (§)."""

    class Kind(models.TextChoices):
        APPLICATION = "application", "Beslut om ansökan"
        BUDGET = "budget", "Fastställande av budget"
        PLAN = "plan", "Fastställande av verksamhetsplan"
        REPORT = "report", "Rapport"
        INFORMATION = "information", "Information"
        OTHER = "other", "Övrigt"
        OPENING = "opening", "Mötets öppnande"
        APPROVERS = "approvers", "Val av justerare"
        AGENDA = "agenda", "Godkännande av dagordningen"
        CLOSING = "closing", "Mötets avslutande"

    # The paragraphs every board meeting's minutes begin and end with; a new meeting gets them
    # (services.meeting_create) and the officer may strike any of them.
    STANDARD_OPENING = (Kind.OPENING, Kind.APPROVERS, Kind.AGENDA)
    STANDARD_KINDS = (*STANDARD_OPENING, Kind.CLOSING)
    # The kinds the board decides on, so that justering waits for their Decision. Information
    # and reports are only noted; the standard paragraphs' wording is fixed (the minutes print
    # it: the justerare come from the attendance), so they need no recorded decision.
    NEEDS_DECISION = (Kind.APPLICATION, Kind.BUDGET, Kind.PLAN, Kind.OTHER)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField("ordning")
    kind = models.CharField("typ av ärende", max_length=20, choices=Kind.choices)
    title = models.CharField("rubrik", max_length=300)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name="ansökan",
    )
    presenter = models.CharField("föredragande", max_length=200, blank=True)
    paragraph = models.PositiveIntegerField("§", null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ärende"
        verbose_name_plural = "dagordning"
        ordering = ["meeting_id", "position"]
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

    @property
    def needs_decision(self) -> bool:
        return self.kind in self.NEEDS_DECISION

    @property
    def is_standard(self) -> bool:
        return self.kind in self.STANDARD_KINDS


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
    present = models.BooleanField("närvarande", default=False)
    serving_for = models.ForeignKey(
        BoardSeat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tjänstgör för",
    )
    approver = models.BooleanField("justerare", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "närvaro"
        verbose_name_plural = "närvaro"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="attendance_once_per_seat"),
        ]

    def __str__(self):
        return f"{self.seat.person} ({'närvarande' if self.present else 'frånvarande'})"


class Notice(models.Model):
    """A kallelse sent: when, by whom, and who on the list had no e-mail address. Each sending
    is kept, the first and every one after; the e-mails themselves are NoticeEmail rows."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    sent_at = models.DateTimeField("skickad")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    without_email = models.TextField(
        "mottagare utan e-postadress", blank=True, help_text="En per rad."
    )

    class Meta:
        verbose_name = "kallelse"
        verbose_name_plural = "kallelser"
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"Kallelse {self.meeting} {timezone.localtime(self.sent_at):%Y-%m-%d %H:%M}"

    @property
    def missing(self) -> list[str]:
        return [name for name in self.without_email.splitlines() if name]

    @property
    def summary(self) -> str:
        """ "Kallelsen skickades till 11 av 12; 1 saknar e-post (Jonas Ek)." ``email_count`` is
        annotated by the selectors, or set by the service that sent it."""
        sent, missing = self.email_count, self.missing
        text = f"Kallelsen skickades till {sent} av {sent + len(missing)}"
        if missing:
            text += f"; {len(missing)} saknar e-post ({', '.join(missing)})"
        return text + "."


class NoticeEmail(models.Model):
    """One e-mail of a kallelse: to whom and at which address. The name and address are copied,
    so the record holds when the person's details change later."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="emails")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="person"
    )
    name = models.CharField("namn", max_length=200)
    address = models.EmailField("e-postadress")

    class Meta:
        verbose_name = "e-post med kallelse"
        verbose_name_plural = "e-post med kallelser"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} <{self.address}>"
