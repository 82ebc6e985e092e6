"""The agenda on the meeting page: a double click on "Lägg till" adds one ärende, and the
numbers the page gives the ärenden have no gaps (issue #13)."""

import re

import pytest
from django.urls import reverse

from applications import services
from applications.models import AgendaItem
from applications.services.meeting import AGENDA_CHANGED
from budget import plan_services
from tests.factories import HELD, MeetingFactory, PlanFactory, all_present

UPCOMING = HELD.replace(year=2030)


def board_meeting(association, officer, starts_at):
    """A board meeting as the officer creates it: with the standard paragraphs."""
    return services.meeting_create(
        user=officer, association=association, body="board", starts_at=starts_at, place="Sal 3"
    )


def headings(page: str) -> list[str]:
    return [
        " ".join(heading.split())
        for heading in re.findall(r'<h3 id="arende-\d+" class="h5">([^<]*)</h3>', page)
    ]


def fingerprint_of(page: str) -> str:
    return re.search(r'name="fingerprint" value="([0-9a-f]+)"', page).group(1)


@pytest.mark.django_db
def test_a_double_click_on_lagg_till_adds_the_ovrigt_arende_once_and_says_why(
    association, officer, officer_client
):
    meeting = board_meeting(association, officer, UPCOMING)
    url = reverse("applications:meeting", args=[meeting.pk])
    page = officer_client.get(url).content.decode()
    post = {
        "kind": "other",
        "title": "Lokalfrågan",
        "presenter": "",
        "application": "",
        "fingerprint": fingerprint_of(page),
    }
    add = reverse("applications:agenda_add", args=[meeting.pk])

    first = officer_client.post(add, post, follow=True)
    second = officer_client.post(add, post, follow=True)

    assert meeting.agenda_items.filter(kind="other", title="Lokalfrågan").count() == 1
    assert first.status_code == second.status_code == 200
    assert "Ärendet är tillagt på dagordningen." in first.content.decode()
    text = second.content.decode()
    assert AGENDA_CHANGED in text  # the page again, with the message, not a bare error
    assert headings(text).count("4. Lokalfrågan") == 1


@pytest.mark.django_db
def test_an_agenda_changed_meanwhile_refuses_the_service_and_adds_nothing(association, officer):
    meeting = MeetingFactory(association=association, starts_at=UPCOMING)
    shown = services.agenda_fingerprint(meeting.agenda_items.order_by("position"))
    services.agenda_item_add(
        user=officer, meeting=meeting, kind="other", title="Övrigt", fingerprint=shown
    )
    with pytest.raises(services.MeetingError, match="Dagordningen har ändrats"):
        services.agenda_item_add(
            user=officer, meeting=meeting, kind="other", title="Övrigt", fingerprint=shown
        )
    assert meeting.agenda_items.filter(title="Övrigt").count() == 1


@pytest.mark.django_db
def test_the_agenda_is_numbered_without_a_gap_where_an_arende_was_struck(
    association, officer, login, board_member
):
    """A struck ärende is deleted: it will never be a paragraph of the minutes, so the agenda's
    numbers (before the minutes give each its §) must not skip it, for the officer or the
    board."""
    meeting = board_meeting(association, officer, UPCOMING)
    plan = PlanFactory(association=association)
    plan_services.plan_schedule(user=officer, plan=plan, meeting=meeting)
    struck = services.agenda_item_add(user=officer, meeting=meeting, kind="report", title="Rapport")
    services.agenda_item_add(user=officer, meeting=meeting, kind="information", title="Info")
    services.agenda_item_remove(user=officer, item=struck)
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    expected = [
        "1. Mötets öppnande",
        "2. Val av justerare",
        "3. Godkännande av dagordningen",
        f"4. {plan.title}",
        "5. Info",
        "6. Mötets avslutande",
    ]
    url = reverse("applications:meeting", args=[meeting.pk])
    assert headings(login(officer).get(url).content.decode()) == expected
    assert headings(login(board_member).get(url).content.decode()) == expected


@pytest.mark.django_db
def test_once_the_minutes_are_drawn_up_the_board_sees_the_minutes_paragraphs(
    association, officer, login, board_member
):
    meeting = board_meeting(association, officer, HELD)
    plan = PlanFactory(association=association)
    plan_services.plan_schedule(user=officer, plan=plan, meeting=meeting)
    struck = services.agenda_item_add(user=officer, meeting=meeting, kind="report", title="Rapport")
    services.agenda_item_remove(user=officer, item=struck)
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(association))
    services.minutes_open(user=officer, meeting=meeting)
    paragraphs = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position")
        .values_list("paragraph", "title")
    )
    expected = [f"§ {number} {title}" for number, title in paragraphs]
    assert [number for number, _title in paragraphs] == list(range(1, 6))
    page = login(board_member).get(reverse("applications:meeting", args=[meeting.pk]))
    assert headings(page.content.decode()) == expected
