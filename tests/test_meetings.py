import datetime
import re
import smtplib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from applications import selectors, services
from applications.models import (
    AgendaItem,
    Application,
    Decision,
    InitiativeGrant,
    Meeting,
    Notice,
    NoticeEmail,
)
from applications.services import MeetingError
from applications.services import decision as decision_rules
from applications.services import meeting as meeting_rules
from finsam.models import BoardSeat, OfficeStaff, Person
from tests.factories import (
    HELD,
    InitiativeFactory,
    MeetingFactory,
    OfficeStaffFactory,
    PersonFactory,
    PreparationGroupSeatFactory,
    all_present,
    open_board_meeting,
    prepared_application,
    registered_application,
    seats,
)

State = Application.State


@pytest.fixture
def meeting(association, officer):
    """A board meeting held, its kallelse sent (to no address: the factories' people have none)."""
    meeting = MeetingFactory(association=association, starts_at=HELD)
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    return meeting


@pytest.mark.django_db
def test_adding_a_prepared_application_puts_it_on_the_agenda(
    meeting, association, officer, preparer
):
    application = prepared_application(association, officer, preparer)

    item = services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)

    application.refresh_from_db()
    assert application.state == State.ON_AGENDA
    assert (item.position, item.kind, item.title) == (
        1,
        "application",
        f"{application.dnr} {application.name}",
    )
    services.agenda_item_remove(user=officer, item=item)
    application.refresh_from_db()
    assert application.state == State.PREPARED


@pytest.mark.django_db
def test_only_prepared_applications_go_on_the_agenda(meeting, association, officer):
    application = registered_application(association, officer)

    with pytest.raises(MeetingError, match="Bara beredda ansökningar"):
        services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)


@pytest.mark.django_db
def test_quorum_needs_more_than_half_of_the_ordinary_seats(meeting, association, officer):
    ordinary = seats(association, "ordinary")  # five
    rows = [
        services.AttendanceRow(seat=seat, present=index < 2, approver=index == 0)
        for index, seat in enumerate(ordinary)
    ]

    quorum = services.attendance_record(user=officer, meeting=meeting, rows=rows)
    assert (quorum.filled, quorum.seats, quorum.needed, quorum.reached) == (2, 5, 3, False)

    rows[2] = services.AttendanceRow(seat=ordinary[2], present=True)
    assert services.attendance_record(user=officer, meeting=meeting, rows=rows).reached


@pytest.mark.django_db
def test_a_serving_deputy_fills_the_absent_ordinarys_seat(meeting, association, officer):
    ordinary = {seat.member.name: seat for seat in seats(association, "ordinary")}
    deputy = {seat.member.name: seat for seat in seats(association, "deputy")}
    rows = [
        services.AttendanceRow(seat=ordinary["Landskrona stad"], present=True, approver=True),
        services.AttendanceRow(seat=ordinary["Svalövs kommun"], present=True),
        services.AttendanceRow(
            seat=deputy["Region Skåne"], present=True, serving_for=ordinary["Region Skåne"]
        ),
    ]

    quorum = services.attendance_record(user=officer, meeting=meeting, rows=rows)

    assert (quorum.filled, quorum.reached) == (3, True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other member", "är ersättare för"),
        ("ordinary present", "är närvarande; ingen ersättare behöver tjänstgöra"),
        ("absent deputy", "måste vara närvarande för att tjänstgöra"),
        ("order", "går in före"),
    ],
)
def test_deputies_serve_only_for_their_own_member_in_order(
    meeting, association, officer, case, message
):
    ordinary = {seat.member.name: seat for seat in seats(association, "ordinary")}
    deputy = {seat.member.name: seat for seat in seats(association, "deputy")}
    region = "Region Skåne"
    second = BoardSeat.objects.create(
        member=deputy[region].member,
        person=PersonFactory(association=association),
        kind="deputy",
        deputy_order=2,
        term_start=deputy[region].term_start,
        term_end=deputy[region].term_end,
    )
    rows = {
        "other member": [
            services.AttendanceRow(
                seat=deputy[region], present=True, serving_for=ordinary["Landskrona stad"]
            )
        ],
        "ordinary present": [
            services.AttendanceRow(seat=ordinary[region], present=True),
            services.AttendanceRow(seat=deputy[region], present=True, serving_for=ordinary[region]),
        ],
        "absent deputy": [
            services.AttendanceRow(seat=deputy[region], present=False, serving_for=ordinary[region])
        ],
        "order": [
            services.AttendanceRow(seat=deputy[region], present=True),
            services.AttendanceRow(seat=second, present=True, serving_for=ordinary[region]),
        ],
    }[case]
    rows.append(
        services.AttendanceRow(seat=ordinary["Svalövs kommun"], present=True, approver=True)
    )

    with pytest.raises(MeetingError, match=message):
        services.attendance_record(user=officer, meeting=meeting, rows=rows)
    assert not meeting.attendance.exists()


