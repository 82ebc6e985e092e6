"""The yearly return, Uppföljning Finsam (#10 § 6): a workbook whose sums LibreOffice recomputes,
a CSV, a PDF for the board that poppler reads, its figures the same as the insats pages', and a
fixed number of queries."""

import csv
import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budget.models import Actual, ChartLine
from followup import returns
from followup.suppression import SMALL
from tests.factories import (
    AnonymousCountFactory,
    ApplicationFactory,
    BudgetFactory,
    BudgetLineFactory,
    BudgetVersionFactory,
    ChartLineFactory,
    InitiativeFactory,
    InitiativeGrantFactory,
    ParticipantFactory,
    ParticipantTargetFactory,
)
from tests.helpers import LOGGED_IN, computed_by_libreoffice

YEAR = 2025


def _participants(initiative, *, women, men, ended_women=0):
    for number in range(women):
        extra = {}
        if number < ended_women:
            extra = {
                "ended_on": datetime.date(YEAR, 9, 1),
                "exit_reason": "work",
                "income_source_end": "salary",
                "occupation_end": "employed",
            }
        ParticipantFactory(initiative=initiative, gender="woman", **extra)
    for _number in range(men):
        ParticipantFactory(initiative=initiative, gender="man")


@pytest.fixture
def year_data(association):
    """Two insatser in 2025 with grants, actuals and participants, and the förbund's budget."""
    steget = InitiativeFactory(association=association, name="Steget")
    bron = InitiativeFactory(association=association, name="Bron & co", orientation="structural")
    InitiativeFactory(
        association=association,
        name="Gammal",
        period_start=datetime.date(2019, 1, 1),
        period_end=datetime.date(2021, 12, 31),
    )
    InitiativeGrantFactory(initiative=steget, year=YEAR, amount=Decimal("400000"))
    InitiativeGrantFactory(initiative=bron, year=YEAR, amount=Decimal("150000.50"))
    _participants(steget, women=7, men=3, ended_women=2)
    ParticipantFactory(initiative=steget, gender="woman", started_on=datetime.date(2024, 4, 1))
    AnonymousCountFactory(initiative=bron, month=datetime.date(YEAR, 5, 1), women=6, men=2)
    application = ApplicationFactory(
        association=association,
        initiative=steget,
        state="granted",
        dnr_year=2024,
        dnr_number=901,
    )
    ParticipantTargetFactory(application=application, text="Beräknat flöde", number=40)
    ParticipantTargetFactory(application=application, text="Till arbete", number=8)
    budget = BudgetFactory(
        association=association,
        period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31),
    )
    version = BudgetVersionFactory(budget=budget)
    contributions = ChartLineFactory(
        association=association, group=ChartLine.Group.CONTRIBUTIONS, name="Ägarbidrag"
    )
    office = ChartLineFactory(association=association, group=ChartLine.Group.OPERATING)
    BudgetLineFactory(version=version, line=contributions, amount=Decimal("5000000"))
    BudgetLineFactory(version=version, line=office, amount=Decimal("900000"))
    Actual.objects.create(
        budget=budget, initiative=steget, month=datetime.date(YEAR, 3, 1), amount=Decimal("123456")
    )
    Actual.objects.create(
        budget=budget, initiative=bron, month=datetime.date(YEAR, 4, 1), amount=Decimal("1000.25")
    )
    return {"steget": steget, "bron": bron}


@pytest.mark.django_db
def test_the_return_has_a_row_per_insats_of_the_year(association, year_data):
    data = returns.yearly_return(association=association, year=YEAR)
    assert [row.initiative.name for row in data.rows] == ["Bron & co", "Steget"]
    bron, steget = data.rows
    assert steget.orientation == "Individinriktad"
    assert bron.orientation == "Strukturövergripande"
    assert steget.planned == 40
    assert (steget.granted, steget.actual) == (Decimal("400000"), Decimal("123456"))
    # 7 women and 3 men started in 2025; one more woman took part, started in 2024.
    assert [c.text for c in steget.counts[:6]] == ["7", SMALL, "dold", "8", SMALL, "dold"]
    assert [c.text for c in bron.counts] == ["6", SMALL, "dold", "6", SMALL, "dold", "6", SMALL]
    # Men: <5 in both rows, so the column's total (5) does not tell either.
    assert data.count_totals[1].text == "5"
    assert data.lines.contributions == Decimal("5000000")
    assert data.lines.administrative_costs == Decimal("900000")
    assert data.lines.basis == "budget"


