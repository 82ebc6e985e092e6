"""Decisions and justering: the board's decision on each ärende, and the approval of the
minutes that makes the decisions take effect (grants become insatser)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications.errors import MeetingError
from applications.models import (
    AgendaItem,
    Application,
    Decision,
    DecisionAmount,
    Meeting,
    Recusal,
)
from applications.selectors import board_seats_on, budget_summary, quorum_of
from applications.services.initiative import initiative_grant
from applications.services.meeting import (
    check_linked_on_agenda,
    meeting_lock,
    meeting_lock_unapproved,
    meeting_require_unapproved,
    require_quorum,
)
from applications.workflow import EFFECTS, State, application_move, state_label
from finsam import concurrency
from finsam.bounds import require_within_bounds
from finsam.models import BoardSeat, User
from finsam.money import format_tkr

Outcome = Decision.Outcome

NO_QUORUM_WITH_RECUSALS = (
    "Med jäven är styrelsen inte beslutför i ärendet: {filled} av {seats} ordinarie platser är "
    "besatta, det krävs fler än {needed}."
)

NOT_ON_AGENDA = "Ansökan är {state} och kan inte beslutas här."

AMOUNTS_REQUIRED = "Ange beviljat belopp för minst ett år."

AMOUNTS_NOT_ALLOWED = "Belopp anges bara när ansökan beviljas, helt eller delvis."

OUTCOME_REQUIRED = "Välj beslut för ansökan."

MINUTES_NOT_OPEN = "Upprätta protokollet först; då numreras paragraferna."

RECUSED_NOT_PRESENT = "{person} deltar inte i sammanträdet och kan inte anmäla jäv."

EXCEEDS_APPLIED = (
    "Beloppet är större än det sökta ({years}). Bekräfta att styrelsen beviljar mer än "
    "ansökan begär."
)
EXCEEDS_NOTE = "Styrelsen beviljar mer än det sökta beloppet ({years})."
NOT_APPROVED = "Både ordföranden och justeraren ska ha justerat protokollet."
ALREADY_APPROVED = "Protokollet är redan justerat."
DECISION_WHAT = "beslutet"  # finsam.errors.ChangedMeanwhile: "Någon annan har ändrat …"

UNDECIDED = "Följande ärenden saknar beslut: {items}."

NO_NOTICE = (
    "Ingen kallelse skickades till sammanträdet. Ange i protokollet varför det ändå hölls "
    "(brådskande ärende) innan det justeras."
)


def decision_wording(item: AgendaItem, outcome: str, amounts: dict[int, Decimal]) -> str:
    """The decision in the minutes' usual form, e.g. "Styrelsen beslutar att bevilja 450 tkr
    för 2027 till 2026-00001 Socialt företagande …"."""
    matter = f"{item.application.dnr} {item.application.name}"
    granted = " och ".join(
        f"{format_tkr(amount)} tkr för {year}" for year, amount in sorted(amounts.items())
    )
    return {
        Outcome.GRANT: f"Styrelsen beslutar att bevilja {granted} till {matter}.",
        Outcome.PARTIAL: f"Styrelsen beslutar att delvis bevilja ansökan {matter} med {granted}.",
        Outcome.REJECT: f"Styrelsen beslutar att avslå ansökan {matter}.",
        Outcome.REFER_BACK: f"Styrelsen beslutar att återremittera ärendet {matter} till "
        "beredningsgruppen.",
        Outcome.TABLE: f"Styrelsen beslutar att bordlägga ärendet {matter}.",
    }[outcome]


def amounts_exceeding(
    application: Application, amounts: dict[int, Decimal]
) -> dict[int, tuple[Decimal, Decimal]]:
    """The years where ``amounts`` grant more than the application sought from the förbund:
    year → (granted, sought), in kronor."""
    sought = {year.year: year.sought for year in budget_summary(application).years}
    return {
        year: (amount, sought.get(year, Decimal(0)))
        for year, amount in sorted(amounts.items())
        if amount > sought.get(year, Decimal(0))
    }


def exceeding_text(exceeding: dict[int, tuple[Decimal, Decimal]]) -> str:
    return ", ".join(
        f"{year}: {format_tkr(granted)} tkr mot sökta {format_tkr(sought)} tkr"
        for year, (granted, sought) in exceeding.items()
    )