@pytest.mark.django_db
def test_minutes_cannot_open_without_quorum(meeting, association, officer):
    rows = [
        services.AttendanceRow(seat=seats(association, "ordinary")[0], present=True, approver=True)
    ]
    services.attendance_record(user=officer, meeting=meeting, rows=rows)

    with pytest.raises(MeetingError, match="inte beslutför: 1 av 5"):
        services.minutes_open(user=officer, meeting=meeting)


@pytest.mark.django_db
def test_paragraphs_follow_the_meetings_dates_through_the_year_per_body(association, officer):
    first = MeetingFactory(association=association, starts_at=HELD - datetime.timedelta(days=7))
    second = MeetingFactory(association=association, starts_at=HELD)
    last_year = MeetingFactory(
        association=association, starts_at=datetime.datetime(2025, 12, 1, 9, tzinfo=datetime.UTC)
    )
    for meeting in (first, second, last_year):
        for title in ("Val av justerare", "Information"):
            services.agenda_item_add(user=officer, meeting=meeting, kind="information", title=title)
        services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))

    with pytest.raises(MeetingError) as error:
        services.minutes_open(user=officer, meeting=second)
    assert str(error.value) == meeting_rules.EARLIER_MEETING_OPEN.format(meeting=first)
    for meeting in (first, second):
        services.minutes_open(user=officer, meeting=meeting)

    def paragraphs(meeting):
        return list(meeting.agenda_items.values_list("paragraph", flat=True))

    assert paragraphs(first) == [1, 2]
    assert paragraphs(second) == [3, 4]
    assert paragraphs(last_year) == [None, None]  # another year: does not hold these up


@pytest.mark.django_db
def test_a_cancelled_meeting_does_not_hold_up_the_next_ones_minutes(association, officer):
    cancelled = MeetingFactory(association=association, starts_at=HELD - datetime.timedelta(days=7))
    meeting = MeetingFactory(association=association, starts_at=HELD)
    services.agenda_item_add(user=officer, meeting=meeting, kind="information", title="Info")
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))

    services.meeting_cancel(user=officer, meeting=cancelled, reason="Inga ärenden")
    services.minutes_open(user=officer, meeting=meeting)

    assert meeting.agenda_items.get().paragraph == 1


@pytest.mark.django_db
def test_minutes_open_on_the_meeting_day_and_not_before(association, officer):
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    meeting = MeetingFactory(association=association, starts_at=tomorrow)
    services.agenda_item_add(user=officer, meeting=meeting, kind="information", title="Info")
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))

    with pytest.raises(MeetingError) as error:
        services.minutes_open(user=officer, meeting=meeting)

    day = timezone.localdate(tomorrow)
    assert str(error.value) == meeting_rules.MINUTES_BEFORE_MEETING_DAY.format(
        day=f"{day:%Y-%m-%d}"
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now())
    services.minutes_open(user=officer, meeting=meeting)  # later the same day is fine


def decide(meeting, officer, association, *applications):
    for application in applications:
        services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)


@pytest.mark.django_db
def test_linked_applications_are_decided_at_the_same_meeting(
    meeting, association, officer, preparer
):
    first = prepared_application(association, officer, preparer, name="Lindevillan")
    partner = prepared_application(association, officer, preparer, name="Epsilon")
    first.linked.add(partner)
    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=first)
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))

    # Refused where it can still be mended: before the agenda is frozen by the minutes.
    with pytest.raises(MeetingError) as error:
        services.minutes_open(user=officer, meeting=meeting)

    assert str(error.value) == meeting_rules.LINKED_NOT_ON_AGENDA.format(
        names=str(partner), them="den"
    )
    meeting.refresh_from_db()
    assert meeting.minutes_opened_at is None


