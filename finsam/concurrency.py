"""No lost update: a form that two people can open at once carries a fingerprint of what it
shows, and the service refuses a save when that is no longer what is stored.

How it works, on every such form:

1. The page computes ``fingerprint(...)`` of the rows its form shows, from the rows it has read
   anyway to show them (no extra query), and puts it in the form as a hidden field
   (``templates/includes/_fingerprint.html``).
2. The view hands the posted value (``posted(request)``) to the service.
3. The service locks (``select_for_update``) the row that guards what it changes, reads the rows
   it is about to change (it reads them anyway to change them), computes the same fingerprint
   and calls ``check_unchanged``: a different one raises ``ChangedMeanwhile`` before anything is
   written. Because the check runs after the lock, of two racing saves the second sees the
   first one's rows and is refused.
4. The view, seeing ``outcome.changed_meanwhile``, redirects to the page, which then shows what
   is saved now, with the message.

Why a fingerprint and not a version column (as Application.version): most of these forms edit
a set of rows (a budget version's lines, the grid of actuals, the chart, the attendance), and
those rows change by other routes too (a ledger import adds to the actuals, a revision copies
lines). A version column would need a migration on a dozen models and a bump in every service
that writes any of the rows, and a forgotten bump is a silent lost update again. A fingerprint
is computed from the rows themselves, so whatever changed them is noticed, and only what the
form shows counts: a kallelse sent meanwhile does not refuse a change of the meeting's place.

A request without a fingerprint (a script, an older page) is not checked (``posted`` gives
None), as ``application_update`` treats an ``expected_version`` of None.
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from finsam.errors import ChangedMeanwhile

FIELD = "fingerprint"  # the hidden field's name


def _plain(value: Any) -> Any:
    """``value`` as JSON that reads the same however it was obtained: Decimal("5.00") and
    Decimal("5") alike, a mapping and a set in a fixed order, a model by its key."""
    if isinstance(value, Decimal):
        return "0" if value == 0 else str(value.normalize())
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        pairs = [[_plain(key), _plain(item)] for key, item in value.items()]
        return sorted(pairs, key=lambda pair: json.dumps(pair[0], sort_keys=True))
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=json.dumps)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def fingerprint(*parts: Any) -> str:
    """A short hash of ``parts`` (rows as mappings from key to values, values, models)."""
    text = json.dumps(_plain(list(parts)), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def field_values(instance: models.Model | None, names: Iterable[str]) -> dict[str, Any] | None:
    """The stored values of the fields ``names`` of ``instance`` (a foreign key by its id);
    names that are not the model's own columns, such as a form's extra fields, are left out."""
    if instance is None:
        return None
    values = {}
    for name in names:
        try:
            field = instance._meta.get_field(name)
        except models.FieldDoesNotExist:
            continue
        if field.concrete and not field.many_to_many:
            values[name] = getattr(instance, field.attname)
    return values


def posted(request) -> str | None:
    """The fingerprint the posted form carried; None when it carried none (not checked)."""
    if request.method != "POST":
        return None
    return request.POST.get(FIELD) or None


def carried(request, current: str) -> str:
    """The fingerprint a page puts into its form: what the posted form carried when a save comes
    back with errors (the next save is still checked against what the user first saw), else
    ``current``."""
    return posted(request) or current


def check_unchanged(expected: str | None, current: str, *, what: str) -> None:
    """Refuses with ChangedMeanwhile("Någon annan har ändrat {what} …") unless ``expected``
    (the form's fingerprint; None: not checked) is ``current``. Call it under the row lock."""
    if expected is not None and not hmac.compare_digest(expected.encode(), current.encode()):
        raise ChangedMeanwhile(what)
