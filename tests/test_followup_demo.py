"""The demo's follow-up: running insatser with about 150 participants over 2025–2026, some ended
to work or studies and some active, anonymous counts, and an insats that has ended."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Max, Min

from applications.models import Initiative
from followup.models import AnonymousCount, Participant


@pytest.mark.django_db
def test_the_demo_tells_todays_story_of_the_insatser(seed, settings):
    participants = Participant.objects.for_association(seed)

    assert participants.count() == 150
    span = participants.aggregate(first=Min("started_on"), last=Max("started_on"))
    assert span["first"] >= datetime.date(2025, 1, 1)
    assert span["last"] <= datetime.date(2026, 11, 30)
    assert participants.filter(exit_reason__in=["work", "studies"]).count() >= 10
    assert participants.filter(ended_on__isnull=True).count() >= 50
    assert set(participants.values_list("gender", flat=True)) == {"woman", "man"}
    ended = Initiative.objects.get(association=seed, name="Hälsoteam Region Skåne")
    assert (ended.state, ended.ended_on) == ("implemented", datetime.date(2025, 12, 31))
    assert AnonymousCount.objects.filter(initiative__association=seed).count() == 6

    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())

    assert participants.count() == 150
