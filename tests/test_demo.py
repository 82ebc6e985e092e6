import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from applications.models import Application, InitiativeGrant, Meeting
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
