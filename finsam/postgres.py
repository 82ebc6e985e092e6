"""Timestamps read from PostgreSQL by psycopg's compiled loader (issue #12).

Django reads each timestamptz through a subclass of psycopg's pure-Python loader, to give it the
connection's time zone (django/db/backends/postgresql/psycopg_any.py). A subclass is never
swapped for the compiled loader that psycopg's binary package installs for its own, so every
timestamp was parsed by a regular expression in Python: about 3 µs each against 1 µs, a list of
fifty meetings 200 of them. This loader hands the parsing to whichever loader psycopg itself
uses for timestamptz (the compiled one where it is installed) and gives the result the same
time zone Django's would. Django's ticket #36960 is the same finding; when Django reads them
quickly itself, this module can go.
"""

from functools import cache

from psycopg import adapters
from psycopg.adapt import Loader
from psycopg.pq import Format

TIMESTAMPTZ_OID = adapters.types["timestamptz"].oid
# psycopg's own loader of timestamptz text, looked up (not imported) so that it is the compiled
# one where psycopg's binary package is installed.
PARSER = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


@cache
def timestamptz_loader(tz):
    """A loader of timestamptz in the time zone ``tz`` (None: naive), as Django's reads them."""

    class CompiledTimestamptzLoader(Loader):
        # Read by Django's create_cursor, which registers its own loader on a cursor whose
        # connection's loader has another time zone than the connection's.
        timezone = tz

        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self._parse = PARSER(oid, context).load

        def load(self, data):
            # The parser answers in the session's time zone, which Django sets to the
            # connection's: the same instant, given Django's tzinfo as Django's loader does.
            return self._parse(data).replace(tzinfo=self.timezone)

    return CompiledTimestamptzLoader


def read_timestamps_compiled(sender, connection, **kwargs):
    """connection_created: a new PostgreSQL connection reads timestamptz with the loader above."""
    if connection.vendor == "postgresql":
        connection.connection.adapters.register_loader(
            TIMESTAMPTZ_OID, timestamptz_loader(connection.timezone)
        )
