from decimal import Decimal

import pytest
from django.urls import reverse

from budget.legacy import SumMismatch, TableRow, typed_sum_mismatches
from budget.models import Budget
from budget.selectors import periods_for
from finsam.money import parse_amount
from finsam.templatetags.finsam_format import tkr
from tests.helpers import LOGGED_IN


def seed_table(rows):
    return [
        TableRow(number, label, parse_amount(amount))
        for number, (label, amount) in enumerate(rows, 1)
    ]


# Seed 004's 2010 table as typed: its "Summa 10 422" is wrong, the lines add to 9 982.
SEED_2010 = [
    ("Verksamhetens ägarbidrag", "5 000"),
    ("Övriga intäkter", "4 982"),
    ("Summa", "10 422"),
    ("Verksamhetens kostnader", ""),
    ("Styrelse och revisorer", "230"),
    ("Samordnare", "510"),
    ("Konsulter", "60"),
    ("Marknadsföring", "70"),
    ("Utvärdering", "100"),
    ("Kontor", "39"),
    ("Utbildning och resor", "200"),
    ("Summa", "1209"),
    ("Finansiella intäkter", ""),
    ("Ränta", "14"),
    ("Finansiella kostnader", ""),
    ("Ränta", ""),
    ("Summa", "14"),
]
SEED_2009 = [
    ("Verksamhetens ägarbidrag", "5 440"),
    ("Övriga intäkter", "0"),
    ("Summa", "5 440"),
    ("Styrelse och revisorer", "45"),
    ("Samordnare", "170"),
    ("Konsulttjänster", "30"),
    ("Kontor", "13"),
    ("Utbildning", "40"),
    ("Åtgärder", "160"),
    ("Summa", "458"),
]


def test_seed_004_2010_typed_sum_is_reported_with_row_name_typed_and_computed():
    mismatches = typed_sum_mismatches(seed_table(SEED_2010))

    assert mismatches == [
        SumMismatch(row=3, typed=Decimal("10422"), computed=Decimal("9982"), label="Summa intäkter")
    ]
    assert str(mismatches[0]) == (
        "Rad 3, Summa intäkter: summan är inskriven som 10\xa0422 tkr, men raderna ovanför ger "
        "9\xa0982 tkr."
    )


def test_a_typed_sum_with_its_own_name_is_named_as_typed():
    rows = seed_table(
        [("Styrelse", "45"), ("Summa", "45"), ("Kontor", "13"), ("Summa kostnader", "14")]
    )

    assert [str(m) for m in typed_sum_mismatches(rows)] == [
        "Rad 4, Summa kostnader: summan är inskriven som 14 tkr, men raderna ovanför ger 13 tkr."
    ]


def test_seed_004_2009_table_adds_up():
    assert typed_sum_mismatches(seed_table(SEED_2009)) == []


@pytest.mark.parametrize(
    ("raw", "value"), [("5 440", "5440"), ("−458", "-458"), (14, "14"), ("", None)]
)
def test_amounts_are_read_the_swedish_way(raw, value):
    assert parse_amount(raw) == (Decimal(value) if value is not None else None)


def test_tkr_is_shown_the_swedish_way():
    assert tkr(Decimal("5440000")) == "5\xa0440"
    assert tkr(Decimal("-458000")) == "\u2212458"
    assert tkr(Decimal("4981500")) == "4\xa0982"  # rounded once, for display


@pytest.mark.django_db
def test_seed_004_figures_and_carry_over_from_the_part_year(seed):
    periods = {p.budget.year: p for p in periods_for(seed).values()}
    first, second = periods[2009], periods[2010]

    assert first.budget.is_part_year
    assert first.budget.label == "2009 (2009-09-01 – 2009-12-31)"
    assert first.budget.months()[0].month == 9 and len(first.budget.months()) == 4
    assert first.budgeted.income == Decimal("5440000")
    assert first.budgeted.operating_costs == Decimal("458000")
    assert first.budgeted.result_with_carry_over == Decimal("4982000")
    assert second.carry_over.amount == Decimal("4982000")
    assert second.carry_over.source.year == 2009
    assert not second.carry_over.from_actuals
    assert (
        second.carry_over.basis
        == "Resultatet i den fastställda budgeten för 2009 (2009-09-01 – 2009-12-31), inkl. "
        "överfört: dess utgående eget kapital."
    )
    assert second.budgeted.income == Decimal("9982000")  # not the seed's typed 10 422
    assert second.budgeted.means_to_distribute == Decimal("8787000")
    # What 2009 left is carried in; 2010's own result is what the year adds to it.
    assert second.budgeted.result_with_carry_over == Decimal("8787000")
    assert second.budgeted.year_result == Decimal("8787000") - Decimal("4982000")
    assert second.equity.year_result == second.budgeted.year_result  # 2010 is open
    assert second.equity.closing == second.budgeted.result_with_carry_over


@pytest.mark.django_db
def test_budget_page_shows_tkr_and_costs_the_same_for_more_years(
    seed, login, django_assert_num_queries
):
    from tests.factories import RoleFactory

    auditor = RoleFactory(association=seed, kind="auditor").user
    client = login(auditor)
    url = reverse("budget:overview")
    # versions with their budgets (one query since #12), lines, chart, actuals, forecasts,
    # grants, equity ceilings
    with django_assert_num_queries(LOGGED_IN + 7):
        html = client.get(url).content.decode()
    assert "Medel att fördela" in html and "8\xa0787" in html
    assert "Årets resultat" in html and "3\xa0805" in html  # 2010: 8 787 less 4 982 carried in
    assert "4\xa0982" in html

    for year in range(2011, 2016):
        budget = Budget.objects.create(
            association=seed, period_start=f"{year}-01-01", period_end=f"{year}-12-31"
        )
        budget.versions.create(number=1)
    with django_assert_num_queries(LOGGED_IN + 7):
        client.get(url)


@pytest.mark.django_db
def test_a_period_read_alone_has_its_own_figures_and_no_carry_over_to_misuse(seed):
    """The pages of a period's lines, ägarbidrag, actuals and prognos read it without the years
    before it (#12): the same rows, insatser and contributions as with the chain; a sum that
    would need the carry-over fails rather than showing a figure without it."""
    from budget import services
    from budget.selectors import DRAFT, period_alone, period_get
    from finsam.models import User

    def figures(period):
        rows = {
            group: [(row.line.pk, row.budget, row.actual, row.forecast) for row in rows]
            for group, rows in period.rows.items()
        }
        initiatives = [(row.initiative_id, row.budget, row.actual) for row in period.initiatives]
        return period.version.pk, rows, initiatives, period.budgeted.contributions

    budgets = list(Budget.objects.filter(association=seed).order_by("period_start"))
    assert len(budgets) >= 2
    for budget in budgets:
        alone = period_alone(seed, budget)
        assert figures(alone) == figures(period_get(seed, budget))
        assert alone.equity is None
        with pytest.raises(TypeError):
            alone.budgeted.income  # noqa: B018 (the sum is what is asked)
    # A revision's draft, as the pages that edit it read it.
    services.version_revise(user=User.objects.get(email="kansli@example.org"), budget=budgets[1])
    draft = period_alone(seed, budgets[1], DRAFT)
    assert draft.version.state == "draft"
    assert figures(draft) == figures(period_get(seed, budgets[1], DRAFT))
