"""Uploads read within bounds: absurd files are refused quickly, with a Swedish message, and
nothing of them is written."""

import datetime
import io
import json
import tracemalloc
import zipfile
from dataclasses import dataclass

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bench.files import zip_bomb as bomb
from budget import ledger, legacy
from budget import services as budget_services
from budget.models import Actual, ActualImport, Budget, ChartLine
from finsam.uploads import (
    Limits,
    UploadError,
    check_unpacked,
    csv_rows,
    read_upload,
    xlsx_rows,
)
from followup import register_file, report_files
from followup.models import Participant, Report
from tests.factories import ChartLineFactory, InitiativeFactory, report_due

SMALL = Limits("en provtabell", max_bytes=64 * 1024, max_rows=10, max_columns=5)


def xlsx(rows, sheet_name=None) -> bytes:
    buffer = io.BytesIO()
    # constant_memory writes row by row, as a large export from a ledger system would be.
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet(sheet_name)
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    workbook.close()
    return buffer.getvalue()


def test_a_file_larger_than_its_purpose_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("budget.xlsx", b"0" * (SMALL.max_bytes + 1))

    with pytest.raises(UploadError, match=r"högst 0,1 MB tas emot"):
        read_upload(upload, SMALL)
    assert upload.tell() == 0


def test_rows_beyond_the_limit_refuse_the_whole_file():
    assert len(xlsx_rows(xlsx([["Kontor", 45]] * 10), SMALL)) == 10

    with pytest.raises(UploadError, match="fler än 10 rader; en provtabell har färre"):
        xlsx_rows(xlsx([["Kontor", 45]] * 11), SMALL)
    with pytest.raises(UploadError, match="fler än 10 rader"):
        csv_rows(b"Konto;Belopp\n" + b"5410;100\n" * 10, SMALL)


def test_empty_cells_to_the_right_do_not_count_but_many_columns_do():
    assert xlsx_rows(xlsx([["Kontor", 45, None, "", None, None, None]]), SMALL) == [["Kontor", 45]]

    with pytest.raises(UploadError, match="fler än 5 kolumner"):
        xlsx_rows(xlsx([list(range(6))]), SMALL)


