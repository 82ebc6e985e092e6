import datetime
import hashlib
import io
import itertools
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from applications import criteria, selectors
from applications.models import Application, InitiativeGrant, Meeting, NoticeEmail
from budget import plan_exports
from budget import selectors as budget_selectors
from budget.models import Plan
from finsam.management.commands.demo import REFUSE_WITHOUT_DEBUG
from finsam.models import Association, BoardSeat, Role, User


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The adopted plan's PDF is stored at adoption: here, not in the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_demo_loads_the_seed_forbund_and_running_it_twice_changes_nothing(settings):
    settings.DEBUG = True

    call_command("demo", stdout=io.StringIO())
    first = row_counts()
    call_command("demo", stdout=io.StringIO())

    assert row_counts() == first
    landskrona = Association.objects.get(org_number="222000-2733")
    assert landskrona.name == "Samordningsförbundet Landskrona-Svalöv"
    assert str(landskrona.founded) == "2009-09-01"
    assert sorted(landskrona.members.values_list("name", flat=True)) == [
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Landskrona stad",
        "Region Skåne",
        "Svalövs kommun",
    ]
    seat = BoardSeat.objects.get(person__name="Mattias Adolfsson")
    assert (seat.party, seat.member.name, seat.kind) == ("fp", "Landskrona stad", "ordinary")
    assert landskrona.target_groups.count() == 4
    states = set(Application.objects.filter(association=landskrona).values_list("state", flat=True))
    assert states == {
        "draft",
        "registered",
        "in_preparation",
        "prepared",
        "on_agenda",
        "granted",
        "rejected",
        "withdrawn",
    }
    adoption, past, upcoming = Meeting.objects.filter(association=landskrona).order_by("starts_at")
    assert adoption.is_locked and past.is_locked
    assert upcoming.is_published and not upcoming.minutes_opened_at
    grants = InitiativeGrant.objects.filter(
        initiative__name="Samordnad rehabilitering för unga vuxna"
    ).values_list("amount", flat=True)
    assert sorted(grants) == [300000, 450000]
    continuation = Application.objects.get(kind="continuation")
    assert continuation.initiative.name == "Samverkansteam Landskrona"
    assert continuation.state == "granted"
    assert continuation.agenda_items.get().meeting == past
    assert list(continuation.initiative.grants.values_list("year", "amount")) == [
        (timezone.localdate().year + 1, 600000)
    ]
    registered = Application.objects.get(state="registered")
    assert [a.name for a in registered.linked.all()] == [
        "Socialt företagande inom fastighetsskötsel"
    ]


@pytest.mark.django_db
def test_demo_logins_have_their_roles_and_the_shared_password(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())

    expected = {
        "kansli@example.org": ("officer", "222000-2733"),
        "beredning@example.org": ("preparer", "222000-2733"),
        "styrelse@example.org": ("board", "222000-2733"),
        "revisor@example.org": ("auditor", "222000-2733"),
        "annat@example.org": ("officer", "222000-3004"),
    }
    for email, (kind, org_number) in expected.items():
        user = User.objects.get(email=email)
        assert user.check_password("finsam-demo")
        role = Role.objects.get(user=user)
        assert (role.kind, role.association.org_number) == (kind, org_number)


@pytest.mark.django_db
def test_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match=re.escape(REFUSE_WITHOUT_DEBUG)):
        call_command("demo")
    assert not Association.objects.exists()


@pytest.mark.django_db
def test_demo_board_has_addresses_and_the_past_meeting_its_recorded_kallelse(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())

    landskrona = Association.objects.get(org_number="222000-2733")
    seats = BoardSeat.objects.for_association(landskrona).select_related("person")
    assert seats.count() == 20  # the 2009 board and today's, five ordinary and five deputies
    assert [seat.person.name for seat in seats if not seat.person.email] == []
    everywhere = BoardSeat.objects.filter(person__email="").values_list("person__name", flat=True)
    assert list(everywhere) == []  # Norrstrand's board too

    adoption, past, upcoming = Meeting.objects.filter(association=landskrona).order_by("starts_at")
    for meeting in (adoption, past, upcoming):
        recipients = selectors.notice_recipients(meeting)
        (notice,) = meeting.notices.all()
        emails = NoticeEmail.objects.filter(notice=notice)
        # Every board member of the day and the kansli, each with an address, each recorded.
        assert emails.count() == len([r for r in recipients if r.address]) == len(recipients)
        assert len(recipients) == 12  # ten seats of today's board, and two in the kansli
        assert notice.missing == []
        assert sorted(emails.values_list("address", flat=True)) == sorted(
            r.address for r in recipients
        )
    assert "sofia.lindqvist@example.org" in past.notices.get().emails.values_list(
        "address", flat=True
    )


