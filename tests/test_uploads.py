"""Uploads read within bounds: absurd files are refused quickly, with a Swedish message, and
nothing of them is written."""

import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budget import ledger, legacy
from budget.models import Budget, ChartLine
from finsam.uploads import Limits, UploadError, csv_rows, read_upload, xlsx_rows

SMALL = Limits("en provtabell", max_bytes=64 * 1024, max_rows=10, max_columns=5)


def xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    # constant_memory writes row by row, as a large export from a ledger system would be.
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = workbook.add_worksheet()
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
    assert "Filen har fler än 1000 rader; en budgettabell har färre. Inget har sparats." in html
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
