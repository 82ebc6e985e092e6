"""Meetings of the board and the beredningsgrupp: agenda, kallelse, attendance and opening
the minutes. Every change atomic, the meeting row locked while it changes."""

import datetime
import hmac
import smtplib
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
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
    Notice,
    NoticeEmail,
)
from applications.selectors import (
    Quorum,
    Recipient,
    board_seats_on,
    notice_days_left,
    notice_recipients,
    quorum_of,
)
from applications.workflow import State, application_move, state_label
from finsam import concurrency
from finsam.bounds import require_within_bounds
from finsam.models import Association, BoardSeat, User

MEETING_LOCKED = "Protokollet är justerat; sammanträdet kan inte längre ändras."

AGENDA_FROZEN = "Protokollet är upprättat; dagordningen kan inte längre ändras."

NOT_PREPARED = "Bara beredda ansökningar kan tas upp på dagordningen; ansökan är {state}."

SHORT_NOTICE = (
    "Sammanträdet är om {days} dagar, men kallelsen ska gå ut minst {notice} dagar före. "
    "Bekräfta att den ändå ska skickas."
)

WITHOUT_EMAIL = (
    "{count} av {total} mottagare saknar e-postadress och får ingen kallelse: {names}. "
    "Bekräfta att kallelsen ändå ska skickas till de övriga (och att sammanträdet publiceras)."
)

NOTICE_AFTER_MINUTES = "Protokollet är upprättat; kallelsen kan inte längre skickas."

MAIL_FAILED = (
    "E-postservern tog inte emot kallelsen ({error}). Ingenting är markerat som skickat; "
    "försök igen om en stund."
)

MEETING_CANCELLED = "Sammanträdet är inställt och kan inte längre ändras."

ALREADY_CANCELLED = "Sammanträdet är redan inställt."

# What someone else changed meanwhile (finsam.errors.ChangedMeanwhile: "Någon annan har ändrat …").
MEETING_WHAT = "sammanträdet"
ATTENDANCE_WHAT = "närvaron"

CANCEL_REASON_REQUIRED = "Ange varför sammanträdet ställs in."

CANCEL_AFTER_MINUTES = "Protokollet är upprättat; sammanträdet kan inte längre ställas in."

MINUTES_BEFORE_MEETING_DAY = (
    "Protokollet kan upprättas först på sammanträdesdagen, {day}, eller senare."
)

EARLIER_MEETING_OPEN = (
    "{meeting} har varken protokoll eller är inställt. Upprätta det protokollet (eller ställ in "
    "sammanträdet) först, så att paragraferna följer sammanträdenas ordning."
)

AGENDA_ITEM_FIRST = "{item} står redan först på dagordningen."

AGENDA_ITEM_LAST = "{item} står redan sist på dagordningen."

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

AGENDA_CHANGED = (
    "Dagordningen har ändrats sedan sidan visades (till exempel av ett dubbelklick eller av en "
    "kollega), så ärendet har inte lagts till. Se dagordningen nedan och lägg till ärendet igen "
    "om det fortfarande saknas."
)


def meeting_lock(meeting: Meeting) -> Meeting:
    """The meeting, its row locked for the caller's transaction."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def meeting_require_unapproved(meeting: Meeting) -> Meeting:
    """Refuses a change to a meeting justerat or cancelled."""
    if meeting.is_locked:
        raise MeetingError(MEETING_LOCKED)
    if meeting.is_cancelled:
        raise MeetingError(MEETING_CANCELLED)
    return meeting


def meeting_lock_unapproved(meeting: Meeting) -> Meeting:
    """The meeting, its row locked for the caller's transaction; refused once justerat."""
    return meeting_require_unapproved(meeting_lock(meeting))


def meeting_fingerprint(meeting: Meeting) -> str:
    """The fingerprint (finsam/concurrency.py) of the meeting as its form shows it."""
    return concurrency.fingerprint(
        concurrency.field_values(meeting, ["body", "starts_at", "place"])
    )