@pytest.mark.django_db
def test_demo_applications_state_the_same_own_funds_in_organisation_and_budget(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())

    applications = Application.objects.exclude(state="draft").prefetch_related(
        "commitments", "budget_rows"
    )
    assert applications
    for application in applications:
        funds = criteria.own_funds(application)
        assert funds.stated and funds.agree, application.name


@pytest.mark.django_db
def test_demo_budget_history_is_unbroken_and_each_year_carries_over_the_one_before(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    landskrona = Association.objects.get(org_number="222000-2733")
    this_year = timezone.localdate().year

    periods = list(budget_selectors.periods_for(landskrona).values())

    assert [p.budget.year for p in periods] == list(range(2009, this_year + 2))
    assert periods[1].carry_over.amount == Decimal(4_982_000)  # seed 004: 2009 into 2010
    for before, period in itertools.pairwise(periods):
        assert period.budget.period_start == before.budget.period_end + datetime.timedelta(days=1)
        assert period.carry_over.source == before.budget, period.budget.label
        # Överfört = the year before's result incl. överfört (its actuals once closed).
        assert period.carry_over.amount == before.basis.result_with_carry_over, period.budget.label
        assert period.equity.opening == before.equity.closing
    for period in periods:
        year = period.budget.year
        if 2011 <= year < this_year:  # generated: adopted, closed with twelve months of actuals
            assert period.version.state == "adopted" and period.closed, year
            assert period.version.adopted_on == datetime.date(year - 1, 11, 30)
            booked = {a.month.month for a in period.budget.actuals.all()}
            assert booked == set(range(1, 13)), year
        # Only the first years (what 2009 and 2010 left) are over the guideline.
        assert period.equity.over_ceiling == (year <= 2014), year
    current, following = periods[-2], periods[-1]
    assert current.version.state == "adopted" and not current.closed
    assert current.version.agenda_item.meeting.approved_at is not None
    assert following.version.state == "draft" and not following.closed
    assert [(row.name, row.budget) for row in following.initiatives] == [
        ("Samordnad rehabilitering för unga vuxna", Decimal(450_000)),
        ("Samverkansteam Landskrona", Decimal(600_000)),
    ]


@pytest.mark.django_db
def test_demo_has_this_years_plan_adopted_and_next_years_draft_on_the_upcoming_agenda(settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    landskrona = Association.objects.get(org_number="222000-2733")
    this_year = timezone.localdate().year

    adopted = Plan.objects.get(association=landskrona, first_year=this_year)
    draft = Plan.objects.get(association=landskrona, first_year=this_year + 1)

    item = adopted.agenda_item
    assert adopted.state == "adopted" and item.decision and item.meeting.approved_at
    assert adopted.adopted_on == datetime.date(this_year - 1, 11, 20)
    assert adopted.budget_version.state == "adopted"
    assert adopted.budget_version.agenda_item == item  # one decision adopts both
    stored = plan_exports.stored_pdf(adopted)
    assert hashlib.sha256(stored).hexdigest() == adopted.pdf_sha256
    assert draft.is_draft and draft.budget_version.state == "draft"
    assert draft.budget_version.budget.year == this_year + 1
    upcoming = Meeting.objects.filter(association=landskrona, starts_at__gt=timezone.now()).get()
    assert draft.agenda_item.meeting == upcoming and draft.agenda_item.kind == "budget"
    # Started from this year's plan: the same sections, the year's own text.
    headings = list(draft.sections.values_list("heading", "part"))
    assert headings == list(adopted.sections.values_list("heading", "part"))
    assert f"Under {this_year + 1} fortsätter" in draft.sections.get(part="initiatives").text
