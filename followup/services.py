"""Every change of the follow-up, one function each, atomic and recorded with the user: the
participant register (one by one and from the register file), the anonymous counts, and the end
of an insats with the register's rules.

A participant's values are checked by `participant_problems`, which the register file's preview
uses too, so the page shows the same Swedish message the service refuses with. Every write locks
the insats's row first: the codes (D-0042) are numbered under that lock, and an insats cannot
end while a participant is being added to it.
"""

import datetime
from dataclasses import dataclass, field, fields, replace

from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.services import InvitationMail, RoleHeld, role_invite
from applications import services as application_services
from applications.models import AgendaItem, Initiative, Meeting, Orientation
from finsam import concurrency
from finsam.bounds import require_within_bounds
from finsam.models import Role, User
from followup import report_files, report_selectors
from followup.errors import FollowupError
from followup.models import (
    MAX_AGE,
    MIN_AGE,
    AnonymousCount,
    Education,
    ExitReason,
    Gender,
    IncomeSource,
    InitiativeLead,
    Occupation,
    Participant,
    ParticipantImport,
    ReminderSent,
    Report,
    SupportTime,
    participant_code,
)

# One participant's values
REQUIRED = "{field} saknas."
NOT_A_CHOICE = "{field}: ”{value}” är inget av de tillåtna värdena."
START_OUTSIDE_PERIOD = "Startdatum {day} ligger utanför insatsens period {start} – {end}."
START_IN_FUTURE = "Startdatum {day} ligger i framtiden; registrera deltagaren när hen har börjat."
AGE_OUTSIDE = (
    "Födelseår {year} ger åldern {age} år vid start {start_year}; deltagare ska vara "
    f"{MIN_AGE}–{MAX_AGE} år."
)
END_PARTLY = (
    "Slutdatum, avslutsorsak, försörjning vid avslut och sysselsättning vid avslut fylls i "
    "alla eller inga; {missing} saknas."
)
END_BEFORE_START = "Slutdatum {end} är före startdatum {start}."
END_IN_FUTURE = "Slutdatum {day} ligger i framtiden; avsluta deltagaren när hen har slutat."
AFTER_INITIATIVE_END = (
    "Insatsen avslutades {day}; deltagaren ska ha slutat senast den dagen (fyll i avslutet)."
)
STRUCTURAL = (
    "Insatsen är strukturövergripande: deltagarregistret är för individinriktade insatser. "
    "Räkna deltagare i till exempel utbildningar som anonyma deltagare per månad."
)
ALREADY_ENDED = "{code} är redan avslutad ({day})."

# The register file
UNKNOWN_CODE = "Koden {code} finns inte i insatsen; lämna Kod tom för en ny deltagare."
CODE_TWICE = "Koden {code} står också på rad {first}."
IMPORT_HAS_ERRORS = "{count} av filens rader har fel; ingenting är inläst. {first}"
IMPORT_EMPTY = "Filen innehåller inga deltagare."
IMPORT_NOTHING_NEW = "Filen innehåller inga nya eller ändrade deltagare; ingenting är inläst."
ALREADY_IMPORTED = "Filen {name} lästes redan in {when} av {who}; ingenting är inläst."

# Anonymous counts
COUNT_OUTSIDE_PERIOD = "{month} ligger utanför insatsens period {start} – {end}."
COUNT_NEGATIVE = "Antalet deltagare kan inte vara negativt ({month})."
COUNT_IN_FUTURE = "{month} har inte börjat än; räkna deltagarna när de har börjat."

# The end of an insats
# What a form shows, in the message of finsam.errors.ChangedMeanwhile ("Någon annan har ändrat
# {what} sedan du öppnade sidan …").
ANONYMOUS_WHAT = "de anonyma deltagarna"
REPORT_WHAT = "den mottagna rapporten"

