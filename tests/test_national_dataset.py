"""The national dataset generator (bench/national.py), run tiny: 2 förbund × 2 years, so that it
does not rot as the services change. Checks the shapes a user of the benchmark relies on."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from applications.models import AgendaItem, Application, Initiative, Meeting
from bench.national import PARTICIPANTS_PER_YEAR, generate, officer_email, org_number
from budget import selectors as budget_selectors
from budget.models import Actual, Budget, BudgetVersion
from finsam.management.commands.national_dataset import REFUSE_WITHOUT_DEBUG
from finsam.models import Association, BoardSeat, Member, Role
from followup.models import InitiativeLead, Participant, PlannedReport, Report

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def today():
    return timezone.localdate()


def test_the_command_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("national_dataset", "--associations", "1", "--years", "1")
    assert str(refused.value) == REFUSE_WITHOUT_DEBUG
    assert not Association.objects.exists()


def test_two_forbund_of_two_years_have_the_shapes_of_a_real_one(today):
    # One test, as the generator takes a while even for 2 × 2.
    made = generate(associations=2, years=2, seed=7, today=today)
    associations = list(Association.objects.filter(org_number__in=[org_number(0), org_number(1)]))
    years = [today.year - 1, today.year]
    assert made.counts["förbund"] == 2
    for association in associations:
        members = Member.objects.filter(association=association)
        assert 5 <= members.count() <= 10
        assert {m.kind for m in members} == {"fk", "af", "region", "kommun"}
        assert all(m.population for m in members if m.kind in ("kommun", "region"))
        # A board for the mandate period of each meeting: an ordinary and a deputy per member.
        for meeting in Meeting.objects.filter(association=association):
            day = timezone.localdate(meeting.starts_at)
            seats = BoardSeat.objects.for_association(association).filter(
                term_start__lte=day, term_end__gte=day
            )
            assert seats.filter(kind="ordinary").count() == members.count()
        assert Role.objects.get(user__email=officer_email(associations.index(association)))

        # About 15 applications a year, registered with that year's Dnr, most of them decided.
        applications = Application.objects.filter(association=association)
        for year in years[:1]:
            registered = applications.filter(dnr_year=year).count()
            assert 10 <= registered <= 25, (year, registered)
        assert applications.filter(state__in=Application.DECIDED_STATES).count() >= 10
        assert applications.filter(state="draft").exists()
        assert applications.filter(state="registered").exists()
        assert applications.filter(initiative__isnull=False, state="granted").exists()

        # Meetings held a week ago or more are justerade, their ärenden numbered with §.
        held = Meeting.objects.filter(
            association=association,
            starts_at__lt=timezone.now() - datetime.timedelta(days=7),
        )
        assert held.count() >= 5
        for meeting in held:
            assert meeting.approved_at is not None
            items = AgendaItem.objects.filter(meeting=meeting)
            assert items.filter(paragraph__isnull=True).count() == 0
        paragraphs = list(
            AgendaItem.objects.filter(
                meeting__association=association,
                meeting__starts_at__year=years[0],
            )
            .order_by("meeting__starts_at", "position")
            .values_list("paragraph", flat=True)
        )
        assert paragraphs == list(range(1, len(paragraphs) + 1))

        # A budget for every year, adopted; the past year closed; each carries the one before.
        budgets = Budget.objects.for_association(association)
        assert {b.year for b in budgets} >= set(years)
        for budget in budgets:
            assert budget.versions.filter(state=BudgetVersion.State.ADOPTED).exists()
        assert budgets.get(period_start__year=years[0]).closed_at is not None
        assert budgets.get(period_start__year=years[1]).closed_at is None
        periods = list(budget_selectors.periods_for(association).values())
        chain = [period.carry_over.source for period in periods]
        assert chain[0] is None
        assert [b.pk for b in chain[1:]] == [period.budget.pk for period in periods[:-1]]
        this_year = next(p for p in periods if p.budget.year == years[1])
        assert this_year.carry_over.from_actuals
        # The board grants within its means: the eget kapital stays positive year after year.
        for period in periods:
            assert period.equity.opening + period.equity.year_result > 0, period.budget.year
        # Monthly actuals per line and per insats, every month of the closed year.
        closed = budgets.get(period_start__year=years[0])
        months = set(Actual.objects.filter(budget=closed).values_list("month", flat=True))
        assert len(months) == 12
        assert Actual.objects.filter(budget=closed, initiative__isnull=False).exists()

        # About 390 participants a year in the individinriktade insatser.
        started = Participant.objects.for_association(association).filter(started_on__year=years[0])
        assert 0.6 * PARTICIPANTS_PER_YEAR <= started.count() <= 1.4 * PARTICIPANTS_PER_YEAR
        assert Initiative.objects.filter(association=association, state="running").exists()
        # An insatsansvarig per owner of a running individinriktad insats, lead of each of its.
        running = Initiative.objects.filter(
            association=association, orientation="individual", period_end__gte=today
        )
        leads = InitiativeLead.objects.filter(initiative__association=association)
        assert running.exists()
        assert set(leads.values_list("initiative", flat=True)) == {i.pk for i in running}
        assert leads.values("role__user").distinct().count() == len({i.owner_id for i in running})
        assert all(lead.role.kind == Role.Kind.LEAD for lead in leads.select_related("role"))

        # The insatser's reports: those due half a year ago and more came (some weeks late),
        # and each went before the board at the next meeting.
        granted = PlannedReport.objects.filter(
            application__association=association,
            application__state__in=(Application.State.GRANTED, Application.State.PARTLY_GRANTED),
            application__initiative__isnull=False,
        )
        old = granted.filter(due__lte=today - datetime.timedelta(days=200))
        assert old.exists()
        assert not old.filter(received__isnull=True).exists()
        received = Report.objects.filter(planned_report__application__association=association)
        assert not received.filter(agenda_item__isnull=True).exists()
        for report in received.select_related("planned_report", "agenda_item__meeting"):
            assert report.received_on <= timezone.localdate(report.agenda_item.meeting.starts_at)
            assert report.received_on - report.planned_report.due <= datetime.timedelta(days=30)
            assert report.file.read().startswith(b"%PDF-")

    # A second run skips the förbund that exist.
    again = generate(associations=2, years=2, seed=7, today=today)
    assert (again.skipped, sum(again.counts.values())) == (2, 0)
