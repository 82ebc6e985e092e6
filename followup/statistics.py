"""The statistics of the follow-up (#10 § 5): per insats and for the whole förbund, for a year
or a period, by kön, every count suppressed as followup.suppression says.

The database counts: each figure is an aggregate (values().annotate(Count) or a conditional
Count), grouped by insats, so that one call costs the same fixed number of queries whatever the
number of participants and insatser (see statistics_for). Python only adds the grouped rows up
into the förbund's figures and the tables.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import (
    CharField,
    Count,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import ExtractYear

from applications.models import Application, Initiative, ParticipantTarget
from finsam.models import Association
from followup.models import (
    AGE_BANDS,
    AnonymousCount,
    Education,
    ExitReason,
    Gender,
    IncomeSource,
    Occupation,
    Participant,
    SupportTime,
)
from followup.selectors import PARTICIPANTS, WORK_OR_STUDIES, active_between
from followup.suppression import ByGender, Table, count, table
from followup.suppression import Count as Shown

GENDERS = (Gender.WOMAN, Gender.MAN)
GENDER_COLUMNS = ["Kvinnor", "Män"]
# The longest period a page shows month by month.
MAX_MONTHS = 60

# Sysselsättning as the follow-up reports it before and after: "ingen" is "övrigt".
OCCUPATION_GROUPS = [
    (Occupation.EMPLOYED, "Förvärvsarbete"),
    (Occupation.STUDIES, "Studier"),
    (Occupation.JOB_SEEKING, "Arbetssökande"),
    (Occupation.NONE, "Övrigt"),
]

# Time in the insats, for those who ended: (upper bound in days, exclusive; label).
DURATION_BANDS = [
    (91, "Under 3 månader"),
    (183, "3–6 månader"),
    (366, "6–12 månader"),
    (731, "1–2 år"),
    (None, "Över 2 år"),
]


def age_band_labels() -> list[str]:
    return [f"{low}–{high}" if high else f"{low}–" for low, high in AGE_BANDS]


class _AgeBand(Expression):
    """The participant's age band at start, computed by the database: a CASE around the age's
    SQL, compiled once (a Case of Whens costs the ORM more CPU than the query costs)."""

    def __init__(self, age=None):
        super().__init__(output_field=CharField())
        self.age = age if age is not None else ExtractYear("started_on") - F("birth_year")

    def get_source_expressions(self):
        return [self.age]

    def set_source_expressions(self, expressions):
        (self.age,) = expressions

    def as_sql(self, compiler, connection):
        age, age_params = compiler.compile(self.age)
        whens, params = [], []
        for (low, high), label in zip(AGE_BANDS, age_band_labels(), strict=True):
            if high is None:
                whens.append(f"WHEN ({age}) >= %s THEN %s")
                params += [*age_params, low, label]
            else:
                whens.append(f"WHEN ({age}) BETWEEN %s AND %s THEN %s")
                params += [*age_params, low, high, label]
        return f"CASE {' '.join(whens)} ELSE %s END", [*params, "–"]


def _duration_band(days: int) -> str:
    """The band of a time in the insats of ``days`` days."""
    for upper, label in DURATION_BANDS:
        if upper is None or days < upper:
            return label
    raise AssertionError("the last band has no upper bound")


@dataclass(frozen=True)
class Period:
    """A chosen year or period, whole months."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def label(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            if self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.year}–{self.end.year}"
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    @property
    def months(self) -> list[datetime.date]:
        months = []
        month = self.start.replace(day=1)
        while month <= self.end and len(months) < MAX_MONTHS:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def _month_end(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


@dataclass
class Raw:
    """Exact counts of one insats (or of the förbund: the sum of its insatser), keyed by what
    they count. Never shown as they are: Statistics makes the publishable tables of them."""

    counts: Counter = field(default_factory=Counter)
    durations: Counter = field(default_factory=Counter)  # days in the insats → how many

    def __add__(self, other: "Raw") -> "Raw":
        return Raw(self.counts + other.counts, self.durations + other.durations)

    def get(self, *key) -> int:
        return self.counts[key]


@dataclass
class TargetRow:
    initiative: Initiative
    text: str
    number: int
    measure: str
    outcome: Shown


@dataclass
class Statistics:
    """What a statistics page, the PDF and the charts show for one insats or the förbund: the
    flow by kön at once, the tables when first read. The förbund's page shows only the flow of
    each of its (over a hundred) insatser, so their tables are never built there."""

    period: Period
    raw: Raw = field(repr=False)
    started: ByGender
    took_part: ByGender
    active_at_end: ByGender
    ended: ByGender
    anonymous: ByGender  # anonyma deltagare counted in the period's months
    work_or_studies_after: ByGender
    median_days: int | None  # None where fewer than five ended
    # False for an insats of the förbund's page: only its flow was counted, not its tables.
    complete: bool = True

    def _counted(self) -> Raw:
        if not self.complete:
            raise ValueError("Only the flow was counted: statistics_for(each_in_full=True).")
        return self.raw

    @property
    def tables(self) -> list[Table]:
        return [
            self.age,
            self.education,
            self.support_time,
            self.occupation,
            self.income,
            self.exit_reasons,
            self.duration,
        ]

    @property
    def median_months(self) -> str:
        if self.median_days is None:
            return "visas inte (färre än 5 avslutade)"
        months = self.median_days / 30.44
        return f"{months:.1f}".replace(".", ",") + " månader"

    @cached_property
    def age(self) -> Table:
        return table(
            "Ålder vid start (registrerade deltagare som deltog under perioden)",
            GENDER_COLUMNS,
            [
                (band, [self._counted().get("age", band, g) for g in GENDERS])
                for band in age_band_labels()
            ],
            row_heading="Ålder",
        )

    @cached_property
    def education(self) -> Table:
        return _gender_table(
            self._counted(),
            "Högsta utbildning (registrerade deltagare som deltog under perioden)",
            "education",
            Education.choices,
            "Utbildning",
        )

    @cached_property
    def support_time(self) -> Table:
        return _gender_table(
            self._counted(),
            "Tid med offentlig försörjning före start (registrerade deltagare som deltog under "
            "perioden)",
            "support_time",
            SupportTime.choices,
            "Tid",
        )

    @cached_property
    def occupation(self) -> Table:
        return table(
            "Sysselsättning före och efter, för dem som avslutade under perioden",
            ["Kvinnor före", "Kvinnor efter", "Män före", "Män efter"],
            [
                (
                    label,
                    [
                        self._counted().get(moment, value, g)
                        for g in GENDERS
                        for moment in ("occupation_start", "occupation_end")
                    ],
                )
                for value, label in OCCUPATION_GROUPS
            ],
            row_totals=False,
            row_heading="Sysselsättning",
        )

    @cached_property
    def income(self) -> Table:
        return table(
            "Försörjning före (rader) och efter (kolumner), för dem som avslutade under perioden",
            [str(label) for label in IncomeSource.labels],
            [
                (
                    str(before_label),
                    [self._counted().get("income", before, after) for after in IncomeSource.values],
                )
                for before, before_label in IncomeSource.choices
            ],
            row_heading="Före \\ efter",
        )

    @cached_property
    def exit_reasons(self) -> Table:
        return _gender_table(
            self._counted(),
            "Avslutsorsak (avslutade under perioden)",
            "exit_reason",
            ExitReason.choices,
            "Avslutsorsak",
        )

    @cached_property
    def duration(self) -> Table:
        return table(
            "Tid i insatsen (avslutade under perioden)",
            GENDER_COLUMNS,
            [
                (label, [self._counted().get("duration", label, g) for g in GENDERS])
                for _days, label in DURATION_BANDS
            ],
            row_heading="Tid",
        )

    @cached_property
    def over_time(self) -> Table:
        return table(
            "Deltagare per månad (registrerade som deltog någon dag i månaden och anonyma som "
            "började i månaden)",
            GENDER_COLUMNS,
            [
                (f"{month:%Y-%m}", [self._counted().get("month", month, g) for g in GENDERS])
                for month in self.period.months
            ],
            # A month's women and men are not summed: the chart shows them apart, and
            # summing would hide more of them (a sum beside a <5 gives it away).
            row_totals=False,
            column_totals=False,
            row_heading="Månad",
        )


def _by_gender(raw: Raw, key: str) -> ByGender:
    return ByGender.of(raw.get(key, Gender.WOMAN), raw.get(key, Gender.MAN))


def _gender_table(raw: Raw, caption: str, key: str, choices, heading: str) -> Table:
    return table(
        caption,
        GENDER_COLUMNS,
        [(str(label), [raw.get(key, value, g) for g in GENDERS]) for value, label in choices],
        row_heading=heading,
    )


def _median(counts: Counter) -> float:
    """The median of the values counted (days → how many), without listing each one."""
    size = sum(counts.values())
    wanted = {(size - 1) // 2, size // 2}
    found = []
    seen = 0
    for value in sorted(counts):
        here = counts[value]
        found += [value for position in wanted if seen <= position < seen + here]
        seen += here
    return sum(found) / len(found) if len(wanted) == 2 else found[0]


def build(raw: Raw, period: Period, *, complete: bool = True) -> Statistics:
    """The publishable figures of ``raw``: every count suppressed, every total checked (the
    tables when first read)."""
    ended_count = raw.get("ended", Gender.WOMAN) + raw.get("ended", Gender.MAN)
    median = None
    if ended_count >= 5 and raw.durations:
        median = round(_median(raw.durations))
    return Statistics(
        period=period,
        raw=raw,
        started=_by_gender(raw, "started"),
        took_part=_by_gender(raw, "took_part"),
        active_at_end=_by_gender(raw, "active_at_end"),
        ended=_by_gender(raw, "ended"),
        anonymous=_by_gender(raw, "anonymous"),
        work_or_studies_after=_by_gender(raw, "work_or_studies"),
        median_days=median,
        complete=complete,
    )


class CountWhere(Expression):
    """``COUNT(*) FILTER (WHERE …)`` over the participant's own columns, the condition written
    as SQL (``{t}`` the participant table, ``%s`` the parameters): the flow and its months are
    seventeen such counts, and building each from a Q costs the ORM more CPU than the query
    costs the database."""

    contains_aggregate = True

    def __init__(self, condition: str, *params):
        super().__init__(output_field=IntegerField())
        self.condition, self.params = condition, params

    def as_sql(self, compiler, connection):
        table = connection.ops.quote_name(Participant._meta.db_table)
        return f"COUNT(*) FILTER (WHERE {self.condition.format(t=table)})", list(self.params)


def active_count(start: datetime.date, end: datetime.date) -> CountWhere:
    """Counts those in the insats some day between ``start`` and ``end`` (active_between)."""
    return CountWhere(
        "{t}.started_on <= %s AND ({t}.ended_on IS NULL OR {t}.ended_on >= %s)", end, start
    )


def _participant_rows(
    participants: QuerySet, period: Period, *, each_in_full: bool
) -> dict[int | None, Raw]:
    """Three aggregate queries over the register's participants of the period. The first (the
    flow) is grouped by insats; the other two by insats where ``each_in_full``, else counted
    for the förbund alone, under the key None (fewer rows, for a page that shows only each
    insats's flow)."""
    start, end = period.start, period.end
    raws: dict[int | None, Raw] = {}
    # Every figure counts participants who took part some day of the period (an end is never
    # before its start): the others need not be read.
    participants = participants.filter(active_between(start, end))
    grouping = ("initiative",) if each_in_full else ()

    def raw(initiative_id) -> Raw:
        item = raws.get(initiative_id)  # not setdefault: a Raw per row read is two Counters
        if item is None:
            item = raws[initiative_id] = Raw()
        return item

    # 1. The flow by kön, and month by month.
    ended_in_period = "{t}.ended_on BETWEEN %s AND %s"
    flows = {
        "started": CountWhere("{t}.started_on BETWEEN %s AND %s", start, end),
        "took_part": active_count(start, end),
        "active_at_end": CountWhere(
            "{t}.started_on <= %s AND ({t}.ended_on IS NULL OR {t}.ended_on > %s)", end, end
        ),
        "ended": CountWhere(ended_in_period, start, end),
        "work_or_studies": CountWhere(
            ended_in_period + " AND {t}.occupation_end IN (%s, %s)",
            start,
            end,
            str(Occupation.EMPLOYED),
            str(Occupation.STUDIES),
        ),
    }
    months = {
        f"m{index}": (month, active_count(month, _month_end(month)))
        for index, month in enumerate(period.months)
    }
    for row in (
        participants.values("initiative", "gender")
        .annotate(**flows, **{name: counted for name, (_month, counted) in months.items()})
        .order_by()
    ):
        counts = raw(row["initiative"]).counts
        gender = row["gender"]
        for key in flows:
            counts[(key, gender)] += row[key]
        for name, (month, _counted) in months.items():
            counts[("month", month, gender)] += row[name]

    # 2. Who they were: those who took part some day of the period.
    for row in (
        participants.annotate(band=_AgeBand())
        .values(*grouping, "gender", "band", "education", "support_time")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts = raw(row.get("initiative")).counts
        counts[("age", row["band"], row["gender"])] += row["n"]
        counts[("education", row["education"], row["gender"])] += row["n"]
        counts[("support_time", row["support_time"], row["gender"])] += row["n"]

    # 3. Those who ended in the period: before → after, why, and how long. One query
    # grouped by all of it rather than one a table: grouped by the days as well, it returns about
    # a row per participant who ended whichever way (issue #12: two queries less a page).
    ended = participants.filter(ended_on__range=(start, end))
    days = ExpressionWrapper(F("ended_on") - F("started_on"), output_field=DurationField())
    for row in (
        ended.annotate(days=days)
        .values(
            *grouping,
            "gender",
            "occupation_start",
            "occupation_end",
            "income_source_start",
            "income_source_end",
            "exit_reason",
            "days",
        )
        .annotate(n=Count("pk"))
        .order_by()
    ):
        item = raw(row.get("initiative"))
        counts, gender, n, in_days = item.counts, row["gender"], row["n"], row["days"].days
        counts[("occupation_start", row["occupation_start"], gender)] += n
        counts[("occupation_end", row["occupation_end"], gender)] += n
        counts[("income", row["income_source_start"], row["income_source_end"])] += n
        counts[("exit_reason", row["exit_reason"], gender)] += n
        counts[("duration", _duration_band(in_days), gender)] += n
        item.durations[in_days] += n
    return raws


def _anonymous_rows(anonymous: QuerySet, period: Period, raws: dict[int, Raw]) -> None:
    """The anonymous counts of the period's months (one query): they started, and took part,
    in the month they are counted in."""
    for row in (
        anonymous.filter(month__range=(period.start.replace(day=1), period.end))
        .values("initiative", "month", "women", "men")
        .order_by()
    ):
        item = raws.get(row["initiative"])
        if item is None:
            item = raws[row["initiative"]] = Raw()
        counts = item.counts
        for gender, key in ((Gender.WOMAN, "women"), (Gender.MAN, "men")):
            for what in ("started", "took_part", "anonymous"):
                counts[(what, gender)] += row[key]
            counts[("month", row["month"], gender)] += row[key]


@dataclass
class AssociationStatistics:
    """The förbund's statistics: its own figures, each insats's, and the targets."""

    period: Period
    total: Statistics
    initiatives: list[tuple[Initiative, Statistics]]
    targets: list[TargetRow]


def statistics_for(
    *,
    association: Association,
    period: Period,
    initiative: Initiative | None = None,
    each_in_full: bool = False,
) -> AssociationStatistics:
    """The statistics of the förbund's insatser (or of one) for ``period``: eight queries
    (seven for one insats), however many participants and insatser there are (the insatser,
    unless ``initiative``, which the caller has read; three over the register; the
    anonymous counts; the targets; and, where there are targets, the outcomes since start from
    the register and from the anonymous counts).

    The insatser are those that ran, or had participants, some day of the period; each with its
    flow, and with its tables too where ``each_in_full`` (the PDF): the förbund's page shows
    only each insats's flow beside the förbund's tables."""
    if initiative is not None:
        # The caller has read the insats through its access check: not read again.
        if initiative.association_id != association.pk:
            raise ValueError("The insats is another förbund's.")
        initiatives = [initiative]
    else:
        initiatives = list(
            Initiative.objects.for_association(association)
            .only("pk", "name", "period_start", "period_end", "ended_on")
            .order_by("name")
        )
    participants = Participant.objects.for_association(association)
    anonymous = AnonymousCount.objects.filter(initiative__association=association)
    if initiative is not None:
        participants = participants.filter(initiative=initiative)
        anonymous = anonymous.filter(initiative=initiative)
    raws = _participant_rows(participants, period, each_in_full=each_in_full)
    _anonymous_rows(anonymous, period, raws)
    total = Raw()
    for item in raws.values():  # in place: a Counter per insats added up is a copy per insats
        total.counts.update(item.counts)
        total.durations.update(item.durations)
    by_initiative = [
        (item, build(raws.get(item.pk, Raw()), period, complete=each_in_full))
        for item in initiatives
        if item.pk in raws or _overlaps(item, period)
    ]
    total_statistics = build(total, period)
    if initiative is None and by_initiative:
        # The förbund's flow is the sum of the insatser's, which the page shows beside it: a
        # sum is hidden where it, less the insatser's exact counts, would tell a small one.
        for name in FLOWS:
            setattr(
                total_statistics,
                name,
                ByGender.summed([getattr(item, name) for _item, item in by_initiative]),
            )
    # The targets of the insatser shown (of the one insats asked for, whenever it ran).
    shown = initiatives if initiative is not None else [item for item, _ in by_initiative]
    return AssociationStatistics(
        period=period,
        total=total_statistics,
        initiatives=by_initiative,
        targets=_targets(shown, participants, anonymous),
    )


FLOWS = (
    "started",
    "took_part",
    "active_at_end",
    "ended",
    "anonymous",
    "work_or_studies_after",
)


def _overlaps(initiative: Initiative, period: Period) -> bool:
    return initiative.period_start <= period.end and initiative.last_day >= period.start


def _targets(initiatives: list[Initiative], participants, anonymous) -> list[TargetRow]:
    """Each numeric target of the insatser's granted applications beside the count it is
    measured by, since the insats started, as the insats page counts it (three queries)."""
    by_pk = {item.pk: item for item in initiatives}
    # Plain values: an application row is wide, and only its insats is needed.
    targets = list(
        ParticipantTarget.objects.filter(
            application__initiative__in=list(by_pk),
            application__state__in=[
                Application.State.GRANTED,
                Application.State.PARTLY_GRANTED,
            ],
        )
        .order_by("application__initiative__name", "application__date", "pk")
        .values_list("application__initiative", "text", "number")
    )
    if not targets:
        return []
    participants = participants.filter(initiative__in=list(by_pk))
    anonymous = anonymous.filter(initiative__in=list(by_pk))
    outcome = {
        row["initiative"]: row
        for row in participants.values("initiative")
        .annotate(
            started=Count("pk"),
            work_or_studies=Count(
                "pk", filter=Q(exit_reason__in=[ExitReason.WORK, ExitReason.STUDIES])
            ),
        )
        .order_by()
    }
    counted = {
        row["initiative"]: (row["women"] or 0) + (row["men"] or 0)
        for row in anonymous.values("initiative")
        .annotate(women=Sum("women"), men=Sum("men"))
        .order_by()
    }
    rows = []
    for pk, text, number in targets:
        registered = outcome.get(pk, {"started": 0, "work_or_studies": 0})
        if "arbete" in text.lower() or "studie" in text.lower():
            measure, value = WORK_OR_STUDIES, registered["work_or_studies"]
        else:
            measure, value = PARTICIPANTS, registered["started"] + counted.get(pk, 0)
        rows.append(TargetRow(by_pk[pk], text, number, measure, count(value)))
    return rows
