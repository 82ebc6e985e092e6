"""Every change to an application: one function each, atomic, recorded on the timeline."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from applications.errors import ApplicationError
from applications.models import (
    Activity,
    Application,
    BudgetRow,
    DnrSequence,
    ParticipantTarget,
    PartyCommitment,
    PlannedReport,
    StateChange,
)
from applications.selectors import registration_missing
from applications.workflow import (
    EDITABLE_STATES,
    ILLEGAL_MOVE,
    State,
    application_lock,
    application_move,
    state_label,
)
from finsam.bounds import require_within_bounds
from finsam.models import Association, User

REGISTRATION_INCOMPLETE = "Ansökan kan inte registreras. Det saknas: {missing}."
ALREADY_REGISTERED = "Ansökan är redan registrerad med diarienummer {dnr}."
CHANGED_MEANWHILE = (
    "Ansökan har ändrats av någon annan sedan du öppnade den. Inget av det du skrev har sparats; "
    "öppna ansökan på nytt och gör ändringarna där."
)
NOT_EDITABLE = "En ansökan som är {state} kan inte ändras."
UNKNOWN_FIELD = "Fältet {name} finns inte på ansökan."

# The tables of the form (seed 002), by the name the services and forms use for them.
ROW_MODELS: dict[str, type[models.Model]] = {
    "targets": ParticipantTarget,
    "activities": Activity,
    "commitments": PartyCommitment,
    "budget_rows": BudgetRow,
    "planned_reports": PlannedReport,
}
# What the officer writes; the rest (state, Dnr, version, förbund) only services set.
WRITABLE_FIELDS = frozenset(
    field.name
    for field in Application._meta.get_fields()
    if getattr(field, "editable", False)
    and field.concrete
    and field.name not in {"id", "association", "state"}
)

Rows = Iterable[Mapping[str, Any]]


def next_dnr_number(*, association: Association, year: int) -> int:
    """The next running number for ``association`` and ``year``; call inside the registering
    transaction, so that a failed registration gives its number back."""
    sequence, _ = DnrSequence.objects.get_or_create(association=association, year=year)
    # Two officers registering at once would otherwise both read the same last number.
    sequence = DnrSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _set_fields(application: Application, values: Mapping[str, Any]) -> dict[str, Any]:
    """Sets the plain fields; returns the many-to-many values to set once the row exists."""
    many = {}
    for name, value in values.items():
        if name not in WRITABLE_FIELDS:
            raise ApplicationError(UNKNOWN_FIELD.format(name=name))
        if Application._meta.get_field(name).many_to_many:
            many[name] = value
        else:
            setattr(application, name, value)
    return many


def _save_rows(application: Application, tables: Mapping[str, Rows], user: User) -> None:
    """Makes each named table hold exactly ``rows``: a row with an ``id`` of this application's
    is updated, one without is added, and the application's rows not named are removed."""
    for table, rows in tables.items():
        model = ROW_MODELS[table]
        existing = {row.pk: row for row in model.objects.filter(application=application)}
        kept = set()
        for values in rows:
            values = dict(values)
            pk = values.pop("id", None)
            row = existing.get(pk) if pk else None
            if row is None:
                row = model(application=application)
            for name, value in values.items():
                setattr(row, name, value)
            row._history_user = user
            row.save()
            kept.add(row.pk)
        for pk, row in existing.items():
            if pk not in kept:
                row._history_user = user
                row.delete()


# What the services bound of what they are given (finsam.bounds), by the field that holds it.
DATE_FIELDS = ("date", "period_start", "period_end")
ROW_DATES = {"activities": ("start", "end"), "planned_reports": ("due",)}
ROW_AMOUNTS = {"budget_rows": ("amount",), "commitments": ("own_contribution",)}
ROW_COUNTS = {"targets": ("number",)}


def _label(model: type[models.Model], name: str, number: int | None = None) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    label = label[:1].upper() + label[1:]
    return f"{label}, rad {number}" if number else label


