"""Reads of the follow-up: the insatser list, the insats page and the participant register,
each a fixed number of queries whatever the number of participants; counts are made by the
database (aggregates), not by loops over participants."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone

from applications.models import (
    AgendaItem,
    Application,
    Initiative,
    InitiativeGrant,
    Orientation,
    PlannedReport,
    StateChange,
)
from applications.selectors import applications_for
from budget import selectors as budget_selectors
from finsam.expressions import Rank
from finsam.models import Association, Role, User
from finsam.money import format_tkr
from finsam.selectors import history_records
from followup.models import (
    AnonymousCount,
    ExitReason,
    Gender,
    Participant,
    ParticipantImport,
    age_band,
    participant_code,
)
from followup.suppression import ByGender, count, shown
from followup.suppression import Count as Shown

ZERO = Decimal(0)
# Who sees insatser at all: the officer, and the board and the auditors, who read aggregates only.
INITIATIVE_ROLES = (Role.Kind.OFFICER, Role.Kind.BOARD, Role.Kind.AUDITOR)


def initiatives_for(*, association: Association, role: str, user: User) -> QuerySet[Initiative]:
    """The insatser a role may see in the förbund: all of them for the officer, the board and
    the auditors. The insatsansvarig (a later role) will see only their own: filter them here,
    by ``user``, and every page and the access helper follow."""
    if role in INITIATIVE_ROLES:
        return Initiative.objects.for_association(association)
    return Initiative.objects.none()


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def active_between(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Participants in the insats at some day between ``start`` and ``end``."""
    return Q(**{f"{prefix}started_on__lte": end}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": start})
    )


def _state_order() -> Rank:
    """The running insatser first."""
    return Rank("state", [Initiative.State.RUNNING])


