"""Reads of applications: lists with filters, the page with its rows, the budget summary and
what a draft lacks. Each with a fixed number of queries."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from applications.models import (
    AgendaItem,
    Application,
    Assessment,
    AssessmentAmount,
    BudgetRow,
    Decision,
    DecisionAmount,
    MinutesExtract,
    Orientation,
    PartyCommitment,
    StateChange,
    dnr_text,
)
from finsam.expressions import Rank
from finsam.models import Association, PreparationGroupSeat, Role, User
from finsam.money import format_tkr
from finsam.templatetags.finsam_shell import pk_url

DNR_PATTERN = re.compile(r"^\s*(\d{4})-0*(\d{1,5})\s*$")


def applications_for(*, association: Association, role: str) -> QuerySet[Application]:
    """The applications a role may read in the förbund."""
    return Application.objects.for_association(association).visible_to(role)


def linked_for(*, association: Association, role: str) -> QuerySet[Application]:
    """The linked applications a role may read, as pages name them (diarienummer and name)."""
    return applications_for(association=association, role=role).only(
        "dnr_year", "dnr_number", "name"
    )


def application_list(
    *,
    association: Association,
    role: str,
    filters: dict,
    order_by: tuple[str, ...],
    target_groups: bool = True,
) -> QuerySet[Application]:
    """The list page and its Excel export: filtered, searched and sorted.

    Costs one query for the rows (with their owner) and, with ``target_groups``, one for their
    target groups, whatever the number of rows (the page reads them with application_rows)."""
    applications = applications_for(association=association, role=role)
    if filters.get("state"):
        applications = applications.filter(state=filters["state"])
    if filters.get("year"):
        year = filters["year"]
        # Registered that year, or running in it (a 2026 application for 2027–2028 is found
        # under 2026, 2027 and 2028).
        applications = applications.filter(
            Q(dnr_year=year)
            | Q(dnr_year__isnull=True, date__year=year)
            | Q(period_start__year__lte=year, period_end__year__gte=year)
        )
    if filters.get("owner"):
        applications = applications.filter(owner=filters["owner"])
    if filters.get("orientation"):
        applications = applications.filter(orientation=filters["orientation"])
    if filters.get("target_group"):
        # EXISTS rather than a join: a join would need DISTINCT (an application with two of the
        # groups would come twice), and DISTINCT makes the paginator count every row with all
        # its subqueries instead of counting the ids alone.
        chosen = Application.target_groups.through.objects.filter(
            application=OuterRef("pk"), targetgroup=filters["target_group"]
        )
        applications = applications.filter(Exists(chosen))
    if filters.get("q"):
        applications = applications.filter(_search(filters["q"]))
    if target_groups:
        applications = applications.prefetch_related("target_groups")
    return (
        applications.select_related("owner")
        .annotate(
            granted=granted_total(), decided_paragraph=last_decision("agenda_item__paragraph")
        )
        .annotate(decided_on=last_decision("agenda_item__meeting__starts_at"))
        .order_by(*order_by)
    )


@dataclass(frozen=True)
class ApplicationRow:
    """A row of the application list as it is shown: plain text, the amount already in tkr."""

    pk: int
    url: str
    dnr: str
    name: str
    kind: str  # "" for a new application
    state: str
    state_label: str
    decided: str  # "§ 12, 2026-10-30" of the latest justerad decision, or ""
    granted: str  # tkr, or "–"
    owner: str
    orientation: str
    period: str
    target_groups: SafeString  # the names, each cut at 40 characters, one a line


# The values application_rows reads (for ``QuerySet.values``): the list leaves the long texts,
# and its 50 rows come as dicts rather than an application and an owner object each (issue #12:
# building the objects was a third of the page's Python).
APPLICATION_ROW_FIELDS = (
    "id",
    "dnr_year",
    "dnr_number",
    "name",
    "kind",
    "state",
    "orientation",
    "period_start",
    "period_end",
    "owner__name",
    "granted",
    "decided_paragraph",
    "decided_on",
)


def _cut(text: str, length: int = 40) -> str:
    """``text`` in at most ``length`` characters, an ellipsis ending what was cut (as the
    truncatechars filter, without its per-character Unicode walk)."""
    return text if len(text) <= length else f"{text[: length - 1]}…"


def application_rows(applications) -> list[ApplicationRow]:
    """The list page's rows of ``applications`` (as application_list reads them, without
    ``target_groups``, as dicts of APPLICATION_ROW_FIELDS): every label translated once for the
    page rather than once per row and cell, and the target groups' names read in one query,
    without a model object each."""
    applications = list(applications)
    groups: dict[int, list[str]] = {}
    chosen = Application.target_groups.through.objects.filter(
        application__in=[application["id"] for application in applications]
    ).order_by("targetgroup__position", "targetgroup__name", "targetgroup_id")
    for application_id, name in chosen.values_list("application_id", "targetgroup__name"):
        groups.setdefault(application_id, []).append(name)
    states = {value: str(label) for value, label in Application.State.choices}
    kinds = {value: str(label) for value, label in Application.Kind.choices}
    orientations = {value: str(label) for value, label in Orientation.choices}
    detail_url = pk_url("applications:detail")
    rows = []
    for application in applications:
        decided = ""
        if application["decided_paragraph"]:
            day = timezone.localtime(application["decided_on"])
            decided = f"§ {application['decided_paragraph']}, {day:%Y-%m-%d}"
        start, end = application["period_start"], application["period_end"]
        kind, state = application["kind"], application["state"]
        rows.append(
            ApplicationRow(
                pk=application["id"],
                url=detail_url(application["id"]),
                dnr=dnr_text(application["dnr_year"], application["dnr_number"]) or "–",
                name=application["name"],
                kind="" if kind == Application.Kind.NEW else kinds[kind],
                state=state,
                state_label=states[state],
                decided=decided,
                granted=format_tkr(application["granted"]) if application["granted"] else "–",
                owner=application["owner__name"] or "–",
                orientation=orientations.get(application["orientation"], "") or "–",
                period=f"{start:%Y-%m} – {end:%Y-%m}"
                if start and end
                else (f"{start:%Y-%m} – " if start else ""),
                target_groups=mark_safe(
                    "<br>".join(escape(_cut(name)) for name in groups.get(application["id"], ()))
                ),
            )
        )
    return rows


def granted_total() -> Subquery:
    """What justerade decisions granted the application, all years together (kronor). A
    subquery, so that the list's joins (target groups) cannot count an amount twice."""
    amounts = DecisionAmount.objects.filter(
        decision__agenda_item__application=OuterRef("pk"),
        decision__agenda_item__meeting__approved_at__isnull=False,
    )
    return Subquery(
        amounts.values("decision__agenda_item__application")
        .annotate(total=Sum("amount"))
        .values("total")
        # A sum has no order; Django would compile the default one (by year) and drop it.
        .order_by()
    )


