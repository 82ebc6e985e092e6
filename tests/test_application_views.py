import datetime
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import Application, BudgetRow
from tests.factories import ApplicationFactory, assess, registered_application
from tests.helpers import edit_data

State = Application.State


def page(response) -> str:
    return response.content.decode()


def empty_formsets():
    data = {}
    for prefix in ("targets", "activities", "commitments", "budget_rows", "planned_reports"):
        data |= {f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0"}
    # As a browser sends them: the budget rows' kind select shows its default.
    return data | {"budget_rows-0-kind": "cost", "budget_rows-1-kind": "cost"}


@pytest.mark.django_db
def test_officer_creates_a_draft_with_rows_and_swedish_amounts(
    officer_client, officer, association
):
    owner = association.members.get(name="Landskrona stad")
    af = association.members.get(kind="af")
    data = {
        **empty_formsets(),
        "kind": "new",
        "date": "2026-11-23",
        "name": "Arbetslivsingången",
        "lead_name": "Sara Ek",
        "owner": owner.pk,
        "parties": [af.pk],
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "orientation": "individual",
        "fundable_kinds": ["new_methods", "cooperation_cost"],
        "targets-0-text": "Beräknat flöde",
        "targets-0-number": "140",
        "budget_rows-0-year": "2027",
        "budget_rows-0-kind": "cost",
        "budget_rows-0-label": "Personal",
        "budget_rows-0-amount": "1 250 000,50",
        "commitments-0-member": af.pk,
        "commitments-0-commitment": "Handläggare på halvtid",
        "commitments-0-own_contribution": "200 000",
    }

    response = officer_client.post(reverse("applications:create"), data)

    application = Application.objects.get(name="Arbetslivsingången")
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert application.state == State.DRAFT and application.association == association
    assert list(application.parties.all()) == [af]
    assert application.fundable_kinds == ["new_methods", "cooperation_cost"]
    assert application.targets.get().number == 140
    assert application.budget_rows.get().amount == Decimal("1250000.50")
    assert application.commitments.get().own_contribution == Decimal("200000")
    assert application.history.first().history_user == officer


@pytest.mark.django_db
def test_bad_rows_save_nothing_and_say_why_in_swedish(officer_client, association):
    data = {
        **empty_formsets(),
        "kind": "new",
        "date": "2026-11-23",
        "name": "Halvfärdig",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "budget_rows-0-year": "2029",
        "budget_rows-0-kind": "cost",
        "budget_rows-0-label": "Personal",
        "budget_rows-0-amount": "tusen",
    }

    response = officer_client.post(reverse("applications:create"), data)

    html = page(response)
    assert "Inget har sparats" in html
    assert "Ange ett belopp i kronor, till exempel 125 000 eller 1 250,50." in html
    assert not Application.objects.filter(name="Halvfärdig").exists()
    assert not BudgetRow.objects.exists()


@pytest.mark.django_db
def test_budget_year_outside_the_period_is_refused(officer_client, association):
    data = {
        **empty_formsets(),
        "kind": "new",
        "date": "2026-11-23",
        "name": "Fel år",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "budget_rows-0-year": "2029",
        "budget_rows-0-kind": "cost",
        "budget_rows-0-label": "Personal",
        "budget_rows-0-amount": "1000",
    }

    html = page(officer_client.post(reverse("applications:create"), data))

    assert "Året ligger utanför insatsens period (2027–2027)." in html
    assert not Application.objects.filter(name="Fel år").exists()


@pytest.mark.django_db
def test_continuation_must_name_the_initiative(officer_client):
    data = {
        **empty_formsets(),
        "kind": "continuation",
        "date": "2026-11-23",
        "name": "Fortsättning",
    }

    assert "Ange vilken insats ansökan fortsätter eller ändrar." in page(
        officer_client.post(reverse("applications:create"), data)
    )


@pytest.mark.django_db
def test_officer_edits_and_registers_through_the_pages(officer_client, association):
    application = ApplicationFactory(association=association, name="Före")
    url = reverse("applications:edit", args=[application.pk])
    data = edit_data(officer_client.get(url).context, name="Efter")

    officer_client.post(url, data)
    response = officer_client.post(
        reverse("applications:register", args=[application.pk]), follow=True
    )

    application.refresh_from_db()
    assert application.name == "Efter"
    assert application.state == State.REGISTERED
    assert f"Diarienummer {application.dnr}" in page(response)


@pytest.mark.django_db
def test_registering_an_incomplete_draft_shows_what_is_missing(officer_client, association):
    application = ApplicationFactory(association=association, implementation="")

    response = officer_client.post(
        reverse("applications:register", args=[application.pk]), follow=True
    )

    assert "Ansökan kan inte registreras. Det saknas: implementering och avveckling." in page(
        response
    )


@pytest.mark.django_db
def test_board_and_preparer_never_see_drafts(login, board_member, preparer, officer, association):
    draft = ApplicationFactory(association=association, name="Hemligt utkast")
    registered_application(association, officer, name="Registrerad insats")

    for user in (board_member, preparer):
        client = login(user)
        assert client.get(reverse("applications:detail", args=[draft.pk])).status_code == 404
        listing = page(client.get(reverse("applications:list")))
        assert "Registrerad insats" in listing
        assert "Hemligt utkast" not in listing


@pytest.mark.django_db
def test_board_reads_only_the_final_recommendation_and_cannot_act(
    login, board_member, preparer, officer, association
):
    application = registered_application(association, officer)
    assess(application, preparer, recommendation_text="Arbetsversion av beredningen.")
    url = reverse("applications:detail", args=[application.pk])
    board = login(board_member)

    assert "Arbetsversion av beredningen." not in page(board.get(url))

    from applications import services

    services.assessment_finalise(user=officer, application=application)
    html = page(board.get(url))
    assert "Arbetsversion av beredningen." in html
    for action in ("edit", "register", "withdraw", "finalise", "assess"):
        assert reverse(f"applications:{action}", args=[application.pk]) not in html
    assert board.post(reverse("applications:withdraw", args=[application.pk])).status_code == 403


@pytest.mark.django_db
def test_preparer_writes_the_assessment_through_the_page(login, preparer, officer, association):
    application = registered_application(association, officer)
    client = login(preparer)
    url = reverse("applications:assess", args=[application.pk])

    response = client.post(
        url,
        {
            "individual_extent": "higher",
            "cooperation_extent": "lower",
            "recommendation": "supplement",
            "recommendation_text": "Komplettera med implementeringsplan.",
            "amount_2027": "450",
            "amount_2028": "",
        },
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.IN_PREPARATION
    assessment = application.assessments.get()
    assert (assessment.cooperation_extent, assessment.recommendation) == ("lower", "supplement")
    assert list(assessment.amounts.values_list("year", "amount")) == [(2027, Decimal("450000"))]
    form = client.get(url).content.decode()
    assert 'name="amount_2027" value="450"' in form
    assert "450 tkr för 2027" in client.get(application.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_list_filters_searches_by_dnr_and_sorts(officer_client, officer, association):
    first = registered_application(association, officer, name="Bravo", orientation="structural")
    registered_application(association, officer, name="Alfa")
    ApplicationFactory(association=association, name="Charlie")
    url = reverse("applications:list")

    def names(**params):
        return [row.name for row in officer_client.get(url, params).context["rows"]]

    assert names(sort="namn") == ["Alfa", "Bravo", "Charlie"]
    assert names(state="draft") == ["Charlie"]
    assert names(orientation="structural") == ["Bravo"]
    assert names(q=first.dnr) == ["Bravo"]
    assert names(q="alf") == ["Alfa"]


@pytest.mark.django_db
def test_list_shows_50_rows_a_page_with_links_to_the_next(officer_client, association):
    for index in range(55):
        ApplicationFactory(association=association, name=f"Insats {index:02d}", budget=False)

    first = officer_client.get(reverse("applications:list"), {"sort": "namn"})
    second = officer_client.get(reverse("applications:list"), {"sort": "namn", "sida": 2})
    beyond = officer_client.get(reverse("applications:list"), {"sort": "namn", "sida": 9})

    assert len(first.context["page"]) == 50
    assert [row.name for row in second.context["rows"]] == [f"Insats {i}" for i in range(50, 55)]
    assert "Sida 1 av 2" in page(first)
    assert "55 ansökningar" in page(first)
    assert "Sida 2 av 2" in page(beyond)  # a page past the end shows the last one


@pytest.mark.django_db
def test_list_rows_show_names_as_typed_and_say_when_nothing_matches(officer_client, association):
    # The rows are written in Python (applications_lists): what people type is shown as text.
    ApplicationFactory(association=association, name="<b>Steg & Väg</b>", budget=False)

    html = page(officer_client.get(reverse("applications:list")))
    empty = page(officer_client.get(reverse("applications:list"), {"q": "finns inte"}))

    assert "&lt;b&gt;Steg &amp; Väg&lt;/b&gt;" in html
    assert "<b>Steg" not in html
    assert "Inga ansökningar matchar." in empty
    assert "Inga ansökningar matchar." not in html


@pytest.mark.django_db
def test_excel_export_has_the_filtered_rows_a_frozen_header_and_an_autofilter(
    officer_client, officer, association
):
    registered_application(association, officer, name="Bravo")
    ApplicationFactory(association=association, name="Utkast som inte ska med")

    response = officer_client.get(reverse("applications:export_xlsx"), {"state": "registered"})

    sheet = load_workbook(BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Diarienummer", "Projektets namn", "Typ", "Status")
    assert [row[1] for row in rows[1:]] == ["Bravo"]
    assert rows[1][3] == "Registrerad"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N2"
    assert sheet["L2"].number_format == "yyyy-mm-dd"
    assert response["Content-Disposition"].startswith('attachment; filename="insatsansokningar-')


@pytest.mark.django_db
def test_pdf_has_dnr_criteria_budget_and_assessment(
    login, board_member, preparer, officer, association, tmp_path
):
    application = registered_application(association, officer, name="Socialt företagande")
    assess(application, preparer, recommendation_text="Beredningsgruppen rekommenderar bifall.")
    from applications import services

    services.assessment_finalise(user=officer, application=application)

    response = login(board_member).get(reverse("applications:pdf", args=[application.pk]))

    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "ansokan.pdf"
    pdf.write_bytes(response.getvalue())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = text.replace("\xa0", " ")
    assert f"Diarienummer {application.dnr}" in text
    assert "Socialt företagande" in text
    assert "Minst två parter deltar" in text
    assert "Sökt från förbundet totalt" in text and "1 000 000" in text
    assert "Beredningsgruppen rekommenderar bifall." in text
    assert "Sida 1 av" in text
    assert association.name in text.splitlines()[0]  # the running header


@pytest.mark.django_db
def test_creating_a_draft_starts_its_timeline(officer_client, officer, association):
    data = {**empty_formsets(), "kind": "new", "date": "2026-11-23", "name": "Ny idé"}

    officer_client.post(reverse("applications:create"), data)

    change = Application.objects.get(name="Ny idé").state_changes.get()
    assert (change.from_state, change.to_state, change.by) == ("", State.DRAFT, officer)


@pytest.mark.django_db
def test_linked_drafts_are_not_shown_to_the_board(login, board_member, officer, association):
    application = registered_application(association, officer)
    application.linked.add(ApplicationFactory(association=association, name="Hemligt utkast"))

    html = page(login(board_member).get(reverse("applications:detail", args=[application.pk])))

    assert "Hemligt utkast" not in html


@pytest.mark.django_db
def test_withdrawal_needs_the_confirmation(officer_client, officer, association):
    application = registered_application(association, officer)
    url = reverse("applications:withdraw", args=[application.pk])

    response = officer_client.post(url, {"comment": "Av misstag"}, follow=True)
    application.refresh_from_db()
    assert application.state == State.REGISTERED
    assert "Kryssa i att sökanden återtar ansökan" in page(response)

    officer_client.post(url, {"comment": "Sökanden återtar", "confirm": "on"})
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


@pytest.mark.django_db
def test_a_prepared_application_cannot_be_edited(officer_client, officer, preparer, association):
    from applications import services

    application = registered_application(association, officer)
    assess(application, preparer)
    services.assessment_finalise(user=officer, application=application)

    assert (
        officer_client.get(reverse("applications:edit", args=[application.pk])).status_code == 403
    )


@pytest.mark.django_db
def test_a_row_id_of_another_application_is_not_touched(officer_client, association):
    mine = ApplicationFactory(association=association, name="Min")
    theirs = ApplicationFactory(association=association, name="Annan")
    their_row = theirs.budget_rows.first()
    url = reverse("applications:edit", args=[mine.pk])
    data = edit_data(officer_client.get(url).context)
    data["budget_rows-0-id"] = str(their_row.pk)
    data["budget_rows-0-amount"] = "1"

    officer_client.post(url, data)

    their_row.refresh_from_db()
    assert their_row.amount == Decimal("500000")
    assert their_row.application == theirs


# Writes to an application, per persona: what each may do, and that a refused write changes
# nothing. The other förbund's officer gets 404: the application does not exist for them.
WRITES = {
    "applications:register": {"preparer": 403, "board": 403, "auditor": 403, "other_officer": 404},
    "applications:withdraw": {"preparer": 403, "board": 403, "auditor": 403, "other_officer": 404},
    "applications:finalise": {"preparer": 403, "board": 403, "auditor": 403, "other_officer": 404},
    "applications:edit": {"preparer": 403, "board": 403, "auditor": 403, "other_officer": 404},
    "applications:assess": {"officer": 403, "board": 403, "auditor": 403, "other_officer": 403},
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(WRITES))
def test_refused_writes_change_nothing(name, personas, login, officer, association):
    application = ApplicationFactory(association=association)
    original_name = application.name
    for persona, status in WRITES[name].items():
        response = login(personas[persona]).post(
            reverse(name, args=[application.pk]),
            {"confirm": "on", "name": "Ändrat", "recommendation": "reject", "version": "1"},
        )
        assert response.status_code == status, (persona, response.status_code)
    application.refresh_from_db()
    assert (application.state, application.name, application.version) == (
        State.DRAFT,
        original_name,
        1,
    )
    assert not application.assessments.exists()


@pytest.mark.django_db
def test_year_filter_finds_applications_running_that_year_and_status_sorts_by_workflow(
    officer_client, officer, preparer, association
):
    # Registered this year (2026 in the tests' clock or later), running 2027–2028.
    running = registered_application(
        association,
        officer,
        name="Löper 2027–2028",
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2028, 12, 31),
    )
    ApplicationFactory(
        association=association,
        name="Utkast 2030",
        period_start=datetime.date(2030, 1, 1),
        period_end=datetime.date(2030, 12, 31),
    )
    url = reverse("applications:list")

    def names(**params):
        return [row.name for row in officer_client.get(url, params).context["rows"]]

    assert names(year=2028) == ["Löper 2027–2028"]
    assert names(year=2030) == ["Utkast 2030"]
    assert running.dnr_year not in (2028, 2030)
    assess(registered_application(association, officer, name="Under beredning"), preparer)
    # Registrerad comes before Under beredning in the workflow, not by the letters of the values
    # ("in_preparation" < "registered").
    assert names(sort="status") == ["Utkast 2030", "Löper 2027–2028", "Under beredning"]


@pytest.mark.django_db
def test_page_and_pdf_show_own_contributions_beside_the_budgets_own_funds(
    login, board_member, officer, association, tmp_path
):
    from applications.criteria import OWN_FUNDS_LABEL
    from applications.models import PartyCommitment

    application = registered_application(association, officer, name="Egna medel")
    PartyCommitment.objects.create(
        application=application,
        member=application.owner,
        commitment="Lokaler och handledare",
        own_contribution=Decimal("570000"),
    )
    BudgetRow.objects.create(
        application=application, year=2027, kind="own_funds", label="Egen personal", amount=150000
    )
    client = login(board_member)

    html = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    html = html.replace("\xa0", " ").replace("&nbsp;", " ")
    assert "Egna medel skiljer sig:" in html
    assert "parternas åtaganden (Organisation) anger 570 000 kr, budgeten (Ekonomi) 150 000 kr" in (
        html
    )
    assert "en skillnad på 420 000 kr" in html  # the criterion, flagged

    response = client.get(reverse("applications:pdf", args=[application.pk]))
    pdf = tmp_path / "ansokan.pdf"
    pdf.write_bytes(response.getvalue())
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.replace("\xa0", " ").split())
    assert OWN_FUNDS_LABEL in text
    assert "anger 570 000 kr i egna medel, budgeten (Ekonomi) 150 000 kr totalt" in text
    assert "Egna medel skiljer sig: parternas åtaganden (Organisation) anger 570 000 kr" in text


@pytest.mark.django_db
def test_the_list_pages_by_50_and_the_links_keep_the_filters(association, officer, officer_client):
    for _ in range(51):
        registered_application(association, officer)

    page = officer_client.get(reverse("applications:list") + "?state=registered").content.decode()

    assert "Sida 1 av 2" in page
    assert 'href="?state=registered&amp;sida=2">Nästa' in page
