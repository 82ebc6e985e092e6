"""Factories for every model of the organisation."""

import datetime
from decimal import Decimal

import factory

from applications import selectors, services
from applications.models import (
    AgendaItem,
    Application,
    Assessment,
    BudgetRow,
    Decision,
    Initiative,
    InitiativeGrant,
    Meeting,
    ParticipantTarget,
)
from budget.models import (
    Actual,
    Budget,
    BudgetLine,
    BudgetVersion,
    ChartLine,
    EquityCeiling,
    Forecast,
)
from finsam.management.commands.demo import LANDSKRONA, NORRSTRAND
from finsam.models import (
    Association,
    BoardSeat,
    Member,
    OfficeStaff,
    Person,
    PreparationGroupSeat,
    Role,
    TargetGroup,
    User,
)
from finsam.validators import luhn_is_valid

PASSWORD = "ett-langt-testlosenord"


# The demo's förbund (the seed fixture loads them): a long run of tests makes more förbund than
# there are numbers before theirs.
DEMO_ORG_NUMBERS = {LANDSKRONA["org_number"], NORRSTRAND["org_number"]}


def _org_numbers():
    """Valid organisationsnummer in the 222000-series, one after another, never the demo's."""
    number = 2220001000
    while True:
        number += 1
        digits = str(number)
        formatted = f"{digits[:6]}-{digits[6:]}"
        if luhn_is_valid(digits) and formatted not in DEMO_ORG_NUMBERS:
            yield formatted


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Samordningsförbundet Test {n}")
    org_number = factory.Iterator(_org_numbers())
    founded = datetime.date(2009, 9, 1)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)
    kind = Role.Kind.OFFICER


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Målgrupp {n}")
    position = factory.Sequence(lambda n: n + 1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    kind = Member.Kind.KOMMUN
    name = factory.Sequence(lambda n: f"Kommun {n}")
    population = 10_000
    active_from = datetime.date(2009, 9, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    association = factory.SubFactory(AssociationFactory)
    name = factory.Faker("name", locale="sv_SE")


class BoardSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardSeat

    member = factory.SubFactory(MemberFactory)
    person = factory.SubFactory(
        PersonFactory, association=factory.SelfAttribute("..member.association")
    )
    kind = BoardSeat.Kind.ORDINARY
    term_start = datetime.date(2023, 4, 1)
    term_end = datetime.date(2027, 3, 31)


class PreparationGroupSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreparationGroupSeat

    member = factory.SubFactory(MemberFactory)
    person = factory.SubFactory(
        PersonFactory, association=factory.SelfAttribute("..member.association")
    )


class OfficeStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeStaff

    association = factory.SubFactory(AssociationFactory)
    person = factory.SubFactory(PersonFactory, association=factory.SelfAttribute("..association"))
    position = OfficeStaff.Position.COORDINATOR


def complete_association(**kwargs) -> Association:
    """A förbund with all four kinds of member and a full board for the current term."""
    association = AssociationFactory(**kwargs)
    members = [
        MemberFactory(association=association, name="Landskrona stad", population=46_529),
        MemberFactory(association=association, name="Svalövs kommun", population=14_428),
        MemberFactory(association=association, name="Region Skåne", kind="region", population=None),
        MemberFactory(
            association=association, name="Försäkringskassan", kind="fk", population=None
        ),
        MemberFactory(
            association=association, name="Arbetsförmedlingen", kind="af", population=None
        ),
    ]
    for member in members:
        BoardSeatFactory(member=member, office="chair" if member is members[0] else "")
        BoardSeatFactory(member=member, kind=BoardSeat.Kind.DEPUTY, deputy_order=1)
    return association


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft: everything registration asks for, with a budget for each year."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Insats {n}")
    lead_name = "Maria Svensson"
    lead_organisation = "Landskrona stad"
    lead_email = "maria@example.org"
    owner = factory.LazyAttribute(
        lambda o: (
            Member.objects.filter(association=o.association, kind="kommun").first()
            or MemberFactory(association=o.association)
        )
    )
    period_start = datetime.date(2027, 1, 1)
    period_end = datetime.date(2028, 12, 31)
    orientation = "individual"
    purpose = "Bakgrund."
    target_group_description = "Unga vuxna."
    cooperation_goals = "Gemensamt arbetssätt."
    participant_goals = "Närmare arbete."
    board_feedback = "Delrapport efter ett år."
    activity_plan = "Teamarbete."
    organisation = "Projektledare hos huvudmannen."
    followup = "Halvårsvis."
    national_followup = True
    implementation = "Förs in i ordinarie verksamhet."

    @factory.post_generation
    def budget(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            for year in obj.years:
                BudgetRowFactory(application=obj, year=year)


class BudgetRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetRow

    application = factory.SubFactory(ApplicationFactory)
    year = 2027
    label = "Personal"
    amount = Decimal("500000")


class ParticipantTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantTarget

    application = factory.SubFactory(ApplicationFactory)
    text = "Beräknat flöde"
    number = 140


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Pågående insats {n}")
    owner = factory.SubFactory(MemberFactory, association=factory.SelfAttribute("..association"))
    orientation = "individual"
    period_start = datetime.date(2024, 1, 1)
    period_end = datetime.date(2026, 12, 31)


def registered_application(association, officer, **kwargs) -> Application:
    from applications.services import application_register

    return application_register(
        user=officer, application=ApplicationFactory(association=association, **kwargs)
    )


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    association = factory.SubFactory(AssociationFactory)
    body = Meeting.Body.BOARD
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)
    )
    place = "Stadshuset, sal 3"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    """An information item; give ``application`` and ``kind=""`` for an ärende."""

    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = AgendaItem.Kind.INFORMATION
    title = "Information från kansliet"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    application = factory.SubFactory(ApplicationFactory)
    individual_extent = "higher"
    recommendation = Assessment.Recommendation.GRANT
    recommendation_text = "Bevilja."
    written_by = factory.SubFactory(UserFactory)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    outcome = Decision.Outcome.GRANT
    text = "Styrelsen beviljar ansökan."
    recorded_by = factory.SubFactory(UserFactory)


class InitiativeGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeGrant

    initiative = factory.SubFactory(InitiativeFactory)
    decision = factory.SubFactory(
        DecisionFactory,
        agenda_item__meeting__association=factory.SelfAttribute("....initiative.association"),
    )
    year = 2026
    amount = Decimal("400000")


class ChartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChartLine

    association = factory.SubFactory(AssociationFactory)
    group = ChartLine.Group.OPERATING
    name = factory.Sequence(lambda n: f"Kostnadspost {n}")
    position = factory.Sequence(lambda n: n)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    association = factory.SubFactory(AssociationFactory)
    period_start = datetime.date(2027, 1, 1)
    period_end = datetime.date(2027, 12, 31)


class BudgetVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetVersion

    budget = factory.SubFactory(BudgetFactory)
    number = 1
    created_by = factory.SubFactory(UserFactory)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    version = factory.SubFactory(BudgetVersionFactory)
    line = factory.SubFactory(
        ChartLineFactory, association=factory.SelfAttribute("..version.budget.association")
    )
    amount = Decimal("120000")


class ActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actual

    budget = factory.SubFactory(BudgetFactory)
    line = factory.SubFactory(
        ChartLineFactory, association=factory.SelfAttribute("..budget.association")
    )
    month = factory.LazyAttribute(lambda o: o.budget.period_start)
    amount = Decimal("10000")


class ForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forecast

    budget = factory.SubFactory(BudgetFactory)
    line = factory.SubFactory(
        ChartLineFactory, association=factory.SelfAttribute("..budget.association")
    )
    amount = Decimal("130000")


class EquityCeilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EquityCeiling

    association = factory.SubFactory(AssociationFactory)
    contributions_up_to = None
    percent = Decimal("20")


def assess(application, user, **values):
    current = selectors.current_assessment(application)
    return services.assessment_save(
        user=user,
        application=application,
        values={
            "individual_extent": "higher",
            "recommendation": "grant",
            "recommendation_text": "Bevilja.",
            **values,
        },
        assessment_id=current.pk if current and not current.is_final else None,
    )


# A day before the tests were written: the minutes of a meeting open on or after its day.
HELD = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=datetime.UTC)


def prepared_application(association, officer, preparer, **kwargs):
    application = registered_application(association, officer, **kwargs)
    assess(application, preparer)
    services.assessment_finalise(user=officer, application=application)
    application.refresh_from_db()
    return application


def seats(association, kind):
    return list(
        BoardSeat.objects.filter(member__association=association, kind=kind).order_by(
            "member__name"
        )
    )


def all_present(association, approver_index=0):
    ordinary = seats(association, "ordinary")
    return [
        services.AttendanceRow(seat=seat, present=True, approver=index == approver_index)
        for index, seat in enumerate(ordinary)
    ] + [services.AttendanceRow(seat=seat, present=False) for seat in seats(association, "deputy")]