def attendance_fingerprint(meeting: Meeting, attendance) -> str:
    """The fingerprint (finsam/concurrency.py) of the attendance as its form shows it: who is
    present, who serves for whom, the justerare, the secretary and the others present."""
    return concurrency.fingerprint(
        meeting.secretary,
        meeting.others_present,
        {row.seat_id: (row.present, row.serving_for_id, row.approver) for row in attendance},
    )


def agenda_fingerprint(items) -> str:
    """The fingerprint (finsam/concurrency.py) of the agenda as the meeting page shows it: its
    ärenden in their order (``items`` ordered by position, as the page's prefetch reads them)."""
    return concurrency.fingerprint(
        [(item.pk, item.kind, item.title, item.application_id) for item in items]
    )


def meeting_create(
    *, user: User, association: Association, body: str, starts_at: datetime.datetime, place: str
) -> Meeting:
    """A new meeting of the board or the beredningsgrupp, unpublished. A board meeting's agenda
    starts with the standard paragraphs (öppnande, val av justerare, godkännande av dagordningen)
    and ends with avslutning; the officer may strike any of them."""
    require_within_bounds(dates={"Sammanträdets tid": starts_at})
    with transaction.atomic():
        meeting = Meeting(association=association, body=body, starts_at=starts_at, place=place)
        meeting._history_user = user
        meeting.save()
        if body == Meeting.Body.BOARD:
            items = [
                AgendaItem(meeting=meeting, position=position, kind=kind, title=str(kind.label))
                for position, kind in enumerate(AgendaItem.STANDARD_KINDS, start=1)
            ]
            bulk_create_with_history(items, AgendaItem, default_user=user)
    return meeting


