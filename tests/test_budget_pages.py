"""The budget pages: what each role sees and may do, query counts pinned, the reports' contents."""

import datetime
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from budget import services
from budget.models import (
    Actual,
    ActualImport,
    Budget,
    BudgetLine,
    BudgetVersion,
    ChartLine,
    ContributionOverride,
    EquityCeiling,
    Forecast,
    PeriodEvent,
)
from finsam.models import User
from tests.factories import (
    InitiativeFactory,
    InitiativeGrantFactory,
    MemberFactory,
    RoleFactory,
)
from tests.helpers import LOGGED_IN, SEED_2010_TABLE, form_on, seed_layout_xlsx

K = Decimal(1000)


@pytest.fixture
def kansli(seed, login):
    return login(User.objects.get(email="kansli@example.org"))


@pytest.fixture
def auditor(seed, login):
    return login(RoleFactory(association=seed, kind="auditor").user)


def budget_of(association, year):
    return Budget.objects.get(association=association, period_start__year=year)


def draft_2011(seed):
    return services.budget_create(
        user=User.objects.get(email="kansli@example.org"),
        association=seed,
        period_start=datetime.date(2011, 1, 1),
        period_end=datetime.date(2011, 12, 31),
        copy_from=budget_of(seed, 2010),
    )


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def pdf_pages(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return [page.replace("\xa0", " ") for page in result.stdout.split("\f") if page.strip()]


# Writing


def test_officer_creates_a_period_enters_lines_in_tkr_and_adopts_it(seed, kansli):
    response = kansli.post(
        reverse("budget:create"),
        {"period_start": "2011-01-01", "period_end": "2011-12-31", "copy_from": ""},
    )
    budget = budget_of(seed, 2011)
    assert response.status_code == 302 and response["Location"] == reverse(
        "budget:lines", args=[budget.pk]
    )
    chart = {line.name: line for line in ChartLine.objects.filter(association=seed)}
    fields = {f"line-{line.pk}": "" for line in chart.values()}
    fields[f"line-{chart['Verksamhetens ägarbidrag'].pk}"] = "5 200"
    fields[f"line-{chart['Samordnare'].pk}"] = "525,5"

    kansli.post(reverse("budget:lines", args=[budget.pk]), fields)
    kansli.post(reverse("budget:adopt", args=[budget.pk]), {"adopted_on": "2010-11-29"})

    version = budget.versions.get()
    assert version.state == BudgetVersion.State.ADOPTED
    assert version.adopted_on == datetime.date(2010, 11, 29)
    amounts = dict(version.lines.values_list("line__name", "amount"))
    assert amounts == {"Verksamhetens ägarbidrag": 5_200_000, "Samordnare": 525_500}
    page = text(kansli.get(reverse("budget:detail", args=[budget.pk])))
    assert "Version 1, fastställd 2010-11-29" in page
    assert (
        "Resultatet i den fastställda budgeten för 2010, inkl. överfört" in page
    )  # the carry-over says where from


def test_a_revision_is_edited_and_adopted_while_the_adopted_version_stays_readable(seed, kansli):
    budget = budget_of(seed, 2010)
    office = ChartLine.objects.get(association=seed, name="Kontor")

    kansli.post(reverse("budget:revise", args=[budget.pk]))
    current = text(kansli.get(reverse("budget:detail", args=[budget.pk])))
    lines = kansli.get(reverse("budget:lines", args=[budget.pk]))
    # The amounts as the page shows them in its inputs.
    fields = dict(re.findall(r'name="(line-\d+)" id="[^"]*" value="([^"]*)"', lines.text))
    assert len(fields) > 5
    fields[f"line-{office.pk}"] = "52"
    kansli.post(reverse("budget:lines", args=[budget.pk]), fields)
    kansli.post(reverse("budget:adopt", args=[budget.pk]), {"adopted_on": "2010-04-15"})

    assert "Version 2 är ett utkast till revidering" in current
    assert "Version 1, fastställd 2009-11-30" in current  # the adopted version until then
    revised = text(kansli.get(reverse("budget:detail", args=[budget.pk])))
    first = text(kansli.get(reverse("budget:detail", args=[budget.pk]) + "?version=1"))
    assert "Version 2, fastställd 2010-04-15" in revised
    assert "Version 1, fastställd 2009-11-30" in first
    amounts = dict(
        BudgetLine.objects.filter(version__budget=budget, line=office).values_list(
            "version__number", "amount"
        )
    )
    assert amounts == {1: 39 * K, 2: 52 * K}
    samordnare = BudgetLine.objects.get(
        version__number=2, version__budget=budget, line__name="Samordnare"
    )
    assert samordnare.amount == 510 * K  # the other lines came back as they were shown


def test_a_bad_amount_gets_a_swedish_message_and_nothing_is_saved(seed, kansli):
    budget = draft_2011(seed)
    chart = ChartLine.objects.filter(association=seed)
    fields = {f"line-{line.pk}": "100" for line in chart}
    fields[f"line-{chart.get(name='Kontor').pk}"] = "fyrtio"
    before = list(BudgetLine.objects.values_list("pk", "amount"))

    response = kansli.post(reverse("budget:lines", args=[budget.pk]), fields)

    assert response.status_code == 200
    assert "Ange beloppet i tkr, till exempel 450 eller 1 250,5." in text(response)
    assert list(BudgetLine.objects.values_list("pk", "amount")) == before


def test_the_budget_page_warns_while_the_contributions_do_not_add_up(seed, kansli):
    budget = draft_2011(seed)
    landskrona = seed.members.get(name="Landskrona stad")
    members = {f"member-{m.pk}": "" for m in seed.members.all()}
    members[f"member-{landskrona.pk}"] = "1 000 000"

    kansli.post(reverse("budget:contributions", args=[budget.pk]), members)

    assert ContributionOverride.objects.get().amount == 1_000_000
    page = text(kansli.get(reverse("budget:detail", args=[budget.pk])))
    assert (
        "medlemmarnas ägarbidrag är tillsammans 5 045 864 kr, men budgetens ägarbidrag är "
        "5 000 000 kr (skillnad \u221245 864 kr)"
    ) in page


def test_the_ledger_import_previews_then_saves_every_row(seed, kansli):
    budget = budget_of(seed, 2010)
    csv = b"Konto;Datum;Belopp\n7210;2010-07-31;42 500\n6110;2010-07-31;3 250\n"
    upload = io.BytesIO(csv)
    upload.name = "juli.csv"

    preview = kansli.post(reverse("budget:import", args=[budget.pk]), {"file": upload})

    assert "2 rader, summa 45 750 kr" in text(preview)
    assert not Actual.objects.filter(month="2010-07-01").exists()  # nothing before confirming
    sha = preview.context["preview"].sha256
    kansli.post(reverse("budget:import_confirm", args=[budget.pk]), {"sha256": sha})
    assert dict(Actual.objects.filter(month="2010-07-01").values_list("line__name", "amount")) == {
        "Samordnare": 42_500,
        "Kontor": 3_250,
    }
    assert ActualImport.objects.get().file_name == "juli.csv"
    again = kansli.post(reverse("budget:import_confirm", args=[budget.pk]), {"sha256": sha})
    assert again["Location"] == reverse("budget:import", args=[budget.pk])


def test_the_preview_warns_when_rows_land_on_months_that_already_have_actuals(seed, kansli):
    budget = budget_of(seed, 2010)
    upload = io.BytesIO(b"Konto;Period;Belopp\n7210;2010-06;44 125\n7210;2010-07;42 500\n")
    upload.name = "jun-jul.csv"

    page = text(kansli.post(reverse("budget:import", args=[budget.pk]), {"file": upload}))

    assert "1 av filens rader bokförs på månader och poster som redan har utfall" in page


def test_a_ledger_file_with_errors_lists_them_and_offers_no_save(seed, kansli):
    budget = budget_of(seed, 2010)
    upload = io.BytesIO(b"Konto;Datum;Belopp\n4999;2010-07-31;100\n")
    upload.name = "fel.csv"

    page = text(kansli.post(reverse("budget:import", args=[budget.pk]), {"file": upload}))

    assert "Rad 2: kontot 4999 är inte kopplat till någon post." in page
    assert "antingen läses alla rader in eller ingen" in page
    assert reverse("budget:import_confirm", args=[budget.pk]) not in page
    refused = kansli.post(reverse("budget:import_confirm", args=[budget.pk]), {"sha256": "x"})
    assert refused.status_code == 302 and not ActualImport.objects.exists()


def test_seed_004s_2010_table_imports_as_a_draft_and_its_wrong_sum_is_named(seed, kansli):
    response = kansli.post(
        reverse("budget:legacy_import"),
        {
            "period_start": "2012-01-01",
            "period_end": "2012-12-31",
            "file": seed_layout_xlsx(SEED_2010_TABLE),
        },
    )

    page = text(response)
    assert (
        "Rad 6, Summa intäkter: summan är inskriven som 10 422 tkr, men raderna ovanför ger "
        "9 982 tkr." in page
    )
    assert "1 inskriven summa stämmer inte med raderna" in page
    budget = budget_of(seed, 2012)
    version = budget.versions.get()
    assert version.state == BudgetVersion.State.DRAFT
    amounts = dict(version.lines.values_list("line__name", "amount"))
    assert amounts["Verksamhetens ägarbidrag"] == 5_000_000
    assert amounts["Utbildning och resor"] == 200_000
    assert sum(amounts.values()) == (9982 + 1209 + 14) * K


def test_a_broken_legacy_file_saves_nothing(seed, kansli):
    broken = io.BytesIO(b"not a workbook")
    broken.name = "budget.xlsx"
    count = Budget.objects.count()

    response = kansli.post(
        reverse("budget:legacy_import"),
        {"period_start": "2012-01-01", "period_end": "2012-12-31", "file": broken},
    )

    assert "Filen kan inte läsas som ett Excel-ark (xlsx)." in text(response)
    assert Budget.objects.count() == count


def test_closing_and_reopening_through_the_pages(seed, kansli):
    budget = budget_of(seed, 2010)

    kansli.post(reverse("budget:close", args=[budget.pk]))
    closed = text(kansli.get(reverse("budget:detail", args=[budget.pk])))
    grid = kansli.get(reverse("budget:actuals", args=[budget.pk]))
    kansli.post(reverse("budget:reopen", args=[budget.pk]), {"reason": "Sen faktura"})

    assert "Perioden är stängd" in closed and "Öppna perioden igen" in closed
    assert grid.status_code == 302  # the grid is locked while closed
    assert list(PeriodEvent.objects.values_list("action", flat=True)) == ["closed", "reopened"]
    log = text(kansli.get(reverse("budget:detail", args=[budget.pk])))
    assert "Skäl: Sen faktura" in log
    # who did each, by name (the log reads the user's name columns only)
    officer = str(User.objects.get(email="kansli@example.org"))
    assert f"Stängd av {officer}" in log and f"Öppnad igen av {officer}" in log


def test_the_grid_has_a_row_for_each_insats_granted_or_booked_in_the_year(seed, kansli):
    # The rows come from the period the page reads anyway: an insats granted for the year
    # without actuals, one with actuals and no grant, none granted another year only.
    budget = draft_2011(seed)
    granted = InitiativeFactory(association=seed, name="Arbetsträning Svalöv")
    InitiativeGrantFactory(initiative=granted, year=2011, amount=Decimal(400_000))
    booked = InitiativeFactory(association=seed, name="Aktivitetshus")
    Actual.objects.create(budget=budget, initiative=booked, month="2011-05-01", amount=K * 12)
    InitiativeGrantFactory(initiative=InitiativeFactory(association=seed, name="Sedan"), year=2012)
    url = reverse("budget:actuals", args=[budget.pk])

    page = kansli.get(url)
    names = re.findall(r"Insats: ([^<,]+)", page.content.decode())
    form = form_on(page)
    typed = form[f"initiative-{booked.pk}-201105"]
    form[f"initiative-{granted.pk}-201103"] = "2500"
    kansli.post(url, form)

    assert list(dict.fromkeys(names)) == ["Aktivitetshus", "Arbetsträning Svalöv"]
    assert typed == "12\N{NO-BREAK SPACE}000"
    booked_now = Actual.objects.filter(budget=budget, initiative__isnull=False)
    assert sorted(booked_now.values_list("initiative__name", "amount")) == [
        ("Aktivitetshus", K * 12),
        ("Arbetsträning Svalöv", Decimal(2500)),
    ]


def test_the_chart_maps_each_account_to_one_line(seed, kansli):
    lines = list(ChartLine.objects.filter(association=seed))
    data = {
        "form-TOTAL_FORMS": str(len(lines) + 1),
        "form-INITIAL_FORMS": str(len(lines)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, line in enumerate(lines):
        data |= {
            f"form-{i}-id": str(line.pk),
            f"form-{i}-group": line.group,
            f"form-{i}-name": line.name,
            f"form-{i}-position": str(line.position),
            f"form-{i}-accounts": line.accounts,
        }
    new = len(lines)
    data |= {f"form-{new}-group": "operating", f"form-{new}-name": "Lokaler"}
    data[f"form-{new}-position"] = "20"
    data[f"form-{new}-accounts"] = "5010"  # already Kontor's

    page = text(kansli.post(reverse("budget:chart"), data))
    data[f"form-{new}-name"] = "Kontor"
    twice = text(kansli.post(reverse("budget:chart"), data))

    assert "Kontot 5010 är kopplat till både Kontor och Lokaler." in page
    assert "Posten Kontor finns redan i gruppen Verksamhetens kostnader." in twice
    assert not ChartLine.objects.filter(name="Lokaler").exists()
    data[f"form-{new}-name"] = "Lokaler"
    data[f"form-{new}-accounts"] = "5020"
    kansli.post(reverse("budget:chart"), data)
    assert ChartLine.objects.get(name="Lokaler").account_list == ["5020"]


@pytest.mark.parametrize("persona", ["board", "auditor"])
def test_readers_change_nothing(seed, login, persona):
    client = login(RoleFactory(association=seed, kind=persona).user)
    budget = budget_of(seed, 2010)
    models = (Budget, BudgetVersion, BudgetLine, ChartLine, Actual, Forecast, EquityCeiling)
    before = {model: list(model.objects.values()) for model in models}

    for name in (
        "lines",
        "adopt",
        "revise",
        "contributions",
        "actuals",
        "import",
        "import_confirm",
        "forecast",
        "close",
        "reopen",
    ):
        assert client.post(reverse(f"budget:{name}", args=[budget.pk])).status_code == 403
    for name in ("create", "legacy_import", "chart", "ceilings"):
        assert client.post(reverse(f"budget:{name}")).status_code == 403

    assert {model: list(model.objects.values()) for model in models} == before


# Reading: the auditors' downloads


def test_the_pdf_report_names_förbund_period_version_and_date_on_every_page(
    seed, auditor, tmp_path
):
    budget = budget_of(seed, 2010)

    response = auditor.get(reverse("budget:report_pdf", args=[budget.pk]))

    assert response["Content-Disposition"] == (
        'attachment; filename="budget-och-utfall-2010-01-v1.pdf"'
    )
    pages = pdf_pages(response.getvalue(), tmp_path)
    today = datetime.date.today().isoformat()
    for page in pages:
        assert "Samordningsförbundet Landskrona-Svalöv" in page
        assert "Budget och utfall 2010" in page
        assert "Version 1, fastställd 2009-11-30" in page
        assert f"Utskriven {today}" in page
    whole = "\n".join(pages)
    assert "Medel för insatser att fördela" in whole
    for figure in ("8 787", "7 057", "4 982", "1 000 (20 %)"):
        assert figure in whole
    assert "Varning: det egna kapitalet efter 2010 är 8 787 tkr" in whole


def test_the_budget_page_and_the_pdf_name_both_results_as_the_equity_table_does(
    seed, auditor, tmp_path
):
    """2010 (open, so its equity is taken from the budget): the result that includes the 4 982
    carried in from 2009 is 8 787, the closing equity; Årets resultat is 3 805 in the figures and
    in the equity table alike. Each derived row's definition is written under the table."""
    budget = budget_of(seed, 2010)

    page = text(auditor.get(reverse("budget:detail", args=[budget.pk])))
    pdf = " ".join(
        pdf_pages(auditor.get(reverse("budget:report_pdf", args=[budget.pk])).getvalue(), tmp_path)
    )

    cells = r"\s*".join(r'<td class="num">([^<]*)</td>' for _ in range(4))

    def figures(label):
        return re.search(rf"<th scope=\"row\">{label}</th>\s*{cells}", page).groups()

    # Budget, utfall, avvikelse, prognos; utfall: 4 982 + 2 500 − 432 + 7 = 7 057.
    assert figures("Resultat inkl. överfört från föregående år") == (
        "8 787",
        "7 057",
        "−1 730",
        "8 787",
    )
    assert figures("Årets resultat") == ("3 805", "2 075", "−1 730", "3 805")
    assert figures("Summa insatser") == ("0", "0", "0", "0")
    equity = re.search(
        r'2010 <span class="small">\(enligt budget\)</span></th>\s*'
        r'<td class="num">([^<]*)</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td>',
        page,
    ).groups()
    assert equity == ("4 982", "3 805", "8 787")  # ingående, årets resultat, utgående
    assert "Periodens resultat" not in page and "Ej fördelade medel</th>" not in page
    for shown in (page, pdf):
        flat = " ".join(shown.split())
        assert "Så räknas raderna" in flat
        assert (
            "Årets resultat = resultat inkl. överfört från föregående år − överfört från "
            "föregående år" in flat
        )
        assert "i utfallet det som har bokförts på insatserna" in flat
        assert "Ej fördelade medel, det som ännu kan beviljas för året" in flat
    assert re.search(r"Resultat inkl. överfört från föregående år\s+8 787\s+7 057", pdf)
    assert re.search(r"Årets resultat\s+3 805\s+2 075", pdf)


def test_the_management_command_writes_both_files(seed, tmp_path):
    out = io.StringIO()
    call_command("budget_report", "222000-2733", "2009-09", "--out", str(tmp_path), stdout=out)

    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == ["budget-och-utfall-2009-09-v1.pdf", "budget-och-utfall-2009-09-v1.xlsx"]
    assert "Budget och utfall 2009" in pdf_pages((tmp_path / written[0]).read_bytes(), tmp_path)[0]


def test_the_management_command_refuses_an_unknown_period(seed):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ger inte en enda budget"):
        call_command("budget_report", "222000-2733", "2015")


# Query counts

# the versions with their budgets (one query since #12: budgets and versions were two), lines,
# chart, actuals, forecasts, grants, equity ceilings
PERIODS = 7
# The pages of a period's lines, ägarbidrag, actuals, prognos and adoption read it alone, without
# the years before it and without the guideline (period_alone, #12): its versions, lines, the
# chart, actuals, forecasts and grants.
ALONE = PERIODS - 1
PAGES = {
    # the budget; the periods; contributions: members, overrides; imports, closings
    "detail": 1 + PERIODS + 2 + 2,
    "report_pdf": 1 + PERIODS + 2,
    "report_xlsx": 1 + PERIODS + 2,
    # the budget; the period; the chart
    "lines": 1 + ALONE + 1,
    # the budget; the period; members, overrides
    "contributions": 1 + ALONE + 2,
    # the budget; the period; the actuals (the chart lines and the insatser are the period's
    # own since #12: no query for them)
    "actuals": 1 + ALONE + 1,
    "forecast": 1 + ALONE,
    "import": 1,
    "adopt": 1 + ALONE + 1,  # + the budget agenda items
}


def add_rows(seed, budget, count=20):
    """More of everything a budget page lists: lines, actuals, forecasts, members, periods."""
    user = User.objects.get(email="kansli@example.org")
    version = budget.versions.order_by("-number").first()
    for index in range(count):
        line = ChartLine.objects.create(
            association=seed, group="operating", name=f"Post {index}", position=50 + index
        )
        BudgetLine.objects.create(version=version, line=line, amount=K * index)
        Actual.objects.create(budget=budget, line=line, month="2011-03-01", amount=K)
        Forecast.objects.create(budget=budget, line=line, amount=K)
        MemberFactory(association=seed, kind="kommun", population=1000 + index)
        initiative = InitiativeFactory(association=seed)
        Actual.objects.create(budget=budget, initiative=initiative, month="2011-05-01", amount=K)
    for year in range(2013, 2013 + count // 4):
        services.budget_create(
            user=user,
            association=seed,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )


@pytest.mark.parametrize("name", sorted(PAGES))
def test_budget_pages_cost_the_same_for_more_rows(seed, kansli, name, django_assert_num_queries):
    budget = draft_2011(seed)
    initiative = InitiativeFactory(association=seed)
    Actual.objects.create(budget=budget, initiative=initiative, month="2011-02-01", amount=K)
    url = reverse(f"budget:{name}", args=[budget.pk])
    with django_assert_num_queries(LOGGED_IN + PAGES[name]):
        assert kansli.get(url).status_code == 200
    add_rows(seed, budget)
    with django_assert_num_queries(LOGGED_IN + PAGES[name]):
        assert kansli.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "queries"),
    [("overview", PERIODS), ("chart", 1), ("ceilings", 1), ("create", 2), ("legacy_import", 0)],
)
def test_budget_lists_cost_the_same_for_more_rows(
    seed, kansli, name, queries, django_assert_num_queries
):
    budget = draft_2011(seed)
    url = reverse(f"budget:{name}")
    with django_assert_num_queries(LOGGED_IN + queries):
        assert kansli.get(url).status_code == 200
    add_rows(seed, budget)
    with django_assert_num_queries(LOGGED_IN + queries):
        assert kansli.get(url).status_code == 200


@pytest.mark.django_db
def test_a_legacy_table_that_lists_the_carry_over_as_income_is_flagged(association, officer, login):
    """Seed 004's 2010 table has 2009's result (4 982) as "Övriga intäkter"; Finsam computes the
    carry-over itself, so keeping the line would count it twice."""
    budget_2009 = services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(2009, 9, 1),
        period_end=datetime.date(2009, 12, 31),
    )
    chart = {line.name: line.pk for line in ChartLine.objects.filter(association=association)}
    services.version_lines_save(
        user=officer,
        version=budget_2009.versions.get(),
        amounts={chart["Verksamhetens ägarbidrag"]: 5440 * K, chart["Samordnare"]: 458 * K},
    )

    page = text(
        login(officer).post(
            reverse("budget:legacy_import"),
            {
                "period_start": "2010-01-01",
                "period_end": "2010-12-31",
                "file": seed_layout_xlsx(SEED_2010_TABLE),
            },
        )
    )

    assert (
        "Posten Övriga intäkter (4 982 tkr) är lika stor som det som förs över från föregående "
        "period." in page
    )


def test_the_reopen_page_costs_the_same_for_more_rows(seed, kansli, django_assert_num_queries):
    budget = draft_2011(seed)
    services.period_close(user=User.objects.get(email="kansli@example.org"), budget=budget)
    url = reverse("budget:reopen", args=[budget.pk])
    with django_assert_num_queries(LOGGED_IN + 1):  # the budget
        assert kansli.get(url).status_code == 200
    add_rows(seed, budget)
    with django_assert_num_queries(LOGGED_IN + 1):
        assert kansli.get(url).status_code == 200


def test_the_carry_over_is_recognised_by_name_or_by_its_rounded_amount():
    from budget.legacy import LegacyLine, carry_over_listed

    lines = [
        LegacyLine(2, "other_income", "Överfört från 2009", Decimal(0)),
        LegacyLine(3, "other_income", "Övriga intäkter", Decimal(7057)),
        LegacyLine(4, "contributions", "Verksamhetens ägarbidrag", Decimal(7057)),
    ]

    warnings = carry_over_listed(lines, Decimal("7057075.00"))  # from a closed period's actuals

    assert warnings == [
        "Posten Överfört från 2009 ser ut att vara överföringen från föregående period. Finsam "
        "räknar fram den själv; ta bort posten så att den inte räknas två gånger.",
        "Posten Övriga intäkter (7\xa0057 tkr) är lika stor som det som förs över från "
        "föregående period. Finsam räknar fram överföringen själv; ta bort posten om den är "
        "överföringen.",
    ]


@pytest.mark.parametrize("name", ["lines", "adopt", "contributions"])
def test_a_revisions_pages_cost_the_same_for_more_rows(
    seed, kansli, name, django_assert_num_queries
):
    """With an adopted version and a draft, the pages read the period twice: as adopted and as
    drafted. Still a fixed number."""
    budget = budget_of(seed, 2010)
    services.version_revise(user=User.objects.get(email="kansli@example.org"), budget=budget)
    url = reverse(f"budget:{name}", args=[budget.pk])
    expected = LOGGED_IN + PAGES[name] + ALONE
    with django_assert_num_queries(expected):
        assert kansli.get(url).status_code == 200
    add_rows(seed, budget)
    with django_assert_num_queries(expected):
        assert kansli.get(url).status_code == 200


def test_the_budget_page_says_lines_and_sums_are_rounded_separately(seed, auditor, tmp_path):
    """2010's deviations: the lines' rounded tkr can add to one tkr more or less than the rounded
    sum (−778 against −777), as in Swedish public accounts."""
    budget = budget_of(seed, 2010)

    page = text(auditor.get(reverse("budget:detail", args=[budget.pk])))
    report = "\n".join(
        pdf_pages(auditor.get(reverse("budget:report_pdf", args=[budget.pk])).getvalue(), tmp_path)
    )

    assert "Varje post och varje summa avrundas för sig till hela tkr" in page
    assert "Varje post och varje summa avrundas för sig" in " ".join(report.split())


def test_a_refused_period_is_shown_as_a_message_and_nothing_is_created(seed, kansli):
    count = Budget.objects.count()

    response = kansli.post(
        reverse("budget:create"),
        {"period_start": "2010-03-01", "period_end": "2010-05-31", "copy_from": ""},
        follow=True,
    )

    assert "Det finns redan en budget för 2010; en period per kalenderår." in text(response)
    assert Budget.objects.count() == count


def test_another_förbunds_period_is_not_found(seed, login, other_association):
    from finsam.models import Role
    from tests.factories import RoleFactory as Roles

    stranger = login(Roles(association=other_association, kind=Role.Kind.OFFICER).user)
    budget = budget_of(seed, 2010)

    assert stranger.get(reverse("budget:detail", args=[budget.pk])).status_code == 404
    assert stranger.post(reverse("budget:close", args=[budget.pk])).status_code == 404
    assert budget.closed_at is None