def last_decision(field: str) -> Subquery:
    """A field of the application's latest justerad decision (its § or its meeting's date)."""
    latest = Decision.objects.filter(
        agenda_item__application=OuterRef("pk"), agenda_item__meeting__approved_at__isnull=False
    ).order_by("-agenda_item__meeting__starts_at")
    return Subquery(latest.values(field)[:1])


def workflow_order() -> Rank:
    """The states in the order an application lives through them (DESIGN.md § 3), for sorting
    by status; the alphabetical order of the stored values means nothing to a user."""
    return Rank("state", Application.State.values)


def _search(text: str) -> Q:
    query = Q(name__icontains=text) | Q(lead_name__icontains=text)
    dnr = DNR_PATTERN.match(text)
    if dnr:
        query |= Q(dnr_year=int(dnr.group(1)), dnr_number=int(dnr.group(2)))
    return query


def application_detail(*, association: Association, role: str, pk: int) -> Application:
    """One application with everything its page shows, for the roles that may read it.

    Raises Application.DoesNotExist for another förbund's application or one the role may not
    see, so the view answers 404."""
    # Who wrote or fastställde an assessment is in its history, not on the page: no join.
    assessments = Assessment.objects.prefetch_related("amounts")
    if role == Role.Kind.BOARD:
        # The board reads the beredningsgrupp's recommendation once the officer has made it final.
        assessments = assessments.filter(finalised_at__isnull=False)
    application = (
        applications_for(association=association, role=role)
        .select_related("owner", "initiative")
        .prefetch_related(
            "parties",
            "target_groups",
            "targets",
            "activities",
            Prefetch("commitments", PartyCommitment.objects.select_related("member")),
            "budget_rows",
            "planned_reports",
            Prefetch("assessments", assessments.order_by("round")),
            Prefetch(
                "state_changes",
                StateChange.objects.select_related("by").only(
                    "application",
                    "from_state",
                    "to_state",
                    "at",
                    "comment",
                    *User.name_fields("by"),
                ),
            ),
            Prefetch("linked", linked_for(association=association, role=role)),
        )
        .get(pk=pk)
    )
    # The förbund the caller read (the query asks for its applications only).
    application.association = association
    return application


def application_to_edit(*, association: Association, role: str, pk: int) -> Application:
    """One application with what its form shows beside the form's own reads: its parties,
    target groups and linked applications (the form's choices, the tables' rows and the choices
    are read by the form and its formsets). Raises Application.DoesNotExist as
    application_detail does."""
    return (
        applications_for(association=association, role=role)
        .prefetch_related(
            "parties",
            "target_groups",
            Prefetch("linked", linked_for(association=association, role=role)),
        )
        .get(pk=pk)
    )


