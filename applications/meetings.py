"""Meetings, the meeting pack, attendance, decisions and minutes: every change, atomic."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications.models import (
    AgendaItem,
    Application,
    Attendance,
    Decision,
    DecisionAmount,
    Initiative,
    InitiativeGrant,
    Meeting,
    MinutesSequence,
    Recusal,
)
from applications.selectors import (
    Quorum,
    board_seats_on,
    body_recipients,
    notice_days_left,
    quorum_of,
)
from applications.services import ApplicationError, _label, _move
from finsam.models import BoardSeat, User
from finsam.templatetags.finsam_format import tkr

State = Application.State
Outcome = Decision.Outcome

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
NO_QUORUM_WITH_RECUSALS = (
    "Med jäven är styrelsen inte beslutför i ärendet: {filled} av {seats} ordinarie platser är "
    "besatta, det krävs fler än {needed}."
)
NOT_ON_AGENDA = "Ansökan är {state} och kan inte beslutas här."
MINUTES_NOT_OPEN = "Upprätta protokollet först; då numreras paragraferna."
MINUTES_ALREADY_OPEN = "Protokollet är redan upprättat."
ONLY_BOARD_DECIDES = "Bara styrelsens sammanträden har beslut och protokoll här."
LINKED_NOT_ON_AGENDA = (
    "Ansökan hänger ihop med {names}, som ska beslutas vid samma sammanträde. Ta upp "
    "{them} på dagordningen först."
)
AMOUNTS_REQUIRED = "Ange beviljat belopp för minst ett år."
AMOUNTS_NOT_ALLOWED = "Belopp anges bara när ansökan beviljas, helt eller delvis."
OUTCOME_REQUIRED = "Välj beslut för ansökan."
RECUSED_NOT_PRESENT = "{person} deltar inte i sammanträdet och kan inte anmäla jäv."
DEPUTY_WRONG_MEMBER = "{deputy} är ersättare för {member} och kan inte tjänstgöra för {ordinary}."
DEPUTY_NOT_DEPUTY = "{person} är inte ersättare och kan inte tjänstgöra för någon."
DEPUTY_FOR_PRESENT = "{ordinary} är närvarande; ingen ersättare behöver tjänstgöra."
DEPUTY_ORDER = "{deputy} går in före {other} enligt ersättarordningen."
DEPUTY_ABSENT = "{deputy} måste vara närvarande för att tjänstgöra."
DEPUTY_TWICE = "{ordinary} har fler än en tjänstgörande ersättare."
NOT_APPROVED = "Både ordföranden och justeraren ska ha justerat protokollet."
UNDECIDED = "Följande ärenden saknar beslut: {items}."
NO_ADJUSTER = "Ange minst en justerare bland de närvarande."


class ShortNotice(ApplicationError):
    """Publishing with less notice than the förbund's rule: the officer must confirm."""


def _check_open(meeting: Meeting) -> None:
    if meeting.is_locked:
        raise ApplicationError(MEETING_LOCKED)


def _lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def meeting_save(*, user: User, association, form) -> Meeting:
    with transaction.atomic():
        meeting = form.save(commit=False)
        meeting.association = association
        meeting._history_user = user
        if meeting.pk is None:
            meeting.save()
            return meeting
        current = _lock_meeting(meeting)
        _check_open(current)
        if current.minutes_opened_at:
            raise ApplicationError(MINUTES_FROZEN)
        # Only the form's fields: a kallelse sent meanwhile must not be undone.
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
        meeting = _lock_meeting(meeting)
        _check_open(meeting)
        if meeting.minutes_opened_at:
            raise ApplicationError(AGENDA_FROZEN)
        if application is not None:
            if meeting.body != Meeting.Body.BOARD:
                raise ApplicationError(APPLICATIONS_AT_BOARD)
            if application.association_id != meeting.association_id:
                raise ApplicationError(NOT_PREPARED.format(state="okänd"))
            application = Application.objects.select_for_update().get(pk=application.pk)
            if application.state != State.PREPARED:
                raise ApplicationError(NOT_PREPARED.format(state=_label(application.state)))
            _move(application, State.ON_AGENDA, by=user, comment=f"Dagordning {meeting}")
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
        meeting = _lock_meeting(item.meeting)
        _check_open(meeting)
        if meeting.minutes_opened_at:
            raise ApplicationError(AGENDA_FROZEN)
        if item.application_id:
            application = Application.objects.select_for_update().get(pk=item.application_id)
            _move(application, State.PREPARED, by=user, comment=f"Struken från {meeting}")
        item._history_user = user
        item.delete()


