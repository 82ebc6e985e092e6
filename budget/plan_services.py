"""Every change to the Verksamhetsplan med budget: keyword-only with typed values, atomic, with
the acting user in the history; a refusal is a PlanError with a Swedish message.

The plan reads the other apps and writes nothing of theirs: it goes on a board meeting's agenda
through applications.services.agenda_item_add (a "budget" item), and its adoption adopts the
budget version it names through budget.services.version_adopt, in the same transaction."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from applications import services as application_services
from applications.models import AgendaItem, Decision, Meeting
from budget import plan_selectors, services
from budget.models import BudgetVersion
from budget.plan_models import Plan, PlanSection
from finsam import concurrency
from finsam.bounds import require_within_bounds
from finsam.concurrency import check_unchanged
from finsam.errors import DomainError
from finsam.models import Association, User

Part = PlanSection.Part

# The headings the seeds' plans use (000, 001, 003, 004), for a förbund's first plan.
DEFAULT_HEADINGS = [
    "Inledning",
    "Övergripande mål, syfte och centrala begrepp",
    "Förbundets uppgifter",
    "Målgrupper",
    "Inriktning i samverkansarbetet",
    "Organisation",
    "Verksamhet och insatser",
    "Uppföljning och utvärdering",
    "Information",
    "Kompetensutveckling",
    "Nätverk och omvärldsbevakning",
    "Budget",
]
MAX_SPAN_YEARS = 4
HEADING_MAX = 200
TEXT_MAX = 50_000
# Seed 004 has twelve sections; a plan of a hundred is no plan, and every section is a row on
# the plan's page and in its PDF.
SECTIONS_MAX = 60

YEARS_ORDER = "Planens sista år kan inte ligga före dess första år."
SPAN_TOO_LONG = "En verksamhetsplan omfattar högst {years} år."
YEAR_OUT_OF_RANGE = "Ange ett år mellan 2000 och 2100."
YEAR_TAKEN = (
    "Det finns redan en verksamhetsplan för {year} (version {number}); arbeta vidare i den "
    "eller revidera den."
)
FROZEN = "Verksamhetsplanen är antagen och kan inte ändras; gör en ny version för att revidera den."
HEADING_EMPTY = "Ange en rubrik för avsnittet."
HEADING_TOO_LONG = "Rubriken får vara högst {max} tecken."
TEXT_TOO_LONG = "Texten får vara högst {max} tecken."
PART_TAKEN = "Delen {part} finns redan under rubriken ”{heading}”; en del visas en gång."
UNKNOWN_PART = "Okänd genererad del."
SECTION_FIRST = "”{heading}” är redan det första avsnittet."
SECTION_LAST = "”{heading}” är redan det sista avsnittet."
LAST_SECTION = "Planen måste ha minst ett avsnitt."
TOO_MANY_SECTIONS = "En verksamhetsplan har högst {max} avsnitt; slå ihop några."
WRONG_VERSION = "Budgetversionen hör inte till förbundets budget för {year}."
NOT_A_BOARD_MEETING = "Planen antas av styrelsen; välj ett av styrelsens sammanträden."
ALREADY_ON_AGENDA = "Planen står redan på dagordningen för {meeting}."
NO_BUDGET_VERSION = (
    "Planen antas tillsammans med budgeten; välj först vilken budgetversion för {year} den gäller."
)
NOT_ADOPTING_ITEM = (
    "Ärendet är inte ett beslutat budgetärende i ett justerat protokoll från det här förbundets "
    "styrelse."
)
NOTHING_TO_REVISE = "Bara en antagen verksamhetsplan kan revideras."
DRAFT_EXISTS = "Det finns redan ett utkast (version {number}) för {year}; arbeta vidare i det."
ADOPTED_ON_LABEL = "Antagen den"
# What someone else changed meanwhile (finsam.errors.ChangedMeanwhile: "Någon annan har ändrat …").
DETAILS_WHAT = "planens uppgifter"
SECTION_WHAT = "avsnittet"
SCHEDULE_WHAT = "planens plats på dagordningen"


# The fingerprints (finsam/concurrency.py) of what each of the plan's forms shows: the page
# computes them from the plan it shows, the service from the locked row.
def details_fingerprint(plan: Plan) -> str:
    return concurrency.fingerprint(plan.dnr, plan.budget_version_id)


def section_fingerprint(section: PlanSection) -> str:
    return concurrency.fingerprint(section.heading, section.text, section.part)


def schedule_fingerprint(plan: Plan) -> str:
    return concurrency.fingerprint(plan.agenda_item_id)


class PlanError(DomainError):
    """A change to the verksamhetsplan refused; the message says why, in Swedish."""


def _lock(plan: Plan) -> Plan:
    """The plan's row, locked for the transaction, so that adoption and an edit of a section
    cannot interleave (an edit would otherwise land in a plan frozen a moment before)."""
    return Plan.objects.select_for_update().select_related("association").get(pk=plan.pk)


def _require_draft(plan: Plan) -> None:
    if plan.state != Plan.State.DRAFT:
        raise PlanError(FROZEN)


def _heading(heading: str) -> str:
    heading = " ".join(heading.split())
    if not heading:
        raise PlanError(HEADING_EMPTY)
    if len(heading) > HEADING_MAX:
        raise PlanError(HEADING_TOO_LONG.format(max=HEADING_MAX))
    return heading


def _check_years(first_year: int, last_year: int) -> None:
    if not (2000 <= first_year <= 2100 and 2000 <= last_year <= 2100):
        raise PlanError(YEAR_OUT_OF_RANGE)
    if last_year < first_year:
        raise PlanError(YEARS_ORDER)
    if last_year - first_year + 1 > MAX_SPAN_YEARS:
        raise PlanError(SPAN_TOO_LONG.format(years=MAX_SPAN_YEARS))


def _copy_sections(user: User, plan: Plan, sections: list[tuple[str, str, str]]) -> None:
    bulk_create_with_history(
        [
            PlanSection(plan=plan, position=position, heading=heading, text=text, part=part)
            for position, (heading, text, part) in enumerate(sections, start=1)
        ],
        PlanSection,
        default_user=user,
    )


@transaction.atomic
def plan_create(
    *,
    user: User,
    association: Association,
    first_year: int,
    last_year: int | None = None,
    dnr: str = "",
) -> Plan:
    """A new plan, version 1, naming the latest version of the first year's budget. Its
    narrative is a copy of the previous plan's (headings, texts and placed parts), else the
    seeds' headings, empty."""
    last_year = first_year if last_year is None else last_year
    _check_years(first_year, last_year)
    # Two officers starting the same year's plan at once must not both pass the check below.
    Association.objects.select_for_update().get(pk=association.pk)
    existing = Plan.objects.for_association(association).filter(first_year=first_year)
    if other := existing.order_by("-number").first():
        raise PlanError(YEAR_TAKEN.format(year=first_year, number=other.number))
    plan = Plan(
        association=association,
        first_year=first_year,
        last_year=last_year,
        dnr=dnr.strip(),
        budget_version=plan_selectors.budget_version_for_year(association, first_year),
        created_by=user,
    )
    plan._history_user = user
    plan.save()
    source = plan_selectors.previous_plan(association, first_year)
    if source is not None:
        sections = [(s.heading, s.text, s.part) for s in source.sections.all()]
    else:
        sections = [(heading, "", "") for heading in DEFAULT_HEADINGS]
    _copy_sections(user, plan, sections)
    return plan