def require_application_within_bounds(values: Mapping[str, Any], tables: Mapping[str, Rows]):
    """Refuses (OutOfBounds) a date of the application or its rows, an amount of its budget or
    own contributions, or a count of its targets outside the domain's range, before anything is
    written."""
    require_within_bounds(
        dates={_label(Application, name): values.get(name) for name in DATE_FIELDS}
    )
    for table, rows in tables.items():
        model = ROW_MODELS[table]
        for number, row in enumerate(rows, start=1):
            require_within_bounds(
                dates={_label(model, n, number): row.get(n) for n in ROW_DATES.get(table, ())},
                amounts={_label(model, n, number): row.get(n) for n in ROW_AMOUNTS.get(table, ())},
                counts={_label(model, n, number): row.get(n) for n in ROW_COUNTS.get(table, ())},
            )


def _write(application: Application, values, tables, user: User) -> Application:
    many = _set_fields(application, values)
    application._history_user = user
    application.save()
    for name, value in many.items():
        getattr(application, name).set(value)
    _save_rows(application, tables, user)
    return application


def application_create(
    *,
    user: User,
    association: Association,
    values: Mapping[str, Any],
    tables: Mapping[str, Rows] | None = None,
) -> Application:
    """Creates a draft from the form's values (field name → value, many-to-many as lists) and
    its tables (``ROW_MODELS`` name → rows of field values)."""
    require_application_within_bounds(values, tables or {})
    with transaction.atomic():
        application = Application(association=association)
        _write(application, values, tables or {}, user)
        StateChange.objects.create(application=application, to_state=State.DRAFT, by=user)
    return application


def application_update(
    *,
    user: User,
    application: Application,
    values: Mapping[str, Any],
    tables: Mapping[str, Rows] | None = None,
    expected_version: int | None = None,
) -> Application:
    """Saves changes to an editable application, with the tables named in ``tables``.

    ``expected_version`` is the version the user's form was based on; if someone saved in
    between, nothing is written and ApplicationError(CHANGED_MEANWHILE) is raised.
    """
    require_application_within_bounds(values, tables or {})
    with transaction.atomic():
        current = application_lock(application)
        if current.state not in EDITABLE_STATES:
            raise ApplicationError(NOT_EDITABLE.format(state=state_label(current.state)))
        if expected_version is not None and current.version != expected_version:
            raise ApplicationError(CHANGED_MEANWHILE)
        current.version += 1
        _write(current, values, tables or {}, user)
    return current


def application_register(*, user: User, application: Application) -> Application:
    """Registers a draft: checks it is complete and gives it the next diarienummer."""
    with transaction.atomic():
        application = application_lock(application)
        if application.dnr_number is not None:
            # A second click on Registrera, or a colleague's a moment earlier: the lock above
            # made this one wait until the first had its number.
            raise ApplicationError(ALREADY_REGISTERED.format(dnr=application.dnr))
        if application.state != State.DRAFT:
            raise ApplicationError(
                ILLEGAL_MOVE.format(
                    from_state=state_label(application.state), to_state="registrerad"
                )
            )
        missing = registration_missing(application)
        if missing:
            raise ApplicationError(REGISTRATION_INCOMPLETE.format(missing=", ".join(missing)))
        now = timezone.now()
        year = timezone.localdate(now).year
        application.dnr_year = year
        application.dnr_number = next_dnr_number(association=application.association, year=year)
        application.registered_at = now
        application_move(application, State.REGISTERED, by=user)
    return application


def application_withdraw(*, user: User, application: Application, comment: str = "") -> Application:
    """The applicant withdraws (återtagen); possible at any point before the decision."""
    with transaction.atomic():
        application = application_lock(application)
        application_move(application, State.WITHDRAWN, by=user, comment=comment)
    return application


def application_refer_back(*, user: User, application: Application, comment: str) -> Application:
    """Återremiss: back to beredning. The next assessment saved opens a new round; the earlier
    rounds stay as they were."""
    with transaction.atomic():
        application = application_lock(application)
        application_move(application, State.IN_PREPARATION, by=user, comment=comment)
    return application