@pytest.mark.django_db
def test_grant_takes_effect_at_justering_and_locks_the_minutes(
    meeting, association, officer, preparer
):
    application = prepared_application(association, officer, preparer, name="Socialt företagande")
    decide(meeting, officer, association, application)
    item = meeting.agenda_items.get()
    recused = seats(association, "ordinary")[1]

    decision = services.decision_record(
        user=officer,
        item=item,
        text="",
        outcome="grant",
        amounts={2027: Decimal("450000"), 2028: Decimal("300000")},
        recusals=[(recused, "Anställd hos huvudmannen")],
        presenter_left=True,
    )
    assert decision.text == (
        f"Styrelsen beslutar att bevilja 450 tkr för 2027 och 300 tkr för 2028 till "
        f"{application.dnr} Socialt företagande."
    )
    application.refresh_from_db()
    assert application.state == State.ON_AGENDA  # nothing takes effect before justering
    assert application.initiative is None

    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )

    application.refresh_from_db()
    assert application.state == State.GRANTED
    initiative = application.initiative
    assert (initiative.name, initiative.period_end) == (
        "Socialt företagande",
        application.period_end,
    )
    assert list(
        InitiativeGrant.objects.filter(initiative=initiative).values_list("year", "amount")
    ) == [
        (2027, Decimal("450000")),
        (2028, Decimal("300000")),
    ]
    with pytest.raises(MeetingError, match=meeting_rules.MEETING_LOCKED):
        services.decision_record(user=officer, item=item, text="Ändrat", outcome="reject")
    with pytest.raises(MeetingError, match=meeting_rules.MEETING_LOCKED):
        services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    with pytest.raises(MeetingError, match=meeting_rules.MEETING_LOCKED):
        services.agenda_item_add(user=officer, meeting=meeting, kind="other", title="Sent")


@pytest.mark.django_db
def test_continuation_extends_its_initiative(meeting, association, officer, preparer):
    initiative = InitiativeFactory(association=association, period_end=datetime.date(2026, 12, 31))
    application = prepared_application(
        association,
        officer,
        preparer,
        kind="continuation",
        initiative=initiative,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )
    decide(meeting, officer, association, application)
    services.decision_record(
        user=officer,
        item=meeting.agenda_items.get(),
        text="",
        outcome="partial",
        amounts={2027: Decimal("200000")},
    )

    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )

    initiative.refresh_from_db()
    application.refresh_from_db()
    assert application.state == State.PARTLY_GRANTED
    assert initiative.period_end == datetime.date(2027, 12, 31)
    assert list(initiative.grants.values_list("year", "amount")) == [(2027, Decimal("200000"))]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "state"),
    [("reject", State.REJECTED), ("refer_back", State.IN_PREPARATION), ("table", State.PREPARED)],
)
def test_other_outcomes_move_the_application(
    meeting, association, officer, preparer, outcome, state
):
    application = prepared_application(association, officer, preparer)
    decide(meeting, officer, association, application)
    services.decision_record(
        user=officer, item=meeting.agenda_items.get(), text="", outcome=outcome
    )

    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )

    application.refresh_from_db()
    assert application.state == state
    assert application.initiative is None


@pytest.mark.django_db
def test_justering_needs_both_signatures_and_every_decision(
    meeting, association, officer, preparer
):
    application = prepared_application(association, officer, preparer)
    decide(meeting, officer, association, application)

    with pytest.raises(MeetingError, match=decision_rules.NOT_APPROVED):
        services.minutes_approve(
            user=officer, meeting=meeting, chair_approved=True, approvers_approved=False
        )
    with pytest.raises(MeetingError, match="saknar beslut"):
        services.minutes_approve(
            user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
        )
    meeting.refresh_from_db()
    assert meeting.approved_at is None


