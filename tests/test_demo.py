import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from applications import criteria, selectors
from applications.models import Application, InitiativeGrant, Meeting, NoticeEmail
from finsam.management.commands.demo import REFUSE_WITHOUT_DEBUG
from finsam.models import Association, BoardSeat, Role, User


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
    past, upcoming = Meeting.objects.filter(association=landskrona).order_by("starts_at")
    assert past.is_locked and upcoming.is_published and not upcoming.minutes_opened_at
    grants = InitiativeGrant.objects.filter(
        initiative__name="Samordnad rehabilitering för unga vuxna"
    ).values_list("amount", flat=True)
    assert sorted(grants) == [300000, 450000]
    continuation = Application.objects.get(kind="continuation")
    assert continuation.initiative.name == "Samverkansteam Landskrona"
    assert [a.name for a in continuation.linked.all()] == [
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

    past, upcoming = Meeting.objects.filter(association=landskrona).order_by("starts_at")
    for meeting in (past, upcoming):
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
