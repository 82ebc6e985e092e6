"""Query counts of the pages about one's own login and of the public pages: fixed, whatever
the förbund holds (none of them lists anything but the user's own devices)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import LOGGED_IN


@pytest.mark.django_db
def test_public_pages_ask_the_database_nothing_but_the_health_check(
    client, django_assert_num_queries
):
    for name, expected in [("accessibility_statement", 0), ("login", 0), ("healthz", 1)]:
        with django_assert_num_queries(expected):
            assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_the_second_factor_pages_cost_the_same_each_time(
    login, board_member, officer, django_assert_num_queries
):
    board = login(board_member)
    for _ in range(2):
        # the user's app and recovery codes
        with django_assert_num_queries(LOGGED_IN + 2):
            assert board.get(reverse("second_factor")).status_code == 200
    board.get(reverse("second_factor_enrol"))
    board.get(reverse("second_factor_enrol"))
    # Opening the enrolment page stores no app until a code confirms it, however often.
    assert not TOTPDevice.objects.filter(user=board_member).exists()
    officer_client = login(officer)  # with a confirmed app
    with django_assert_num_queries(LOGGED_IN + 2):
        assert officer_client.get(reverse("second_factor")).status_code == 200
