"""Nothing one person types or uploads may break a page for everyone (#13).

The domain bounds what it accepts, in one place per kind: amounts (finsam.money.MAX_AMOUNT),
dates (finsam.validators: 1990–2100, on every form's date fields), names (no control characters,
taken out on the way in by finsam.input_text) and rows (finsam.uploads). Each of the six inputs
that answered 500 is refused with a Swedish message; each kind of input that used to break pages
for every role is refused, and every role's pages still answer 200; a bad filter value is shown
beside its filter while the others keep working; a row id of another förbund is refused like one
that does not exist.
"""

import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from applications.models import Meeting, ParticipantTarget
from budget import services as budget_services
from budget.models import Actual, Budget, ChartLine, EquityCeiling
from finsam.forms import ModelIdsField
from finsam.models import BoardSeat, Member, Role, TargetGroup
from finsam.money import FIELD_TOO_LARGE
from finsam.validators import DATE_OUT_OF_RANGE, validate_public_date
from tests.factories import (
    ApplicationFactory,
    ChartLineFactory,
    EquityCeilingFactory,
    MeetingFactory,
    RoleFactory,
    seats,
)

pytestmark = pytest.mark.django_db

ROLES = [Role.Kind.OFFICER, Role.Kind.BOARD, Role.Kind.AUDITOR, Role.Kind.PREPARER]


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ").replace("&#x27;", "'")