def decision_fingerprint(decision: Decision | None) -> str:
    """The fingerprint (finsam/concurrency.py) of an ärende's decision as its form shows it,
    with its amounts and jäv (read with ``amounts`` and ``recusals`` prefetched); None: none yet."""
    if decision is None:
        return concurrency.fingerprint(None)
    fields = ["outcome", "text", "conditions", "presenter_left", "exceeds_application"]
    return concurrency.fingerprint(
        concurrency.field_values(decision, fields),
        {row.year: row.amount for row in decision.amounts.all()},
        {row.seat_id: row.reason for row in decision.recusals.all()},
    )


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
    confirm_exceeding: bool = False,
    fingerprint: str | None = None,
) -> Decision:
    """Records (or corrects, until justering) the board's decision on an ärende. ``amounts`` are
    kronor per year; ``recusals`` pairs each present seat that reports jäv with its reason.
    Granting more than was applied for in a year is refused unless ``confirm_exceeding``; the
    decision then says so, and so do the minutes. ``fingerprint`` is ``decision_fingerprint`` of
    the decision the form showed (None: not checked)."""
    amounts = {year: amount for year, amount in (amounts or {}).items() if amount}
    require_within_bounds(amounts={f"Beviljat {year}": amount for year, amount in amounts.items()})
    with transaction.atomic():
        meeting = meeting_lock_unapproved(item.meeting)
        if not meeting.minutes_opened_at:
            raise MeetingError(MINUTES_NOT_OPEN)
        # Every change to a decision locks its meeting first (above): of two officers recording
        # the same decision, the second finds the first one's here.
        recorded = (
            Decision.objects.filter(agenda_item=item)
            .prefetch_related("amounts", "recusals")
            .first()
        )
        concurrency.check_unchanged(fingerprint, decision_fingerprint(recorded), what=DECISION_WHAT)
        require_quorum(meeting)
        if item.application_id:
            if not outcome:
                raise MeetingError(OUTCOME_REQUIRED)
            if item.application.state != State.ON_AGENDA:
                raise MeetingError(NOT_ON_AGENDA.format(state=state_label(item.application.state)))
            if outcome in (Outcome.GRANT, Outcome.PARTIAL, Outcome.REJECT):
                check_linked_on_agenda(item)
            grants = outcome in (Outcome.GRANT, Outcome.PARTIAL)
            if grants and not amounts:
                raise MeetingError(AMOUNTS_REQUIRED)
            if not grants and amounts:
                raise MeetingError(AMOUNTS_NOT_ALLOWED)
            exceeding = amounts_exceeding(item.application, amounts)
            if exceeding and not confirm_exceeding:
                raise MeetingError(EXCEEDS_APPLIED.format(years=exceeding_text(exceeding)))
        else:
            exceeding = {}
        attendance = list(meeting.attendance.all())
        present = {row.seat_id for row in attendance if row.present}
        for seat, _reason in recusals:
            if seat.pk not in present:
                raise MeetingError(RECUSED_NOT_PRESENT.format(person=seat.person))
        if recusals:
            # Who has jäv takes no part: the rest must still make the board beslutför.
            recused = {seat.pk for seat, _reason in recusals}
            deciding = [row for row in attendance if row.seat_id not in recused]
            quorum = quorum_of(meeting, board_seats_on(meeting), deciding)
            if not quorum.reached:
                raise MeetingError(
                    NO_QUORUM_WITH_RECUSALS.format(
                        filled=quorum.filled, seats=quorum.seats, needed=quorum.needed - 1
                    )
                )
        decision = recorded or Decision(agenda_item=item)
        decision.outcome = outcome
        decision.text = text.strip() or (
            decision_wording(item, outcome, amounts) if item.application_id else ""
        )
        decision.exceeds_application = bool(exceeding)
        note = EXCEEDS_NOTE.format(years=exceeding_text(exceeding))
        if exceeding and note not in decision.text:
            decision.text = f"{decision.text} {note}"
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


def minutes_approve(
    *,
    user: User,
    meeting: Meeting,
    chair_approved: bool,
    approvers_approved: bool,
    urgent_reason: str = "",
) -> Meeting:
    """Justering, once the chair and the justerare (approvers) have signed: locks the minutes,
    and the decisions take effect. Every ärende the board decides on (AgendaItem.NEEDS_DECISION)
    must have its decision; a meeting held without kallelse needs the reason in the minutes
    (``urgent_reason``, brådskande ärende)."""
    urgent_reason = urgent_reason.strip()
    with transaction.atomic():
        meeting = meeting_lock(meeting)
        if meeting.is_locked:
            raise MeetingError(ALREADY_APPROVED)  # a second click, or a colleague's
        meeting_require_unapproved(meeting)
        if not meeting.minutes_opened_at:
            raise MeetingError(MINUTES_NOT_OPEN)
        if not (chair_approved and approvers_approved):
            raise MeetingError(NOT_APPROVED)
        items = list(meeting.agenda_items.select_related("application"))
        decisions = {d.agenda_item_id: d for d in Decision.objects.filter(agenda_item__in=items)}
        undecided = [
            str(item) for item in items if item.needs_decision and item.pk not in decisions
        ]
        if undecided:
            raise MeetingError(UNDECIDED.format(items=", ".join(undecided)))
        if not meeting.is_published and not (urgent_reason or meeting.urgent_reason):
            raise MeetingError(NO_NOTICE)
        for item in items:
            if item.application_id:
                _take_effect(user, item, decisions[item.pk])
        fields = ["approved_at", "approved_by"]
        if urgent_reason:
            meeting.urgent_reason = urgent_reason
            fields.append("urgent_reason")
        meeting.approved_at = timezone.now()
        meeting.approved_by = user
        meeting._history_user = user
        meeting.save(update_fields=fields)
    return meeting


def _take_effect(user: User, item: AgendaItem, decision: Decision) -> None:
    application = Application.objects.select_for_update().get(pk=item.application_id)
    application_move(
        application, EFFECTS[decision.outcome], by=user, comment=f"{item} {item.meeting}"
    )
    if decision.grants_money:
        initiative_grant(user=user, application=application, decision=decision)