def meeting_update(
    *,
    user: User,
    meeting: Meeting,
    body: str,
    starts_at: datetime.datetime,
    place: str,
    fingerprint: str | None = None,
) -> Meeting:
    """Changes the body, time or place until the minutes are drawn up. ``fingerprint`` is
    ``meeting_fingerprint`` of the meeting the form showed (None: not checked)."""
    require_within_bounds(dates={"Sammanträdets tid": starts_at})
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.minutes_opened_at:
            raise MeetingError(MINUTES_FROZEN)
        concurrency.check_unchanged(fingerprint, meeting_fingerprint(meeting), what=MEETING_WHAT)
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
    fingerprint: str | None = None,
) -> AgendaItem:
    """Adds an ärende last on the agenda; an application goes from beredd to på dagordning.
    ``fingerprint`` is ``agenda_fingerprint`` of the agenda the page showed (None: not
    checked): a second post of the same form, by a double click, finds the ärende the first
    one added and adds nothing."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.minutes_opened_at:
            raise MeetingError(AGENDA_FROZEN)
        if fingerprint is not None:
            # Under the meeting's lock: of two posts at once, the second waits and sees the
            # first one's ärende here.
            current = agenda_fingerprint(meeting.agenda_items.order_by("position"))
            if not hmac.compare_digest(fingerprint.encode(), current.encode()):
                raise MeetingError(AGENDA_CHANGED)
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
        item = AgendaItem(
            meeting=meeting,
            position=_free_position(user, meeting, kind),
            kind=kind,
            title=title,
            application=application,
            presenter=presenter,
        )
        item._history_user = user
        item.save()
    return item


def _free_position(user: User, meeting: Meeting, kind: str) -> int:
    """The position a new ärende takes: last, but before avslutning (which moves down one)."""
    items = meeting.agenda_items.all()
    closing = items.filter(kind=AgendaItem.Kind.CLOSING).order_by("position").first()
    if closing is None or kind == AgendaItem.Kind.CLOSING:
        return (items.aggregate(last=Max("position"))["last"] or 0) + 1
    # From the last one up, so that no two ärenden share a position on the way.
    for later in items.filter(position__gte=closing.position).order_by("-position"):
        later.position += 1
        later._history_user = user
        later.save(update_fields=["position"])
    return closing.position


def agenda_item_move(*, user: User, item: AgendaItem, up: bool) -> AgendaItem:
    """Moves an ärende one step up or down the agenda, swapping it with its neighbour."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(item.meeting)
        if meeting.minutes_opened_at:
            raise MeetingError(AGENDA_FROZEN)
        item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
        items = meeting.agenda_items.all()
        neighbour = (
            items.filter(position__lt=item.position).order_by("-position").first()
            if up
            else items.filter(position__gt=item.position).order_by("position").first()
        )
        if neighbour is None:
            raise MeetingError((AGENDA_ITEM_FIRST if up else AGENDA_ITEM_LAST).format(item=item))
        mine, theirs = item.position, neighbour.position
        # Through position 0 (never used), as the pair must not share a position on the way.
        for agenda_item, position in ((item, 0), (neighbour, mine), (item, theirs)):
            agenda_item.position = position
            agenda_item._history_user = user
            agenda_item.save(update_fields=["position"])
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
    *,
    user: User,
    meeting: Meeting,
    confirm_short_notice: bool = False,
    confirm_without_email: bool = False,
    base_url: str = "",
) -> Notice:
    """Sends the kallelse to every recipient with an e-mail address (selectors.notice_recipients)
    and records each e-mail; the first sending publishes the meeting to its body. It may be sent
    again (after a change, or to someone added), and that is recorded too. Refused on short
    notice and while recipients lack an address unless confirmed; if the mail server refuses,
    nothing is recorded."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.minutes_opened_at:
            raise MeetingError(NOTICE_AFTER_MINUTES)
        now = timezone.now()
        days = notice_days_left(meeting, now)
        notice_days = meeting.association.notice_days
        if days < notice_days and not confirm_short_notice:
            raise ShortNotice(SHORT_NOTICE.format(days=days, notice=notice_days))
        recipients = notice_recipients(meeting)
        reached = [recipient for recipient in recipients if recipient.address]
        missing = [recipient for recipient in recipients if not recipient.address]
        if missing and not confirm_without_email:
            raise MeetingError(
                WITHOUT_EMAIL.format(
                    count=len(missing),
                    total=len(recipients),
                    names=", ".join(str(recipient.person) for recipient in missing),
                )
            )
        if not meeting.is_published:
            meeting.published_at = now
            meeting._history_user = user
            meeting.save(update_fields=["published_at"])
        notice = Notice.objects.create(
            meeting=meeting,
            sent_at=now,
            sent_by=user,
            without_email="\n".join(str(recipient.person) for recipient in missing),
        )
        NoticeEmail.objects.bulk_create(
            NoticeEmail(
                notice=notice,
                person=recipient.person,
                name=recipient.person.name,
                address=recipient.address,
            )
            for recipient in reached
        )
        notice.email_count = len(reached)
        # Sent before the commit, inside the transaction: if the mail server refuses, the
        # rollback leaves the meeting unpublished and no e-mail recorded, so a retry is honest.
        # (A server that fails midway may have delivered some; the retry sends them again.)
        try:
            get_connection(fail_silently=False).send_messages(
                _notice_messages(meeting, reached, base_url)
            )
        except (smtplib.SMTPException, OSError) as error:
            raise MeetingError(MAIL_FAILED.format(error=error.__class__.__name__)) from error
    return notice


def _notice_messages(
    meeting: Meeting, recipients: list[Recipient], base_url: str
) -> list[EmailMessage]:
    link = base_url + reverse("applications:meeting", args=[meeting.pk])
    local = timezone.localtime(meeting.starts_at)
    subject = f"Kallelse: {meeting.get_body_display()} {local:%Y-%m-%d %H:%M}"
    body = (
        f"Välkommen till sammanträde med {meeting.get_body_display().lower()} i "
        f"{meeting.association.name}.\n\n"
        f"Tid: {local:%Y-%m-%d %H:%M}\nPlats: {meeting.place}\n\n"
        f"Dagordning och handlingar: {link}\n"
    )
    return [EmailMessage(subject, body, None, [recipient.address]) for recipient in recipients]


def meeting_cancel(*, user: User, meeting: Meeting, reason: str) -> Meeting:
    """Ställer in sammanträdet, with the reason; its applications go back to beredd so that they
    can be taken up at another meeting. A cancelled meeting does not hold up the next one's
    minutes (minutes_open)."""
    reason = reason.strip()
    with transaction.atomic():
        meeting = meeting_lock(meeting)
        if meeting.is_cancelled:
            raise MeetingError(ALREADY_CANCELLED)  # a second click, or a colleague's
        meeting_require_unapproved(meeting)
        if meeting.minutes_opened_at:
            raise MeetingError(CANCEL_AFTER_MINUTES)
        if not reason:
            raise MeetingError(CANCEL_REASON_REQUIRED)
        for item in meeting.agenda_items.filter(application__isnull=False):
            application = Application.objects.select_for_update().get(pk=item.application_id)
            if application.state == State.ON_AGENDA:
                application_move(
                    application, State.PREPARED, by=user, comment=f"{meeting} är inställt"
                )
        meeting.cancelled_at = timezone.now()
        meeting.cancelled_reason = reason
        meeting._history_user = user
        meeting.save(update_fields=["cancelled_at", "cancelled_reason"])
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


def attendance_record(
    *,
    user: User,
    meeting: Meeting,
    rows: list[AttendanceRow],
    secretary: str = "",
    others_present: str = "",
    fingerprint: str | None = None,
) -> Quorum:
    """Records who is present, which deputies serve, and the justerare; replaces what was there.
    ``secretary`` and ``others_present`` (tjänstemän, föredragande; one per line) are names as
    the minutes print them: they need no seat or login. ``fingerprint`` is
    ``attendance_fingerprint`` of the attendance the form showed (None: not checked)."""
    with transaction.atomic():
        meeting = meeting_lock_unapproved(meeting)
        if meeting.body != Meeting.Body.BOARD:
            raise MeetingError(ONLY_BOARD_DECIDES)
        if meeting.minutes_opened_at:
            raise MeetingError(MINUTES_FROZEN)
        if fingerprint is not None:
            current = attendance_fingerprint(meeting, Attendance.objects.filter(meeting=meeting))
            concurrency.check_unchanged(fingerprint, current, what=ATTENDANCE_WHAT)
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
        meeting.secretary = secretary.strip()
        meeting.others_present = "\n".join(
            line.strip() for line in others_present.splitlines() if line.strip()
        )
        meeting._history_user = user
        meeting.save(update_fields=["secretary", "others_present"])
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
        day = timezone.localdate(meeting.starts_at)
        if timezone.localdate() < day:
            raise MeetingError(MINUTES_BEFORE_MEETING_DAY.format(day=f"{day:%Y-%m-%d}"))
        earlier = earlier_meeting_without_minutes(meeting)
        if earlier is not None:
            raise MeetingError(EARLIER_MEETING_OPEN.format(meeting=earlier))
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


def earlier_meeting_without_minutes(meeting: Meeting) -> Meeting | None:
    """The first earlier meeting of the same body in the same calendar year whose minutes are
    not drawn up and that is not cancelled: its paragraphs must come first."""
    day = timezone.localdate(meeting.starts_at)
    new_year = timezone.make_aware(datetime.datetime(day.year, 1, 1))
    return (
        Meeting.objects.filter(
            association=meeting.association_id,
            body=meeting.body,
            starts_at__gte=new_year,
            starts_at__lt=meeting.starts_at,
            minutes_opened_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .order_by("starts_at")
        .first()
    )


def check_linked_on_agenda(item: AgendaItem) -> None:
    """Interdependent applications are decided at one and the same meeting (seed 000)."""
    # Partners already decided or withdrawn no longer wait for this one.
    linked = list(
        item.application.linked.exclude(state__in=[*Application.DECIDED_STATES, State.WITHDRAWN])
    )
    # Asked of the database, not of item.meeting: a page may have read the meeting with only
    # this ärende of its agenda (meeting_detail's only_item), and a prefetched agenda filters
    # within what was read.
    on_agenda = set(
        AgendaItem.objects.filter(meeting_id=item.meeting_id, application__in=linked).values_list(
            "application_id", flat=True
        )
    )
    missing = [application for application in linked if application.pk not in on_agenda]
    if missing:
        names = ", ".join(str(application) for application in missing)
        raise MeetingError(
            LINKED_NOT_ON_AGENDA.format(names=names, them="den" if len(missing) == 1 else "dem")
        )