STILL_ACTIVE = (
    "{count} deltagare är fortfarande aktiva. Avsluta dem i deltagarregistret innan insatsen "
    "avslutas."
)
REGISTERED_AFTER_END = (
    "{count} deltagare har start- eller slutdatum efter {day}; insatsen kan inte ha avslutats "
    "före dem."
)
COUNTED_AFTER_END = "Det finns anonyma deltagare räknade för månader efter {day}."


END_FIELDS = ("ended_on", "exit_reason", "income_source_end", "occupation_end")
CHOICES = {
    "gender": Gender,
    "education": Education,
    "income_source_start": IncomeSource,
    "occupation_start": Occupation,
    "support_time": SupportTime,
    "exit_reason": ExitReason,
    "income_source_end": IncomeSource,
    "occupation_end": Occupation,
}


def label(name: str) -> str:
    """A register field's name as the pages and the file write it: 'Försörjning vid start'."""
    return str(Participant._meta.get_field(name).verbose_name).capitalize()


@dataclass(frozen=True)
class ParticipantEnd:
    ended_on: datetime.date
    exit_reason: str
    income_source_end: str
    occupation_end: str


@dataclass(frozen=True)
class ParticipantValues:
    """Everything the register holds about a participant; the end fields all or none."""

    gender: str
    birth_year: int | None
    education: str
    income_source_start: str
    occupation_start: str
    support_time: str
    started_on: datetime.date | None
    ended_on: datetime.date | None = None
    exit_reason: str = ""
    income_source_end: str = ""
    occupation_end: str = ""

    @classmethod
    def of(cls, participant: Participant) -> "ParticipantValues":
        return cls(**{f.name: getattr(participant, f.name) for f in fields(cls)})

    def ended(self, end: ParticipantEnd) -> "ParticipantValues":
        return replace(self, **{name: getattr(end, name) for name in END_FIELDS})


def participant_problems(
    values: ParticipantValues, initiative: Initiative, *, today: datetime.date | None = None
) -> list[str]:
    """What is wrong with a participant's values in this insats, each in Swedish; [] if nothing.
    The database refuses the same (followup.models), except what needs the insats."""
    today = today or timezone.localdate()
    problems = []
    start_fields = ("gender", "birth_year", "education", "income_source_start")
    start_fields += ("occupation_start", "support_time", "started_on")
    for name in start_fields:
        if getattr(values, name) in (None, ""):
            problems.append(REQUIRED.format(field=label(name)))
    for name, choices in CHOICES.items():
        value = getattr(values, name)
        if value not in ("", None) and value not in choices.values:
            problems.append(NOT_A_CHOICE.format(field=label(name), value=value))
    start, end = values.started_on, values.ended_on
    if start is not None:
        if not initiative.period_start <= start <= initiative.last_day:
            problems.append(
                START_OUTSIDE_PERIOD.format(
                    day=start, start=initiative.period_start, end=initiative.last_day
                )
            )
        elif start > today:
            problems.append(START_IN_FUTURE.format(day=start))
        if values.birth_year is not None:
            age = start.year - values.birth_year
            if not MIN_AGE <= age <= MAX_AGE:
                problems.append(
                    AGE_OUTSIDE.format(year=values.birth_year, age=age, start_year=start.year)
                )
    given = [name for name in END_FIELDS if getattr(values, name) not in (None, "")]
    if given and len(given) < len(END_FIELDS):
        missing = [label(name).lower() for name in END_FIELDS if name not in given]
        problems.append(END_PARTLY.format(missing=" och ".join(missing)))
    if end is not None:
        if start is not None and end < start:
            problems.append(END_BEFORE_START.format(end=end, start=start))
        if end > today:
            problems.append(END_IN_FUTURE.format(day=end))
    if initiative.ended_on and (end is None or end > initiative.ended_on):
        problems.append(AFTER_INITIATIVE_END.format(day=initiative.ended_on))
    return problems


def _lock(initiative: Initiative) -> Initiative:
    """The insats's row, locked for the transaction: two participants added at once would
    otherwise take the same next code, and an insats could end while one is being added."""
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _require_individual(initiative: Initiative) -> None:
    if initiative.orientation == Orientation.STRUCTURAL:
        raise FollowupError(STRUCTURAL)