def meeting_publish(
    *, user: User, meeting: Meeting, confirm_short_notice: bool = False, base_url: str = ""
) -> Meeting:
    """Sends the kallelse: the body's members see the pack and get an e-mail."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        _check_open(meeting)
        if meeting.is_published:
            raise ApplicationError(ALREADY_PUBLISHED)
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
    seat: BoardSeat
    present: bool
    serving_for: BoardSeat | None = None
    adjuster: bool = False


def _check_deputies(rows: list[AttendanceRow]) -> None:
    present = {row.seat.pk for row in rows if row.present}
    serving = [row for row in rows if row.serving_for is not None]
    taken = set()
    for row in serving:
        deputy, ordinary = row.seat, row.serving_for
        if deputy.kind != BoardSeat.Kind.DEPUTY:
            raise ApplicationError(DEPUTY_NOT_DEPUTY.format(person=deputy.person))
        if ordinary.kind != BoardSeat.Kind.ORDINARY:
            raise ApplicationError(NOT_ORDINARY.format(ordinary=ordinary.person))
        if deputy.member_id != ordinary.member_id:
            raise ApplicationError(
                DEPUTY_WRONG_MEMBER.format(
                    deputy=deputy.person, member=deputy.member, ordinary=ordinary.person
                )
            )
        if not row.present:
            raise ApplicationError(DEPUTY_ABSENT.format(deputy=deputy.person))
        if ordinary.pk in present:
            raise ApplicationError(DEPUTY_FOR_PRESENT.format(ordinary=ordinary.person))
        if ordinary.pk in taken:
            raise ApplicationError(DEPUTY_TWICE.format(ordinary=ordinary.person))
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
                raise ApplicationError(
                    DEPUTY_ORDER.format(deputy=other.seat.person, other=deputy.person)
                )


def attendance_record(*, user: User, meeting: Meeting, rows: list[AttendanceRow]) -> Quorum:
    """Records who is present, which deputies serve, and the justerare; replaces what was there."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        _check_open(meeting)
        if meeting.body != Meeting.Body.BOARD:
            raise ApplicationError(ONLY_BOARD_DECIDES)
        if meeting.minutes_opened_at:
            raise ApplicationError(MINUTES_FROZEN)
        _check_deputies(rows)
        if not any(row.adjuster and row.present for row in rows):
            raise ApplicationError(NO_ADJUSTER)
        Attendance.objects.filter(meeting=meeting).delete()
        saved = []
        for row in rows:
            attendance = Attendance(
                meeting=meeting,
                seat=row.seat,
                present=row.present,
                serving_for=row.serving_for,
                adjuster=row.adjuster and row.present,
            )
            attendance._history_user = user
            saved.append(attendance)
        bulk_create_with_history(saved, Attendance, default_user=user)
        return quorum_of(meeting, board_seats_on(meeting), saved)


def _require_quorum(meeting: Meeting) -> None:
    quorum = quorum_of(meeting, board_seats_on(meeting), list(meeting.attendance.all()))
    if not quorum.reached:
        raise ApplicationError(
            NO_QUORUM.format(filled=quorum.filled, seats=quorum.seats, needed=quorum.needed - 1)
        )


def minutes_open(*, user: User, meeting: Meeting) -> Meeting:
    """Upprättar protokollet: numbers the agenda's paragraphs, § 1, § 2 …, continuing the body's
    numbering for the calendar year."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        _check_open(meeting)
        if meeting.body != Meeting.Body.BOARD:
            raise ApplicationError(ONLY_BOARD_DECIDES)
        if meeting.minutes_opened_at:
            raise ApplicationError(MINUTES_ALREADY_OPEN)
        _require_quorum(meeting)
        for item in meeting.agenda_items.filter(application__isnull=False):
            _check_linked_on_agenda(item)
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


def decision_wording(item: AgendaItem, outcome: str, amounts: dict[int, Decimal]) -> str:
    """The decision in the minutes' usual form, e.g. "Styrelsen beslutar att bevilja 450 tkr
    för 2027 till 2026-00001 Socialt företagande …"."""
    matter = f"{item.application.dnr} {item.application.name}"
    granted = " och ".join(
        f"{tkr(amount)} tkr för {year}" for year, amount in sorted(amounts.items())
    )
    return {
        Outcome.GRANT: f"Styrelsen beslutar att bevilja {granted} till {matter}.",
        Outcome.PARTIAL: f"Styrelsen beslutar att delvis bevilja ansökan {matter} med {granted}.",
        Outcome.REJECT: f"Styrelsen beslutar att avslå ansökan {matter}.",
        Outcome.REFER_BACK: f"Styrelsen beslutar att återremittera ärendet {matter} till "
        "beredningsgruppen.",
        Outcome.TABLE: f"Styrelsen beslutar att bordlägga ärendet {matter}.",
    }[outcome]


