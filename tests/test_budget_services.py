"""The budget's rules: versions, contributions, actuals and their import, closing, carry-over and
equity. Amounts are kronor unless a name says tkr."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError

from applications.models import Decision, Initiative
from budget import services
from budget.ledger import LedgerFileError, parse_month, read_ledger
from budget.models import Actual, ActualImport, Budget, BudgetVersion, ChartLine, PeriodEvent
from budget.selectors import contributions_for, grant_room, period_get, periods_for
from budget.services import BudgetError
from finsam.models import User
from tests.factories import ChartLineFactory, InitiativeFactory, MeetingFactory, MemberFactory

G = ChartLine.Group
K = Decimal(1000)


@pytest.fixture
def kansli(seed):
    return User.objects.get(email="kansli@example.org")


def budget_of(association, year) -> Budget:
    return Budget.objects.get(association=association, period_start__year=year)


def line(association, name, group=G.OPERATING) -> ChartLine:
    return ChartLine.objects.get(association=association, name=name, group=group)


def new_2011(seed, kansli) -> Budget:
    return services.budget_create(
        user=kansli,
        association=seed,
        period_start=datetime.date(2011, 1, 1),
        period_end=datetime.date(2011, 12, 31),
        copy_from=budget_of(seed, 2010),
    )


# Versions


def test_a_new_period_copies_the_adopted_lines_and_refuses_overlaps(seed, kansli):
    budget = new_2011(seed, kansli)

    period = period_get(seed, budget)
    assert period.version.number == 1 and period.version.state == BudgetVersion.State.DRAFT
    assert period.budgeted.operating_costs == 1209 * K
    with pytest.raises(
        BudgetError, match="Det finns redan en budget för 2011; en period per kalenderår"
    ):
        services.budget_create(
            user=kansli,
            association=seed,
            period_start=datetime.date(2011, 9, 1),
            period_end=datetime.date(2011, 12, 31),
        )
    with pytest.raises(BudgetError, match="En budgetperiod ligger inom ett kalenderår"):
        services.budget_create(
            user=kansli,
            association=seed,
            period_start=datetime.date(2012, 7, 1),
            period_end=datetime.date(2013, 6, 30),
        )


@pytest.mark.django_db
def test_a_first_budget_starts_from_seed_004s_chart_with_its_opening_equity(officer, association):
    budget = services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        opening_equity=Decimal(750_000),
    )

    period = period_get(association, budget)
    names = [row.line.name for row in period.rows[G.OPERATING]]
    assert names[:2] == ["Styrelse och revisorer", "Samordnare"]
    assert period.carry_over.amount == Decimal(750_000)
    assert period.carry_over.basis == "Ingående eget kapital."
    assert period.budgeted.result_with_carry_over == Decimal(750_000)
    assert period.budgeted.year_result == 0


def test_adopting_by_the_boards_decision_takes_the_meeting_date_and_revising_keeps_it(seed, kansli):
    budget = new_2011(seed, kansli)
    meeting = MeetingFactory(
        association=seed, starts_at=datetime.datetime(2010, 11, 25, 13, tzinfo=datetime.UTC)
    )
    item = meeting.agenda_items.create(position=1, kind="budget", title="Budget 2011")
    Decision.objects.create(agenda_item=item, text="Budgeten fastställs.", recorded_by=kansli)
    draft = budget.versions.get()
    services.version_lines_save(
        user=kansli, version=draft, amounts={line(seed, "Kontor").pk: 45 * K}
    )

    adopted = services.version_adopt(user=kansli, version=draft, agenda_item=item)
    revision = services.version_revise(user=kansli, budget=budget)
    services.version_lines_save(
        user=kansli, version=revision, amounts={line(seed, "Kontor").pk: 60 * K}
    )

    assert adopted.adopted_on == datetime.date(2010, 11, 25)
    assert adopted.history.first().history_user == kansli
    assert revision.number == 2 and revision.state == BudgetVersion.State.DRAFT
    current = period_get(seed, budget).version
    assert current == adopted  # the adopted version is current
    assert current.decision_title == "Budget 2011"  # the period's page names the decision
    first = {item.line.name: item.amount for item in adopted.lines.select_related("line")}
    assert first["Kontor"] == 45 * K  # the revision did not touch version 1
    with pytest.raises(BudgetError, match="är fastställd och kan inte ändras"):
        services.version_lines_save(user=kansli, version=adopted, amounts={})
    with pytest.raises(BudgetError, match="redan ett utkast"):
        services.version_revise(user=kansli, budget=budget)


def test_an_older_draft_cannot_be_adopted_and_another_förbunds_item_is_refused(seed, kansli):
    budget = new_2011(seed, kansli)
    services.version_adopt(
        user=kansli, version=budget.versions.get(), adopted_on=datetime.date.today()
    )
    services.version_revise(user=kansli, budget=budget)
    other = MeetingFactory()
    item = other.agenda_items.create(position=1, kind="budget", title="Budget")
    Decision.objects.create(agenda_item=item, text="Budgeten fastställs.", recorded_by=kansli)
    undecided = MeetingFactory(association=seed).agenda_items.create(
        position=1, kind="budget", title="Budget"
    )

    with pytest.raises(BudgetError, match="inte ett beslutat budgetärende"):
        services.version_adopt(
            user=kansli, version=budget.versions.get(number=2), agenda_item=undecided
        )
    with pytest.raises(BudgetError, match="inte ett beslutat budgetärende"):
        services.version_adopt(user=kansli, version=budget.versions.get(number=2), agenda_item=item)
    with pytest.raises(BudgetError, match="fastställd"):
        services.version_adopt(
            user=kansli, version=budget.versions.get(number=1), adopted_on=datetime.date.today()
        )


# Contributions


def test_contributions_follow_the_split_until_an_override_makes_them_disagree(seed, kansli):
    budget = new_2011(seed, kansli)
    draft = budget.versions.get()
    period = period_get(seed, budget)

    split = contributions_for(period)
    by_name = {row.member.name: row for row in split.rows}
    assert split.total == 5_000_000 and split.adds_up
    assert by_name["Försäkringskassan"].amount == 2_500_000
    assert by_name["Region Skåne"].amount == 1_250_000
    landskrona = by_name["Landskrona stad"].member

    services.contributions_save(
        user=kansli, version=draft, overrides={landskrona.pk: Decimal(1_000_000)}
    )
    changed = contributions_for(period_get(seed, budget))

    assert not changed.adds_up
    assert changed.difference == 5_000_000 - (1_000_000 + 295_864 + 1_250_000 + 2_500_000)
    services.contributions_save(user=kansli, version=draft, overrides={landskrona.pk: None})
    assert contributions_for(period_get(seed, budget)).adds_up


def test_an_adopted_versions_contributions_cannot_be_overridden(seed, kansli):
    version = budget_of(seed, 2010).versions.get()
    member = seed.members.first()
    with pytest.raises(BudgetError, match="fastställd"):
        services.contributions_save(user=kansli, version=version, overrides={member.pk: K})


# Actuals, closing and carry-over


def test_the_grid_saves_changes_and_empties_cells(seed, kansli):
    budget = budget_of(seed, 2010)
    office = line(seed, "Kontor")
    january, july = datetime.date(2010, 1, 1), datetime.date(2010, 7, 1)

    services.actuals_save(
        user=kansli,
        budget=budget,
        cells={("line", office.pk, january): None, ("line", office.pk, july): Decimal("3300.50")},
    )

    booked = dict(Actual.objects.filter(budget=budget, line=office).values_list("month", "amount"))
    assert january not in booked and booked[july] == Decimal("3300.50")
    assert Actual.history.filter(line=office, month=july).first().history_user == kansli


def test_closing_locks_the_actuals_and_carries_the_actual_result_over(seed, kansli):
    budget_2010 = budget_of(seed, 2010)
    budget_2011 = new_2011(seed, kansli)
    before = period_get(seed, budget_2011).carry_over
    assert before.amount == 8787 * K and not before.from_actuals

    services.period_close(user=kansli, budget=budget_2010)
    periods = periods_for(seed)
    actual_2010 = periods[budget_2010.pk]
    after = periods[budget_2011.pk].carry_over

    # 2010: 4 982 000 carried in + 2 500 000 contributions − 431 525 costs + 6 600 interest
    assert actual_2010.actual.result_with_carry_over == Decimal("7057075.00")
    assert after.amount == actual_2010.actual.result_with_carry_over and after.from_actuals
    assert after.basis == (
        "Resultatet enligt utfallet för 2010, inkl. överfört: dess utgående eget kapital."
    )
    assert actual_2010.equity.basis == "utfall"
    assert periods[budget_2011.pk].equity.opening == actual_2010.equity.closing
    count = Actual.objects.count()
    with pytest.raises(BudgetError, match="Perioden är stängd"):
        services.actuals_save(
            user=kansli,
            budget=budget_2010,
            cells={("line", line(seed, "Kontor").pk, datetime.date(2010, 8, 1)): K},
        )
    assert Actual.objects.count() == count
    with pytest.raises(BudgetError, match="redan stängd"):
        services.period_close(user=kansli, budget=budget_2010)


def test_reopening_needs_a_reason_and_is_recorded(seed, kansli):
    budget = budget_of(seed, 2010)
    services.period_close(user=kansli, budget=budget)

    with pytest.raises(BudgetError, match="Ange varför"):
        services.period_reopen(user=kansli, budget=budget, reason="  ")
    services.period_reopen(user=kansli, budget=budget, reason="Rättelse av ränta i december")

    budget.refresh_from_db()
    assert budget.closed_at is None
    events = list(PeriodEvent.objects.filter(budget=budget).values_list("action", "reason", "by"))
    assert events == [
        ("closed", "", kansli.pk),
        ("reopened", "Rättelse av ränta i december", kansli.pk),
    ]


def test_forecast_follows_the_budget_until_set_per_line(seed, kansli):
    budget = budget_of(seed, 2010)
    office = line(seed, "Kontor")

    services.forecasts_save(user=kansli, budget=budget, amounts={office.pk: 52 * K})
    period = period_get(seed, budget)

    rows = {row.line.name: row for row in period.rows[G.OPERATING]}
    assert rows["Kontor"].forecast == 52 * K
    assert rows["Samordnare"].forecast == 510 * K
    assert period.forecast.operating_costs == (1209 + 13) * K


def test_equity_over_the_guideline_is_flagged(seed):
    periods = {p.budget.year: p for p in periods_for(seed).values()}
    equity = periods[2010].equity

    assert equity.opening == 4982 * K and equity.closing == 8787 * K
    assert equity.ceiling_percent == 20 and equity.ceiling == 1000 * K
    assert equity.over_ceiling


# The ledger import


def ledger(text: str) -> bytes:
    return text.encode("utf-8")


GOOD = """Konto;Datum;Belopp;Text
7210;2010-07-31;42 500,00;Samordnare juli
7210;2010-07-31;1 250,50;Samordnare juli, rättelse
6110;2010-08-15;3 250;Kontor augusti
3510;2010-Q3;-1 250 000;Ägarbidrag kvartal 3
"""


def preview_of(seed, content, name="huvudbok.csv", income_negative=True):
    budget = budget_of(seed, 2010)
    initiatives = {i.name.lower(): i for i in Initiative.objects.filter(association=seed)}
    return read_ledger(
        content,
        name,
        budget=budget,
        chart=list(ChartLine.objects.for_association(seed)),
        initiatives=initiatives,
        income_negative=income_negative,
    )


def test_a_good_ledger_file_lands_whole_and_cannot_be_read_twice(seed, kansli):
    budget = budget_of(seed, 2010)
    preview = preview_of(seed, ledger(GOOD))
    assert preview.errors == []
    assert [row.target for row in preview.rows] == [
        "Samordnare",
        "Samordnare",
        "Kontor",
        "Verksamhetens ägarbidrag",
    ]
    assert preview.rows[3].key[2] == datetime.date(2010, 9, 1)  # a quarter books on its last month
    assert preview.rows[3].amount == 1_250_000  # income with a minus sign in the ledger

    services.actuals_import(
        user=kansli,
        budget=budget,
        rows=preview.rows,
        file_name="huvudbok.csv",
        sha256=preview.sha256,
    )

    coordinator = Actual.objects.get(budget=budget, line__name="Samordnare", month="2010-07-01")
    assert coordinator.amount == Decimal("43750.50")
    record = ActualImport.objects.get()
    assert (record.rows, record.total, record.imported_by) == (4, Decimal("1297000.50"), kansli)
    with pytest.raises(BudgetError, match=r"Filen huvudbok\.csv är redan inläst för perioden"):
        services.actuals_import(
            user=kansli, budget=budget, rows=preview.rows, file_name="x.csv", sha256=preview.sha256
        )


BAD = """Konto;Datum;Belopp
7210;2010-07-31;42 500
4999;2010-07-31;100
6110;2011-01-15;3 250
6110;2010-08-15;tre tusen
;2010-08-15;10
6110;;10
6110;juli;10
6110;2010-08-15;10,005
"""


def test_a_ledger_file_with_bad_rows_says_why_in_swedish_and_saves_nothing(seed, kansli):
    budget = budget_of(seed, 2010)
    before = list(Actual.objects.values_list("pk", "amount"))
    preview = preview_of(seed, ledger(BAD))

    assert preview.errors == [
        "Rad 3: kontot 4999 är inte kopplat till någon post. Koppla det i kontoplanen.",
        "Rad 4: 2011-01 ligger utanför perioden 2010-01-01 – 2010-12-31.",
        "Rad 5: beloppet ”tre tusen” är inte ett tal.",
        "Rad 6: konto, post eller insats saknas.",
        "Rad 7: datum eller period saknas.",
        "Rad 8: ”juli” är inte ett datum (ÅÅÅÅ-MM-DD) eller en period (ÅÅÅÅ-MM, ÅÅÅÅ-Q1).",
        "Rad 9: beloppet 10,005 har fler än två decimaler; ange kronor och ören.",
    ]
    with pytest.raises(BudgetError, match="ingenting är sparat"):
        services.actuals_import(
            user=kansli, budget=budget, rows=preview.rows, file_name="f.csv", sha256="x"
        )
    assert list(Actual.objects.values_list("pk", "amount")) == before
    assert not ActualImport.objects.exists()


def test_the_import_is_all_or_nothing_even_when_the_database_refuses_a_row(seed, kansli):
    """A row that passes the preview but that the database refuses (here: booked on nothing)
    takes every other row of the file with it."""
    budget = budget_of(seed, 2010)
    preview = preview_of(seed, ledger(GOOD))
    before = list(Actual.objects.order_by("pk").values_list("pk", "amount"))
    preview.rows[2].key = ("line", None, datetime.date(2010, 8, 1))

    with pytest.raises(IntegrityError):
        services.actuals_import(
            user=kansli, budget=budget, rows=preview.rows, file_name="f.csv", sha256="y"
        )

    assert list(Actual.objects.order_by("pk").values_list("pk", "amount")) == before
    assert not ActualImport.objects.exists()


def test_a_ledger_xlsx_by_line_name_and_initiative(seed, kansli):
    from openpyxl import Workbook

    initiative = InitiativeFactory(association=seed, name="Samverkansteam Svalöv")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Huvudbok 2010"])
    sheet.append(["Post", "Insats", "Period", "Belopp"])
    sheet.append(["Kontor", None, "2010-09", 1200])
    sheet.append([None, "samverkansteam svalöv", datetime.datetime(2010, 9, 30), 85000.5])
    sheet.append(["Kontor", None, "2010-10", 0.1 + 0.2])  # a float's binary noise, not öre
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = preview_of(seed, buffer.getvalue(), name="bok.xlsx")

    assert preview.errors == []
    assert preview.rows[0].key == ("line", line(seed, "Kontor").pk, datetime.date(2010, 9, 1))
    assert preview.rows[1].key == ("initiative", initiative.pk, datetime.date(2010, 9, 1))
    assert preview.rows[1].amount == Decimal("85000.5")
    assert preview.rows[2].amount == Decimal("0.30")


def test_a_line_name_in_two_groups_needs_its_group(seed):
    preview = preview_of(
        seed,
        ledger("Post;Period;Belopp\nRänta;2010-05;100\nFinansiella kostnader:Ränta;2010-05;100\n"),
    )

    assert preview.errors == [
        "Rad 2: posten ”Ränta” finns i flera grupper; skriv gruppen först: "
        "”Finansiella intäkter: Ränta” eller ”Finansiella kostnader: Ränta”."
    ]
    cost = line(seed, "Ränta", G.FINANCIAL_COST)
    assert preview.rows[1].key == ("line", cost.pk, datetime.date(2010, 5, 1))
    assert preview.rows[1].target == "Finansiella kostnader: Ränta"  # as the preview lists it


def test_a_file_without_the_columns_is_refused_as_a_whole(seed):
    with pytest.raises(LedgerFileError, match="saknar en rubrikrad med kolumnerna Belopp"):
        preview_of(seed, ledger("a;b\n1;2\n"))
    with pytest.raises(LedgerFileError, match="Konto, Post eller Insats"):
        preview_of(seed, ledger("Belopp;Datum\n1;2010-01-01\n"))
    with pytest.raises(LedgerFileError, match="kan inte läsas som ett Excel-ark"):
        preview_of(seed, b"not a workbook", name="bok.xlsx")


@pytest.mark.parametrize(
    ("raw", "month"),
    [
        ("2010-03-15", datetime.date(2010, 3, 1)),
        ("2010-03", datetime.date(2010, 3, 1)),
        ("201003", datetime.date(2010, 3, 1)),
        ("2010-Q2", datetime.date(2010, 6, 1)),
        ("2010 kv 4", datetime.date(2010, 12, 1)),
        ("2010-13", None),
        ("mars", None),
    ],
)
def test_ledger_periods_are_read_as_dates_months_and_quarters(raw, month):
    assert parse_month(raw) == month


# Initiatives in the period


def test_initiative_actuals_count_against_their_grants(seed, kansli):
    initiative = Initiative.objects.filter(association=seed, grants__isnull=False).first()
    year = initiative.grants.order_by("year").first().year
    granted = sum(g.amount for g in initiative.grants.filter(year=year))
    budget = services.budget_create(
        user=kansli,
        association=seed,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        copy_from=budget_of(seed, 2010),
    )
    services.actuals_save(
        user=kansli,
        budget=budget,
        cells={("initiative", initiative.pk, datetime.date(year, 3, 1)): Decimal(120_000)},
    )

    period = period_get(seed, budget)
    row = next(r for r in period.initiatives if r.initiative_id == initiative.pk)
    assert (row.budget, row.actual, row.deviation) == (granted, 120_000, 120_000 - granted)
    assert period.budgeted.initiatives_total == sum(r.budget for r in period.initiatives)
    assert period.actual.initiatives_total == sum(r.actual for r in period.initiatives)


def test_actuals_of_an_insats_without_a_grant_show_under_its_name(seed, kansli):
    # The names come with the förbund's insatser and their grants: one without any grant still
    # has its name beside its actuals, and nothing granted.
    initiative = InitiativeFactory(association=seed, name="Arbetsträning utan beslut")
    budget = budget_of(seed, 2010)
    services.actuals_save(
        user=kansli,
        budget=budget,
        cells={("initiative", initiative.pk, datetime.date(2010, 5, 1)): Decimal(42_000)},
    )

    row = next(r for r in period_get(seed, budget).initiatives if r.initiative_id == initiative.pk)
    assert (row.name, row.budget, row.actual) == ("Arbetsträning utan beslut", 0, 42_000)


def test_amounts_on_another_förbunds_line_or_insats_are_refused_whole(seed, kansli):
    # The pages offer only the förbund's own lines and insatser; the services say so too, so a
    # forged form cannot book on another förbund's insats (its name would show in neither).
    budget = budget_of(seed, 2010)
    other = InitiativeFactory(name="Norrstrands insats")
    other_line = ChartLineFactory(association=other.association)
    may = datetime.date(2010, 5, 1)
    own = ("line", line(seed, "Kontor").pk, may)
    count = Actual.objects.count()

    for forged in (("initiative", other.pk, may), ("line", other_line.pk, may)):
        with pytest.raises(BudgetError, match="hör inte till förbundet"):
            services.actuals_save(user=kansli, budget=budget, cells={own: K, forged: K})
    with pytest.raises(BudgetError, match="hör inte till förbundet"):
        services.forecasts_save(user=kansli, budget=budget, amounts={other_line.pk: K})
    forged_row = services.ImportRow(row=2, text="Norrstrands insats", key=forged, amount=K)
    with pytest.raises(BudgetError, match="hör inte till förbundet"):
        services.actuals_import(
            user=kansli, budget=budget, rows=[forged_row], file_name="h.csv", sha256="0" * 64
        )

    assert Actual.objects.count() == count
    assert not budget.forecasts.filter(line=other_line).exists()
    assert not budget.imports.exists()


def test_a_draft_refuses_another_förbunds_line_or_member_whole(seed, kansli):
    draft = new_2011(seed, kansli).versions.get()
    other_line = ChartLineFactory()
    other_member = MemberFactory(name="Norrstrands kommun")
    own_line, own_member = line(seed, "Kontor"), seed.members.first()

    def lines():
        return sorted(draft.lines.values_list("line_id", "amount"))

    def overrides():
        return sorted(draft.contribution_overrides.values_list("member_id", "amount"))

    before = (lines(), overrides())

    with pytest.raises(BudgetError, match="hör inte till förbundet"):
        services.version_lines_save(
            user=kansli, version=draft, amounts={own_line.pk: K, other_line.pk: K}
        )
    with pytest.raises(BudgetError, match="hör inte till förbundet"):
        services.contributions_save(
            user=kansli, version=draft, overrides={own_member.pk: K, other_member.pk: K}
        )

    assert (lines(), overrides()) == before
    assert (own_line.pk, K) not in before[0] and (own_member.pk, K) not in before[1]


def test_each_derived_row_has_one_definition_in_every_column(seed, kansli):
    """Budget, utfall and prognos: each result subtracts that column's own initiatives (granted,
    booked, granted) and the same carry-over; the budget room is the budget column's result."""
    initiative = Initiative.objects.filter(association=seed, grants__isnull=False).first()
    year = initiative.grants.order_by("year").first().year
    budget = services.budget_create(
        user=kansli,
        association=seed,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        copy_from=budget_of(seed, 2010),
        opening_equity=Decimal(750_000),  # the years between have no budget in the demo
    )
    office = ChartLine.objects.get(association=seed, name="Kontor")
    services.actuals_save(
        user=kansli,
        budget=budget,
        cells={
            ("initiative", initiative.pk, datetime.date(year, 3, 1)): Decimal(120_000),
            ("line", office.pk, datetime.date(year, 3, 1)): Decimal(5_000),
        },
    )

    period = period_get(seed, budget)
    carried_over = period.carry_over.amount
    assert carried_over > 0
    for column in (period.budgeted, period.actual, period.forecast):
        assert column.carried_over == carried_over
        assert column.result_with_carry_over == (
            column.means_to_distribute - column.initiatives_total
        )
        assert column.year_result == column.result_with_carry_over - carried_over
    assert period.actual.initiatives_total == 120_000
    assert period.budgeted.initiatives_total == period.forecast.initiatives_total > 120_000
    assert period.equity.year_result == period.budgeted.year_result  # open: on the budget
    assert period.equity.closing == period.budgeted.result_with_carry_over
    room = grant_room(association=seed, years=[year])[year]
    assert room.left == period.unallocated == period.budgeted.result_with_carry_over


