"""Meetings of the board and the beredningsgrupp: agenda, kallelse, attendance and opening
the minutes. Every change atomic, the meeting row locked while it changes."""

import datetime
from dataclasses import dataclass

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications.errors import MeetingError, ShortNotice
from applications.models import (
    AgendaItem,
    Application,
    Attendance,
    Meeting,
    MinutesSequence,
)
from applications.selectors import (
    Quorum,
    board_seats_on,
    body_recipients,
    notice_days_left,
    quorum_of,
)
from applications.workflow import State, application_move, state_label
from finsam.models import Association, BoardSeat, User

MEETING_LOCKED = "Protokollet är justerat; sammanträdet kan inte längre ändras."

AGENDA_FROZEN = "Protokollet är upprättat; dagordningen kan inte längre ändras."

NOT_PREPARED = "Bara beredda ansökningar kan tas upp på dagordningen; ansökan är {state}."

SHORT_NOTICE = (
    "Sammanträdet är om {days} dagar, men kallelsen ska gå ut minst {notice} dagar före. "
    "Bekräfta att den ändå ska skickas."
)

ALREADY_PUBLISHED = "Kallelsen är redan skickad."

NO_QUORUM = (
    "Styrelsen är inte beslutför: {filled} av {seats} ordinarie platser är besatta, det krävs "
    "fler än {needed}."
)

MINUTES_FROZEN = "Protokollet är upprättat; sammanträdet och närvaron kan inte längre ändras."

APPLICATIONS_AT_BOARD = (
    "Ansökningar tas upp för beslut på styrelsens sammanträden; lägg till ett övrigt ärende här."
)

NOT_ORDINARY = "{ordinary} är inte ordinarie ledamot; en ersättare tjänstgör bara för en sådan."

MINUTES_ALREADY_OPEN = "Protokollet är redan upprättat."

ONLY_BOARD_DECIDES = "Bara styrelsens sammanträden har beslut och protokoll här."

DEPUTY_WRONG_MEMBER = "{deputy} är ersättare för {member} och kan inte tjänstgöra för {ordinary}."

DEPUTY_NOT_DEPUTY = "{person} är inte ersättare och kan inte tjänstgöra för någon."

DEPUTY_FOR_PRESENT = "{ordinary} är närvarande; ingen ersättare behöver tjänstgöra."

DEPUTY_ORDER = "{deputy} går in före {other} enligt ersättarordningen."

DEPUTY_ABSENT = "{deputy} måste vara närvarande för att tjänstgöra."

DEPUTY_TWICE = "{ordinary} har fler än en tjänstgörande ersättare."

LINKED_NOT_ON_AGENDA = (
    "Ansökan hänger ihop med {names}, som ska beslutas vid samma sammanträde. Ta upp "
    "{them} på dagordningen först."
)

NO_APPROVER = "Ange minst en justerare bland de närvarande."


def meeting_lock_unapproved(meeting: Meeting) -> Meeting:
    """The meeting, its row locked for the caller's transaction; refused once justerat."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_locked:
        raise MeetingError(MEETING_LOCKED)
    return meeting


def meeting_create(
    *, user: User, association: Association, body: str, starts_at: datetime.datetime, place: str
) -> Meeting:
    """A new meeting of the board or the beredningsgrupp, unpublished and with an empty agenda."""
    meeting = Meeting(association=association, body=body, starts_at=starts_at, place=place)
    meeting._history_user = user
    meeting.save()
    return meeting


def meeting_update(
    *, user: User, meeting: Meeting, body: str, starts_at: datetime.datetime, place: str
) -> Meeting:
    """Changes the body, time or place until the minutes are drawn up."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.minutes_opened_at:
            raise MeetingError(MINUTES_FROZEN)
        meeting.body, meeting.starts_at, meeting.place = body, starts_at, place
        meeting._history_user = user
        # Only these fields: a kallelse sent meanwhile must not be undone.
        meeting.save(update_fields=["body", "starts_at", "place"])
    return meeting