def open_board_meeting(association, officer, starts_at=HELD):
    """A published board meeting with one ärende, everyone present, the minutes drawn up."""
    meeting = MeetingFactory(association=association, starts_at=starts_at)
    services.agenda_item_add(user=officer, meeting=meeting, kind="information", title="Information")
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)
    return meeting


def objects_of(association):
    """One object of every organisation part, all belonging to ``association``."""
    member = Member.objects.filter(association=association).first()
    return {
        "medlemmar": member,
        "personer": Person.objects.filter(association=association).first(),
        "styrelse": BoardSeat.objects.filter(member__association=association).first(),
        "beredningsgrupp": PreparationGroupSeatFactory(member=member),
        "kansli": OfficeStaffFactory(association=association),
        "malgrupper": TargetGroupFactory(association=association),
    }


# The follow-up: the participant register and the anonymous counts.


class ParticipantFactory(factory.django.DjangoModelFactory):
    """An active participant, 30 years old at start, in an insats running 2024–2026."""

    class Meta:
        model = "followup.Participant"

    initiative = factory.SubFactory(InitiativeFactory)
    number = factory.Sequence(lambda n: n + 1)
    gender = "woman"
    birth_year = 1995
    education = "upper_secondary"
    income_source_start = "social_assistance"
    occupation_start = "none"
    support_time = "1_2"
    started_on = datetime.date(2025, 3, 1)


class AnonymousCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.AnonymousCount"

    initiative = factory.SubFactory(InitiativeFactory)
    month = datetime.date(2025, 5, 1)
    women = 3
    men = 4


# The verksamhetsplan med budget (budget/plan_models.py).


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft plan for 2027 without a budget version; plan_services.plan_create makes real
    ones (with sections and the year's budget version)."""

    class Meta:
        model = "budget.Plan"

    association = factory.SubFactory(AssociationFactory)
    first_year = 2027
    last_year = factory.SelfAttribute("first_year")
    number = 1
    created_by = factory.SubFactory(UserFactory)


class PlanSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.PlanSection"

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    heading = factory.Sequence(lambda n: f"Avsnitt {n}")
    text = "Förbundet *prioriterar* unga vuxna."


def justerat_plan_decision(plan, officer, starts_at=None):
    """Puts the draft ``plan`` on a board meeting two days ago (plan_services.plan_schedule),
    with every ordinary member of the day present, records the board's decision on it and
    justerar the minutes: the item that may adopt the plan. Returns the agenda item."""
    from applications.selectors import board_seats_on
    from budget import plan_services

    starts_at = starts_at or (
        datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=2)
    ).replace(hour=9, minute=0, second=0, microsecond=0)
    meeting = MeetingFactory(association=plan.association, starts_at=starts_at)
    item = plan_services.plan_schedule(user=officer, plan=plan, meeting=meeting)
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    ordinary = [seat for seat in board_seats_on(meeting) if seat.kind == BoardSeat.Kind.ORDINARY]
    services.attendance_record(
        user=officer,
        meeting=meeting,
        rows=[
            services.AttendanceRow(seat=seat, present=True, approver=index == 0)
            for index, seat in enumerate(ordinary)
        ],
    )
    services.minutes_open(user=officer, meeting=meeting)
    services.decision_record(
        user=officer,
        item=item,
        text="Styrelsen beslutar att anta verksamhetsplanen med budget.",
    )
    services.minutes_approve(
        user=officer, meeting=meeting, chair_approved=True, approvers_approved=True
    )
    item.refresh_from_db()
    return item


# Insatsansvariga and the insatser's reports due (followup, #10 sections 3 and 4).


def lead_for(initiative, **user_kwargs):
    """A user with the lead role in the insats's förbund, insatsansvarig for the insats."""
    from followup.models import InitiativeLead

    role = Role.objects.filter(
        association=initiative.association, user__email=user_kwargs.get("email", "")
    ).first() or RoleFactory(
        association=initiative.association,
        kind=Role.Kind.LEAD,
        user=UserFactory(**user_kwargs),
    )
    InitiativeLead.objects.create(role=role, initiative=initiative)
    return role.user


def report_due(initiative, *, due, kind="interim"):
    """A report the insats owes: a planned report of a granted application of the insats."""
    from applications.models import PlannedReport

    application = Application.objects.filter(initiative=initiative).first() or ApplicationFactory(
        association=initiative.association,
        initiative=initiative,
        state=Application.State.GRANTED,
        name=initiative.name,
        dnr_year=2025,
        dnr_number=Application.objects.filter(association=initiative.association).count() + 900,
    )
    return PlannedReport.objects.create(application=application, kind=kind, due=due)