@pytest.mark.django_db
def test_grant_needs_amounts_and_a_rejection_has_none(meeting, association, officer, preparer):
    application = prepared_application(association, officer, preparer)
    decide(meeting, officer, association, application)
    item = meeting.agenda_items.get()

    with pytest.raises(MeetingError, match=decision_rules.AMOUNTS_REQUIRED):
        services.decision_record(user=officer, item=item, text="", outcome="grant")
    with pytest.raises(MeetingError, match=decision_rules.AMOUNTS_NOT_ALLOWED):
        services.decision_record(
            user=officer, item=item, text="", outcome="reject", amounts={2027: Decimal(1)}
        )


@pytest.mark.django_db
def test_publishing_mails_the_board_and_asks_to_confirm_short_notice(
    association, officer, django_capture_on_commit_callbacks
):
    for seat in BoardSeat.objects.filter(member__association=association):
        seat.person.email = f"ledamot{seat.pk}@example.org"
        seat.person.save()
    soon = MeetingFactory(
        association=association,
        starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
    )

    with pytest.raises(services.ShortNotice, match="om 3 dagar"):
        services.meeting_publish(user=officer, meeting=soon)
    soon.refresh_from_db()
    assert soon.published_at is None

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(
            user=officer, meeting=soon, confirm_short_notice=True, confirm_without_email=True
        )
    soon.refresh_from_db()
    assert soon.published_at is not None
    assert len(mail.outbox) == 10  # five ordinary and five deputies
    assert mail.outbox[0].subject.startswith("Kallelse: Styrelsen")


@pytest.mark.django_db
def test_minutes_cannot_open_while_a_linked_partner_is_missing(
    meeting, association, officer, preparer
):
    first = prepared_application(association, officer, preparer, name="Lindevillan")
    partner = prepared_application(association, officer, preparer, name="Sigma")
    first.linked.add(partner)
    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=first)
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))

    with pytest.raises(MeetingError, match="Sigma"):
        services.minutes_open(user=officer, meeting=meeting)

    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=partner)
    services.minutes_open(user=officer, meeting=meeting)
    for item in meeting.agenda_items.all():
        services.decision_record(user=officer, item=item, text="", outcome="reject")
    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )
    partner.refresh_from_db()
    assert partner.state == State.REJECTED


@pytest.mark.django_db
def test_a_decided_partner_does_not_hold_up_the_other(meeting, association, officer, preparer):
    first = prepared_application(association, officer, preparer)
    partner = prepared_application(association, officer, preparer)
    first.linked.add(partner)
    Application.objects.filter(pk=partner.pk).update(state=State.GRANTED)
    decide(meeting, officer, association, first)

    decision = services.decision_record(
        user=officer, item=meeting.agenda_items.get(), text="", outcome="reject"
    )

    assert (decision.agenda_item.application, decision.outcome) == (first, "reject")
    assert decision.text == f"Styrelsen beslutar att avslå ansökan {first.dnr} {first.name}."


@pytest.mark.django_db
def test_recused_members_do_not_count_towards_quorum(meeting, association, officer, preparer):
    application = prepared_application(association, officer, preparer)
    ordinary = seats(association, "ordinary")
    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    rows = [
        services.AttendanceRow(seat=seat, present=index < 3, approver=index == 0)
        for index, seat in enumerate(ordinary)
    ]
    services.attendance_record(user=officer, meeting=meeting, rows=rows)
    services.minutes_open(user=officer, meeting=meeting)

    with pytest.raises(MeetingError, match="Med jäven är styrelsen inte beslutför"):
        services.decision_record(
            user=officer,
            item=meeting.agenda_items.get(),
            text="",
            outcome="reject",
            recusals=[(ordinary[1], "Jäv")],
        )
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_attendance_is_frozen_once_the_minutes_are_drawn_up(meeting, association, officer):
    services.agenda_item_add(user=officer, meeting=meeting, kind="information", title="Info")
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)

    with pytest.raises(MeetingError, match=meeting_rules.MINUTES_FROZEN):
        services.attendance_record(user=officer, meeting=meeting, rows=all_present(association, 1))