@transaction.atomic
def plan_update(
    *,
    user: User,
    plan: Plan,
    dnr: str,
    budget_version: BudgetVersion | None,
    fingerprint: str | None = None,
) -> Plan:
    """The draft's Dnr and the version of the first year's budget it is adopted with.
    ``fingerprint`` is ``details_fingerprint`` of the plan the form showed (None: not checked)."""
    plan = _lock(plan)
    _require_draft(plan)
    check_unchanged(fingerprint, details_fingerprint(plan), what=DETAILS_WHAT)
    if (
        budget_version is not None
        and not plan_selectors.budget_versions_for_year(plan.association, plan.first_year)
        .filter(pk=budget_version.pk)
        .exists()
    ):
        raise PlanError(WRONG_VERSION.format(year=plan.first_year))
    plan.dnr = dnr.strip()
    plan.budget_version = budget_version
    plan._history_user = user
    plan.save()
    return plan


def _section(section: PlanSection) -> tuple[Plan, PlanSection]:
    """The section's plan locked and required to be a draft, and the section read again."""
    plan = _lock(section.plan)
    _require_draft(plan)
    return plan, PlanSection.objects.get(pk=section.pk, plan=plan)


@transaction.atomic
def plan_section_add(*, user: User, plan: Plan, heading: str) -> PlanSection:
    """A new, empty section last in the plan."""
    plan = _lock(plan)
    _require_draft(plan)
    sections = plan.sections.aggregate(last=Max("position"), count=Count("pk"))
    if sections["count"] >= SECTIONS_MAX:
        raise PlanError(TOO_MANY_SECTIONS.format(max=SECTIONS_MAX))
    last = sections["last"] or 0
    section = PlanSection(plan=plan, position=last + 1, heading=_heading(heading))
    section._history_user = user
    section.save()
    return section