def agenda_item_add(
    *,
    user: User,
    meeting: Meeting,
    kind: str,
    title: str = "",
    application: Application | None = None,
    presenter: str = "",
) -> AgendaItem:
    """Adds an ärende last on the agenda; an application goes from beredd to på dagordning."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.minutes_opened_at:
            raise MeetingError(AGENDA_FROZEN)
        if application is not None:
            if meeting.body != Meeting.Body.BOARD:
                raise MeetingError(APPLICATIONS_AT_BOARD)
            if application.association_id != meeting.association_id:
                raise MeetingError(NOT_PREPARED.format(state="okänd"))
            application = Application.objects.select_for_update().get(pk=application.pk)
            if application.state != State.PREPARED:
                raise MeetingError(NOT_PREPARED.format(state=state_label(application.state)))
            application_move(application, State.ON_AGENDA, by=user, comment=f"Dagordning {meeting}")
            kind = AgendaItem.Kind.APPLICATION
            title = title or f"{application.dnr} {application.name}"
            presenter = presenter or application.lead_name
        last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
        item = AgendaItem(
            meeting=meeting,
            position=last + 1,
            kind=kind,
            title=title,
            application=application,
            presenter=presenter,
        )
        item._history_user = user
        item.save()
    return item


def agenda_item_remove(*, user: User, item: AgendaItem) -> None:
    """Takes an ärende off the agenda; an application goes back to beredd."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(item.meeting)
        if meeting.minutes_opened_at:
            raise MeetingError(AGENDA_FROZEN)
        if item.application_id:
            application = Application.objects.select_for_update().get(pk=item.application_id)
            application_move(
                application, State.PREPARED, by=user, comment=f"Struken från {meeting}"
            )
        item._history_user = user
        item.delete()


def meeting_publish(
    *, user: User, meeting: Meeting, confirm_short_notice: bool = False, base_url: str = ""
) -> Meeting:
    """Sends the kallelse: the body's members see the pack and get an e-mail."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.is_published:
            raise MeetingError(ALREADY_PUBLISHED)
        now = timezone.now()
        days = notice_days_left(meeting, now)
        notice = meeting.association.notice_days
        if days < notice and not confirm_short_notice:
            raise ShortNotice(SHORT_NOTICE.format(days=days, notice=notice))
        meeting.published_at = now
        meeting._history_user = user
        meeting.save(update_fields=["published_at"])
        link = base_url + reverse("applications:meeting", args=[meeting.pk])
        local = timezone.localtime(meeting.starts_at)
        subject = f"Kallelse: {meeting.get_body_display()} {local:%Y-%m-%d %H:%M}"
        body = (
            f"Välkommen till sammanträde med {meeting.get_body_display().lower()} i "
            f"{meeting.association.name}.\n\n"
            f"Tid: {local:%Y-%m-%d %H:%M}\nPlats: {meeting.place}\n\n"
            f"Dagordning och handlingar: {link}\n"
        )
        messages = [(subject, body, None, [email]) for email in body_recipients(meeting)]
        # Sent once the meeting is saved, so a failed commit sends nothing.
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return meeting


@dataclass(frozen=True)
class AttendanceRow:
    """One seat at the meeting: present or not, the ordinary a deputy serves for, and whether
    the person is a justerare (approver) of the minutes."""

    seat: BoardSeat
    present: bool
    serving_for: BoardSeat | None = None
    approver: bool = False


def _check_deputies(rows: list[AttendanceRow]) -> None:
    present = {row.seat.pk for row in rows if row.present}
    serving = [row for row in rows if row.serving_for is not None]
    taken = set()
    for row in serving:
        deputy, ordinary = row.seat, row.serving_for
        if deputy.kind != BoardSeat.Kind.DEPUTY:
            raise MeetingError(DEPUTY_NOT_DEPUTY.format(person=deputy.person))
        if ordinary.kind != BoardSeat.Kind.ORDINARY:
            raise MeetingError(NOT_ORDINARY.format(ordinary=ordinary.person))
        if deputy.member_id != ordinary.member_id:
            raise MeetingError(
                DEPUTY_WRONG_MEMBER.format(
                    deputy=deputy.person, member=deputy.member, ordinary=ordinary.person
                )
            )
        if not row.present:
            raise MeetingError(DEPUTY_ABSENT.format(deputy=deputy.person))
        if ordinary.pk in present:
            raise MeetingError(DEPUTY_FOR_PRESENT.format(ordinary=ordinary.person))
        if ordinary.pk in taken:
            raise MeetingError(DEPUTY_TWICE.format(ordinary=ordinary.person))
        taken.add(ordinary.pk)
        # A present deputy earlier in the member's order, not serving, should have gone in first.
        for other in rows:
            earlier = (
                other.seat.kind == BoardSeat.Kind.DEPUTY
                and other.seat.member_id == deputy.member_id
                and other.present
                and other.serving_for is None
                and (other.seat.deputy_order or 0) < (deputy.deputy_order or 0)
            )
            if earlier:
                raise MeetingError(
                    DEPUTY_ORDER.format(deputy=other.seat.person, other=deputy.person)
                )


def attendance_record(*, user: User, meeting: Meeting, rows: list[AttendanceRow]) -> Quorum:
    """Records who is present, which deputies serve, and the justerare; replaces what was there."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.body != Meeting.Body.BOARD:
            raise MeetingError(ONLY_BOARD_DECIDES)
        if meeting.minutes_opened_at:
            raise MeetingError(MINUTES_FROZEN)
        _check_deputies(rows)
        if not any(row.approver and row.present for row in rows):
            raise MeetingError(NO_APPROVER)
        Attendance.objects.filter(meeting=meeting).delete()
        saved = []
        for row in rows:
            attendance = Attendance(
                meeting=meeting,
                seat=row.seat,
                present=row.present,
                serving_for=row.serving_for,
                approver=row.approver and row.present,
            )
            attendance._history_user = user
            saved.append(attendance)
        bulk_create_with_history(saved, Attendance, default_user=user)
        return quorum_of(meeting, board_seats_on(meeting), saved)