@pytest.mark.django_db
def test_no_application_items_at_a_beredningsgrupp_meeting(association, officer, preparer):
    preparation = MeetingFactory(association=association, body="preparation", starts_at=HELD)
    application = prepared_application(association, officer, preparer)

    with pytest.raises(MeetingError, match=meeting_rules.APPLICATIONS_AT_BOARD):
        services.agenda_item_add(
            user=officer, meeting=preparation, kind="", application=application
        )
    application.refresh_from_db()
    assert application.state == State.PREPARED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("for a deputy", "är inte ordinarie ledamot"),
        ("twice", "fler än en tjänstgörande"),
        ("no approver", "minst en justerare"),
    ],
)
def test_a_deputy_serves_once_for_an_ordinary_and_a_justerare_is_named(
    meeting, association, officer, case, message
):
    ordinary = {s.member.name: s for s in seats(association, "ordinary")}
    deputy = {s.member.name: s for s in seats(association, "deputy")}
    region = "Region Skåne"
    extra = BoardSeat.objects.create(
        member=deputy[region].member,
        person=PersonFactory(association=association),
        kind="deputy",
        deputy_order=1,
        term_start=deputy[region].term_start,
        term_end=deputy[region].term_end,
    )
    approver = services.AttendanceRow(
        seat=ordinary["Svalövs kommun"], present=True, approver=case != "no approver"
    )
    rows = {
        "for a deputy": [
            services.AttendanceRow(seat=deputy[region], present=True, serving_for=extra)
        ],
        "twice": [
            services.AttendanceRow(seat=deputy[region], present=True, serving_for=ordinary[region]),
            services.AttendanceRow(seat=extra, present=True, serving_for=ordinary[region]),
        ],
        "no approver": [],
    }[case] + [approver]

    with pytest.raises(MeetingError, match=message):
        services.attendance_record(user=officer, meeting=meeting, rows=rows)


@pytest.mark.django_db
def test_quorum_follows_the_forbunds_setting(meeting, association, officer):
    association.quorum_percent = 75
    association.save()
    ordinary = seats(association, "ordinary")
    rows = [
        services.AttendanceRow(seat=s, present=i < 3, approver=i == 0)
        for i, s in enumerate(ordinary)
    ]

    quorum = services.attendance_record(user=officer, meeting=meeting, rows=rows)

    assert (quorum.needed, quorum.reached) == (4, False)  # more than 75 % of 5 seats


