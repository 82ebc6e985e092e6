"""The verksamhetsplan's services: a new plan and its narrative, sections and generated parts,
the agenda, adoption together with the budget version, the frozen PDF and revisions."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from applications.models import AgendaItem, Meeting
from budget import plan_services, services
from budget.models import BudgetVersion, ChartLine, Plan, PlanSection
from budget.plan_selectors import PartReader
from budget.plan_services import DEFAULT_HEADINGS, PlanError
from finsam.models import BoardSeat, Member
from tests.factories import (
    AssociationFactory,
    BoardSeatFactory,
    InitiativeFactory,
    InitiativeGrantFactory,
    MeetingFactory,
    MemberFactory,
    OfficeStaffFactory,
    PersonFactory,
    PlanFactory,
    PlanSectionFactory,
    PreparationGroupSeatFactory,
    justerat_plan_decision,
)

Part = PlanSection.Part


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def budget_for(association, officer, year=2027, contributions=Decimal("5440000")):
    """A draft budget for the year: seed 004's chart, ägarbidrag and two costs."""
    budget = services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )
    version = budget.versions.get()
    chart = {line.name: line.pk for line in ChartLine.objects.for_association(association)}
    services.version_lines_save(
        user=officer,
        version=version,
        amounts={
            chart["Verksamhetens ägarbidrag"]: contributions,
            chart["Samordnare"]: Decimal("510000"),
            chart["Kontor"]: Decimal("39000"),
        },
    )
    return version


def create(association, officer, year=2027, **kwargs):
    return plan_services.plan_create(
        user=officer, association=association, first_year=year, **kwargs
    )


def headings(plan):
    return list(plan.sections.order_by("position").values_list("heading", flat=True))


@pytest.mark.django_db
def test_a_first_plan_has_the_seeds_headings_and_names_the_years_latest_budget_version(
    association, officer
):
    version = budget_for(association, officer)

    plan = create(association, officer, last_year=2029, dnr=" 2026-00012 ")

    assert headings(plan) == DEFAULT_HEADINGS
    assert plan.title == "Verksamhetsplan med budget 2027\u20132029"
    assert plan.budget_version == version
    assert (plan.state, plan.number, plan.dnr) == (Plan.State.DRAFT, 1, "2026-00012")
    assert plan.history.get().history_user == officer


@pytest.mark.django_db
def test_a_new_plan_copies_last_years_narrative_with_its_parts(association, officer):
    old = create(association, officer, year=2026)
    first = old.sections.order_by("position").first()
    plan_services.plan_section_save(
        user=officer,
        section=first,
        heading="Inledning 2026",
        text="Vi *prioriterar*.",
        part="budget",
    )
    plan_services.plan_section_add(user=officer, plan=old, heading="Egen rubrik")

    plan = create(association, officer, year=2027)

    copied = list(plan.sections.order_by("position").values_list("heading", "text", "part"))
    assert copied[0] == ("Inledning 2026", "Vi *prioriterar*.", "budget")
    assert copied[-1] == ("Egen rubrik", "", "")
    assert len(copied) == len(DEFAULT_HEADINGS) + 1
    assert plan.budget_version is None  # no budget for 2027 yet


@pytest.mark.django_db
def test_a_second_plan_for_the_same_year_is_refused(association, officer):
    create(association, officer)
    with pytest.raises(PlanError, match="Det finns redan en verksamhetsplan för 2027"):
        create(association, officer)
    assert Plan.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (2027, 2026, plan_services.YEARS_ORDER),
        (2027, 2031, "En verksamhetsplan omfattar högst 4 år."),
        (1999, 1999, plan_services.YEAR_OUT_OF_RANGE),
    ],
)
def test_a_plans_years_are_ordered_and_span_at_most_four(
    association, officer, first, last, message
):
    with pytest.raises(PlanError) as refused:
        create(association, officer, year=first, last_year=last)
    assert str(refused.value) == message
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_sections_are_added_renamed_moved_and_removed(association, officer):
    plan = create(association, officer)
    added = plan_services.plan_section_add(
        user=officer, plan=plan, heading="  Samverkan   med  regionen "
    )
    assert added.heading == "Samverkan med regionen"
    assert headings(plan)[-1] == "Samverkan med regionen"

    plan_services.plan_section_move(user=officer, section=added, up=True)
    assert headings(plan)[-2:] == ["Samverkan med regionen", "Budget"]

    plan_services.plan_section_save(user=officer, section=added, heading="Regionen", text="")
    plan_services.plan_section_remove(
        user=officer, section=plan.sections.get(heading="Information")
    )
    result = headings(plan)
    assert "Information" not in result
    assert result[-2:] == ["Regionen", "Budget"]

    first = plan.sections.order_by("position").first()
    with pytest.raises(PlanError, match=r"”Inledning” är redan det första avsnittet\."):
        plan_services.plan_section_move(user=officer, section=first, up=True)
    last = plan.sections.order_by("position").last()
    with pytest.raises(PlanError, match=r"”Budget” är redan det sista avsnittet\."):
        plan_services.plan_section_move(user=officer, section=last, up=False)