class PostForm(HTMLParser):
    """The values a browser would send from a page's POST forms, read from its HTML (so that
    hidden fields other parts of the app add are sent too): name → list of values."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_post = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post = (attrs.get("method") or "").lower() == "post"
        if not self._in_post or ("name" not in attrs and tag != "option"):
            return
        name = attrs.get("name")
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_post = False


def workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def messages(page: str) -> list[str]:
    """The alerts and field errors a page shows."""
    return re.findall(r'(?:role="alert"|class="invalid-feedback[^"]*")[^>]*>(.*?)</', page, re.S)


def form_data(client, url, **overrides) -> dict:
    reader = PostForm()
    reader.feed(client.get(url).content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}
    data.update(overrides)
    return data


@pytest.fixture
def clients(association, login):
    """A logged-in client for each of the four roles in the förbund."""
    return {kind: login(RoleFactory(association=association, kind=kind).user) for kind in ROLES}


@pytest.fixture
def budget(association, clients):
    officer = Role.objects.get(association=association, kind=Role.Kind.OFFICER).user
    ChartLineFactory(association=association, name="Kontor", accounts="3510")
    return budget_services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(2009, 9, 1),
        period_end=datetime.date(2009, 12, 31),
    )


def every_role_still_answers(clients, association, budget=None):
    """The pages each role reads, as they were broken by a stored out-of-bounds value."""
    urls = {
        Role.Kind.OFFICER: [
            "organisation:overview",
            "applications:list",
            "applications:export_xlsx",
        ],
        Role.Kind.BOARD: ["organisation:overview", "applications:list"],
        Role.Kind.AUDITOR: ["organisation:overview", "applications:list"],
        Role.Kind.PREPARER: ["organisation:overview", "applications:list"],
    }
    budget_pages = ["budget:detail", "budget:report_pdf", "budget:report_xlsx"]
    for kind, names in urls.items():
        client = clients[kind]
        for name in names:
            assert client.get(reverse(name)).status_code == 200, (kind, name)
        if budget is not None and kind != Role.Kind.PREPARER:
            assert client.get(reverse("budget:overview")).status_code == 200, kind
            for name in budget_pages:
                response = client.get(reverse(name, args=[budget.pk]))
                assert response.status_code == 200, (kind, name)


# The six inputs that answered 500.


def test_an_application_row_id_that_is_not_a_number_is_refused(association, clients):
    application = ApplicationFactory(association=association)
    url = reverse("applications:edit", args=[application.pk])
    data = form_data(
        clients[Role.Kind.OFFICER],
        url,
        **{"targets-0-id": "abc", "targets-0-text": "Beräknat flöde", "targets-0-number": "140"},
    )
    data["targets-INITIAL_FORMS"] = "1"

    response = clients[Role.Kind.OFFICER].post(url, data)

    assert response.status_code == 200
    assert "Ansökan är sparad" not in text(response)
    assert not ParticipantTarget.objects.exists()


def test_a_choice_id_of_twenty_digits_is_refused(association, clients):
    application = ApplicationFactory(association=association)
    url = reverse("applications:edit", args=[application.pk])
    for field in ("parties", "target_groups", "linked"):
        data = form_data(clients[Role.Kind.OFFICER], url, **{field: "12345678901234567890"})

        response = clients[Role.Kind.OFFICER].post(url, data)

        assert response.status_code == 200, field
        assert "Inget har sparats. Rätta de markerade fälten" in text(response), field
    assert not application.parties.exists()


def test_a_meeting_in_year_one_is_refused(association, clients):
    response = clients[Role.Kind.OFFICER].post(
        reverse("applications:meeting_create"),
        {"body": "board", "starts_at": "0001-01-01T00:00", "place": "Kansliet"},
    )

    assert response.status_code == 200
    assert DATE_OUT_OF_RANGE in text(response)
    assert not Meeting.objects.exists()


def test_a_superscript_digit_as_the_ordinary_a_deputy_serves_for_is_refused(association, clients):
    meeting = MeetingFactory(association=association)
    deputy = seats(association, "deputy")[0]

    response = clients[Role.Kind.OFFICER].post(
        reverse("applications:attendance", args=[meeting.pk]), {f"serving_for_{deputy.pk}": "²"}
    )

    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in text(response)
    assert not meeting.attendance.exists()


def test_a_ledger_file_with_a_byte_no_encoding_has_is_refused_naming_it(budget, clients):
    upload = SimpleUploadedFile("huvudbok.csv", b"Konto;Datum;Belopp\n3510;2009-10-15;1\x81\n")

    response = clients[Role.Kind.OFFICER].post(
        reverse("budget:import", args=[budget.pk]), {"file": upload}
    )

    assert response.status_code == 200
    assert "byte 0x81 på plats" in text(response)
    assert not Actual.objects.exists()


def test_an_amount_of_29_digits_is_refused(association, budget, clients):
    officer = clients[Role.Kind.OFFICER]
    url = reverse("budget:lines", args=[budget.pk])
    data = form_data(officer, url)
    amounts = [name for name in data if name.startswith("line-")]
    data[amounts[0]] = "1" * 29

    response = officer.post(url, data)

    assert response.status_code == 200
    assert FIELD_TOO_LARGE.format(limit="1 000 000", unit="tkr") in text(response)

    application = ApplicationFactory(association=association)
    rows = application.budget_rows.count()
    url = reverse("applications:edit", args=[application.pk])
    data = form_data(
        officer,
        url,
        **{
            "budget_rows-0-year": str(application.period_start.year),
            "budget_rows-0-kind": "cost",
            "budget_rows-0-label": "Personal",
            "budget_rows-0-amount": "1" * 29,
        },
    )
    response = officer.post(url, data)
    assert response.status_code == 200
    assert FIELD_TOO_LARGE.format(limit="1 000 000 000", unit="kr") in text(response)
    assert application.budget_rows.count() == rows


# The kinds of input that broke pages for every role until the database was repaired by hand.


def legacy_table(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("budget.xlsx", buffer.getvalue())


def test_amounts_beyond_any_budget_are_refused_and_every_role_still_reads(
    association, budget, clients
):
    officer = clients[Role.Kind.OFFICER]
    budgets = Budget.objects.count()
    response = officer.post(
        reverse("budget:legacy_import"),
        {
            "period_start": "2031-01-01",
            "period_end": "2031-12-31",
            "file": legacy_table(
                [["Ägarbidrag Kommun", 1_000_000_000], ["Övriga intäkter", 10], ["Summa", 10]]
            ),
        },
    )
    assert "Rad 1: beloppet 1 000 000 000 tkr är för stort för en budgetpost" in text(response)
    assert Budget.objects.count() == budgets

    response = officer.post(
        reverse("budget:import", args=[budget.pk]),
        {
            "file": SimpleUploadedFile(
                "huvudbok.csv", b"Belopp;Datum;Konto\n1000000000000;2009-10-15;3510"
            )
        },
    )
    assert "”1000000000000” är ett för stort belopp; högst 1 000 000 000 kr tas emot" in text(
        response
    )
    officer.post(reverse("budget:import_confirm", args=[budget.pk]), {"sha256": "x"})
    assert not Actual.objects.exists()

    every_role_still_answers(clients, association, budget)


def test_dates_outside_a_public_bodys_time_are_refused_and_every_role_still_reads(
    association, clients
):
    officer = clients[Role.Kind.OFFICER]
    seat = BoardSeat.objects.filter(member__association=association).first()
    url = reverse("organisation:section_edit", args=["styrelse", seat.pk])

    response = officer.post(url, form_data(officer, url, term_start="0002-06-01"))

    assert DATE_OUT_OF_RANGE in text(response)
    seat.refresh_from_db()
    assert seat.term_start.year > 1990
    for section, field in (("medlemmar", "active_from"), ("styrelse", "term_end")):
        url = reverse("organisation:section_create", args=[section])
        response = officer.post(url, form_data(officer, url, **{field: "9999-12-31"}))
        assert DATE_OUT_OF_RANGE in text(response), section
    url = reverse("organisation:association_edit")
    response = officer.post(url, form_data(officer, url, founded="0001-01-01"))
    assert DATE_OUT_OF_RANGE in text(response)
    application = ApplicationFactory(association=association)
    url = reverse("applications:edit", args=[application.pk])
    response = officer.post(url, form_data(officer, url, period_start="0001-01-01"))
    assert DATE_OUT_OF_RANGE in text(response)

    every_role_still_answers(clients, association)


def test_control_characters_are_taken_out_of_names_and_every_workbook_still_opens(
    association, budget, clients
):
    officer = clients[Role.Kind.OFFICER]
    application = ApplicationFactory(association=association)
    url = reverse("applications:edit", args=[application.pk])
    officer.post(url, form_data(officer, url, name="Steget\x0bvidare\x07"))
    member = Member.objects.filter(association=association).first()
    url = reverse("organisation:section_edit", args=["medlemmar", member.pk])
    officer.post(url, form_data(officer, url, name="Landskrona\x0bstad"))
    url = reverse("organisation:section_create", args=["malgrupper"])
    officer.post(url, form_data(officer, url, name="Unga\x0b vuxna", position="1"))

    application.refresh_from_db()
    member.refresh_from_db()
    assert application.name == "Steget\nvidare"
    assert member.name == "Landskrona\nstad"
    assert TargetGroup.objects.filter(association=association, name="Unga\n vuxna").exists()
    names = [cell.value for cell in workbook(officer.get(reverse("applications:export_xlsx")))["B"]]
    assert "Steget\nvidare" in names
    every_role_still_answers(clients, association, budget)


def test_a_budget_table_of_more_lines_than_a_budget_has_adds_none(association, clients):
    rows = [[f"Post {number}", 10] for number in range(101)]
    lines = ChartLine.objects.count()

    response = clients[Role.Kind.OFFICER].post(
        reverse("budget:legacy_import"),
        {"period_start": "2031-01-01", "period_end": "2031-12-31", "file": legacy_table(rows)},
    )

    assert "Filen har 101 budgetposter; en budgettabell har högst 100" in text(response)
    assert ChartLine.objects.count() == lines
    every_role_still_answers(clients, association)


# Every form, now and later, bounds its dates and its choices of rows.


def project_form_classes():
    root = str(settings.BASE_DIR)
    packages = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if config.path.startswith(root) and ".venv" not in config.path
    }

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    import applications.forms  # noqa: F401  the forms are defined as their modules load
    import budget.forms
    import budget.plan_forms  # noqa: F401
    import followup.forms
    import followup.statistics_forms  # noqa: F401

    return {
        cls
        for cls in walk(forms.BaseForm)
        if cls.__module__.split(".")[0] in packages and hasattr(cls, "base_fields")
    }


def test_every_date_field_of_every_form_refuses_dates_outside_1990_to_2100():
    checked = []
    for form_class in project_form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                assert validate_public_date in field.validators, (form_class, name)
                checked.append((form_class.__name__, name))
    assert ("BoardSeatForm", "term_start") in checked
    assert ("MeetingForm", "starts_at") in checked
    assert ("AdoptForm", "adopted_on") in checked
    # Also a form made after this test's module was loaded, as a new form would be.
    assert validate_public_date in forms.DateField().validators
    assert validate_public_date in forms.DateTimeField().validators


def test_every_choice_of_several_rows_refuses_ids_no_row_can_have():
    for form_class in project_form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField):
                assert isinstance(field, ModelIdsField), (form_class, name)


# Filters: a bad value is shown beside its filter, and the others keep working.


def test_an_invalid_filter_value_is_shown_and_the_other_filters_still_apply(association, clients):
    ApplicationFactory(association=association, name="Steget vidare", period_start=None)
    ApplicationFactory(association=association, name="Unga in")
    officer = clients[Role.Kind.OFFICER]

    response = officer.get(reverse("applications:list"), {"state": "bogus", "q": "Steget"})

    page = text(response)
    assert "bogus finns inte bland" in page
    assert "Steget vidare" in page
    assert "Unga in" not in page
    export = officer.get(reverse("applications:export_xlsx"), {"state": "bogus", "q": "Steget"})
    names = [cell.value for cell in workbook(export)["B"]][1:]
    assert names == ["Steget vidare"]


def test_an_invalid_insatser_filter_is_shown_and_the_others_still_apply(association, clients):
    response = clients[Role.Kind.OFFICER].get(
        reverse("followup:list"), {"state": "bogus", "year": "2025"}
    )

    page = text(response)
    assert response.status_code == 200
    assert "bogus finns inte bland" in page
    assert "som pågick 2025" in page


# A row id of another förbund is refused like one that does not exist.


@pytest.mark.parametrize("page", ["chart", "ceilings"])
def test_a_row_id_of_another_forbund_is_refused_like_one_that_does_not_exist(
    association, other_association, clients, page
):
    if page == "chart":
        foreign = ChartLineFactory(association=other_association, name="Främmande")
        model, values = ChartLine, {"group": "operating", "name": "Ny post", "position": "1"}
    else:
        foreign = EquityCeilingFactory(association=other_association)
        model, values = EquityCeiling, {"contributions_up_to": "", "percent": "30"}
    officer = clients[Role.Kind.OFFICER]
    url = reverse(f"budget:{page}")
    before = model.objects.count()

    def post(row_id):
        data = form_data(officer, url)
        data.update({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": row_id})
        data.update({f"form-0-{name}": value for name, value in values.items()})
        return text(officer.post(url, data))

    foreign_answer = post(str(foreign.pk))
    missing_answer = post("987654321")

    assert model.objects.count() == before
    assert "ingenting är sparat" in foreign_answer
    assert messages(foreign_answer) == messages(missing_answer)