# The chart and the equity guideline


def test_a_budget_refusal_is_a_domain_error_the_pages_show():
    from finsam.errors import DomainError

    assert issubclass(BudgetError, DomainError)


def test_the_chart_saves_new_and_changed_lines_and_refuses_an_account_booked_twice(seed, kansli):
    office = line(seed, "Kontor")
    count = ChartLine.objects.filter(association=seed).count()

    services.chart_save(
        user=kansli,
        association=seed,
        lines=[
            services.ChartLineChange(
                pk=office.pk, group=G.OPERATING, name="Kontor", position=7, accounts="5010,6110"
            ),
            services.ChartLineChange(pk=None, group=G.OPERATING, name="Lokaler", position=20),
        ],
    )

    office.refresh_from_db()
    assert office.accounts == "5010, 6110"
    assert office.history.first().history_user == kansli
    assert ChartLine.objects.filter(association=seed).count() == count + 1
    with pytest.raises(BudgetError, match="Kontot 5010 är kopplat till både Kontor och Hyra"):
        services.chart_save(
            user=kansli,
            association=seed,
            lines=[
                services.ChartLineChange(pk=None, group=G.OPERATING, name="Hyra", accounts="5010")
            ],
        )
    assert not ChartLine.objects.filter(name="Hyra").exists()