@pytest.mark.django_db
def test_a_plan_keeps_at_least_one_section(association, officer):
    plan = create(association, officer)
    sections = list(plan.sections.order_by("position"))
    for section in sections[:-1]:
        plan_services.plan_section_remove(user=officer, section=section)
    with pytest.raises(PlanError, match=plan_services.LAST_SECTION):
        plan_services.plan_section_remove(user=officer, section=sections[-1])
    assert plan.sections.count() == 1


@pytest.mark.django_db
def test_a_generated_part_is_placed_once(association, officer):
    plan = create(association, officer)
    first, second = plan.sections.order_by("position")[:2]
    plan_services.plan_section_save(
        user=officer, section=first, heading="Inledning", text="", part="board"
    )

    with pytest.raises(PlanError, match="Delen Styrelsen finns redan under rubriken ”Inledning”"):
        plan_services.plan_section_save(
            user=officer, section=second, heading=second.heading, text="", part="board"
        )
    with pytest.raises(PlanError, match=plan_services.UNKNOWN_PART):
        plan_services.plan_section_save(
            user=officer, section=second, heading=second.heading, text="", part="script"
        )
    assert plan.sections.filter(part="board").get() == first


@pytest.mark.django_db
def test_only_the_markdown_is_stored_never_html(association, officer):
    plan = create(association, officer)
    section = plan.sections.first()
    text = "Stycke med *betoning*.\r\n\r\n- ett\r\n- två\r\n\r\n<script>alert(1)</script>"

    plan_services.plan_section_save(user=officer, section=section, heading="Inledning", text=text)

    section.refresh_from_db()
    assert section.text == text.replace("\r\n", "\n")
    with pytest.raises(PlanError, match="Ange en rubrik"):
        plan_services.plan_section_save(user=officer, section=section, heading="  ", text="x")


@pytest.mark.django_db
def test_the_plan_names_only_a_version_of_its_first_years_budget(association, officer):
    budget_for(association, officer, year=2027)
    other = budget_for(association, officer, year=2028)
    plan = create(association, officer)

    with pytest.raises(PlanError, match="Budgetversionen hör inte till förbundets budget för 2027"):
        plan_services.plan_update(user=officer, plan=plan, dnr="", budget_version=other)

    plan_services.plan_update(user=officer, plan=plan, dnr="2026-00012", budget_version=None)
    plan.refresh_from_db()
    assert (plan.dnr, plan.budget_version) == ("2026-00012", None)


@pytest.mark.django_db
def test_the_plan_goes_on_a_board_meeting_as_a_budget_item(association, officer):
    plan = create(association, officer)
    meeting = MeetingFactory(association=association)

    item = plan_services.plan_schedule(user=officer, plan=plan, meeting=meeting, presenter="Karin")

    assert (item.kind, item.title, item.presenter) == (
        AgendaItem.Kind.BUDGET,
        "Verksamhetsplan med budget 2027",
        "Karin",
    )
    plan.refresh_from_db()
    assert plan.agenda_item == item
    with pytest.raises(PlanError, match="Planen står redan på dagordningen för Styrelsen"):
        plan_services.plan_schedule(user=officer, plan=plan, meeting=meeting)
    preparation = MeetingFactory(association=association, body=Meeting.Body.PREPARATION)
    other = create(association, officer, year=2028)
    with pytest.raises(PlanError, match=plan_services.NOT_A_BOARD_MEETING):
        plan_services.plan_schedule(user=officer, plan=other, meeting=preparation)