@transaction.atomic
def plan_section_save(
    *,
    user: User,
    section: PlanSection,
    heading: str,
    text: str,
    part: str = "",
    fingerprint: str | None = None,
) -> PlanSection:
    """The section's heading, its text (Markdown; only the Markdown is stored) and the generated
    part it places, if any. A part is placed once in a plan. ``fingerprint`` is
    ``section_fingerprint`` of the section the form showed (None: not checked)."""
    plan, section = _section(section)
    check_unchanged(fingerprint, section_fingerprint(section), what=SECTION_WHAT)
    heading = _heading(heading)
    text = text.replace("\r\n", "\n").strip("\n")
    if len(text) > TEXT_MAX:
        raise PlanError(TEXT_TOO_LONG.format(max=TEXT_MAX))
    if part not in Part.values:
        raise PlanError(UNKNOWN_PART)
    if part:
        other = plan.sections.filter(part=part).exclude(pk=section.pk).first()
        if other is not None:
            raise PlanError(PART_TAKEN.format(part=Part(part).label, heading=other.heading))
    if (section.heading, section.text, section.part) == (heading, text, part):
        return section
    section.heading, section.text, section.part = heading, text, part
    section._history_user = user
    section.save()
    return section


@transaction.atomic
def plan_section_move(*, user: User, section: PlanSection, up: bool) -> PlanSection:
    """One step up or down, swapping places with the neighbouring section."""
    plan, section = _section(section)
    sections = plan.sections.all()
    neighbour = (
        sections.filter(position__lt=section.position).order_by("-position").first()
        if up
        else sections.filter(position__gt=section.position).order_by("position").first()
    )
    if neighbour is None:
        raise PlanError((SECTION_FIRST if up else SECTION_LAST).format(heading=section.heading))
    mine, theirs = section.position, neighbour.position
    # Through position 0 (never used), as the pair must not share a position on the way.
    for item, position in ((section, 0), (neighbour, mine), (section, theirs)):
        item.position = position
        item._history_user = user
        item.save(update_fields=["position"])
    return section


@transaction.atomic
def plan_section_remove(*, user: User, section: PlanSection) -> None:
    """Takes a section, its text and its part out of the draft; a plan keeps at least one."""
    plan, section = _section(section)
    if plan.sections.count() == 1:
        raise PlanError(LAST_SECTION)
    section._history_user = user
    section.delete()