def test_a_chart_line_in_a_budget_cannot_be_removed_and_nothing_else_changes(seed, kansli):
    unused = ChartLineFactory(association=seed, name="Ny post")
    office = line(seed, "Kontor")

    with pytest.raises(BudgetError, match="Posten Kontor används i en budget"):
        services.chart_save(
            user=kansli,
            association=seed,
            lines=[
                services.ChartLineChange(pk=unused.pk, delete=True),
                services.ChartLineChange(pk=office.pk, delete=True),
            ],
        )

    assert ChartLine.objects.filter(pk__in=[unused.pk, office.pk]).count() == 2


def test_another_förbunds_chart_line_is_refused(seed, kansli, association):
    office = line(seed, "Kontor")

    with pytest.raises(BudgetError, match="finns inte längre i förbundets kontoplan"):
        services.chart_save(
            user=kansli,
            association=association,
            lines=[services.ChartLineChange(pk=office.pk, group=G.OPERATING, name="Kontor")],
        )


def test_the_guideline_has_one_open_step_and_each_level_once(seed, kansli):
    with pytest.raises(BudgetError, match="Bara ett steg får sakna övre gräns"):
        services.ceilings_save(
            user=kansli,
            association=seed,
            ceilings=[services.CeilingChange(pk=None, percent=Decimal(5))],
        )
    with pytest.raises(BudgetError, match="Nivån 10\xa0000\xa0000 kr finns redan"):
        services.ceilings_save(
            user=kansli,
            association=seed,
            ceilings=[
                services.CeilingChange(
                    pk=None, contributions_up_to=Decimal(10_000_000), percent=Decimal(5)
                )
            ],
        )

    lowest = seed.equity_ceilings.get(contributions_up_to=10_000_000)
    services.ceilings_save(
        user=kansli,
        association=seed,
        ceilings=[services.CeilingChange(pk=lowest.pk, delete=True)],
    )
    assert not seed.equity_ceilings.filter(pk=lowest.pk).exists()