def _next_number(initiative: Initiative) -> int:
    last = initiative.participants.aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _require_dates(values: ParticipantValues) -> None:
    """The participant's days within the domain's range, whoever calls (finsam.bounds)."""
    require_within_bounds(
        dates={label("started_on"): values.started_on, label("ended_on"): values.ended_on}
    )


def _refuse(problems: list[str]) -> None:
    if problems:
        raise FollowupError(" ".join(problems))


def participant_add(
    *, user: User, initiative: Initiative, values: ParticipantValues
) -> Participant:
    """A new participant in the register, with the next code of the insats (D-0001, D-0002…)."""
    _require_dates(values)
    with transaction.atomic():
        initiative = _lock(initiative)
        _require_individual(initiative)
        _refuse(participant_problems(values, initiative))
        participant = Participant(
            initiative=initiative, number=_next_number(initiative), **vars(values)
        )
        participant._history_user = user
        participant.save()
    return participant


def participant_fingerprint(participant: Participant) -> str:
    """What the end form was opened on (finsam.concurrency): the participant's values."""
    return concurrency.fingerprint(vars(ParticipantValues.of(participant)))


def participant_end(
    *,
    user: User,
    participant: Participant,
    end: ParticipantEnd,
    fingerprint: str | None = None,
) -> Participant:
    """The participant has left the insats: when, why, and their försörjning and sysselsättning
    then. ``fingerprint``: the participant as the form showed it (not checked when None); a
    participant ended or corrected meanwhile (by someone else, or by a register file) is
    refused with ChangedMeanwhile."""
    require_within_bounds(dates={label("ended_on"): end.ended_on})
    with transaction.atomic():
        initiative = _lock(participant.initiative)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.ended_on is not None:
            raise FollowupError(
                ALREADY_ENDED.format(code=participant.code, day=participant.ended_on)
            )
        concurrency.check_unchanged(
            fingerprint, participant_fingerprint(participant), what=f"deltagaren {participant.code}"
        )
        values = ParticipantValues.of(participant).ended(end)
        _refuse(participant_problems(values, initiative))
        for name in END_FIELDS:
            setattr(participant, name, getattr(values, name))
        participant._history_user = user
        participant.save(update_fields=list(END_FIELDS))
    participant.initiative = initiative
    return participant


@dataclass
class RegisterRow:
    """One row of a register file: an existing participant (by code) or a new one, its values,
    and what reading it would do, or why it cannot be read."""

    row: int
    number: int | None = None  # the code's number; None for a new participant
    values: ParticipantValues | None = None
    errors: list[str] = field(default_factory=list)
    action: str = ""  # NEW, CHANGED or UNCHANGED

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"

    @property
    def code(self) -> str:
        return participant_code(self.number) if self.number else ""

    @property
    def error(self) -> str:
        return " ".join(self.errors)


def plan_import(
    initiative: Initiative, rows: list[RegisterRow], existing: dict[int, Participant]
) -> list[RegisterRow]:
    """Checks every row against the insats and its register (``existing``: participants by
    number) and says what reading it would do. Rows already wrong (unreadable cells) keep their
    errors and are checked no further."""
    today = timezone.localdate()
    first_row: dict[int, int] = {}
    for item in rows:
        if item.errors or item.values is None:
            continue
        if item.number is not None:
            if item.number not in existing:
                item.errors.append(UNKNOWN_CODE.format(code=item.code))
                continue
            if item.number in first_row:
                item.errors.append(CODE_TWICE.format(code=item.code, first=first_row[item.number]))
                continue
            first_row[item.number] = item.row
        item.errors.extend(participant_problems(item.values, initiative, today=today))
        if item.errors:
            continue
        if item.number is None:
            item.action = RegisterRow.NEW
        elif ParticipantValues.of(existing[item.number]) == item.values:
            item.action = RegisterRow.UNCHANGED
        else:
            item.action = RegisterRow.CHANGED
    return rows