def decision_record(
    *,
    user: User,
    item: AgendaItem,
    text: str,
    outcome: str = "",
    conditions: str = "",
    presenter_left: bool = False,
    amounts: dict[int, Decimal] | None = None,
    recusals: list[tuple[BoardSeat, str]] = (),
) -> Decision:
    """Records (or corrects, until justering) the board's decision on an ärende."""
    amounts = {year: amount for year, amount in (amounts or {}).items() if amount}
    with transaction.atomic():
        meeting = _lock_meeting(item.meeting)
        _check_open(meeting)
        if not meeting.minutes_opened_at:
            raise ApplicationError(MINUTES_NOT_OPEN)
        _require_quorum(meeting)
        if item.application_id:
            if not outcome:
                raise ApplicationError(OUTCOME_REQUIRED)
            if item.application.state != State.ON_AGENDA:
                raise ApplicationError(NOT_ON_AGENDA.format(state=_label(item.application.state)))
            if outcome in (Outcome.GRANT, Outcome.PARTIAL, Outcome.REJECT):
                _check_linked_on_agenda(item)
            grants = outcome in (Outcome.GRANT, Outcome.PARTIAL)
            if grants and not amounts:
                raise ApplicationError(AMOUNTS_REQUIRED)
            if not grants and amounts:
                raise ApplicationError(AMOUNTS_NOT_ALLOWED)
        attendance = list(meeting.attendance.all())
        present = {row.seat_id for row in attendance if row.present}
        for seat, _reason in recusals:
            if seat.pk not in present:
                raise ApplicationError(RECUSED_NOT_PRESENT.format(person=seat.person))
        if recusals:
            # Who has jäv takes no part: the rest must still make the board beslutför.
            recused = {seat.pk for seat, _reason in recusals}
            deciding = [row for row in attendance if row.seat_id not in recused]
            quorum = quorum_of(meeting, board_seats_on(meeting), deciding)
            if not quorum.reached:
                raise ApplicationError(
                    NO_QUORUM_WITH_RECUSALS.format(
                        filled=quorum.filled, seats=quorum.seats, needed=quorum.needed - 1
                    )
                )
        decision = Decision.objects.filter(agenda_item=item).first() or Decision(agenda_item=item)
        decision.outcome = outcome
        decision.text = text.strip() or (
            decision_wording(item, outcome, amounts) if item.application_id else ""
        )
        decision.conditions = conditions
        decision.presenter_left = presenter_left
        decision.recorded_by = user
        decision._history_user = user
        decision.save()
        decision.amounts.all().delete()
        bulk_create_with_history(
            [
                DecisionAmount(decision=decision, year=year, amount=amount)
                for year, amount in sorted(amounts.items())
            ],
            DecisionAmount,
            default_user=user,
        )
        decision.recusals.all().delete()
        bulk_create_with_history(
            [Recusal(decision=decision, seat=seat, reason=reason) for seat, reason in recusals],
            Recusal,
            default_user=user,
        )
    return decision


def _check_linked_on_agenda(item: AgendaItem) -> None:
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
        raise ApplicationError(
            LINKED_NOT_ON_AGENDA.format(names=names, them="den" if len(missing) == 1 else "dem")
        )


def minutes_approve(
    *, user: User, meeting: Meeting, chair_approved: bool, adjusters_approved: bool
) -> Meeting:
    """Justering: locks the minutes, and the decisions take effect."""
    with transaction.atomic():
        meeting = _lock_meeting(meeting)
        _check_open(meeting)
        if not meeting.minutes_opened_at:
            raise ApplicationError(MINUTES_NOT_OPEN)
        if not (chair_approved and adjusters_approved):
            raise ApplicationError(NOT_APPROVED)
        items = list(meeting.agenda_items.select_related("application"))
        decisions = {d.agenda_item_id: d for d in Decision.objects.filter(agenda_item__in=items)}
        undecided = [
            str(item) for item in items if item.application_id and item.pk not in decisions
        ]
        if undecided:
            raise ApplicationError(UNDECIDED.format(items=", ".join(undecided)))
        for item in items:
            if item.application_id:
                _take_effect(user, item, decisions[item.pk])
        meeting.approved_at = timezone.now()
        meeting.approved_by = user
        meeting._history_user = user
        meeting.save(update_fields=["approved_at", "approved_by"])
    return meeting


EFFECTS = {
    Outcome.GRANT: State.GRANTED,
    Outcome.PARTIAL: State.PARTLY_GRANTED,
    Outcome.REJECT: State.REJECTED,
    Outcome.REFER_BACK: State.IN_PREPARATION,
    Outcome.TABLE: State.PREPARED,
}


def _take_effect(user: User, item: AgendaItem, decision: Decision) -> None:
    application = Application.objects.select_for_update().get(pk=item.application_id)
    _move(application, EFFECTS[decision.outcome], by=user, comment=f"{item} {item.meeting}")
    if not decision.grants_money:
        return
    initiative = application.initiative
    if initiative is None:
        initiative = Initiative.objects.create(
            association=application.association,
            name=application.name,
            owner=application.owner,
            orientation=application.orientation or "individual",
            period_start=application.period_start,
            period_end=application.period_end,
        )
        application.initiative = initiative
        application.save(update_fields=["initiative"])
    elif application.period_end and application.period_end > initiative.period_end:
        # A continuation extends the initiative it continues.
        initiative.period_end = application.period_end
        initiative._history_user = user
        initiative.save(update_fields=["period_end"])
    bulk_create_with_history(
        [
            InitiativeGrant(
                initiative=initiative, decision=decision, year=row.year, amount=row.amount
            )
            for row in decision.amounts.all()
        ],
        InitiativeGrant,
        default_user=user,
    )
