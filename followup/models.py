"""The participant register: anonymous deltagare of an insats, and anonymous counts per month.

Participant data touches health (art. 9 GDPR): the register holds no name, no personnummer and no
free text (free text invites names). Each participant is a code given by the system (D-0042),
and coded values only, the ones the national follow-up and the förbund's own statistics need
(DESIGN.md § 7). The database refuses what must never be stored, as the services do.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from simple_history.models import HistoricalRecords

from applications.models import AgendaItem, Initiative, PlannedReport
from finsam.models import Role

# The ages a participant may have when they start: working age as the law's insatser mean it
# (16 to the age of the right to keep working, 67). Age is counted from the year of birth only.
MIN_AGE = 16
MAX_AGE = 67

# Age bands the follow-up reports (the last is open: 60 and older).
AGE_BANDS = [(16, 19), (20, 24), (25, 29), (30, 39), (40, 49), (50, 59), (60, None)]


def age_band(age: int) -> str:
    """16 → '16–19', 61 → '60–'."""
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return f"{low}–{high}" if high else f"{low}–"
    return "–"


class Gender(models.TextChoices):
    """Kön as the national follow-up counts it: women and men (see the register's note)."""

    WOMAN = "woman", "Kvinna"
    MAN = "man", "Man"


class Education(models.TextChoices):
    COMPULSORY = "compulsory", "Förgymnasial"
    UPPER_SECONDARY = "upper_secondary", "Gymnasial"
    POST_SECONDARY = "post_secondary", "Eftergymnasial"
    UNKNOWN = "unknown", "Okänd"


class IncomeSource(models.TextChoices):
    """Försörjningskälla: the main source of a participant's income."""

    SALARY = "salary", "Lön"
    SICKNESS_BENEFIT = "sickness_benefit", "Sjukpenning"
    ACTIVITY_COMPENSATION = "activity_compensation", "Aktivitetsersättning"
    SICKNESS_COMPENSATION = "sickness_compensation", "Sjukersättning"
    SOCIAL_ASSISTANCE = "social_assistance", "Försörjningsstöd"
    ACTIVITY_SUPPORT = "activity_support", "Aktivitetsstöd/etableringsersättning"
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit", "Arbetslöshetsersättning"
    STUDENT_FINANCE = "student_finance", "Studiemedel"
    NONE = "none", "Ingen ersättning"
    OTHER = "other", "Annan"


class Occupation(models.TextChoices):
    """Sysselsättning."""

    EMPLOYED = "employed", "Förvärvsarbete"
    STUDIES = "studies", "Studier"
    JOB_SEEKING = "job_seeking", "Arbetssökande"
    NONE = "none", "Ingen"


class SupportTime(models.TextChoices):
    """Tid med offentlig försörjning före start."""

    UNDER_ONE = "under_1", "< 1 år"
    ONE_TWO = "1_2", "1–2 år"
    THREE_FIVE = "3_5", "3–5 år"
    OVER_FIVE = "over_5", "> 5 år"
    UNKNOWN = "unknown", "Okänt"


class ExitReason(models.TextChoices):
    """Avslutsorsak."""

    WORK = "work", "Arbete"
    STUDIES = "studies", "Studier"
    JOB_SEEKING = "job_seeking", "Arbetssökande"
    OTHER_AGENCY = "other_agency", "Annan insats/myndighet"
    ILLNESS = "illness", "Sjukdom"
    MOVED = "moved", "Flytt"
    DROPPED_OUT = "dropped_out", "Avbrutit"
    OTHER = "other", "Annat"


def _one_of(field: str, choices, *, blank: bool = False) -> Q:
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


class ParticipantQuerySet(models.QuerySet):
    def for_association(self, association):
        return self.filter(initiative__association=association)

    def active(self):
        return self.filter(ended_on__isnull=True)


class Participant(models.Model):
    """A deltagare in an individinriktad insats: a code and coded values, nothing that names."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="participants"
    )
    number = models.PositiveIntegerField("löpnummer", editable=False)
    gender = models.CharField("kön", max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField("födelseår")
    education = models.CharField("högsta utbildning", max_length=20, choices=Education.choices)
    income_source_start = models.CharField(
        "försörjning vid start", max_length=30, choices=IncomeSource.choices
    )
    occupation_start = models.CharField(
        "sysselsättning vid start", max_length=20, choices=Occupation.choices
    )
    support_time = models.CharField(
        "tid med offentlig försörjning före start", max_length=10, choices=SupportTime.choices
    )
    started_on = models.DateField("startdatum")
    ended_on = models.DateField("slutdatum", null=True, blank=True)
    exit_reason = models.CharField(
        "avslutsorsak", max_length=20, choices=ExitReason.choices, blank=True
    )
    income_source_end = models.CharField(
        "försörjning vid avslut", max_length=30, choices=IncomeSource.choices, blank=True
    )
    occupation_end = models.CharField(
        "sysselsättning vid avslut", max_length=20, choices=Occupation.choices, blank=True
    )

    objects = ParticipantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "deltagare"
        verbose_name_plural = "deltagare"
        ordering = ["initiative_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "number"], name="participant_code_once_per_initiative"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="participant_number_positive"),
            models.CheckConstraint(
                condition=_one_of("gender", Gender)
                & _one_of("education", Education)
                & _one_of("income_source_start", IncomeSource)
                & _one_of("occupation_start", Occupation)
                & _one_of("support_time", SupportTime)
                & _one_of("exit_reason", ExitReason, blank=True)
                & _one_of("income_source_end", IncomeSource, blank=True)
                & _one_of("occupation_end", Occupation, blank=True),
                name="participant_coded_values_only",
            ),
            # 16–67 years old in the year the participant starts.
            models.CheckConstraint(
                condition=Q(birth_year__lte=ExtractYear(F("started_on")) - MIN_AGE)
                & Q(birth_year__gte=ExtractYear(F("started_on")) - MAX_AGE),
                name="participant_working_age_at_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="participant_ends_after_start",
            ),
            # The end is recorded whole or not at all.
            models.CheckConstraint(
                condition=Q(
                    ended_on__isnull=True, exit_reason="", income_source_end="", occupation_end=""
                )
                | (
                    Q(ended_on__isnull=False)
                    & ~Q(exit_reason="")
                    & ~Q(income_source_end="")
                    & ~Q(occupation_end="")
                ),
                name="participant_end_whole_or_none",
            ),
        ]
        indexes = [
            # The statistics count a insats's participants by the days they start and end: the
            # year's starters by the first, those who ended in the year by the second (on the
            # national dataset a förbund's insatser hold 16 times as many participants as ended
            # this year).
            models.Index(fields=["initiative", "started_on"], name="participant_start_idx"),
            models.Index(fields=["initiative", "ended_on"], name="participant_end_idx"),
        ]

    def __str__(self):
        return self.code

    @property
    def code(self) -> str:
        """The participant's code in the insats: D-0042."""
        return participant_code(self.number)

    @property
    def age_at_start(self) -> int:
        return self.started_on.year - self.birth_year

    @property
    def age_band(self) -> str:
        return age_band(self.age_at_start)

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


def participant_code(number: int) -> str:
    return f"D-{number:04d}"


class AnonymousCount(models.Model):
    """Anonyma deltagare: those who started in a month without being in the register (volume
    insatser, and participants who did not consent), counted by kön."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="anonymous_counts"
    )
    month = models.DateField("månad")
    women = models.PositiveIntegerField("kvinnor", default=0)
    men = models.PositiveIntegerField("män", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "anonyma deltagare"
        verbose_name_plural = "anonyma deltagare"
        ordering = ["initiative_id", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "month"], name="anonymous_count_once_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="anonymous_count_month_first_day"
            ),
            models.CheckConstraint(
                condition=Q(women__gte=0) & Q(men__gte=0), name="anonymous_count_not_negative"
            ),
        ]
        indexes = [
            # The statistics read a förbund's counts of a period, insats by insats. With the
            # counts in the index, PostgreSQL reads them from it rather than scanning every
            # förbund's months (issue #12).
            models.Index(
                fields=["initiative", "month", "women", "men"], name="anonymous_count_period_idx"
            ),
        ]

    def __str__(self):
        return f"{self.initiative} {self.month:%Y-%m}: {self.women} kvinnor, {self.men} män"


class ParticipantImport(models.Model):
    """A register file read into the register: who, when, what (its checksum refuses a second
    reading of the same file)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="participant_imports"
    )
    file_name = models.CharField("fil", max_length=255)
    sha256 = models.CharField(max_length=64)
    created = models.PositiveIntegerField("nya deltagare")
    updated = models.PositiveIntegerField("ändrade deltagare")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField("inläst", auto_now_add=True)

    class Meta:
        verbose_name = "inläsning av deltagare"
        verbose_name_plural = "inläsningar av deltagare"
        ordering = ["imported_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "sha256"], name="participant_import_once")
        ]

    def __str__(self):
        return f"{self.file_name} ({self.created} nya, {self.updated} ändrade)"