def test_an_archive_that_inflates_far_beyond_its_size_is_refused_unread():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (3 * 1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 10 * 1024  # a few kilobytes that unpack to 3 MB

    with pytest.raises(UploadError, match="packas upp till mer än 1,2 MB"):
        xlsx_rows(bomb, SMALL)


def test_csv_is_read_as_utf8_utf16_or_windows_1252_and_a_foreign_byte_is_named():
    assert csv_rows("Post;Belopp\nKontor;45\n".encode("utf-16"), SMALL) == [
        ["Post", "Belopp"],
        ["Kontor", "45"],
    ]
    assert csv_rows("Post;Belopp\nLön;45\n".encode("cp1252"), SMALL)[1] == ["Lön", "45"]

    # 0x81 is the one byte Windows-1252 leaves undefined.
    with pytest.raises(UploadError, match="byte 0x81 på plats 14"):
        csv_rows(b"Post;Belopp\nK\x81ntor;45\n", SMALL)


@pytest.mark.django_db
def test_an_old_table_with_more_rows_than_a_budget_has_adds_no_chart_line(
    association, officer_client
):
    content = xlsx([[f"Post {number}", 1000] for number in range(legacy.LIMITS.max_rows + 1)])
    lines = ChartLine.objects.count()

    response = officer_client.post(
        reverse("budget:legacy_import"),
        {
            "period_start": "2031-01-01",
            "period_end": "2031-12-31",
            "file": SimpleUploadedFile("budget.xlsx", content),
        },
    )

    html = response.content.decode().replace("\xa0", " ")
    limit = legacy.LIMITS.max_rows
    assert f"Filen har fler än {limit} rader; en budgettabell har färre. Inget har sparats." in html
    assert ChartLine.objects.count() == lines
    assert not Budget.objects.filter(association=association).exists()


@pytest.mark.django_db
def test_an_old_table_line_name_longer_than_the_chart_allows_is_refused(
    association, officer_client
):
    content = xlsx([["Intäkter"], ["X" * 201, 100], ["Summa", 100]])

    response = officer_client.post(
        reverse("budget:legacy_import"),
        {
            "period_start": "2031-01-01",
            "period_end": "2031-12-31",
            "file": SimpleUploadedFile("budget.xlsx", content),
        },
    )

    assert "Rad 2: namnet är längre än 200 tecken" in response.content.decode()
    assert not Budget.objects.filter(association=association).exists()


@pytest.mark.django_db
def test_a_file_beyond_every_purposes_limit_is_not_received(settings, officer_client, association):
    settings.FINSAM_UPLOAD_MAX_BYTES = 100 * 1024
    content = b"x" * (200 * 1024)

    response = officer_client.post(
        reverse("budget:legacy_import"),
        {
            "period_start": "2031-01-01",
            "period_end": "2031-12-31",
            "file": SimpleUploadedFile("budget.xlsx", content),
        },
    )

    assert response.status_code == 200
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert not Budget.objects.filter(association=association).exists()


def test_the_ledger_refuses_more_rows_than_a_years_ledger_has():
    rows = ["Konto;Datum;Belopp"] + ["5410;2031-03-01;100"] * ledger.LIMITS.max_rows
    with pytest.raises(ledger.LedgerFileError, match="fler än 20000 rader"):
        ledger.read_ledger(
            "\n".join(rows).encode(), "huvudbok.csv", budget=None, chart=[], initiatives={}
        )


# Every upload, refused as a whole when it is too big, too long, not what it claims to be, or a
# zip bomb: quickly, within bounded memory, and with nothing written.


@pytest.fixture(scope="module")
def zip_bomb():
    return bomb()  # bench.files: the benchmark refuses the same file through the server


@dataclass
class Purpose:
    """One upload: where it is posted and what it writes when it is accepted."""

    name: str
    post: object  # (client, objects, upload) → response
    tables: tuple
    limit: int


def _legacy_post(client, objects, upload):
    return client.post(
        reverse("budget:legacy_import"),
        {"period_start": "2031-01-01", "period_end": "2031-12-31", "file": upload},
    )


def _ledger_post(client, objects, upload):
    return client.post(reverse("budget:import", args=[objects["budget"].pk]), {"file": upload})


def _register_post(client, objects, upload):
    return client.post(
        reverse("followup:register_import", args=[objects["initiative"].pk]), {"file": upload}
    )


def _report_post(client, objects, upload):
    return client.post(
        reverse("followup:report_upload", args=[objects["initiative"].pk, objects["report"].pk]),
        {"file": upload, "received_on": "2026-06-28"},
    )


PURPOSES = [
    Purpose("legacy", _legacy_post, (Budget, ChartLine), legacy.LIMITS.max_bytes),
    Purpose("ledger", _ledger_post, (Actual, ActualImport), ledger.LIMITS.max_bytes),
    Purpose("register", _register_post, (Participant,), register_file.LIMITS.max_bytes),
    Purpose("report", _report_post, (Report,), report_files.LIMITS.max_bytes),
]


@pytest.fixture
def objects(association, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    initiative = InitiativeFactory(association=association)
    return {
        "budget": budget_services.budget_create(
            user=officer,
            association=association,
            period_start=datetime.date(2030, 1, 1),
            period_end=datetime.date(2030, 12, 31),
        ),
        "initiative": initiative,
        "report": report_due(initiative, due=datetime.date(2026, 6, 30)),
        "media": tmp_path / "media",
    }


def written(purpose, objects) -> tuple:
    media = objects["media"]
    files = (
        sorted(str(path) for path in media.rglob("*") if path.is_file()) if media.exists() else []
    )
    return tuple(model.objects.count() for model in purpose.tables), files


def page(response) -> str:
    return response.content.decode().replace("\xa0", " ")


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", PURPOSES, ids=lambda p: p.name)
def test_an_upload_too_big_for_its_purpose_is_refused_and_writes_nothing(
    purpose, objects, officer_client
):
    before = written(purpose, objects)
    upload = SimpleUploadedFile("stor.xlsx", b"PK\x03\x04" + b"0" * purpose.limit)

    response = purpose.post(officer_client, objects, upload)

    text = page(response)
    assert response.status_code == 200
    assert "MB" in text and ("högst" in text or "större än" in text), text[-3000:]
    assert written(purpose, objects) == before


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", PURPOSES, ids=lambda p: p.name)
def test_a_text_file_named_xlsx_is_refused_and_writes_nothing(purpose, objects, officer_client):
    before = written(purpose, objects)
    upload = SimpleUploadedFile("tabell.xlsx", b"Konto;Datum;Belopp\n3510;2030-01-15;100\n")

    response = purpose.post(officer_client, objects, upload)

    assert response.status_code == 200
    text = page(response)
    assert "kan inte läsas som" in text or "innehållet är inte en Excel-fil" in text, text[-3000:]
    assert written(purpose, objects) == before


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", PURPOSES, ids=lambda p: p.name)
def test_a_zip_bomb_is_refused_unread_in_bounded_memory_and_writes_nothing(
    purpose, objects, officer_client, zip_bomb
):
    assert len(zip_bomb) < 1024 * 1024
    before = written(purpose, objects)
    upload = SimpleUploadedFile("huvudbok.xlsx", zip_bomb)

    tracemalloc.start()
    response = purpose.post(officer_client, objects, upload)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert response.status_code == 200
    assert "packas upp till" in page(response)
    assert peak < 40 * 1024 * 1024  # three million rows would take gigabytes
    assert written(purpose, objects) == before


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", PURPOSES[:3], ids=lambda p: p.name)
def test_an_upload_with_more_rows_than_its_purpose_has_is_refused_and_writes_nothing(
    purpose, objects, officer_client
):
    limits = {"legacy": legacy.LIMITS, "ledger": ledger.LIMITS, "register": register_file.LIMITS}
    rows = limits[purpose.name].max_rows + 1
    before = written(purpose, objects)
    # A sheet of rows the purpose would read, one too many (the register sheet by its name).
    content = xlsx(([f"Post {n}", n] for n in range(rows)), sheet_name=register_file.SHEET)

    response = purpose.post(officer_client, objects, SimpleUploadedFile("lang.xlsx", content))

    text = page(response)
    assert "Filen har fler än" in text, text[-3000:]
    assert written(purpose, objects) == before


def test_a_utf16_csv_without_its_byte_order_mark_gets_a_message_that_says_so():
    content = "Konto;Datum;Belopp\n3510;2030-01-15;100\n".encode("utf-16-le")

    with pytest.raises(UploadError, match="UTF-16 utan byteordningsmärke"):
        csv_rows(content, SMALL)


def test_an_archive_that_packs_far_tighter_than_a_sheet_is_refused_before_it_is_unpacked():
    limits = Limits("en provtabell", max_bytes=1024 * 1024, max_rows=10, max_unpacked=10**9)
    content = bomb(rows=100_000)

    with pytest.raises(UploadError, match=r"packas upp till .* gånger sin storlek"):
        check_unpacked(content, limits)


# The preview between upload and confirmation keeps a reference in the session, not the file.


@pytest.mark.django_db
def test_the_ledger_preview_keeps_the_file_out_of_the_session_and_deletes_it_after_the_import(
    association, objects, officer_client
):
    budget = objects["budget"]
    budget_line = ChartLineFactory(association=association, name="Provpost", accounts="5999")
    rows = "".join(f"5999;2030-{month:02d}-15;{month}00\n" for month in range(1, 13)) * 100
    upload = SimpleUploadedFile("huvudbok.csv", ("Konto;Datum;Belopp\n" + rows).encode())

    preview = officer_client.post(reverse("budget:import", args=[budget.pk]), {"file": upload})

    kept = officer_client.session["budget_ledger_import"]
    assert len(json.dumps(kept)) < 500
    assert kept["rows"] == 1200
    stored = objects["media"] / kept["stored"]
    assert stored.is_file()
    officer_client.post(
        reverse("budget:import_confirm", args=[budget.pk]),
        {"sha256": preview.context["preview"].sha256},
    )
    assert Actual.objects.filter(line=budget_line).count() == 12
    assert not stored.exists()
    assert "budget_ledger_import" not in officer_client.session


@pytest.mark.django_db
def test_a_utf16_ledger_file_with_its_byte_order_mark_is_read(association, objects, officer_client):
    ChartLineFactory(association=association, name="Provpost", accounts="5999")
    content = "Konto;Datum;Belopp\n5999;2030-03-15;1 250\n".encode("utf-16")

    response = officer_client.post(
        reverse("budget:import", args=[objects["budget"].pk]),
        {"file": SimpleUploadedFile("huvudbok.csv", content)},
    )

    assert "1 rad, summa 1 250 kr" in page(response)