def decided_items(application: Application) -> list[AgendaItem]:
    """The application's ärenden whose decisions have taken effect (the minutes are justerade),
    oldest first, with meeting, decision and amounts: two queries, and none for an application
    that never left the agenda (read from its prefetched timeline)."""
    timeline = application.state_changes.all()
    if not any(change.from_state == Application.State.ON_AGENDA for change in timeline):
        return []
    return list(
        AgendaItem.objects.filter(
            application=application, meeting__approved_at__isnull=False, decision__isnull=False
        )
        .select_related("meeting", "decision")
        .prefetch_related(
            "decision__amounts",
            Prefetch(
                "extracts",
                MinutesExtract.objects.select_related("sent_by").only(
                    "agenda_item", "sent_at", "recipients", *User.name_fields("sent_by")
                ),
            ),
        )
        .order_by("meeting__starts_at", "position")
    )


@dataclass
class BudgetYear:
    year: int
    costs: list[BudgetRow] = field(default_factory=list)
    income: list[BudgetRow] = field(default_factory=list)
    own_funds: list[BudgetRow] = field(default_factory=list)

    @property
    def total_costs(self) -> Decimal:
        return sum((row.amount for row in self.costs), Decimal(0))

    @property
    def total_income(self) -> Decimal:
        return sum((row.amount for row in self.income), Decimal(0))

    @property
    def total_own_funds(self) -> Decimal:
        return sum((row.amount for row in self.own_funds), Decimal(0))

    @property
    def sought(self) -> Decimal:
        """What the förbund is asked for: the costs less income and the parties' own funds."""
        return self.total_costs - self.total_income - self.total_own_funds


@dataclass
class BudgetSummary:
    years: list[BudgetYear]

    @property
    def total_costs(self) -> Decimal:
        return sum((year.total_costs for year in self.years), Decimal(0))

    @property
    def total_income(self) -> Decimal:
        return sum((year.total_income for year in self.years), Decimal(0))

    @property
    def total_own_funds(self) -> Decimal:
        return sum((year.total_own_funds for year in self.years), Decimal(0))

    @property
    def sought(self) -> Decimal:
        return sum((year.sought for year in self.years), Decimal(0))


def budget_summary(application: Application) -> BudgetSummary:
    """The budget per year, every sum computed from the rows (uses the prefetched rows)."""
    years: dict[int, BudgetYear] = {}
    for row in application.budget_rows.all():
        year = years.setdefault(row.year, BudgetYear(row.year))
        {
            BudgetRow.Kind.COST: year.costs,
            BudgetRow.Kind.INCOME: year.income,
            BudgetRow.Kind.OWN_FUNDS: year.own_funds,
        }[row.kind].append(row)
    return BudgetSummary([years[year] for year in sorted(years)])


REQUIRED_FOR_REGISTRATION = [
    "name",
    "owner",
    "lead_name",
    "lead_organisation",
    "period_start",
    "period_end",
    "purpose",
    "target_group_description",
    "cooperation_goals",
    "participant_goals",
    "activity_plan",
    "organisation",
    "followup",
    "implementation",
    "board_feedback",
]


def registration_missing(application: Application) -> list[str]:
    """What the application lacks to be registered, in the words of the form."""
    missing = []
    for name in REQUIRED_FOR_REGISTRATION:
        value = getattr(application, name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            missing.append(str(Application._meta.get_field(name).verbose_name))
    if not (application.lead_email or application.lead_phone):
        missing.append("insatsansvarigs e-post eller telefon")
    if not application.budget_rows.exists():
        missing.append("minst en budgetrad")
    return missing


def current_assessment(application: Application) -> Assessment | None:
    """The latest round's assessment, final or not."""
    return application.assessments.order_by("-round").first()


def recommended_amounts(application: Application) -> dict[int, Decimal]:
    """The beredning's recommended grant per year, from the latest final assessment (kronor);
    one query."""
    rows = AssessmentAmount.objects.filter(
        assessment__application=application, assessment__finalised_at__isnull=False
    ).order_by("assessment__round", "year")
    # A later round's amounts replace an earlier one's, year by year.
    return {row.year: row.amount for row in rows}


def extract_recipients(application: Application) -> list[str]:
    """Who gets a protokollsutdrag: the insatsansvarig, and the owner member's representatives
    in the beredningsgrupp (the member's contact with the förbund); one query."""
    addresses = [application.lead_email] if application.lead_email else []
    if application.owner_id:
        seats = PreparationGroupSeat.objects.filter(member_id=application.owner_id)
        addresses += [seat.person.email for seat in seats.select_related("person")]
    return list(dict.fromkeys(address for address in addresses if address))
