"""The statistics of the follow-up (#10 § 5): counted by the database, small counts shown as
"<5" with totals hidden where they would tell, charts as inline SVG beside their tables, the
same number of queries for 10 participants as for 500, and only for the roles that read
aggregates."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from followup import charts
from followup.statistics import Period, statistics_for
from followup.statistics_forms import StatisticsPeriodForm
from followup.suppression import HIDDEN, SMALL, TABLE_NOTE, table
from tests.factories import (
    AnonymousCountFactory,
    ApplicationFactory,
    AssociationFactory,
    InitiativeFactory,
    ParticipantFactory,
    ParticipantTargetFactory,
)
from tests.helpers import LOGGED_IN

YEAR = Period.year(2025)


def ended(initiative, *, gender, on, reason="work", occupation="employed", income="salary", **kw):
    return ParticipantFactory(
        initiative=initiative,
        gender=gender,
        ended_on=on,
        exit_reason=reason,
        occupation_end=occupation,
        income_source_end=income,
        **kw,
    )


@pytest.fixture
def initiative(association):
    """An insats with, in 2025: 6 women and 3 men started; of them 5 women and 2 men ended to
    work, one woman to studies; 4 anonymous women and 5 anonymous men in May."""
    initiative = InitiativeFactory(association=association, name="Steget")
    for day in range(5):
        ended(
            initiative,
            gender="woman",
            on=datetime.date(2025, 6, 1 + day),
            income_source_start="social_assistance",
        )
    ended(
        initiative,
        gender="woman",
        on=datetime.date(2025, 9, 1),
        reason="studies",
        occupation="studies",
        income="student_finance",
    )
    ended(initiative, gender="man", on=datetime.date(2025, 10, 1))
    ended(initiative, gender="man", on=datetime.date(2025, 10, 2))
    ParticipantFactory(initiative=initiative, gender="man")
    # Started before the year, still active: took part in 2025 but did not start then.
    ParticipantFactory(initiative=initiative, gender="woman", started_on=datetime.date(2024, 5, 1))
    AnonymousCountFactory(initiative=initiative, month=datetime.date(2025, 5, 1), women=4, men=5)
    application = ApplicationFactory(
        association=association,
        initiative=initiative,
        state="granted",
        dnr_year=2024,
        dnr_number=901,
    )
    ParticipantTargetFactory(application=application, text="Beräknat flöde", number=40)
    ParticipantTargetFactory(application=application, text="Till arbete eller studier", number=5)
    return initiative


@pytest.mark.django_db
def test_the_database_counts_flow_by_gender_for_the_period(association, initiative):
    stats = statistics_for(association=association, period=YEAR).total
    # 6 women registered + 4 anonymous started; 3 men + 5 anonymous.
    assert (stats.started.women.value, stats.started.men.value) == (10, 8)
    assert (stats.took_part.women.value, stats.took_part.men.value) == (11, 8)
    assert (stats.ended.women.value, stats.ended.men.value) == (6, 2)
    assert (stats.active_at_end.women.value, stats.active_at_end.men.value) == (1, 1)
    assert stats.work_or_studies_after.women.text == "6"
    assert stats.work_or_studies_after.men.text == SMALL
    # 8 in all would tell that 2 men did: the total is hidden.
    assert stats.work_or_studies_after.total.text == HIDDEN
    # A year without anyone: nothing counted.
    empty = statistics_for(association=association, period=Period.year(2023)).total
    assert empty.started.total.value == 0


@pytest.mark.django_db
def test_income_before_after_is_a_transition_table_rows_before_columns_after(
    association, initiative
):
    income = statistics_for(association=association, period=YEAR).total.income
    rows = {row.label: row for row in income.rows}
    salary = income.columns.index("Lön")
    student = income.columns.index("Studiemedel")
    assert rows["Försörjningsstöd"].cells[student].text == SMALL
    # 7 + <5 in the row: the row's total would give the <5 away, so the 7 is hidden too.
    assert rows["Försörjningsstöd"].cells[salary].text == HIDDEN
    assert rows["Försörjningsstöd"].total.text == "8"
    assert income.column_totals[student].text == SMALL


@pytest.mark.django_db
def test_occupation_before_after_and_exit_reasons_and_time_in_insats(association, initiative):
    stats = statistics_for(association=association, period=YEAR).total
    occupation = {row.label: [cell.text for cell in row.cells] for row in stats.occupation.rows}
    # Kvinnor före, Kvinnor efter, Män före, Män efter
    assert occupation["Övrigt"] == ["6", "0", SMALL, "0"]
    # The women who ended went to work (5) or studies (<5): the 5 is hidden too, since the
    # column's sum is the number of women who ended, published in the flow table.
    assert occupation["Studier"] == ["0", SMALL, "0", "0"]
    assert occupation["Förvärvsarbete"] == ["0", HIDDEN, "0", SMALL]
    reasons = {row.label: [cell.text for cell in row.cells] for row in stats.exit_reasons.rows}
    assert reasons["Arbete"] == [HIDDEN, SMALL]
    # Started 2025-03-01; 92–96 days for five, 184, 214 and 215 for three: the median of
    # eight stays is (95 + 96) / 2.
    assert stats.median_days == 96
    assert stats.median_months == "3,2 månader"


@pytest.mark.django_db
def test_participants_alike_in_every_figure_are_each_counted(association):
    # The register's figures of those who ended are read grouped by all of them at once, the
    # days in the insats too: seven women and five men alike in everything are two rows of
    # the query, and each table counts seven and five (not one and one).
    same = InitiativeFactory(association=association, name="Lika")
    for gender, count, on in (("woman", 7, datetime.date(2025, 5, 30)), ("man", 5, None)):
        for _ in range(count):
            ended(same, gender=gender, on=on or datetime.date(2025, 12, 31), reason="work")
    stats = statistics_for(association=association, period=YEAR).total

    def cells(table):
        return {row.label: [cell.text for cell in row.cells] for row in table.rows}

    assert cells(stats.exit_reasons)["Arbete"] == ["7", "5"]
    assert cells(stats.occupation)["Förvärvsarbete"] == ["0", "7", "0", "5"]
    assert cells(stats.income)["Försörjningsstöd"][stats.income.columns.index("Lön")] == "12"
    # 2025-03-01 to 2025-05-30 is 90 days, a day under three months; to 2025-12-31, 305 days:
    # the median of 7 × 90 and 5 × 305 is 90.
    assert cells(stats.duration)["Under 3 månader"] == ["7", "0"]
    assert cells(stats.duration)["6–12 månader"] == ["0", "5"]
    assert stats.median_days == 90


def test_a_total_is_hidden_or_a_second_cell_is_where_it_would_tell_a_small_count():
    # A row with one small count: the total less the 10 would tell it, so the 10 is hidden
    # too, and so on down the columns, whose sums are published in the flow table.
    result = table("T", ["Kvinnor", "Män"], [("A", [10, 3]), ("B", [7, 8])])
    assert [cell.text for cell in result.rows[0].cells] == [HIDDEN, SMALL]
    assert result.rows[0].total.text == "13"
    assert [cell.text for cell in result.column_totals] == ["17", "11"]
    # Nothing else to hide beside the small count in a column: its total is hidden instead.
    lone = table("T", ["Kvinnor", "Män"], [("A", [3, 0]), ("B", [6, 7])])
    assert [cell.text for cell in lone.rows[0].cells] == [SMALL, "0"]
    assert lone.rows[0].total.text == SMALL
    assert lone.column_totals[1].text == HIDDEN
    assert lone.grand_total.text == HIDDEN
    # Two small cells in a row: neither can be told from the total.
    both = table("T", ["Kvinnor", "Män"], [("A", [2, 3])])
    assert both.rows[0].total.text == "5"
    # Without sums, nothing more is hidden than the small counts.
    plain = table("T", ["Kvinnor", "Män"], [("A", [10, 3])], row_totals=False, column_totals=False)
    assert [cell.text for cell in plain.rows[0].cells] == ["10", SMALL]


def test_a_chart_is_deterministic_svg_with_a_title_and_small_counts_not_drawn():
    months = {"row_totals": False, "column_totals": False}
    shown = table("T", ["Kvinnor", "Män"], [("2025-01", [6, 9]), ("2025-02", [8, 7])], **months)
    small = table("T", ["Kvinnor", "Män"], [("2025-01", [6, 9]), ("2025-02", [8, 3])], **months)
    first = charts.over_time(shown)
    assert str(first.svg) == str(charts.over_time(shown).svg)
    assert first.svg.startswith("<svg")
    assert 'role="img"' in first.svg and "<title id=" in first.svg
    assert "<dc:date>" not in first.svg

    # The men's line stops where the count is <5: fewer points drawn.
    def points(chart):
        return len(re.findall(r'xlink:href="#over-tid-m[0-9a-f]+"', chart.svg))

    # The same axes; one point fewer.
    assert points(first) - points(charts.over_time(small)) == 1
    assert "ritas inte" in first.note


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "board_member", "auditor"])
def test_readers_of_aggregates_see_the_statistics_with_small_counts_suppressed(
    login, request, association, initiative, persona
):
    client = login(request.getfixturevalue(persona))
    page = client.get(reverse("followup:statistics"), {"year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(TABLE_NOTE) in html
    assert "&lt;5" in html
    assert html.count('role="img"') == 2
    assert "Steget" in html
    one = client.get(
        reverse("followup:initiative_statistics", args=[initiative.pk]), {"year": 2025}
    )
    assert one.status_code == 200
    assert "Beräknat flöde" in one.content.decode()


@pytest.mark.django_db
def test_the_register_roles_apart_from_the_officer_do_not_read_statistics(
    login, preparer, lead, lead_initiative, other_officer, initiative
):
    assert login(preparer).get(reverse("followup:statistics")).status_code == 403
    assert login(lead).get(reverse("followup:statistics")).status_code == 403
    url = reverse("followup:initiative_statistics", args=[initiative.pk])
    assert login(other_officer).get(url).status_code == 404


@pytest.mark.django_db
def test_a_period_can_be_chosen_and_a_reversed_one_is_refused(officer_client, initiative):
    url = reverse("followup:statistics")
    page = officer_client.get(url, {"start": "2025-06-01", "end": "2025-06-30"})
    assert page.context["period"] == Period(datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))
    assert page.context["statistics"].ended.women.value == 5
    refused = officer_client.get(url, {"start": "2025-06-01", "end": "2025-01-01"})
    assert "Periodens sista dag ligger före den första." in refused.content.decode()


def _add_participants(initiative, how_many):
    for number in range(how_many):
        if number % 3 == 0:
            ended(
                initiative,
                gender="woman" if number % 2 else "man",
                on=datetime.date(2025, 4 + number % 8, 1),
            )
        else:
            ParticipantFactory(initiative=initiative, gender="woman" if number % 2 else "man")


# The statistics page: 3 to log in, then the insatser (an insats's page: the insats), the
# three aggregates over the register (flow and months; who took part; those who ended:
# before/after, income and exit reasons, time in the insats), the anonymous counts, the
# targets, and the outcomes since start from the register and from the anonymous counts.
STATISTICS_QUERIES = LOGGED_IN + 8


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["statistics", "initiative_statistics"])
def test_statistics_cost_the_same_for_10_and_500_participants(
    django_assert_num_queries, officer_client, association, initiative, name
):
    args = [initiative.pk] if name == "initiative_statistics" else []
    url = reverse(f"followup:{name}", args=args)
    # The insats's page reads its insats through the access helper rather than the förbund's
    # insatser: as many queries.
    expected = STATISTICS_QUERIES
    _add_participants(initiative, 10 - initiative.participants.count())
    with django_assert_num_queries(expected):
        assert officer_client.get(url, {"year": 2025}).status_code == 200
    _add_participants(initiative, 490)
    _add_participants(InitiativeFactory(association=association), 20)
    with django_assert_num_queries(expected):
        page = officer_client.get(url, {"year": 2025})
    assert page.status_code == 200
    assert page.context["statistics"].took_part.total.value >= 500
    assert re.search(r"Steget", page.content.decode())


@pytest.mark.django_db
def test_the_förbunds_sum_is_hidden_where_the_insatser_beside_it_would_tell(association):
    few = InitiativeFactory(association=association, name="Få")
    many = InitiativeFactory(association=association, name="Många")
    for _ in range(3):
        ParticipantFactory(initiative=few, gender="man")
    for _ in range(7):
        ParticipantFactory(initiative=many, gender="man")
    stats = statistics_for(association=association, period=YEAR)
    by_name = {item.name: item_stats for item, item_stats in stats.initiatives}
    assert by_name["Få"].started.men.text == SMALL
    assert by_name["Många"].started.men.text == "7"
    # 10 for the förbund less the 7 would tell the 3.
    assert stats.total.started.men.text == HIDDEN
    # One insats alone: its own page shows its own figures.
    alone = statistics_for(association=association, period=YEAR, initiative=many)
    assert alone.total.started.men.text == "7"
    assert [item.name for item, _stats in alone.initiatives] == ["Många"]
    # Another förbund's insats is refused, not counted under this förbund's name.
    with pytest.raises(ValueError):
        statistics_for(association=AssociationFactory(), period=YEAR, initiative=many)


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2025", "start": "bogus", "end": "2025-12-31"},
        {"year": "2025", "start": "2025-12-31", "end": "2025-01-01"},
    ],
)
def test_an_invalid_period_keeps_the_valid_year_and_says_why(query):
    form = StatisticsPeriodForm(query)

    assert form.period(datetime.date(2026, 12, 4)) == Period.year(2025)
    assert form.errors
