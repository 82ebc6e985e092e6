"""Helpers the tests share that are not about building domain objects."""

import csv
import io
import os
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

from openpyxl import Workbook

ORE_IN_TKR = Decimal("0.00001")

LOGGED_IN = 2  # session; the user with their roles (accounts.backends.UserBackend)


def edit_data(context, **overrides):
    """The edit form's current values as a POST body, as the browser would send them."""
    data = {}
    form = context["form"]
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for part in context["sections"]:
        formset = part["formset"]
        if formset is None:
            continue
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for row in formset.forms:
            for name in row.fields:
                value = row[name].value()
                if value not in (None, False):
                    data[row.add_prefix(name)] = str(value)
    data["version"] = str(context["version_form"]["version"].value())
    data.update(overrides)
    return data


def computed_by_libreoffice(content: bytes, tmp_path) -> dict[str, dict[str, list[Decimal]]]:
    """Each sheet's rows as LibreOffice computes them, every formula recomputed (whatever value
    the file stores with it): label → the row's numbers (None if empty)."""
    source = tmp_path / "report.xlsx"
    source.write_bytes(content)
    # LibreOffice shows the values stored with an xlsx's formulas unless its profile tells it to
    # recompute them on loading (its default for OOXML is "never recalculate").
    profile = tmp_path / "lo" / "user"
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry">'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>'
        "</oor:items>\n",
        encoding="utf-8",
    )
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
    for path in tmp_path.glob("report-*.csv"):
        values = {}
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            numbers = []
            for cell in row[1:]:
                try:
                    numbers.append(Decimal(cell).quantize(ORE_IN_TKR) if cell else None)
                except ArithmeticError:
                    numbers.append(None)
            if row and any(n is not None for n in numbers):
                values[row[0]] = numbers
        sheets[path.stem.removeprefix("report-")] = values
    return sheets


def tkr(kronor: Decimal) -> Decimal:
    return (kronor / 1000).quantize(ORE_IN_TKR)


def seed_layout_xlsx(rows) -> io.BytesIO:
    """A budget table laid out as seed 004's: heading rows, lines in A with tkr in C, and 'Summa'
    in B."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Samordningsförbundet Landskrona-Svalöv", None, "Budget"])
    sheet.append([None, None, 2010])
    sheet.append([None, None, "tkr"])
    for label, amount in rows:
        if label == "Summa":
            sheet.append([None, "Summa", amount])
        else:
            sheet.append([label, None, amount])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "budget-2010.xlsx"
    return buffer


SEED_2010_TABLE = [
    ("Verksamhetens ägarbidrag", 5000),
    ("Övriga intäkter", 4982),
    ("Summa", 10422),
    ("Verksamhetens kostnader", None),
    ("Styrelse och revisorer", 230),
    ("Samordnare", 510),
    ("Konsulter", 60),
    ("Marknadsföring", 70),
    ("Utvärdering", 100),
    ("Kontor", 39),
    ("Utbildning och resor", 200),
    ("Summa", 1209),
    ("Finansiella intäkter", None),
    ("Ränta", 14),
    ("Finansiella kostnader", None),
    ("Ränta", None),
    ("Summa", 14),
    ("Medel för insatser att fördela", 8787),
    ("Periodens resultat", 0),
]


# The forms of a page as a browser sends them: the stale-edit tests post back what the page shows.


class PageForms(HTMLParser):
    """The fields of each form on a page as a browser submits them: inputs with their value,
    ticked boxes and radios only, a select's chosen option (else its first), a textarea's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form = None
        self._select = None  # [name, first option, chosen options]
        self._textarea = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "reset", "image", "file"):
                self._form.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, []]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attrs:
                self._select[2].append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, first, chosen = self._select
            for value in chosen or [first or ""]:
                self._form.append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A browser drops the newline that follows <textarea>.
            self._form.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_on(response) -> dict:
    """The form of the page that carries a fingerprint, as a POST body (name → value, or a list
    of values for a name given more than once)."""
    assert response.status_code == 200
    parser = PageForms()
    parser.feed(response.content.decode())
    forms = [form for form in parser.forms if any(name == "fingerprint" for name, _ in form)]
    assert len(forms) == 1, "the page's form carries no fingerprint"
    values: dict[str, list[str]] = {}
    for name, value in forms[0]:
        values.setdefault(name, []).append(value)
    return {name: value[0] if len(value) == 1 else value for name, value in values.items()}