class RefusingBackend(BaseEmailBackend):
    """A mail server that does not answer."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def with_addresses(association, without=()):
    """Gives every person of the förbund an address, except those named in ``without``."""
    for person in Person.objects.filter(association=association):
        person.email = "" if person.name in without else f"p{person.pk}@example.org"
        person.save()


@pytest.mark.django_db
def test_kallelse_goes_to_the_boards_seats_and_the_kansli_and_each_email_is_recorded(
    association, officer
):
    OfficeStaffFactory(association=association)
    meeting = MeetingFactory(association=association, starts_at=HELD)
    deputy = seats(association, "deputy")[0]
    # A name of its own: the factories' invented names may repeat, and addresses go by name.
    deputy.person.name = "Ersättare utan adress"
    deputy.person.save()
    with_addresses(association, without=[deputy.person.name])
    recipients = selectors.notice_recipients(meeting)
    expected = {seat.person for seat in selectors.board_seats_on(meeting)}
    expected |= {staff.person for staff in OfficeStaff.objects.filter(association=association)}
    assert {recipient.person for recipient in recipients} == expected

    with pytest.raises(MeetingError) as error:
        services.meeting_publish(user=officer, meeting=meeting, confirm_short_notice=True)
    assert str(error.value) == meeting_rules.WITHOUT_EMAIL.format(
        count=1, total=len(recipients), names=deputy.person.name
    )
    assert not mail.outbox

    notice = services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )

    sent = len(recipients) - 1
    assert notice.summary == (
        f"Kallelsen skickades till {sent} av {len(recipients)}; 1 saknar e-post "
        f"({deputy.person.name})."
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        notice.emails.values_list("address", flat=True)
    )
    assert notice.emails.count() == sent and notice.sent_by == officer
    meeting.refresh_from_db()
    first_published = meeting.published_at
    assert first_published == notice.sent_at


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["board", "preparation"])
def test_the_kallelse_names_each_recipient_with_address_and_why_in_two_queries(
    association, body, django_assert_num_queries
):
    """Each recipient as the kallelse shows and sends them: name, address and why, read in
    two queries (the seats, the kansli) with nothing read later per recipient."""
    staff = OfficeStaffFactory(association=association)
    member = association.members.get(name="Landskrona stad")
    seat = (
        PreparationGroupSeatFactory(member=member)
        if body == "preparation"
        else BoardSeat.objects.filter(member=member, kind="ordinary").first()
    )
    with_addresses(association)
    seat.person.refresh_from_db()
    meeting = MeetingFactory(association=association, starts_at=HELD, body=body)
    meeting = Meeting.objects.select_related("association").get(pk=meeting.pk)

    with django_assert_num_queries(2):
        shown = {
            recipient.person.name: (recipient.address, recipient.role)
            for recipient in selectors.notice_recipients(meeting)
        }

    why = "Beredningsgruppen" if body == "preparation" else "Ordinarie ledamot"
    assert shown[seat.person.name] == (seat.person.email, f"{why}, Landskrona stad")
    assert shown[staff.person.name] == (f"p{staff.person.pk}@example.org", "Kansliet, samordnare")
    assert all(address.endswith("@example.org") for address, _ in shown.values())


@pytest.mark.django_db
def test_a_kallelse_can_be_sent_again_and_both_sendings_are_kept(meeting, association, officer):
    with_addresses(association)
    published = Meeting.objects.get(pk=meeting.pk).published_at

    again = services.meeting_publish(user=officer, meeting=meeting, confirm_short_notice=True)

    meeting.refresh_from_db()
    assert meeting.published_at == published  # the first kallelse is the one the rule counts
    assert list(meeting.notices.all()) == [meeting.notices.first(), again]
    assert again.emails.count() == len(mail.outbox) > 0


@pytest.mark.django_db
def test_a_refusing_mail_server_leaves_the_meeting_unpublished_and_nothing_recorded(
    association, officer, settings
):
    settings.EMAIL_BACKEND = "tests.test_meetings.RefusingBackend"
    with_addresses(association)
    meeting = MeetingFactory(association=association, starts_at=HELD)

    with pytest.raises(MeetingError) as error:
        services.meeting_publish(user=officer, meeting=meeting, confirm_short_notice=True)

    assert str(error.value) == meeting_rules.MAIL_FAILED.format(error="SMTPServerDisconnected")
    meeting.refresh_from_db()
    assert meeting.published_at is None
    assert not Notice.objects.exists() and not NoticeEmail.objects.exists()


@pytest.mark.django_db
def test_no_kallelse_once_the_minutes_are_drawn_up(association, officer):
    meeting = open_board_meeting(association, officer)

    with pytest.raises(MeetingError, match=meeting_rules.NOTICE_AFTER_MINUTES):
        services.meeting_publish(
            user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
        )


@pytest.mark.django_db
def test_a_cancelled_meeting_needs_a_reason_frees_its_applications_and_leaves_kommande(
    association, officer, preparer
):
    later = MeetingFactory(
        association=association, starts_at=timezone.now() + datetime.timedelta(days=30)
    )
    application = prepared_application(association, officer, preparer)
    services.agenda_item_add(user=officer, meeting=later, kind="", application=application)

    with pytest.raises(MeetingError, match=meeting_rules.CANCEL_REASON_REQUIRED):
        services.meeting_cancel(user=officer, meeting=later, reason="  ")
    services.meeting_cancel(user=officer, meeting=later, reason="För få ärenden")

    later.refresh_from_db()
    application.refresh_from_db()
    assert (later.is_cancelled, later.cancelled_reason) == (True, "För få ärenden")
    assert application.state == State.PREPARED  # free for the next meeting's agenda
    meetings = Meeting.objects.for_association(association)
    assert later not in meetings.upcoming(timezone.now())
    assert later in meetings.past(timezone.now())
    with pytest.raises(MeetingError, match=meeting_rules.MEETING_CANCELLED):
        services.agenda_item_add(user=officer, meeting=later, kind="information", title="Info")


@pytest.mark.django_db
def test_a_meeting_with_minutes_cannot_be_cancelled(association, officer):
    meeting = open_board_meeting(association, officer)

    with pytest.raises(MeetingError, match=meeting_rules.CANCEL_AFTER_MINUTES):
        services.meeting_cancel(user=officer, meeting=meeting, reason="Fel")


@pytest.mark.django_db
def test_a_past_meeting_without_minutes_is_not_kommande(association):
    past = MeetingFactory(association=association, starts_at=HELD)
    coming = MeetingFactory(
        association=association, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    meetings = Meeting.objects.for_association(association)

    assert list(meetings.upcoming(timezone.now())) == [coming]
    assert list(meetings.past(timezone.now())) == [past]


@pytest.mark.django_db
def test_justering_waits_for_the_decisions_of_the_kinds_that_need_one(
    meeting, association, officer
):
    services.agenda_item_add(user=officer, meeting=meeting, kind="report", title="Delrapport")
    other = services.agenda_item_add(user=officer, meeting=meeting, kind="other", title="Lokaler")
    decide(meeting, officer, association)
    other.refresh_from_db()

    with pytest.raises(MeetingError) as error:
        services.minutes_approve(
            user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
        )
    assert str(error.value) == decision_rules.UNDECIDED.format(items=str(other))

    services.decision_record(user=officer, item=other, text="Styrelsen hyr lokalen.")
    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )
    assert set(AgendaItem.NEEDS_DECISION) == {"application", "budget", "plan", "other"}


@pytest.mark.django_db
def test_minutes_without_kallelse_are_justerade_only_with_the_reason(association, officer):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    decide(meeting, officer, association)

    with pytest.raises(MeetingError, match=re.escape(decision_rules.NO_NOTICE)):
        services.minutes_approve(
            user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
        )
    services.minutes_approve(
        user=officer,
        meeting=meeting,
        chair_approved=True,
        approvers_approved=True,
        urgent_reason="Beslut om hyresavtal före den 1 december",
    )

    meeting.refresh_from_db()
    assert meeting.is_locked
    assert meeting.urgent_reason == "Beslut om hyresavtal före den 1 december"


@pytest.mark.django_db
def test_a_new_board_meeting_has_the_standard_paragraphs_and_new_items_go_before_avslutning(
    association, officer
):
    meeting = services.meeting_create(
        user=officer, association=association, body="board", starts_at=HELD, place="Sal 3"
    )
    services.agenda_item_add(user=officer, meeting=meeting, kind="information", title="Info")

    assert list(meeting.agenda_items.values_list("kind", flat=True)) == [
        "opening",
        "approvers",
        "agenda",
        "information",
        "closing",
    ]
    preparation = services.meeting_create(
        user=officer, association=association, body="preparation", starts_at=HELD, place="Sal 3"
    )
    assert not preparation.agenda_items.exists()


@pytest.mark.django_db
def test_agenda_items_move_up_and_down_but_not_past_the_ends(association, officer):
    meeting = services.meeting_create(
        user=officer, association=association, body="board", starts_at=HELD, place="Sal 3"
    )
    _first, approvers, *_rest, closing = meeting.agenda_items.order_by("position")

    services.agenda_item_move(user=officer, item=approvers, up=True)

    assert list(meeting.agenda_items.values_list("kind", flat=True)[:2]) == ["approvers", "opening"]
    with pytest.raises(MeetingError) as error:
        services.agenda_item_move(user=officer, item=approvers, up=True)
    assert str(error.value) == meeting_rules.AGENDA_ITEM_FIRST.format(item=approvers)
    with pytest.raises(MeetingError) as error:
        services.agenda_item_move(user=officer, item=closing, up=False)
    assert str(error.value) == meeting_rules.AGENDA_ITEM_LAST.format(item=closing)


@pytest.mark.django_db
def test_attendance_records_the_secretary_and_others_present(meeting, association, officer):
    services.attendance_record(
        user=officer,
        meeting=meeting,
        rows=all_present(association),
        secretary=" Karin Lind ",
        others_present="Omar Haddad, samordnare\n\nElin Nyström, föredragande\n",
    )

    meeting.refresh_from_db()
    assert meeting.secretary == "Karin Lind"
    assert meeting.others_present_lines == [
        "Omar Haddad, samordnare",
        "Elin Nyström, föredragande",
    ]