@transaction.atomic
def plan_schedule(
    *,
    user: User,
    plan: Plan,
    meeting: Meeting,
    presenter: str = "",
    fingerprint: str | None = None,
) -> AgendaItem:
    """Puts the draft on a board meeting's agenda as a budget item ("Verksamhetsplan med budget
    2027"), the item whose decision will adopt the plan and its budget version together.
    ``fingerprint`` is ``schedule_fingerprint`` of the plan the form showed (None: not checked)."""
    plan = _lock(plan)
    _require_draft(plan)
    check_unchanged(fingerprint, schedule_fingerprint(plan), what=SCHEDULE_WHAT)
    if meeting.body != Meeting.Body.BOARD or meeting.association_id != plan.association_id:
        raise PlanError(NOT_A_BOARD_MEETING)
    current = plan.agenda_item
    if current is not None and current.meeting.cancelled_at is None:
        raise PlanError(ALREADY_ON_AGENDA.format(meeting=current.meeting))
    item = application_services.agenda_item_add(
        user=user,
        meeting=meeting,
        kind=AgendaItem.Kind.BUDGET,
        title=plan.title,
        presenter=presenter,
    )
    plan.agenda_item = item
    plan._history_user = user
    plan.save()
    return item


def _require_adopting_item(plan: Plan, item: AgendaItem) -> None:
    meeting = item.meeting
    if (
        item.kind != AgendaItem.Kind.BUDGET
        or meeting.association_id != plan.association_id
        or meeting.body != Meeting.Body.BOARD
        or meeting.approved_at is None
        or not Decision.objects.filter(agenda_item=item).exists()
    ):
        raise PlanError(NOT_ADOPTING_ITEM)


def _store_pdf(plan: Plan, content: bytes) -> None:
    plan.pdf_sha256 = hashlib.sha256(content).hexdigest()
    filename = f"verksamhetsplan-{plan.first_year}-{plan.last_year}-v{plan.number}.pdf"
    # Through the default storage (S3-compatible in production); the name it returns is kept.
    plan.pdf.save(filename, ContentFile(content), save=False)


@transaction.atomic
def plan_adopt(*, user: User, plan: Plan, agenda_item: AgendaItem) -> Plan:
    """Antagen: the board's decision on a budget item, once its minutes are justerade, adopts the
    plan and the budget version it names together (the version through version_adopt, unless it
    is adopted already). The PDF is rendered once, here, and stored with its SHA-256; from now on
    it is served as stored and the plan refuses every change."""
    from budget import plan_exports  # WeasyPrint is imported only where a PDF is made

    plan = _lock(plan)
    _require_draft(plan)
    agenda_item = AgendaItem.objects.select_related("meeting").get(pk=agenda_item.pk)
    _require_adopting_item(plan, agenda_item)
    version = plan.budget_version
    if version is None:
        raise PlanError(NO_BUDGET_VERSION.format(year=plan.first_year))
    adopted_on = timezone.localdate(agenda_item.meeting.starts_at)
    require_within_bounds(dates={ADOPTED_ON_LABEL: adopted_on})
    if version.state == BudgetVersion.State.DRAFT:
        version = services.version_adopt(user=user, version=version, agenda_item=agenda_item)
        plan.budget_version = version
    plan.state = Plan.State.ADOPTED
    plan.adopted_on = adopted_on
    plan.agenda_item = agenda_item
    content = plan_exports.plan_pdf(plan)
    _store_pdf(plan, content)
    try:
        plan._history_user = user
        plan.save()
    except Exception:
        default_storage.delete(plan.pdf.name)  # nothing adopted: no stray file either
        raise
    return plan


@transaction.atomic
def plan_revise(*, user: User, plan: Plan) -> Plan:
    """A new draft version from an adopted plan: its years, Dnr, sections and parts, naming the
    latest version of the first year's budget. The adopted version stays as it was."""
    plan = _lock(plan)
    if plan.state != Plan.State.ADOPTED:
        raise PlanError(NOTHING_TO_REVISE)
    versions = Plan.objects.for_association(plan.association).filter(first_year=plan.first_year)
    latest = versions.order_by("-number").first()
    if latest.state == Plan.State.DRAFT:
        raise PlanError(DRAFT_EXISTS.format(number=latest.number, year=plan.first_year))
    revision = Plan(
        association=plan.association,
        first_year=plan.first_year,
        last_year=plan.last_year,
        number=latest.number + 1,
        dnr=plan.dnr,
        budget_version=plan_selectors.budget_version_for_year(plan.association, plan.first_year),
        created_by=user,
    )
    revision._history_user = user
    revision.save()
    _copy_sections(user, revision, [(s.heading, s.text, s.part) for s in plan.sections.all()])
    return revision