def initiative_list(
    *, association: Association, role: str, user: User, filters: dict, year: int
) -> QuerySet[Initiative]:
    """The list page and its Excel export: running ones first, with what was granted for
    ``year`` and how many took part that year (registered participants in the insats some day
    of the year, and anonymous ones counted in its months). One query, whatever the number of
    insatser and participants: each figure is a subquery."""
    start, end = year_bounds(year)
    initiatives = initiatives_for(association=association, role=role, user=user).annotate(
        last=Coalesce("ended_on", "period_end")
    )
    if filters.get("state") == "running":
        initiatives = initiatives.filter(state=Initiative.State.RUNNING)
    elif filters.get("state") == "ended":
        initiatives = initiatives.exclude(state=Initiative.State.RUNNING)
    if filters.get("year"):
        shown_start, shown_end = year_bounds(filters["year"])
        initiatives = initiatives.filter(period_start__lte=shown_end, last__gte=shown_start)
    if filters.get("owner"):
        initiatives = initiatives.filter(owner=filters["owner"])
    if filters.get("orientation"):
        initiatives = initiatives.filter(orientation=filters["orientation"])
    granted = (
        InitiativeGrant.objects.filter(initiative=OuterRef("pk"), year=year)
        .order_by()
        .values("initiative")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    registered = (
        Participant.objects.filter(active_between(start, end), initiative=OuterRef("pk"))
        .order_by()
        .values("initiative")
        .annotate(total=Count("pk"))
        .values("total")
    )
    anonymous = (
        AnonymousCount.objects.filter(initiative=OuterRef("pk"), month__year=year)
        .order_by()
        .values("initiative")
        .annotate(total=Sum("women") + Sum("men"))
        .values("total")
    )
    # The next report the insats owes: the earliest planned report of its granted applications
    # that has not come in.
    next_report = (
        PlannedReport.objects.filter(
            application__initiative=OuterRef("pk"),
            application__state__in=(Application.State.GRANTED, Application.State.PARTLY_GRANTED),
        )
        .filter(received__isnull=True)
        .order_by("due")
        .values("due")[:1]
    )
    return (
        initiatives.select_related("owner")
        .annotate(
            next_report_due=Subquery(next_report),
            granted_in_year=Subquery(granted),
            participants_in_year=Coalesce(Subquery(registered), 0)
            + Coalesce(Subquery(anonymous), 0),
        )
        .order_by(_state_order(), "name", "pk")  # pk: a page cut from it is stable
    )


@dataclass(frozen=True)
class InitiativeRow:
    """A row of the insatser list, its values ready to show (money through finsam.money, counts
    as they may be published), so that the page's template only places them."""

    url: str
    name: str
    owner: str
    orientation: str
    period: str  # "2024-01 – 2026-12"
    running: bool
    ended_on: str  # "2025-06-30", "" while running
    implemented: bool
    granted: str
    participants: str
    next_report_due: str  # "2026-03-31", "" where none is due
    overdue: bool


LIST_FIELDS = (
    "pk",
    "name",
    "owner__name",
    "orientation",
    "period_start",
    "period_end",
    "state",
    "ended_on",
    "granted_in_year",
    "participants_in_year",
    "next_report_due",
)


def initiative_values(initiatives: QuerySet[Initiative]) -> QuerySet:
    """``initiative_list`` as plain values, for the page to read one page of them
    (finsam.pagination.page_of: one query with the count, the figures' subqueries computed
    for the page's rows only)."""
    return initiatives.values(*LIST_FIELDS)


def initiative_rows(values: list[dict], *, today: datetime.date) -> list[InitiativeRow]:
    """Rows of ``initiative_values`` ready to show."""
    orientations = dict(Orientation.choices)
    # Every insats's address from one reversed, rather than one reverse per row.
    base = reverse("followup:detail", args=[0]).removesuffix("0/")
    return [
        InitiativeRow(
            url=f"{base}{row['pk']}/",
            name=row["name"],
            owner=row["owner__name"],
            orientation=str(orientations.get(row["orientation"], row["orientation"])),
            period=f"{row['period_start']:%Y-%m} – {row['period_end']:%Y-%m}",
            running=row["state"] == Initiative.State.RUNNING,
            ended_on=f"{row['ended_on']:%Y-%m-%d}" if row["ended_on"] else "",
            implemented=row["state"] == Initiative.State.IMPLEMENTED,
            granted=format_tkr(row["granted_in_year"]) if row["granted_in_year"] else "–",
            participants=shown(row["participants_in_year"]),
            next_report_due=(
                f"{row['next_report_due']:%Y-%m-%d}" if row["next_report_due"] else ""
            ),
            overdue=row["next_report_due"] is not None and row["next_report_due"] < today,
        )
        for row in values
    ]


@dataclass
class MoneyYear:
    """An insats's year: granted by justerade decisions, booked in the budget's actuals."""

    year: int
    granted: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def deviation(self) -> Decimal:
        """Utfall − beviljat."""
        return self.actual - self.granted


@dataclass
class SummaryYear:
    """Participants in a year by kön, anonymous ones included in those who started and took
    part."""

    year: int
    started: ByGender
    took_part: ByGender
    ended: ByGender


@dataclass
class Summary:
    years: list[SummaryYear]
    since_start: ByGender  # everyone who started, anonymous ones included
    active_now: ByGender  # registered participants not yet ended
    to_work_or_studies: Shown  # ended to arbete or studier

    @property
    def any(self) -> bool:
        return self.since_start.total.value > 0


@dataclass
class TargetRow:
    """A numeric target of a granted application beside what the register counts for it."""

    application: Application
    text: str
    number: int
    measure: str
    outcome: Shown


@dataclass
class TimelineEvent:
    when: datetime.datetime
    text: str
    detail: str = ""
    url: str = ""


@dataclass
class InitiativePage:
    initiative: Initiative
    applications: list[Application]
    decided_items: list[AgendaItem]
    money: list[MoneyYear]
    summary: Summary
    targets: list[TargetRow]
    timeline: list[TimelineEvent] = field(default_factory=list)
    # The insats's historical records, read once for the timeline and the history list.
    history_records: list = field(default_factory=list)

    @property
    def granted_total(self) -> Decimal:
        return sum((year.granted for year in self.money), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((year.actual for year in self.money), ZERO)


def _years(initiative: Initiative, today: datetime.date) -> list[int]:
    """The insats's years up to this one: later years have no participants yet."""
    return list(range(initiative.period_start.year, min(initiative.last_day.year, today.year) + 1))


def participant_summary(initiative: Initiative, *, today: datetime.date | None = None) -> Summary:
    """Participants per year and since the start, by kön, counts suppressed (two queries: one
    aggregate over the register, one over the anonymous counts)."""
    today = today or timezone.localdate()
    years = _years(initiative, today)
    genders = (Gender.WOMAN, Gender.MAN)
    # Grouped by kön and the years of start and end (a few dozen rows): a participant took
    # part in a year when they started in it or before and ended in it, after it or not yet,
    # which is what active_between says of the year's first and last day. One conditional
    # count per year and figure would cost more to build than to run.
    registered: Counter = Counter()
    for row in (
        Participant.objects.filter(initiative=initiative)
        .values("gender", started=ExtractYear("started_on"), ended=ExtractYear("ended_on"))
        .annotate(
            n=Count("pk"),
            work=Count("pk", filter=Q(exit_reason__in=[ExitReason.WORK, ExitReason.STUDIES])),
        )
        .order_by()
    ):
        gender, started, ended, n = row["gender"], row["started"], row["ended"], row["n"]
        registered[f"started_{started}_{gender}"] += n
        if ended is None:
            registered[f"active_{gender}"] += n
        else:
            registered[f"ended_{ended}_{gender}"] += n
        for year in years:
            if started <= year and (ended is None or ended >= year):
                registered[f"took_part_{year}_{gender}"] += n
        registered["to_work_or_studies"] += row["work"]
    anonymous = {
        row["year"]: (row["women"], row["men"])
        for row in AnonymousCount.objects.filter(initiative=initiative)
        .annotate(year=ExtractYear("month"))
        .values("year")
        .annotate(women=Sum("women"), men=Sum("men"))
        .order_by()
    }

    def by_gender(key: str, year: int | None = None) -> tuple[int, int]:
        women, men = (registered[f"{key}_{g}"] or 0 for g in genders)
        if year is not None:
            extra = anonymous.get(year, (0, 0))
            women, men = women + extra[0], men + extra[1]
        return women, men

    rows = []
    for year in years:
        rows.append(
            SummaryYear(
                year,
                started=ByGender.of(*by_gender(f"started_{year}", year)),
                took_part=ByGender.of(*by_gender(f"took_part_{year}", year)),
                ended=ByGender.of(*by_gender(f"ended_{year}")),
            )
        )
    # Every start lies in one of the years (the services refuse starts and counted months
    # outside the period or in the future), so the years add up to everyone since the start.
    return Summary(
        years=rows,
        since_start=ByGender.summed([row.started for row in rows]) if rows else ByGender.of(0, 0),
        active_now=ByGender.of(*by_gender("active")),
        to_work_or_studies=count(registered["to_work_or_studies"] or 0),
    )


WORK_OR_STUDIES = "Avslutade till arbete eller studier"
PARTICIPANTS = "Deltagare sedan start"


def _target_rows(applications: list[Application], summary: Summary) -> list[TargetRow]:
    """Each numeric target of the granted applications with the count it is measured by: a
    target about work or studies against those who ended so, any other against everyone who
    has taken part (the applications write targets as free text: "Beräknat flöde 140",
    "10 till arbete eller studier")."""
    rows = []
    for application in applications:
        if application.state not in (Application.State.GRANTED, Application.State.PARTLY_GRANTED):
            continue
        for target in application.targets.all():
            text = target.text.lower()
            if "arbete" in text or "studie" in text:
                measure, outcome = WORK_OR_STUDIES, summary.to_work_or_studies
            else:
                measure, outcome = PARTICIPANTS, summary.since_start.total
            rows.append(TargetRow(application, target.text, target.number, measure, outcome))
    return rows


def _money(initiative: Initiative) -> list[MoneyYear]:
    """Granted and booked per year (two queries). The actuals are the budget's rows booked on
    the insats, summed by the year of their month."""
    years: dict[int, MoneyYear] = {
        year: MoneyYear(year)
        for year in range(initiative.period_start.year, initiative.period_end.year + 1)
    }
    for row in (
        InitiativeGrant.objects.filter(initiative=initiative)
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        years.setdefault(row["year"], MoneyYear(row["year"])).granted = row["total"]
    for year, total in budget_selectors.initiative_actuals_by_year(initiative).items():
        years.setdefault(year, MoneyYear(year)).actual = total
    return [years[year] for year in sorted(years)]


def _timeline(
    initiative: Initiative,
    applications: list[Application],
    decided: list[AgendaItem],
    records: list,
) -> list[TimelineEvent]:
    """What happened to the insats, oldest first: its applications' moves, the board's
    decisions, its extensions and its end (from its history ``records``), and register files
    read (two queries)."""
    events = []
    previous = None
    for record in records:
        who = str(record.history_user) if record.history_user else "Systemet"
        if previous is None:
            events.append(TimelineEvent(record.history_date, "Insatsen lades upp", who))
        else:
            if record.period_end != previous.period_end:
                events.append(
                    TimelineEvent(
                        record.history_date,
                        f"Perioden förlängdes till {record.period_end:%Y-%m-%d}",
                        who,
                    )
                )
            if record.state != previous.state:
                label = Initiative.State(record.state).label
                day = f" den {record.ended_on:%Y-%m-%d}" if record.ended_on else ""
                events.append(TimelineEvent(record.history_date, f"{label}{day}", who))
        previous = record
    by_pk = {application.pk: application for application in applications}
    # The states' labels looked up once, not by get_FOO_display, which goes through every
    # choice of the field on each call (a long-lived insats has a hundred moves).
    states = dict(Application.State.choices)
    for change in StateChange.objects.filter(application__in=list(by_pk)).select_related("by"):
        application = by_pk[change.application_id]
        to_state = states.get(change.to_state, change.to_state)
        moved = (
            f"{states.get(change.from_state, change.from_state)} → " if change.from_state else ""
        )
        events.append(
            TimelineEvent(
                change.at,
                f"{application.dnr or application.name}: {moved}{to_state}",
                str(change.by),
                application.get_absolute_url(),
            )
        )
    for item in decided:
        events.append(
            TimelineEvent(
                item.meeting.approved_at,
                f"§ {item.paragraph} {item.meeting.get_body_display().lower()} "
                f"{timezone.localtime(item.meeting.starts_at):%Y-%m-%d}: "
                f"{item.decision.get_outcome_display() or item.title} (justerat)",
            )
        )
    for done in ParticipantImport.objects.filter(initiative=initiative).select_related(
        "imported_by"
    ):
        events.append(
            TimelineEvent(
                done.imported_at,
                f"Deltagarregistret läst från {done.file_name}: {done.created} nya, "
                f"{done.updated} ändrade",
                str(done.imported_by),
            )
        )
    return sorted(events, key=lambda event: event.when)


def initiative_page(
    initiative: Initiative, *, association: Association, role: str
) -> InitiativePage:
    """Everything the insats page shows: the chain of applications (the first and its
    continuations), the justerade decisions with § and meeting, money per year, participants
    by year with small counts suppressed, targets against outcomes, and the timeline. Eleven
    queries, whatever the number of participants, applications or decisions."""
    applications = list(
        applications_for(association=association, role=role)
        .filter(initiative=initiative)
        .prefetch_related("targets")
        .order_by("date", "pk")
    )
    decided = list(
        AgendaItem.objects.filter(
            application__initiative=initiative,
            meeting__association=association,
            meeting__approved_at__isnull=False,
            decision__isnull=False,
        )
        .select_related("meeting", "decision", "application")
        # What the page and its timeline show of each: the three full rows were 66 columns,
        # each compiled and converted (issue #12).
        .only(
            "paragraph",
            "title",
            "meeting__body",
            "meeting__starts_at",
            "meeting__approved_at",
            "decision__outcome",
            "decision__conditions",
            "application__dnr_year",
            "application__dnr_number",
        )
        .prefetch_related("decision__amounts")
        .order_by("meeting__starts_at", "position")
    )
    summary = participant_summary(initiative)
    records = history_records(initiative)
    return InitiativePage(
        initiative=initiative,
        applications=applications,
        decided_items=decided,
        money=_money(initiative),
        summary=summary,
        targets=_target_rows(applications, summary),
        timeline=_timeline(initiative, applications, decided, records),
        history_records=records,
    )


def register_counts(initiative: Initiative) -> dict[str, int]:
    """The register's own figures, exact: it is the register (one query)."""
    counts = Participant.objects.filter(initiative=initiative).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(ended_on__isnull=True))
    )
    return {**counts, "ended": counts["total"] - counts["active"]}


def register_participants(initiative: Initiative, *, shown: str = "") -> QuerySet[Participant]:
    """The register's rows in code order; ``shown`` 'active' or 'ended' narrows them."""
    participants = Participant.objects.filter(initiative=initiative).order_by("number")
    if shown == "active":
        participants = participants.filter(ended_on__isnull=True)
    elif shown == "ended":
        participants = participants.filter(ended_on__isnull=False)
    return participants


@dataclass(frozen=True)
class RegisterRow:
    """A row of the register page: the participant's coded values as their labels."""

    pk: int
    code: str
    gender: str
    age_band: str
    education: str
    support_time: str
    started_on: datetime.date
    income_source_start: str
    occupation_start: str
    ended_on: datetime.date | None
    exit_reason: str
    income_source_end: str
    occupation_end: str


# The labels of each coded field, read once rather than per row and cell.
_LABELS = {
    name: {value: str(text) for value, text in Participant._meta.get_field(name).flatchoices}
    for name in (
        "gender",
        "education",
        "support_time",
        "income_source_start",
        "occupation_start",
        "exit_reason",
        "income_source_end",
        "occupation_end",
    )
}


# What a register row shows, read as values: fifty model instances a page cost more to build
# than the rows' labels (issue #12).
REGISTER_COLUMNS = (
    "pk",
    "number",
    "gender",
    "birth_year",
    "education",
    "support_time",
    "started_on",
    "income_source_start",
    "occupation_start",
    "ended_on",
    "exit_reason",
    "income_source_end",
    "occupation_end",
)


def register_values(participants: QuerySet[Participant]) -> QuerySet:
    """``register_participants`` as the dicts of REGISTER_COLUMNS that register_rows reads."""
    return participants.values(*REGISTER_COLUMNS)


def register_rows(values) -> list[RegisterRow]:
    """A page of ``register_values`` as rows ready to show."""

    def shown(row: dict, name: str) -> str:
        return _LABELS[name].get(row[name], row[name])

    return [
        RegisterRow(
            pk=row["pk"],
            code=participant_code(row["number"]),
            gender=shown(row, "gender"),
            age_band=age_band(row["started_on"].year - row["birth_year"]),
            education=shown(row, "education"),
            support_time=shown(row, "support_time"),
            started_on=row["started_on"],
            income_source_start=shown(row, "income_source_start"),
            occupation_start=shown(row, "occupation_start"),
            ended_on=row["ended_on"],
            exit_reason=shown(row, "exit_reason"),
            income_source_end=shown(row, "income_source_end"),
            occupation_end=shown(row, "occupation_end"),
        )
        for row in values
    ]


def register_by_number(initiative: Initiative) -> dict[int, Participant]:
    """Every participant of the insats by the number of their code (one query)."""
    return {p.number: p for p in Participant.objects.filter(initiative=initiative)}


def participant_for(initiative: Initiative, pk: int) -> Participant:
    """A participant of this insats; raises Participant.DoesNotExist for any other."""
    return Participant.objects.get(initiative=initiative, pk=pk)


def months_of(initiative: Initiative, year: int) -> list[datetime.date]:
    """The months of ``year`` within the insats's period (its end, if ended)."""
    first = max(initiative.period_start.replace(day=1), datetime.date(year, 1, 1))
    last = min(initiative.last_day.replace(day=1), datetime.date(year, 12, 1))
    if first > last:
        return []
    return [datetime.date(year, month, 1) for month in range(first.month, last.month + 1)]


def anonymous_counts(initiative: Initiative, year: int) -> dict[datetime.date, AnonymousCount]:
    """The year's anonymous counts by month (one query)."""
    return {
        row.month: row
        for row in AnonymousCount.objects.filter(initiative=initiative, month__year=year)
    }


def initiative_url(initiative: Initiative) -> str:
    return reverse("followup:detail", args=[initiative.pk])