class InitiativeLead(models.Model):
    """An insatsansvarig's access to one insats: the lead role (Role.Kind.LEAD) and an insats it
    covers. Tied to the role, not to the user, so that the förbund is the role's own and taking
    the role away (or the person's account) takes the access to every insats with it."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="initiative_leads")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="leads")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    added_at = models.DateTimeField("tillagd", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "insatsansvarig"
        verbose_name_plural = "insatsansvariga"
        ordering = ["initiative_id", "role__user__email"]
        constraints = [
            models.UniqueConstraint(fields=["role", "initiative"], name="initiative_lead_once"),
        ]

    def __str__(self):
        return f"{self.role.user} – {self.initiative}"


def report_upload_to(report, filename: str) -> str:
    # The stored name is the system's own; the file's name as sent is kept in file_name.
    return f"insatsrapporter/{report.planned_report.application.initiative_id}/{filename}"


class Report(models.Model):
    """A report received for one of the insats's reports due (an application's PlannedReport):
    the file and the day it came. Put on a board meeting's agenda as a report item; it is
    behandlad when that meeting's minutes are justerade (read from the meeting, never stored)."""

    planned_report = models.OneToOneField(
        PlannedReport, on_delete=models.PROTECT, related_name="received"
    )
    file = models.FileField("fil", upload_to=report_upload_to, max_length=300)
    file_name = models.CharField("filnamn", max_length=255)
    received_on = models.DateField("mottagen")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agenda_item = models.OneToOneField(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiative_report",
        verbose_name="ärende",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "insatsrapport"
        verbose_name_plural = "insatsrapporter"
        ordering = ["planned_report__due", "id"]

    def __str__(self):
        return f"{self.planned_report.get_kind_display()} {self.received_on:%Y-%m-%d}"

    @property
    def is_handled(self) -> bool:
        """Behandlad: the board's minutes with its report item are justerade."""
        item = self.agenda_item
        return item is not None and item.meeting.approved_at is not None


class ReminderSent(models.Model):
    """A reminder e-mailed about a report due: once before the day, once when it is late, and
    never twice the same day (send_reminders runs daily from cron, perhaps twice)."""

    class Kind(models.TextChoices):
        SOON = "soon", "Snart sista dag"
        OVERDUE = "overdue", "Försenad"

    planned_report = models.ForeignKey(
        PlannedReport, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField("påminnelse", max_length=10, choices=Kind.choices)
    sent_on = models.DateField("skickad")
    recipients = models.TextField("mottagare")

    class Meta:
        verbose_name = "skickad påminnelse"
        verbose_name_plural = "skickade påminnelser"
        ordering = ["sent_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["planned_report", "sent_on"], name="reminder_once_per_report_and_day"
            ),
            models.UniqueConstraint(
                fields=["planned_report", "kind"], name="reminder_once_per_report_and_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.sent_on:%Y-%m-%d}"
