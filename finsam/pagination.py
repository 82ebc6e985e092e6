"""A page of a list and the number of rows of the whole list in one query (issue #12): the rows
carry the total as a window annotation (COUNT(*) OVER ()), computed before LIMIT, instead of a
second query that repeats the list's joins and filters to count them."""

import math

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

PAGE_SIZE = 50  # rows of a list page


def page_of(rows: QuerySet, number, size: int = PAGE_SIZE) -> Page:
    """The page ``number`` (a request's text; anything unreadable is the first page) of
    ``rows`` (model objects or, from a values() queryset, dicts), its paginator knowing the
    total. A number past the end gives the last page (with one query more, then only)."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    counted = rows.annotate(rows_in_list=Window(Count("pk")))
    found = list(counted[(number - 1) * size : number * size])
    if not found and number > 1:
        number = max(1, math.ceil(rows.count() / size))
        found = list(counted[(number - 1) * size : number * size])
    if not found:
        total = 0
    elif isinstance(found[0], dict):
        total = found[0]["rows_in_list"]
    else:
        total = found[0].rows_in_list
    # The paginator counts a range of the total's length (len, no query).
    return Page(found, number, Paginator(range(total), size))