@pytest.mark.django_db
def test_adoption_adopts_the_plan_and_its_budget_version_and_stores_the_pdf(association, officer):
    version = budget_for(association, officer)
    plan = create(association, officer, dnr="2026-00012")
    item = justerat_plan_decision(plan, officer)

    adopted = plan_services.plan_adopt(user=officer, plan=plan, agenda_item=item)

    version.refresh_from_db()
    assert (version.state, version.agenda_item) == (BudgetVersion.State.ADOPTED, item)
    assert adopted.state == Plan.State.ADOPTED
    assert adopted.adopted_on == version.adopted_on == item.meeting.starts_at.date()
    assert adopted.agenda_item == item
    with default_storage.open(adopted.pdf.name, "rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == adopted.pdf_sha256
    assert adopted.pdf.name.startswith(f"verksamhetsplaner/{association.org_number}/")


@pytest.mark.django_db
def test_adoption_keeps_a_budget_version_already_adopted(association, officer):
    version = budget_for(association, officer)
    services.version_adopt(user=officer, version=version, adopted_on=datetime.date(2026, 11, 1))
    plan = create(association, officer)
    item = justerat_plan_decision(plan, officer)

    plan_services.plan_adopt(user=officer, plan=plan, agenda_item=item)

    version.refresh_from_db()
    assert (version.adopted_on, version.agenda_item) == (datetime.date(2026, 11, 1), None)


@pytest.mark.django_db
def test_adoption_needs_a_decided_budget_item_in_justerade_minutes(association, officer):
    budget_for(association, officer)
    plan = create(association, officer)
    meeting = MeetingFactory(association=association)
    item = plan_services.plan_schedule(user=officer, plan=plan, meeting=meeting)

    with pytest.raises(PlanError, match="justerat protokoll"):
        plan_services.plan_adopt(user=officer, plan=plan, agenda_item=item)

    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT
    assert not plan.pdf


@pytest.mark.django_db
def test_adoption_needs_a_budget_version(association, officer):
    plan = create(association, officer)
    item = justerat_plan_decision(plan, officer)

    with pytest.raises(PlanError, match="välj först vilken budgetversion för 2027"):
        plan_services.plan_adopt(user=officer, plan=plan, agenda_item=item)


@pytest.mark.django_db
def test_another_förbunds_decision_cannot_adopt_the_plan(
    association, officer, other_association, other_officer
):
    budget_for(association, officer)
    plan = create(association, officer)
    other_plan = create(other_association, other_officer)
    foreign = justerat_plan_decision(other_plan, other_officer)

    with pytest.raises(PlanError, match="det här förbundets"):
        plan_services.plan_adopt(user=officer, plan=plan, agenda_item=foreign)


@pytest.fixture
def adopted(association, officer):
    budget_for(association, officer)
    plan = create(association, officer)
    item = justerat_plan_decision(plan, officer)
    return plan_services.plan_adopt(user=officer, plan=plan, agenda_item=item)


@pytest.mark.django_db
def test_an_adopted_plan_refuses_every_change(adopted, officer):
    section = adopted.sections.first()
    attempts = [
        lambda: plan_services.plan_section_save(
            user=officer, section=section, heading="Ny", text="Ny text"
        ),
        lambda: plan_services.plan_section_add(user=officer, plan=adopted, heading="Ny"),
        lambda: plan_services.plan_section_move(user=officer, section=section, up=False),
        lambda: plan_services.plan_section_remove(user=officer, section=section),
        lambda: plan_services.plan_update(user=officer, plan=adopted, dnr="x", budget_version=None),
        lambda: plan_services.plan_schedule(
            user=officer, plan=adopted, meeting=MeetingFactory(association=adopted.association)
        ),
        lambda: plan_services.plan_adopt(
            user=officer, plan=adopted, agenda_item=adopted.agenda_item
        ),
    ]
    before = list(adopted.sections.values_list("position", "heading", "text", "part"))
    for attempt in attempts:
        with pytest.raises(PlanError) as refused:
            attempt()
        assert str(refused.value) == plan_services.FROZEN
    assert list(adopted.sections.values_list("position", "heading", "text", "part")) == before


@pytest.mark.django_db
def test_a_revision_is_a_new_draft_and_the_adopted_version_stays(adopted, officer):
    revision = plan_services.plan_revise(user=officer, plan=adopted)

    assert (revision.number, revision.state, revision.first_year) == (2, Plan.State.DRAFT, 2027)
    assert headings(revision) == headings(adopted)
    plan_services.plan_section_save(
        user=officer, section=revision.sections.first(), heading="Inledning, reviderad", text=""
    )
    adopted.refresh_from_db()
    assert headings(adopted)[0] == "Inledning"
    assert adopted.state == Plan.State.ADOPTED
    with pytest.raises(PlanError, match="Det finns redan ett utkast \\(version 2\\) för 2027"):
        plan_services.plan_revise(user=officer, plan=adopted)
    with pytest.raises(PlanError, match=plan_services.NOTHING_TO_REVISE):
        plan_services.plan_revise(user=officer, plan=revision)


@pytest.mark.django_db
def test_the_database_refuses_an_adopted_plan_without_date_or_pdf_and_years_out_of_order(
    association,
):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(association=association, state=Plan.State.ADOPTED, adopted_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(
            association=association,
            state=Plan.State.ADOPTED,
            adopted_on=datetime.date(2026, 11, 20),
            pdf_sha256="",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(association=association, first_year=2027, last_year=2026)
    plan = PlanFactory(association=association)
    PlanSectionFactory(plan=plan, part=Part.BUDGET)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanSectionFactory(plan=plan, part=Part.BUDGET)


@pytest.mark.django_db
def test_a_span_shows_the_first_years_budget_and_the_following_as_preliminary(association, officer):
    budget_for(association, officer, year=2027)
    budget_for(association, officer, year=2028, contributions=Decimal("6000000"))
    plan = create(association, officer, last_year=2029)

    part = PartReader(plan).budget()

    assert [(t.year, t.preliminary) for t in part.tables] == [(2027, False), (2028, True)]
    assert [t.caption for t in part.tables] == ["Budget 2027, tkr", "Preliminär budget 2028, tkr"]
    contributions = part.tables[1].groups[0][0]
    assert (contributions.label, contributions.amount) == ("Verksamhetens ägarbidrag", 6000000)


@pytest.mark.django_db
def test_insatser_running_in_the_year_are_grouped_new_continuing_and_ending(association, officer):
    def insats(name, start, end, granted=None):
        initiative = InitiativeFactory(
            association=association,
            name=name,
            period_start=datetime.date(*start),
            period_end=datetime.date(*end),
        )
        for year, amount in (granted or {}).items():
            InitiativeGrantFactory(initiative=initiative, year=year, amount=Decimal(amount))
        return initiative

    insats("Ny", (2027, 3, 1), (2029, 2, 28), {2027: 300000, 2028: 350000})
    insats("Fortsätter", (2025, 1, 1), (2028, 12, 31), {2027: 500000})
    insats("Slutar", (2025, 8, 1), (2027, 6, 30), {2027: 120000, 2026: 999000})
    insats("Redan slut", (2024, 1, 1), (2026, 12, 31), {2026: 400000})
    plan = create(association, officer, last_year=2028)

    part = PartReader(plan).initiatives()

    def names(lines):
        return [(line.initiative.name, line.granted) for line in lines]

    assert names(part.new) == [("Ny", [300000, 350000])]
    assert names(part.continuing) == [("Fortsätter", [500000, 0])]
    assert names(part.ending) == [("Slutar", [120000, 0])]
    assert part.totals_by_year == [(2027, 920000), (2028, 350000)]


@pytest.mark.django_db
def test_a_plan_holds_at_most_sixty_sections(association, officer):
    plan = create(association, officer)
    for number in range(plan_services.SECTIONS_MAX - plan.sections.count()):
        plan_services.plan_section_add(user=officer, plan=plan, heading=f"Avsnitt {number}")

    with pytest.raises(PlanError) as refused:
        plan_services.plan_section_add(user=officer, plan=plan, heading="Ett för mycket")

    assert str(refused.value) == "En verksamhetsplan har högst 60 avsnitt; slå ihop några."
    assert plan.sections.count() == 60


@pytest.mark.django_db
def test_the_board_part_shows_the_mandate_period_of_the_plans_first_day_else_the_latest_begun(
    association, officer
):
    """complete_association seats a board for 2023–2027; the plan shows the board of the period
    running on its first day, else the latest one begun by its last year, with every seat of
    it, a replacement's too."""
    member = association.members.first()

    def seat(name, start, end):
        return BoardSeatFactory(
            member=member,
            person=PersonFactory(association=association, name=name),
            kind=BoardSeat.Kind.DEPUTY,
            deputy_order=2,
            term_start=datetime.date(*start),
            term_end=datetime.date(*end),
        )

    plans = {}

    def board(first_year, last_year):
        plan = plans.get((first_year, last_year)) or plans.setdefault(
            (first_year, last_year),
            PlanFactory(association=association, first_year=first_year, last_year=last_year),
        )
        part = PartReader(plan).board()
        seats = [seat for row in part.rows for seat in (row.ordinary, row.deputy) if seat]
        return str(part.term), {seat.person.name for seat in seats}

    current = {
        seat.person.name
        for seat in BoardSeat.objects.filter(member__association=association, term_start__year=2023)
    }
    seat("Förra perioden", (2019, 4, 1), (2023, 3, 31))
    seat("Ersättare från 2025", (2025, 6, 1), (2027, 3, 31))

    # The period running on 1 January 2027, not the next one begun in the plan's years.
    seat("Nästa period", (2027, 4, 1), (2031, 3, 31))
    assert board(2027, 2028) == ("2023–2027", current | {"Ersättare från 2025"})
    # No board registered for 2032: the latest period begun by 2033.
    assert board(2032, 2033) == ("2027–2031", {"Nästa period"})
    # The period before the plan's: every seat of it, those that ended before the plan too.
    assert board(2020, 2020) == ("2019–2023", {"Förra perioden"})
    BoardSeat.objects.filter(person__name="Nästa period").delete()
    assert board(2032, 2033) == ("2023–2027", current | {"Ersättare från 2025"})
    # No period begun by the plan's last year.
    assert board(2015, 2016) == ("None", set())


@pytest.mark.django_db
def test_the_office_part_lists_the_beredningsgrupp_in_seed_order_and_the_kansli_by_position():
    """The beredningsgrupp by the member's kind as seed 004 (kommuner, region, FK, AF), then
    the member's name and the person's; the kansli by position, then name."""
    association = AssociationFactory()
    Kind = Member.Kind
    for kind, member_name, person_name in [
        (Kind.AF, "Arbetsförmedlingen Väst", "Berit"),
        (Kind.KOMMUN, "Svalövs kommun", "Adam"),
        (Kind.REGION, "Region Skåne", "Cecilia"),
        (Kind.KOMMUN, "Landskrona stad", "Olle"),
        (Kind.KOMMUN, "Landskrona stad", "Eva"),
        (Kind.FK, "Försäkringskassan", "David"),
    ]:
        member = Member.objects.filter(
            association=association, name=member_name
        ).first() or MemberFactory(association=association, kind=kind, name=member_name)
        PreparationGroupSeatFactory(
            member=member, person=PersonFactory(association=association, name=person_name)
        )
    for position, name in [("economist", "Ekonomen"), ("director", "Chefen"), ("coordinator", "B")]:
        OfficeStaffFactory(
            association=association,
            position=position,
            person=PersonFactory(association=association, name=name),
        )
    OfficeStaffFactory(
        association=association,
        position="coordinator",
        person=PersonFactory(association=association, name="A"),
    )

    part = PartReader(PlanFactory(association=association)).office()

    assert [(seat.member.name, seat.person.name) for seat in part.preparation_seats] == [
        ("Landskrona stad", "Eva"),
        ("Landskrona stad", "Olle"),
        ("Svalövs kommun", "Adam"),
        ("Region Skåne", "Cecilia"),
        ("Försäkringskassan", "David"),
        ("Arbetsförmedlingen Väst", "Berit"),
    ]
    assert [row.person.name for row in part.staff] == ["Chefen", "A", "B", "Ekonomen"]
