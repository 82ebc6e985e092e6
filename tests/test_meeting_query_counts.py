"""Query counts of the meeting pages, pinned; a meeting with many more ärenden, decisions,
recusals and seats costs the same."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from applications import services
from applications.models import PartyCommitment
from budget import plan_services
from budget.models import PlanSection
from tests.factories import (
    HELD,
    BoardSeatFactory,
    MeetingFactory,
    OfficeStaffFactory,
    all_present,
    prepared_application,
    seats,
)
from tests.helpers import LOGGED_IN


def decided_meeting(association, officer, preparer, applications=1, others=1, plan=None):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    if plan is not None:  # the verksamhetsplan, on the board's budget item
        plan_services.plan_schedule(user=officer, plan=plan, meeting=meeting)
    for _ in range(applications):
        application = prepared_application(association, officer, preparer)
        for member in association.members.all()[:2]:
            PartyCommitment.objects.create(
                application=application,
                member=member,
                commitment="Personal",
                own_contribution=Decimal(50000),
            )
        services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    for index in range(others):
        services.agenda_item_add(
            user=officer, meeting=meeting, kind="report", title=f"Rapport {index}"
        )
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)
    recused = seats(association, "ordinary")[1]
    for item in meeting.agenda_items.all():
        if item.application_id:
            services.decision_record(
                user=officer,
                item=item,
                text="",
                outcome="grant",
                amounts={2027: Decimal(1000), 2028: Decimal(2000)},
                recusals=[(recused, "Jäv")],
            )
        else:
            services.decision_record(user=officer, item=item, text="Noterat.")
    return meeting


# The meeting with: its agenda items (with application, owner, decision), their applications'
# participants, budget rows, commitments (the criteria compare their own contributions with the
# budget's own funds), linked applications, final assessments, decisions' amounts and recusals;
# the attendance (with seats, people, members); the kallelser sent (with their e-mails counted).
DETAIL = 1 + 8 + 1 + 1
NOTICES = 1  # the kallelser: the page and the minutes show them, the pack and an extract not
SEATS = 1  # the board's seats on the meeting day, for the quorum the officer's to-do list shows
# The officer's forms that change a meeting without showing its agenda (its time and place, the
# attendance, the kallelse) read the meeting alone, and what each form shows beside it.
CHANGE = 1
# The meeting page reads the rest of DETAIL but not the decisions' amounts: it shows the
# decisions' texts only (issue #12's second round).
PAGE = DETAIL - 1
# The minutes (and their extracts) print the decisions, not the applications' criteria or
# recommendations: the participants, budget rows, commitments, linked applications and final
# assessments are not read (issue #12's third round).
MINUTES = DETAIL - 5


@pytest.fixture
def measure(django_assert_num_queries, association, officer, preparer):
    def check(client, name, expected, *, item=False):
        small = decided_meeting(association, officer, preparer, 1, 1)
        for member in association.members.all()[:3]:
            BoardSeatFactory(member=member, kind="deputy", deputy_order=2)
        large = decided_meeting(association, officer, preparer, 4, 5)
        for meeting in (small, large):
            args = [meeting.pk, meeting.agenda_items.first().pk] if item else [meeting.pk]
            with django_assert_num_queries(expected):
                assert client.get(reverse(name, args=args)).status_code == 200

    return check


@pytest.mark.django_db
def test_meeting_page_costs_the_same_for_a_longer_agenda_for_the_officer(measure, officer_client):
    measure(officer_client, "applications:meeting", LOGGED_IN + PAGE + SEATS)


@pytest.mark.django_db
def test_meeting_page_costs_the_same_for_a_longer_agenda_for_the_board(
    measure, login, board_member
):
    # no to-do list, so no quorum to count
    measure(login(board_member), "applications:meeting", LOGGED_IN + PAGE)


@pytest.mark.django_db
def test_pack_pdf_reads_each_section_once_for_every_application(measure, login, board_member):
    # also each application's target groups, targets, activities and reports, and the
    # recommended amounts of the final assessments
    measure(login(board_member), "applications:pack_pdf", LOGGED_IN + DETAIL - NOTICES + 4 + 1)


@pytest.mark.django_db
def test_minutes_pdf_reads_the_decisions_and_not_the_criteria(measure, officer_client):
    measure(officer_client, "applications:minutes_pdf", LOGGED_IN + MINUTES)


@pytest.mark.django_db
def test_minutes_extract_reads_its_paragraph_and_not_the_criteria(
    django_assert_num_queries, officer_client, association, officer, preparer
):
    # the meeting with only the ärende asked for (application, decision, amounts, recusals) and
    # the attendance, as the minutes read them; neither the kallelser nor the quorum's seats,
    # which an extract does not print
    for applications, others in ((1, 1), (4, 5)):
        meeting = decided_meeting(association, officer, preparer, applications, others)
        services.minutes_approve(
            user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
        )
        item = meeting.agenda_items.filter(application__isnull=False).first()
        url = reverse("applications:minutes_extract", args=[meeting.pk, item.pk])
        with django_assert_num_queries(LOGGED_IN + MINUTES - NOTICES):
            response = officer_client.get(url)
            content = b"".join(response)
        assert response.status_code == 200
        assert content.startswith(b"%PDF")


@pytest.mark.django_db
def test_attendance_page_costs_the_same_for_more_seats(
    django_assert_num_queries, officer_client, association, officer
):
    # the meeting and its attendance (not its agenda), and the seats
    meeting = MeetingFactory(association=association, starts_at=HELD)
    url = reverse("applications:attendance", args=[meeting.pk])
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    with django_assert_num_queries(LOGGED_IN + CHANGE + 1 + SEATS):
        assert officer_client.get(url).status_code == 200
    for member in association.members.all():
        BoardSeatFactory(member=member, kind="deputy", deputy_order=2)
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    with django_assert_num_queries(LOGGED_IN + CHANGE + 1 + SEATS):
        assert officer_client.get(url).status_code == 200


@pytest.mark.django_db
def test_decision_page_reads_nothing_beyond_the_meeting(measure, officer_client):
    # the meeting with only the ärende decided (its decision, amounts and recusals) and the
    # attendance, as an extract reads it: none of the agenda's criteria, nor the kallelser
    # (issue #12); then the application's budget rows (the amounts it asks for), the recommended
    # amounts of the final assessment, and the room left in the budget (budget.selectors
    # .grant_room through FINSAM_BUDGET_ROOM): the budgets, chart, actuals, forecasts, grants and
    # equity ceilings (this förbund has no budget, so no versions or lines are read)
    budget_room = 6
    measure(
        officer_client,
        "applications:decision",
        LOGGED_IN + MINUTES - NOTICES + 1 + 1 + budget_room,
        item=True,
    )


@pytest.mark.django_db
def test_meeting_list_costs_the_same_for_more_meetings(
    django_assert_num_queries, officer_client, association, officer, preparer
):
    for count in (1, 4):
        for _ in range(count):
            MeetingFactory(association=association, starts_at=HELD)
        # upcoming and past
        with django_assert_num_queries(LOGGED_IN + 2):
            officer_client.get(reverse("applications:meetings"))


@pytest.mark.django_db
def test_meeting_forms_read_only_the_meeting(
    django_assert_num_queries, officer_client, association
):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    with django_assert_num_queries(LOGGED_IN + CHANGE):
        officer_client.get(reverse("applications:meeting_edit", args=[meeting.pk]))
    with django_assert_num_queries(LOGGED_IN):
        officer_client.get(reverse("applications:meeting_create"))


@pytest.mark.django_db
def test_publish_page_costs_the_same_for_more_recipients(
    django_assert_num_queries, officer_client, association
):
    meeting = MeetingFactory(association=association, starts_at=HELD)
    url = reverse("applications:publish", args=[meeting.pk])
    # the meeting and its kallelser (not its agenda); the seats with their people and members;
    # the kansli with its people
    expected = LOGGED_IN + CHANGE + 1 + SEATS + 1
    with django_assert_num_queries(expected):
        assert officer_client.get(url).status_code == 200
    for member in association.members.all():
        BoardSeatFactory(member=member, kind="deputy", deputy_order=2)
    OfficeStaffFactory(association=association)
    with django_assert_num_queries(expected):
        assert officer_client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, extra",
    [
        # the meeting alone
        ("applications:meeting_edit", 0),
        # its attendance, and the seats
        ("applications:attendance", 1 + SEATS),
        # its kallelser, the seats with their people and members, the kansli with its people
        ("applications:publish", 1 + SEATS + 1),
    ],
)
def test_meeting_forms_read_no_criteria_of_the_applications_on_the_agenda(
    django_assert_num_queries, officer_client, association, officer, preparer, name, extra
):
    # These pages show no agenda: however many applications stand on it, neither it nor the
    # applications' participants, budget rows, commitments, links and assessments are read.
    meeting = MeetingFactory(association=association, starts_at=HELD)
    url = reverse(name, args=[meeting.pk])
    for count in (1, 3):
        for _ in range(count):
            application = prepared_application(association, officer, preparer)
            services.agenda_item_add(
                user=officer, meeting=meeting, kind="", application=application
            )
        with django_assert_num_queries(LOGGED_IN + CHANGE + extra):
            assert officer_client.get(url).status_code == 200


def placed_plan(association, officer, year, extra_sections):
    """A draft plan with every generated part placed, and ``extra_sections`` more sections."""
    plan = plan_services.plan_create(user=officer, association=association, first_year=year)
    sections = list(plan.sections.order_by("position"))
    for section, part in zip(sections, PlanSection.Part.values[1:], strict=False):
        plan_services.plan_section_save(
            user=officer,
            section=section,
            heading=section.heading,
            text="Text *med* listor.",
            part=part,
        )
    for index in range(extra_sections):
        plan_services.plan_section_add(user=officer, plan=plan, heading=f"Avsnitt {index}")
    return plan


@pytest.fixture
def measure_with_plan(django_assert_num_queries, association, officer, preparer):
    def check(client, name, expected):
        small = decided_meeting(
            association, officer, preparer, 1, 1, plan=placed_plan(association, officer, 2027, 0)
        )
        # More seats, in the mandate period of the second plan's year (a plan for a period
        # without a board registered reads every seat: one query more, tests/test_plan_pages.py).
        for member in association.members.all()[:3]:
            BoardSeatFactory(
                member=member,
                kind="deputy",
                deputy_order=2,
                term_start=datetime.date(2027, 4, 1),
                term_end=datetime.date(2031, 3, 31),
            )
        large = decided_meeting(
            association, officer, preparer, 4, 5, plan=placed_plan(association, officer, 2028, 9)
        )
        for meeting in (small, large):
            with django_assert_num_queries(expected):
                assert client.get(reverse(name, args=[meeting.pk])).status_code == 200

    return check


# The verksamhetsplan on a budget item (through FINSAM_AGENDA_PLANS): the plan with its
# förbund, budget version and agenda item; its sections. Without a budget item on the agenda
# nothing is asked (the counts above).
AGENDA_PLAN = 2
# The pack also prints the draft in full, reading what the plan's own page reads (pinned for
# more sections, members and insatser in tests/test_plan_pages.py): the budget's periods for the
# budget, equity and members' parts, the equity guideline among them; the members (read once
# for the members' part and the board's); the board's seats; the beredningsgrupp and the
# kansli; target groups; the insatser and their grants. This förbund has no budget and no
# insatser, so the periods cost six (no versions or lines), the members part nothing more (no
# contribution overrides), the insatser two (no applications or targets to prefetch).
PLAN_PARTS = 6 + 1 + 1 + 2 + 1 + 2


@pytest.mark.django_db
def test_meeting_page_with_the_plan_costs_a_fixed_two_more(measure_with_plan, login, board_member):
    measure_with_plan(login(board_member), "applications:meeting", LOGGED_IN + PAGE + AGENDA_PLAN)


@pytest.mark.django_db
def test_pack_pdf_with_the_plan_in_full_costs_a_fixed_number_more(
    measure_with_plan, login, board_member
):
    measure_with_plan(
        login(board_member),
        "applications:pack_pdf",
        LOGGED_IN + DETAIL - NOTICES + 4 + 1 + AGENDA_PLAN + PLAN_PARTS,
    )


@pytest.mark.django_db
def test_a_refused_cancellation_reads_the_meeting_and_not_its_agenda(
    django_assert_num_queries, officer_client, association, officer, preparer
):
    # The officer's buttons that change a meeting and go back to its page (add an ärende,
    # cancel, open and justera the minutes) read the meeting alone; the service reads what it
    # changes again under its lock. Here: the meeting; then the service's savepoint, the
    # meeting's row locked, and the savepoint rolled back and released (no reason given).
    meeting = MeetingFactory(association=association, starts_at=HELD)
    url = reverse("applications:meeting_cancel", args=[meeting.pk])
    for count in (1, 3):
        for _ in range(count):
            application = prepared_application(association, officer, preparer)
            services.agenda_item_add(
                user=officer, meeting=meeting, kind="", application=application
            )
        with django_assert_num_queries(LOGGED_IN + CHANGE + 4):
            response = officer_client.post(url, {"reason": " "})
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.cancelled_at is None