@pytest.mark.django_db
def test_the_workbook_sums_are_formulas_that_libreoffice_recomputes(
    association, year_data, tmp_path
):
    data = returns.yearly_return(association=association, year=YEAR)
    content = returns.return_xlsx(data)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Insatser"]
    sums = next(row for row in sheet.iter_rows() if row[0].value == "Summa")
    assert sums[5].value.startswith("=SUM(F")
    assert sums[7].value.startswith("=SUM(H")
    # A name with & is text, not a formula.
    assert any(row[0].value == "Bron & co" for row in sheet.iter_rows())
    assert workbook["Förbundet"]["B8"].value.startswith("=Insatser!F")

    computed = computed_by_libreoffice(content, tmp_path)
    insatser = computed["Insatser"]
    granted, actual, planned = insatser["Summa"][4:7]
    assert granted == Decimal("550000.50")
    assert actual == Decimal("124456.25")
    assert planned == 40
    assert insatser["Summa"][7] == 13  # new women: every row exact, so a formula
    förbundet = computed["Förbundet"]
    assert förbundet["Beviljat till insatser för året"] == [Decimal("550000.50")]
    assert förbundet["Ägarbidrag totalt"] == [Decimal("5000000")]


@pytest.mark.django_db
def test_the_csv_has_the_same_figures_with_small_counts_suppressed(association, year_data):
    data = returns.yearly_return(association=association, year=YEAR)
    content = returns.return_csv(data).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0] == returns.COLUMNS
    steget = next(row for row in rows if row[0] == "Steget")
    assert steget[5:8] == ["400000,00", "123456,00", "40"]
    assert steget[8:11] == ["7", SMALL, "dold"]
    summa = next(row for row in rows if row[0] == "Summa")
    assert summa[5] == "550000,50"


@pytest.mark.django_db
def test_the_returns_figures_equal_the_insats_pages(officer_client, association, year_data):
    data = returns.yearly_return(association=association, year=YEAR)
    for row in data.rows:
        page = officer_client.get(reverse("followup:detail", args=[row.initiative.pk]))
        insats = page.context["page"]
        money = next(year for year in insats.money if year.year == YEAR)
        assert (row.granted, row.actual) == (money.granted, money.actual)
        summary = next(year for year in insats.summary.years if year.year == YEAR)
        assert row.new == summary.started
        assert row.took_part == summary.took_part


@pytest.mark.django_db
def test_the_board_reads_the_pdf_uppfoljning_with_small_counts_suppressed(
    login, board_member, year_data, tmp_path
):
    response = login(board_member).get(reverse("followup:yearly_return_pdf"), {"year": YEAR})
    assert response.status_code == 200
    pdf = tmp_path / "uppfoljning.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Uppföljning 2025" in text
    assert f"{board_member.roles.get().association.name} – Uppföljning 2025" in text  # header
    assert "Steget" in text and "Bron & co" in text
    assert "Hela förbundet" in text
    assert "<5" in text
    assert "Sysselsättning före och efter" in text
    # The return's fifteen columns fit the width of the paper: the last two headers ("Anonyma
    # kvinnor", "Anonyma män") are on the first page (poppler drops words beyond its edge), and
    # no word runs past the edge of any page.
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', boxes, re.S)
    assert len(re.findall(r">Anonyma</word>", pages[0][1])) == 2
    for width, words in pages:
        right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', words)]
        assert max(right_edges) <= float(width), "text runs off the page"
    # The charts as images (PNG, drawn for print): two for the förbund and two per insats
    # (each block of statistics starts with "Deltagare efter kön").
    listed = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    images = [line.split() for line in listed if line.split()[2] == "image"]
    assert len(images) == 2 * text.count("Deltagare efter kön") >= 4
    assert {image[5] for image in images} == {"rgb"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["yearly_return_xlsx", "yearly_return_csv"])
def test_the_downloads_are_files(officer_client, year_data, name):
    response = officer_client.get(reverse(f"followup:{name}"), {"year": YEAR})
    assert response.status_code == 200
    assert "uppfoljning-finsam-2025" in response["Content-Disposition"]


# The return page: 3 to log in; the insatser, their granted applications, target groups and
# targets; grants; actuals; the register; the anonymous counts; the budget periods (seven, one
# fewer since the budget's selectors were made cheaper for #12) and the contributions
# (members, overrides).
RETURN_QUERIES = LOGGED_IN + 17


@pytest.mark.django_db
def test_the_return_costs_the_same_for_many_participants(
    django_assert_num_queries, officer_client, association, year_data
):
    url = reverse("followup:yearly_return") + f"?year={YEAR}"
    with django_assert_num_queries(RETURN_QUERIES):
        assert officer_client.get(url).status_code == 200
    _participants(year_data["steget"], women=200, men=150)
    _participants(InitiativeFactory(association=association), women=30, men=30)
    with django_assert_num_queries(RETURN_QUERIES):
        page = officer_client.get(url)
    assert "Steget" in page.content.decode()


@pytest.mark.django_db
def test_the_insats_list_links_to_the_statistics_and_the_return_of_its_year(
    officer_client, login, preparer, year_data
):
    html = officer_client.get(reverse("followup:list"), {"year": YEAR}).content.decode()
    assert f"{reverse('followup:statistics')}?year={YEAR}" in html
    assert f"{reverse('followup:yearly_return')}?year={YEAR}" in html
    page = officer_client.get(reverse("followup:yearly_return"), {"year": YEAR})
    assert page.context["data"].year == YEAR
    assert login(preparer).get(reverse("followup:yearly_return")).status_code == 403
