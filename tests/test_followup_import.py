"""The register file: the template Finsam hands out, filled in and read back with a preview of
every row and its errors; all rows land in one transaction, or none. Too large a file is refused
before it is read."""

import dataclasses
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from followup import exports, register_file, services
from followup.models import Participant, ParticipantImport
from followup.register_file import MAX_BYTES, RegisterFileError, read_register
from tests.factories import InitiativeFactory, ParticipantFactory

ROW = ["", "Kvinna", 1990, "Gymnasial", "Försörjningsstöd", "Ingen", "1–2 år", "2025-03-01"]
ENDED = ["2025-10-31", "Arbete", "Lön", "Förvärvsarbete"]


@pytest.fixture
def initiative(association):
    return InitiativeFactory(association=association, name="Jobbspår")


def filled_template(initiative, rows, participants=()) -> bytes:
    """Finsam's template with ``rows`` written below its participants, as staff fill it in."""
    workbook = load_workbook(
        io.BytesIO(exports.register_template_xlsx(initiative, list(participants)))
    )
    sheet = workbook[register_file.SHEET]
    first = sheet.max_row + 1 if participants else 2
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=first + offset, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, initiative, content, name="deltagare.xlsx"):
    return client.post(
        reverse("followup:register_import", args=[initiative.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def confirm(client, initiative, sha256):
    return client.post(
        reverse("followup:register_import_confirm", args=[initiative.pk]),
        {"sha256": sha256},
        follow=True,
    )


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.mark.django_db
def test_the_template_has_the_participants_and_a_list_for_every_coded_column(
    initiative, officer_client
):
    ParticipantFactory(initiative=initiative, number=42)

    response = officer_client.get(reverse("followup:register_template", args=[initiative.pk]))

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook[register_file.SHEET]
    header = [cell.value for cell in sheet[1]]
    assert header == [text for _key, text in register_file.COLUMNS]
    assert [cell.value for cell in sheet[2]][:8] == [
        "D-0042",
        "Kvinna",
        1995,
        "Gymnasial",
        "Försörjningsstöd",
        "Ingen",
        "1–2 år",
        datetime.datetime(2025, 3, 1),
    ]
    lists = {
        str(validation.sqref).split(":")[0]: validation.formula1
        for validation in sheet.data_validations.dataValidation
        if validation.type == "list"
    }
    assert set(lists) == {"B2", "D2", "E2", "F2", "G2", "J2", "K2", "L2"}
    assert lists["B2"] == "Listor!$A$2:$A$3"
    assert workbook["Listor"].sheet_state == "hidden"
    assert [cell.value for cell in workbook["Listor"]["A"]][1:4] == ["Kvinna", "Man", None]
    guide = " ".join(str(cell.value) for cell in workbook["Så fyller du i"]["A"])
    assert "Skriv aldrig namn, personnummer" in guide


@pytest.mark.django_db
def test_2000_rows_with_one_bad_row_land_nothing_and_name_the_row_then_all_land_corrected(
    initiative, officer, officer_client
):
    rows = [list(ROW) for _ in range(2000)]
    rows[1500][2] = 2012  # row 1502 of the sheet: 13 years old at start
    bad = filled_template(initiative, rows)

    preview = text(upload(officer_client, initiative, bad))

    assert "1 rad kan inte läsas in." in preview
    assert "Rad 1502: Födelseår 2012 ger åldern 13 år vid start 2025" in preview
    assert "Spara alla" not in preview
    sha_bad = register_file.read_register(bad, "x.xlsx", initiative=initiative, existing={}).sha256
    refused = text(confirm(officer_client, initiative, sha_bad))
    assert "Förhandsgranskningen har gått ut" in refused
    assert not Participant.objects.exists()

    rows[1500][2] = 1990
    corrected = filled_template(initiative, rows)
    preview = upload(officer_client, initiative, corrected)
    assert "2 000 rader: 2 000 nya deltagare, 0 ändrade, 0 oförändrade." in text(preview)
    sha = preview.context["preview"].sha256

    with CaptureQueriesContext(connection) as queries:
        done = text(confirm(officer_client, initiative, sha))

    assert "deltagare.xlsx är inläst: 2 000 nya deltagare, 0 ändrade." in done
    codes = list(Participant.objects.order_by("number").values_list("number", flat=True))
    assert codes == list(range(1, 2001))
    assert ParticipantImport.objects.get().created == 2000
    # Inserted in bulk (in batches as large as the database takes), not a statement per row.
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) < 100


@pytest.mark.django_db
def test_the_service_refuses_the_whole_file_when_a_row_became_wrong_after_the_preview(
    initiative, officer
):
    content = filled_template(initiative, [list(ROW), list(ROW) + ENDED])
    preview = read_register(content, "x.xlsx", initiative=initiative, existing={})
    assert preview.can_save
    # Meanwhile the insats ended, before the file's active participant could have.
    services.initiative_end(
        user=officer,
        initiative=initiative,
        outcome="discontinued",
        ended_on=datetime.date(2025, 12, 31),
    )

    with pytest.raises(services.FollowupError) as error:
        services.participants_import(
            user=officer,
            initiative=initiative,
            rows=preview.rows,
            file_name="x.xlsx",
            sha256=preview.sha256,
        )

    assert str(error.value).startswith("1 av filens rader har fel; ingenting är inläst. Rad 2:")
    assert not Participant.objects.exists()
    assert not ParticipantImport.objects.exists()


@pytest.mark.django_db
def test_existing_codes_are_ended_or_corrected_and_unknown_codes_refused(
    initiative, officer, officer_client
):
    first = ParticipantFactory(initiative=initiative, number=1)
    ParticipantFactory(initiative=initiative, number=2)
    content = filled_template(initiative, [list(ROW)], participants=[first])
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[register_file.SHEET]
    for column, value in enumerate(ENDED, start=9):
        sheet.cell(row=2, column=column, value=value)  # D-0001 ends to work
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = text(upload(officer_client, initiative, buffer.getvalue()))
    assert "2 rader: 1 nya deltagare, 1 ändrade, 0 oförändrade." in preview
    confirm(
        officer_client, initiative, officer_client.session["followup_register_import"]["sha256"]
    )

    first.refresh_from_db()
    assert (first.ended_on, first.exit_reason) == (datetime.date(2025, 10, 31), "work")
    assert Participant.objects.get(number=3).started_on == datetime.date(2025, 3, 1)
    unknown = filled_template(initiative, [["D-0099", *ROW[1:]], ["D-0002", *ROW[1:]]])
    rows = read_register(unknown, "x.xlsx", initiative=initiative, existing={1: first}).rows
    assert rows[0].error == services.UNKNOWN_CODE.format(code="D-0099")


@pytest.mark.django_db
def test_cells_that_cannot_be_read_are_named_with_their_row(initiative):
    rows = [
        ["", "Kvinna", 1990, "Högskola", *ROW[4:]],
        ["", "Man", "nittio", *ROW[3:]],
        ["", "Man", 1990, *ROW[3:7], "i våras"],
        ["", "Man", 1990, *ROW[3:], "2025-10-01"],  # an end without its reason
        ["X-12", *ROW[1:]],
        ["D-0001", "Kvinna", 1995, *ROW[3:]],  # as registered
        ["D-0001", "Kvinna", 1995, *ROW[3:]],
    ]
    existing = {1: ParticipantFactory(initiative=initiative, number=1)}

    preview = read_register(
        filled_template(initiative, rows), "x.xlsx", initiative=initiative, existing=existing
    )

    errors = [f"Rad {row.row}: {row.error}" for row in preview.rows]
    assert errors[0].startswith("Rad 2: Högsta utbildning: ”Högskola” finns inte i listan")
    assert errors[1] == "Rad 3: Födelseår: ”nittio” är inget årtal (ÅÅÅÅ)."
    assert errors[2] == "Rad 4: Startdatum: ”i våras” är inget datum (ÅÅÅÅ-MM-DD)."
    assert errors[3].startswith("Rad 5: Slutdatum, avslutsorsak, försörjning vid avslut")
    assert errors[4] == "Rad 6: Kod: ”X-12” är ingen deltagarkod (som D-0042)."
    assert preview.rows[5].action == "unchanged"
    assert errors[6] == "Rad 8: Koden D-0001 står också på rad 7."


@pytest.mark.django_db
def test_a_file_too_large_is_refused_before_it_is_read_and_nothing_is_written(
    initiative, officer_client
):
    response = upload(officer_client, initiative, b"0" * (MAX_BYTES + 1))

    assert register_file.TOO_LARGE in text(response)
    assert "Förhandsgranskning" not in text(response)
    assert "followup_register_import" not in officer_client.session
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_more_than_5000_participants_are_refused_at_once(initiative):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(register_file.SHEET)
    sheet.append([header for _key, header in register_file.COLUMNS])
    for _ in range(register_file.MAX_ROWS + 1):
        sheet.append(ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(RegisterFileError) as error:
        read_register(buffer.getvalue(), "x.xlsx", initiative=initiative, existing={})

    assert str(error.value) == (
        "Filen har fler än 5\u00a0000 deltagare; dela upp den. Ingenting är inläst."
    )


@pytest.mark.django_db
def test_a_file_that_is_not_the_template_says_what_it_lacks(initiative, officer_client):
    workbook = Workbook()
    workbook.active.append(["Namn", "Personnummer"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    page = text(upload(officer_client, initiative, buffer.getvalue()))
    assert "Filen saknar rubrikraden med kolumnerna Kod, Kön, Födelseår" in page
    assert "kan inte läsas som Excel" in text(upload(officer_client, initiative, b"PK nonsense"))
    assert "Excel-fil (xlsx)" in text(upload(officer_client, initiative, b"a;b", "lista.csv"))


@pytest.mark.django_db
def test_the_same_file_is_read_only_once(initiative, officer, officer_client):
    content = filled_template(initiative, [list(ROW)])
    sha = upload(officer_client, initiative, content).context["preview"].sha256
    confirm(officer_client, initiative, sha)

    upload(officer_client, initiative, content)
    page = text(confirm(officer_client, initiative, sha))

    assert "Filen deltagare.xlsx lästes redan in" in page
    assert Participant.objects.count() == 1


@pytest.mark.django_db
def test_a_file_of_the_most_participants_lands_whole_and_is_corrected_whole(initiative, officer):
    """5 000 participants, then all 5 000 ended: written in batches that PostgreSQL takes with
    its parameters bound on the server (at most 65 535 a statement, where one insert of them
    would need 70 000 and one update 115 000)."""
    started = services.ParticipantValues(
        gender="woman",
        birth_year=1990,
        education="upper_secondary",
        income_source_start="social_assistance",
        occupation_start="none",
        support_time="1_2",
        started_on=datetime.date(2025, 3, 1),
    )
    new = [services.RegisterRow(row=i + 2, values=started) for i in range(register_file.MAX_ROWS)]
    services.participants_import(
        user=officer, initiative=initiative, rows=new, file_name="a.xlsx", sha256="a" * 64
    )
    ended = dataclasses.replace(
        started,
        ended_on=datetime.date(2025, 10, 31),
        exit_reason="work",
        income_source_end="salary",
        occupation_end="employed",
    )
    every = [
        services.RegisterRow(row=i + 1, number=i, values=ended)
        for i in range(1, register_file.MAX_ROWS + 1)
    ]
    done = services.participants_import(
        user=officer, initiative=initiative, rows=every, file_name="b.xlsx", sha256="b" * 64
    )

    assert (done.created, done.updated) == (0, register_file.MAX_ROWS)
    participants = Participant.objects.filter(initiative=initiative)
    assert participants.count() == register_file.MAX_ROWS
    assert participants.filter(exit_reason="work", ended_on="2025-10-31").count() == 5000
    assert Participant.history.filter(initiative_id=initiative.pk).count() == 10_000