def row_error(item: RegisterRow) -> str:
    return f"Rad {item.row}: {item.error}"


# Participants a statement writes: PostgreSQL takes at most 65 535 parameters a statement when
# they are bound on the server (finsam/settings.py), and a file's 5 000 participants are 70 000
# in one insert, 115 000 in one update of their eleven fields.
IMPORT_BATCH = 1000


def participants_import(
    *,
    user: User,
    initiative: Initiative,
    rows: list[RegisterRow],
    file_name: str,
    sha256: str,
) -> ParticipantImport:
    """Every row of a register file, or none: new participants get the next codes in the order
    of the file, changed ones are corrected, unchanged ones are left. Any row with an error, or a
    file read before, refuses the whole file. Participants missing from the file stay as they
    are."""
    for item in rows:
        if item.values is not None:
            _require_dates(item.values)
    with transaction.atomic():
        initiative = _lock(initiative)
        _require_individual(initiative)
        earlier = (
            initiative.participant_imports.filter(sha256=sha256)
            .select_related("imported_by")
            .first()
        )
        if earlier:
            raise FollowupError(
                ALREADY_IMPORTED.format(
                    name=earlier.file_name,
                    when=f"{timezone.localtime(earlier.imported_at):%Y-%m-%d %H:%M}",
                    who=earlier.imported_by,
                )
            )
        if not rows:
            raise FollowupError(IMPORT_EMPTY)
        existing = {p.number: p for p in Participant.objects.filter(initiative=initiative)}
        # Checked again here, against the register as it is now: the preview may be old.
        checked = plan_import(
            initiative, [replace(item, errors=list(item.errors)) for item in rows], existing
        )
        wrong = [item for item in checked if item.errors]
        if wrong:
            first = " ".join(row_error(item) for item in wrong[:3])
            raise FollowupError(IMPORT_HAS_ERRORS.format(count=len(wrong), first=first))
        new = [item.values for item in checked if item.action == RegisterRow.NEW]
        changed = []
        for item in checked:
            if item.action == RegisterRow.CHANGED:
                participant = existing[item.number]
                for name, value in vars(item.values).items():
                    setattr(participant, name, value)
                changed.append(participant)
        if not new and not changed:
            raise FollowupError(IMPORT_NOTHING_NEW)
        number = _next_number(initiative)
        bulk_create_with_history(
            [
                Participant(initiative=initiative, number=number + index, **vars(values))
                for index, values in enumerate(new)
            ],
            Participant,
            batch_size=IMPORT_BATCH,
            default_user=user,
        )
        if changed:
            bulk_update_with_history(
                changed,
                Participant,
                fields=[f.name for f in fields(ParticipantValues)],
                batch_size=IMPORT_BATCH,
                default_user=user,
            )
        try:
            with transaction.atomic():
                return ParticipantImport.objects.create(
                    initiative=initiative,
                    file_name=file_name[:255],
                    sha256=sha256,
                    created=len(new),
                    updated=len(changed),
                    imported_by=user,
                )
        except IntegrityError:  # the same file, confirmed in a parallel request
            raise FollowupError(
                ALREADY_IMPORTED.format(name=file_name, when="nyss", who="någon annan")
            ) from None


