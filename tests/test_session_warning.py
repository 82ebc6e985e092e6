"""The warning before an idle session ends (WCAG 2.2.1): the page knows how long its session
has left, the warning's question does not keep the session, its button does."""

import time

import pytest
from django.urls import reverse

from accounts import login_flow
from tests.helpers import LOGGED_IN

AGE = 60 * 60  # SESSION_IDLE_MINUTES' default


def refreshed_ago(client, seconds: int) -> None:
    session = client.session
    session[login_flow.REFRESHED_KEY] = int(time.time()) - seconds
    session.save()


@pytest.mark.django_db
def test_a_logged_in_page_carries_the_hidden_warning_with_the_time_its_session_has_left(
    officer_client,
):
    page = officer_client.get(reverse("start")).content.decode()

    assert 'id="session-warning"' in page
    assert 'data-seconds-left="3540"' in page  # the idle hour less a minute's refresh interval
    assert 'data-warning-seconds="120"' in page
    assert "Fortsätt vara inloggad" in page
    assert "session-warning.js" in page


@pytest.mark.django_db
def test_a_page_without_a_session_has_no_warning(client):
    assert 'id="session-warning"' not in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_asking_how_long_is_left_does_not_keep_the_session(officer_client):
    refreshed_ago(officer_client, AGE - 100)

    answer = officer_client.get(reverse("session_status"))

    assert answer.status_code == 200
    assert 98 <= answer.json()["seconds_left"] <= 100
    # The idle middleware would have moved the end of any other page's session by now.
    assert officer_client.session[login_flow.REFRESHED_KEY] <= int(time.time()) - (AGE - 100)


@pytest.mark.django_db
def test_the_button_keeps_the_session_for_a_whole_idle_time(officer_client):
    refreshed_ago(officer_client, AGE - 100)

    answer = officer_client.post(reverse("session_status"), HTTP_ACCEPT="application/json")

    assert answer.json()["seconds_left"] >= AGE - 1
    assert officer_client.session[login_flow.REFRESHED_KEY] >= int(time.time()) - 1


@pytest.mark.django_db
def test_without_javascript_the_button_returns_to_the_page_and_never_elsewhere(officer_client):
    budget = reverse("budget:overview")
    back = officer_client.post(reverse("session_status"), {"next": budget})
    away = officer_client.post(reverse("session_status"), {"next": "https://example.com/"})

    assert back.status_code == 302 and back["Location"] == budget
    assert away.status_code == 302 and away["Location"] == reverse("start")


@pytest.mark.django_db
def test_an_ended_session_answers_401_so_that_the_page_reloads_to_the_login(client):
    answer = client.get(reverse("session_status"))

    assert answer.status_code == 401
    assert answer.json() == {"seconds_left": 0}


@pytest.mark.django_db
def test_the_question_costs_no_query_beyond_the_session_and_user(
    officer_client, django_assert_num_queries
):
    officer_client.get(reverse("start"))
    with django_assert_num_queries(LOGGED_IN):  # the session; the user with their roles
        officer_client.get(reverse("session_status"))
