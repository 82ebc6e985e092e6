"""Timestamps read from PostgreSQL by psycopg's compiled loader (finsam/postgres.py), as Django
would have read them: aware, the same instant, in the connection's time zone (UTC)."""

import datetime

import pytest
from django.db import connection
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

from applications.models import Meeting
from finsam import postgres
from tests.factories import MeetingFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the loader is PostgreSQL's"
)


@pytest.mark.django_db
def test_a_timestamp_is_read_as_the_same_instant_in_utc():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT '2026-06-01 12:30:15.25+02'::timestamptz, '1999-12-31 23:59:59-05:30'"
            "::timestamptz, NULL::timestamptz"
        )
        summer, odd_offset, nothing = cursor.fetchone()

    utc = datetime.UTC
    assert summer == datetime.datetime(2026, 6, 1, 10, 30, 15, 250000, tzinfo=utc)
    assert summer.tzinfo is utc  # as Django's own loader gives it, not the session's ZoneInfo
    assert odd_offset == datetime.datetime(2000, 1, 1, 5, 29, 59, tzinfo=utc)
    assert nothing is None


@pytest.mark.django_db
def test_a_model_reads_its_timestamps_through_the_compiled_loader(association):
    starts_at = datetime.datetime(2027, 3, 4, 9, 15, tzinfo=datetime.UTC)
    meeting = MeetingFactory(association=association, starts_at=starts_at)

    assert Meeting.objects.get(pk=meeting.pk).starts_at == starts_at
    loader = connection.connection.adapters.get_loader(postgres.TIMESTAMPTZ_OID, Format.TEXT)
    assert loader is postgres.timestamptz_loader(datetime.UTC)
    # Django registers its own loader on a cursor whose connection's has another time zone:
    # the same time zone keeps ours.
    assert loader.timezone == connection.timezone
    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(postgres.TIMESTAMPTZ_OID, Format.TEXT) is loader


def test_the_parser_is_psycopgs_compiled_loader_where_it_is_installed():
    # The project installs psycopg[binary] (pyproject.toml): its loader, not the Python one.
    assert postgres.PARSER is not TimestamptzLoader
    assert postgres.PARSER.__module__.startswith("psycopg_binary")