def test_the_demo_adopts_its_budgets_through_the_services(seed, kansli):
    version = budget_of(seed, 2010).versions.get()

    assert version.state == BudgetVersion.State.ADOPTED
    assert version.adopted_on == datetime.date(2009, 11, 30)
    assert version.history.first().history_user == kansli


# The import preview between upload and confirmation


def test_the_preview_survives_the_session_only_for_its_period_and_file(seed):
    import json

    from budget.ledger import pending_dump, pending_load

    budget = budget_of(seed, 2010)
    preview = preview_of(seed, ledger(GOOD))
    stored = json.loads(json.dumps(pending_dump(budget, preview)))  # as the session keeps it

    pending = pending_load(stored, budget=budget, sha256=preview.sha256)

    assert [(r.key, r.amount) for r in pending.rows] == [(r.key, r.amount) for r in preview.rows]
    assert pending.file_name == "huvudbok.csv"
    assert pending_load(stored, budget=budget, sha256="other") is None
    assert pending_load(stored, budget=budget_of(seed, 2009), sha256=preview.sha256) is None
    assert pending_load(None, budget=budget, sha256=preview.sha256) is None


def test_a_period_after_a_gap_carries_nothing_over_and_says_so(seed, kansli):
    # The demo has 2009 and 2010; 2027 follows sixteen years without a budget.
    after_gap = services.budget_create(
        user=kansli,
        association=seed,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )
    with_opening = services.budget_create(
        user=kansli,
        association=seed,
        period_start=datetime.date(2029, 1, 1),
        period_end=datetime.date(2029, 12, 31),
        opening_equity=Decimal("1250000"),
    )
    following = new_2011(seed, kansli)

    gap = period_get(seed, after_gap).carry_over
    assert (gap.amount, gap.source) == (Decimal(0), None)
    assert gap.basis == (
        "Ingen budgetperiod slutar dagen före (2011 är den senaste före), så inget förs över; "
        "ange periodens ingående eget kapital."
    )
    given = period_get(seed, with_opening).carry_over
    assert given.amount == Decimal("1250000")
    assert "ingående eget kapital enligt vad som angavs" in given.basis
    assert period_get(seed, following).carry_over.source == budget_of(seed, 2010)