def require_quorum(meeting: Meeting) -> None:
    quorum = quorum_of(meeting, board_seats_on(meeting), list(meeting.attendance.all()))
    if not quorum.reached:
        raise MeetingError(
            NO_QUORUM.format(filled=quorum.filled, seats=quorum.seats, needed=quorum.needed - 1)
        )


def minutes_open(*, user: User, meeting: Meeting) -> Meeting:
    """Upprättar protokollet: numbers the agenda's paragraphs, § 1, § 2 …, continuing the body's
    numbering for the calendar year."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.body != Meeting.Body.BOARD:
            raise MeetingError(ONLY_BOARD_DECIDES)
        if meeting.minutes_opened_at:
            raise MeetingError(MINUTES_ALREADY_OPEN)
        require_quorum(meeting)
        for item in meeting.agenda_items.filter(application__isnull=False):
            check_linked_on_agenda(item)
        year = timezone.localdate(meeting.starts_at).year
        sequence, _ = MinutesSequence.objects.get_or_create(
            association=meeting.association, body=meeting.body, year=year
        )
        # Two meetings' minutes opened at once would otherwise start from the same number.
        sequence = MinutesSequence.objects.select_for_update().get(pk=sequence.pk)
        for item in meeting.agenda_items.order_by("position"):
            sequence.last_paragraph += 1
            item.paragraph = sequence.last_paragraph
            item._history_user = user
            item.save(update_fields=["paragraph"])
        sequence.save(update_fields=["last_paragraph"])
        meeting.minutes_opened_at = timezone.now()
        meeting._history_user = user
        meeting.save(update_fields=["minutes_opened_at"])
    return meeting


def check_linked_on_agenda(item: AgendaItem) -> None:
    """Interdependent applications are decided at one and the same meeting (seed 000)."""
    # Partners already decided or withdrawn no longer wait for this one.
    linked = list(
        item.application.linked.exclude(state__in=[*Application.DECIDED_STATES, State.WITHDRAWN])
    )
    on_agenda = set(
        item.meeting.agenda_items.filter(application__in=linked).values_list(
            "application_id", flat=True
        )
    )
    missing = [application for application in linked if application.pk not in on_agenda]
    if missing:
        names = ", ".join(str(application) for application in missing)
        raise MeetingError(
            LINKED_NOT_ON_AGENDA.format(names=names, them="den" if len(missing) == 1 else "dem")
        )
