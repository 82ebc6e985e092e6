"""The auditors' workbook, opened by LibreOffice: its formulas must compute the app's figures."""

import csv
import io
import os
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from budget.exports import sheet_title
from budget.selectors import budget_figures_by_period
from finsam.models import Association
from tests.factories import RoleFactory


def computed_by_libreoffice(content: bytes, tmp_path) -> dict[str, dict[str, Decimal]]:
    """Each sheet's rows (label → value) as LibreOffice computes them."""
    source = tmp_path / "budget.xlsx"
    source.write_bytes(content)
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            # raw values (not formatted), every sheet to its own file
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    sheets = {}
    for path in tmp_path.glob("budget-*.csv"):
        rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
        values = {}
        for row in rows:
            if len(row) >= 2 and row[1].strip():
                try:
                    values[row[0]] = Decimal(row[1])
                except ArithmeticError:
                    continue
        sheets[path.stem.removeprefix("budget-")] = values
    return sheets


@pytest.mark.django_db
def test_libreoffice_computes_the_same_sums_as_the_app(settings, login, tmp_path):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    settings.DEBUG = False
    association = Association.objects.get(org_number="222000-2733")
    client = login(RoleFactory(association=association, kind="auditor").user)

    response = client.get(reverse("budget:export_xlsx"))

    assert response["Content-Disposition"].startswith('attachment; filename="budget-')
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["Budget 2010"]
    assert sheet.freeze_panes == "A5"
    assert sheet.print_title_rows == "$4:$4"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    formulas = [c.value for c in sheet["B"] if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(formulas) == 4  # income, costs, means, result: computed by the reader
    computed = computed_by_libreoffice(response.content, tmp_path)
    for figures in budget_figures_by_period(association).values():
        sheet_values = computed[sheet_title(figures.version.budget)]
        for label, amount in [
            ("Summa intäkter", figures.income),
            ("Summa verksamhetens kostnader", figures.operating_costs),
            ("Medel för insatser att fördela", figures.means_to_distribute),
            ("Periodens resultat", figures.result),
        ]:
            assert sheet_values[label] == amount / 1000, (figures.version.budget, label)
    assert computed["Budget 2010"]["Medel för insatser att fördela"] == Decimal("8787")