def _month_label(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def anonymous_counts_fingerprint(months, existing: dict[datetime.date, AnonymousCount]) -> str:
    """What the grid of ``months`` shows (finsam.concurrency): each month's stored counts."""
    return concurrency.fingerprint(
        {
            month: (existing[month].women, existing[month].men)
            for month in months
            if month in existing
        }
    )


def anonymous_counts_save(
    *,
    user: User,
    initiative: Initiative,
    counts: dict[datetime.date, tuple[int, int]],
    fingerprint: str | None = None,
) -> None:
    """Anonyma deltagare who started in each month, (women, men); a month with none is
    removed. Months not given are left as they are. ``fingerprint``: the months' counts as the
    grid showed them (not checked when None); a grid saved meanwhile by someone else is refused
    with ChangedMeanwhile."""
    for month in counts:
        require_within_bounds(dates={"Månad": month})
    with transaction.atomic():
        initiative = _lock(initiative)
        first = initiative.period_start.replace(day=1)
        last = initiative.last_day.replace(day=1)
        for month, (women, men) in counts.items():
            if month.day != 1 or not first <= month <= last:
                raise FollowupError(
                    COUNT_OUTSIDE_PERIOD.format(
                        month=_month_label(month),
                        start=initiative.period_start,
                        end=initiative.last_day,
                    )
                )
            if month > timezone.localdate() and (women or men):
                raise FollowupError(COUNT_IN_FUTURE.format(month=_month_label(month)))
            if women < 0 or men < 0:
                raise FollowupError(COUNT_NEGATIVE.format(month=_month_label(month)))
            shown = _month_label(month)
            require_within_bounds(counts={f"Kvinnor {shown}": women, f"Män {shown}": men})
        existing = {row.month: row for row in initiative.anonymous_counts.all()}
        concurrency.check_unchanged(
            fingerprint, anonymous_counts_fingerprint(counts, existing), what=ANONYMOUS_WHAT
        )
        for month, (women, men) in sorted(counts.items()):
            row = existing.get(month)
            if not women and not men:
                if row is not None:
                    row._history_user = user
                    row.delete()
                continue
            if row is None:
                row = AnonymousCount(initiative=initiative, month=month)
            elif (row.women, row.men) == (women, men):
                continue
            row.women, row.men = women, men
            row._history_user = user
            row.save()


def initiative_end(
    *, user: User, initiative: Initiative, outcome: str, ended_on: datetime.date
) -> Initiative:
    """The insats has ended: the register's rules (every participant ended, none after the
    day), then the insats's own (applications.services.initiative_end), in one transaction."""
    require_within_bounds(dates={"Avslutad den": ended_on})
    with transaction.atomic():
        initiative = _lock(initiative)
        participants = Participant.objects.filter(initiative=initiative)
        active = participants.filter(ended_on__isnull=True).count()
        if active:
            raise FollowupError(STILL_ACTIVE.format(count=active))
        later = participants.filter(Q(started_on__gt=ended_on) | Q(ended_on__gt=ended_on)).count()
        if later:
            raise FollowupError(REGISTERED_AFTER_END.format(count=later, day=ended_on))
        if initiative.anonymous_counts.filter(month__gt=ended_on).exists():
            raise FollowupError(COUNTED_AFTER_END.format(day=ended_on))
        return application_services.initiative_end(
            user=user, initiative=initiative, outcome=outcome, ended_on=ended_on
        )


# The insatsansvarig ------------------------------------------------------------------------

LEAD_OTHER_ROLE = (
    "{email} har redan rollen {role} i förbundet; en person har en roll per förbund. "
    "Ta bort den rollen först om hen ska vara insatsansvarig."
)
LEAD_ALREADY = "{email} är redan insatsansvarig för {initiative}."
LEAD_ACCESS_SUBJECT = "Du är insatsansvarig för {initiative} i Finsam"


def initiative_lead_add(
    *,
    user: User,
    initiative: Initiative,
    email: str,
    first_name: str = "",
    last_name: str = "",
    base_url: str,
) -> InitiativeLead:
    """Makes the person with ``email`` insatsansvarig for the insats: the invitation of
    accounts.services.role_invite gives them the lead role in the insats's förbund (finding
    their account, or creating one without a password) and e-mails them about this insats when
    the change is saved; the role then names the insats. A lead of other insatser keeps the
    role and gets one more insats; a person with another role in the förbund is refused."""
    with transaction.atomic():
        initiative = _lock(initiative)
        mail = InvitationMail(
            subject=LEAD_ACCESS_SUBJECT.format(initiative=initiative),
            template="followup/emails/lead_access.txt",
            context={
                "initiative": initiative,
                "initiative_path": reverse("followup:detail", args=[initiative.pk]),
            },
        )
        try:
            role = role_invite(
                user=user,
                association=initiative.association,
                email=email,
                kind=Role.Kind.LEAD,
                first_name=first_name,
                last_name=last_name,
                base_url=base_url,
                mail=mail,
                keep_same_role=True,
            )
        except RoleHeld as held:
            raise FollowupError(
                LEAD_OTHER_ROLE.format(
                    email=held.role.user.email, role=held.role.get_kind_display().lower()
                )
            ) from held
        # Refused here, the whole change rolls back, and the invitation's e-mail with it.
        if InitiativeLead.objects.filter(role=role, initiative=initiative).exists():
            raise FollowupError(LEAD_ALREADY.format(email=role.user.email, initiative=initiative))
        lead = InitiativeLead(role=role, initiative=initiative, added_by=user)
        lead._history_user = user
        lead.save()
    return lead


# Reports due and received ------------------------------------------------------------------

REPORT_ON_AGENDA = (
    "Rapporten är redan satt på dagordningen för {meeting}; den kan inte bytas. Ta bort "
    "ärendet från dagordningen först."
)
REPORT_RECEIVED_IN_FUTURE = "Mottagningsdagen {day} ligger i framtiden."
REPORT_NOT_RECEIVED = "Rapporten har inte kommit in än; den kan inte sättas på dagordningen."
REPORT_ALREADY_ON_AGENDA = "Rapporten står redan på dagordningen för {meeting}."
REPORT_NOT_BOARD = "Rapporter sätts på styrelsens dagordning."
REPORT_NOT_OF_INITIATIVE = "Sammanträdet hör till ett annat förbund än insatsen."


def report_fingerprint(report: Report | None) -> str:
    """What the upload page shows of a report due (finsam.concurrency): the file received, if
    any, and when."""
    if report is None:
        return concurrency.fingerprint(None)
    return concurrency.fingerprint(
        [report.pk, report.file.name, report.file_name, report.received_on]
    )


def report_receive(
    *,
    user: User,
    planned_report,
    file_name: str,
    content: bytes,
    received_on: datetime.date,
    fingerprint: str | None = None,
) -> Report:
    """Records a report due as received: the file (checked by report_files.report_kind), kept
    through the default storage, and the day it came. A file received again replaces the first
    one until the report is on an agenda. ``fingerprint``: the received report as the page
    showed it (not checked when None); a file received meanwhile by someone else is not replaced
    (ChangedMeanwhile)."""
    require_within_bounds(dates={"Mottagen den": received_on})
    report_files.report_kind(file_name, content)  # refuses anything but PDF, DOCX or XLSX
    if received_on > timezone.localdate():
        raise FollowupError(REPORT_RECEIVED_IN_FUTURE.format(day=f"{received_on:%Y-%m-%d}"))
    with transaction.atomic():
        _lock(planned_report.application.initiative)
        report = (
            Report.objects.select_related("agenda_item__meeting")
            .filter(planned_report=planned_report)
            .first()
        )
        concurrency.check_unchanged(fingerprint, report_fingerprint(report), what=REPORT_WHAT)
        old_file = None
        if report is None:
            report = Report(planned_report=planned_report)
        elif report.agenda_item is not None and report.agenda_item.meeting.cancelled_at is None:
            raise FollowupError(REPORT_ON_AGENDA.format(meeting=report.agenda_item.meeting))
        else:
            old_file = report.file.name
        report.file_name = file_name[:255]
        report.received_on = received_on
        report.received_by = user
        report.file.save(report_files.stored_name(file_name), ContentFile(content), save=False)
        report._history_user = user
        report.save()
        if old_file:
            storage = report.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return report


def report_to_agenda(*, user: User, report: Report, meeting) -> Report:
    """Puts a received report on a board meeting's agenda as a report item (information for
    the board, no decision). It is behandlad once that meeting's minutes are justerade: the
    report reads the meeting's justering, so nothing in applications needs to know it."""
    if meeting.body != Meeting.Body.BOARD:
        raise FollowupError(REPORT_NOT_BOARD)
    with transaction.atomic():
        initiative = _lock(report.planned_report.application.initiative)
        if meeting.association_id != initiative.association_id:
            raise FollowupError(REPORT_NOT_OF_INITIATIVE)
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.agenda_item_id is not None:
            item = AgendaItem.objects.select_related("meeting").get(pk=report.agenda_item_id)
            # A cancelled meeting never treats it: the report may go before another.
            if item.meeting.cancelled_at is None:
                raise FollowupError(REPORT_ALREADY_ON_AGENDA.format(meeting=item.meeting))
        planned = report.planned_report
        item = application_services.agenda_item_add(
            user=user,
            meeting=meeting,
            kind=AgendaItem.Kind.REPORT,
            title=f"{planned.get_kind_display()} från {initiative.name}",
        )
        report.agenda_item = item
        report._history_user = user
        report.save(update_fields=["agenda_item"])
    return report


# Reminders ---------------------------------------------------------------------------------

REMINDER_SUBJECT = {
    ReminderSent.Kind.SOON: "Påminnelse: {report} för {initiative} ska lämnas senast {due}",
    ReminderSent.Kind.OVERDUE: "Försenad: {report} för {initiative} skulle ha lämnats {due}",
}


def reminder_kind(*, due: datetime.date, today: datetime.date, days: int) -> str | None:
    """Which reminder a report due on ``due`` calls for today: none until ``days`` before the
    day, then one before it, and one more once it is late."""
    if due < today:
        return ReminderSent.Kind.OVERDUE
    if (due - today).days <= days:
        return ReminderSent.Kind.SOON
    return None


def reminders_send(*, today: datetime.date, base_url: str) -> list[ReminderSent]:
    """E-mails each insats's leads about its reports due: once within the förbund's reminder
    days before the day, and once when it is late. Safe to run any number of times a day: a
    ReminderSent row, unique per report and day and per report and kind, is written in the same
    transaction as the mail is handed over, so a second run (or a parallel one) sends nothing
    again, and a mail that could not be sent is tried again the next run."""
    sent = []
    for planned in report_selectors.reminders_due(today=today):
        initiative = planned.application.initiative
        kind = reminder_kind(
            due=planned.due, today=today, days=initiative.association.report_reminder_days
        )
        done = {reminder.kind for reminder in planned.reminders.all()}
        done_today = any(reminder.sent_on == today for reminder in planned.reminders.all())
        if kind is None or kind in done or done_today:
            continue
        recipients = sorted(
            lead.role.user.email
            for lead in initiative.leads.all()
            if lead.role.user.is_active and lead.role.kind == Role.Kind.LEAD
        )
        if not recipients:
            continue  # no lead yet: reminded once someone is given access
        try:
            with transaction.atomic():
                reminder = ReminderSent.objects.create(
                    planned_report=planned,
                    kind=kind,
                    sent_on=today,
                    recipients=", ".join(recipients),
                )
                _reminder_message(planned, kind, recipients, base_url).send()
        except IntegrityError:
            continue  # another run sent it first
        sent.append(reminder)
    return sent


def _reminder_message(planned, kind: str, recipients: list[str], base_url: str):
    initiative = planned.application.initiative
    values = {
        "report": planned.get_kind_display(),
        "initiative": initiative.name,
        "due": f"{planned.due:%Y-%m-%d}",
    }
    body = render_to_string(
        "followup/emails/report_reminder.txt",
        {
            "planned": planned,
            "initiative": initiative,
            "overdue": kind == ReminderSent.Kind.OVERDUE,
            "url": base_url.rstrip("/") + reverse("followup:detail", args=[initiative.pk]),
        },
    )
    return EmailMessage(subject=REMINDER_SUBJECT[kind].format(**values), body=body, to=recipients)
