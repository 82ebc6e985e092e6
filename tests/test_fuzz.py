"""Hostile and careless input to every form of the app, as every role that is shown the form.

For each URL pattern (walked from the URL configuration, as the permission matrix does) every
persona GETs the page; each POST form on it is read from the HTML and Hypothesis fills its fields
with arbitrary text, numbers, dates and choice values (control characters, formula-like text,
markup, year 1 and 9999, 29-digit amounts, superscript digits, ids of 20 digits, formset ids that
are not numbers) and posts it. Whatever is sent, the answer is never a server error, and an
answer that is not a success (the form shown again, or a 4xx) leaves every table as it was.

The runs are derandomised, so that CI sees the same examples every time; set
FINSAM_FUZZ_EXAMPLES to try more.
"""

import datetime
import os
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.factories import lead_for
from tests.urlwalk import table_sizes, url_routes, urls_for, world

EXAMPLES = int(os.environ.get("FINSAM_FUZZ_EXAMPLES", "12"))
# Several minutes a run: on SQLite in every `make test`, on PostgreSQL when asked
# (FINSAM_FUZZ_POSTGRES=1). Lengths beyond a column, which only PostgreSQL refuses, are the
# forms' max_length (tests/test_bounds.py), run on both.
pytestmark = pytest.mark.skipif(
    "postgres" in os.environ.get("DATABASE_URL", "") and not os.environ.get("FINSAM_FUZZ_POSTGRES"),
    reason="the fuzz test runs on SQLite; FINSAM_FUZZ_POSTGRES=1 runs it on PostgreSQL too",
)
FUZZED = ["officer", "preparer", "board", "auditor", "lead"]
# Logging out ends the session the rest of the run needs; the reset link carries a token.
SKIPPED = {"logout", "password_reset_confirm"}
# Patterns whose bare pk is not an application (the permission matrix's Entry.subject).
SUBJECTS = {"organisation:member_detail": "medlemmar"}

HOSTILE = [
    "",
    " ",
    "\x0b",
    "a\x0bb",
    "\x1f\x7f",
    '=HYPERLINK("http://example.org/?"&A3,"Klicka")',
    "+1+1",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "&amp;<b>",
    "0001-01-01",
    "0001-01-01T00:00",
    "0002-06-01",
    "9999-12-31",
    "9999-12-31T23:59",
    "2026-02-30",
    "1" * 29,
    "1000000000",
    "1000000000000",
    "12345678901234567890",
    "-1",
    "-0",
    "1e400",
    "NaN",
    "Infinity",
    "²",
    "١٢",
    "5 440",
    "1 250,5",
    "abc",
    "a" * 5000,
]


class FormReader(HTMLParser):
    """The POST forms of a page: action, fields (name → kind, original value, options) and the
    named submit buttons."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "fields": {}, "buttons": []}
                self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select["value"] = attrs.get("value", "")
            return
        if self._form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        fields = self._form["fields"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "image"):
                self._form["buttons"].append((name, attrs.get("value", "")))
            elif kind in ("checkbox", "radio"):
                field = fields.setdefault(name, {"kind": "choice", "value": "", "options": []})
                field["options"].append(attrs.get("value", "on"))
                if "checked" in attrs:
                    field["value"] = attrs.get("value", "on")
            else:
                fields[name] = {"kind": kind, "value": attrs.get("value", ""), "options": []}
        elif tag == "button" and (attrs.get("type") or "submit") == "submit":
            self._form["buttons"].append((name, attrs.get("value", "")))
        elif tag == "select":
            self._select = fields[name] = {"kind": "choice", "value": "", "options": []}
        elif tag == "textarea":
            self._textarea = fields[name] = {"kind": "text", "value": "", "options": []}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str) -> list[dict]:
    reader = FormReader()
    reader.feed(html)
    return reader.forms


hostile = st.sampled_from(HOSTILE)
text = st.one_of(hostile, st.text(max_size=80))
numbers = st.one_of(
    hostile,
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
dates = st.one_of(
    hostile,
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.datetimes(min_value=datetime.datetime(1, 1, 1)).map(
        lambda moment: moment.strftime("%Y-%m-%dT%H:%M")
    ),
)


def value_of(field):
    """A strategy for one field: often the value the page gave (so that the other fields'
    checks are reached), else something hostile of the field's kind; sometimes left out."""
    kept = st.just(field["value"])
    if field["kind"] == "choice":
        fuzzed = st.one_of(st.sampled_from(field["options"] or [""]), numbers)
    elif field["kind"] in ("number", "hidden"):
        fuzzed = numbers
    elif field["kind"] in ("date", "datetime-local", "month"):
        fuzzed = dates
    elif field["kind"] == "file":
        return st.one_of(
            st.none(),
            st.binary(max_size=2000).map(lambda content: SimpleUploadedFile("fil.xlsx", content)),
        )
    else:
        fuzzed = text
    return st.one_of(kept, kept, fuzzed, fuzzed, fuzzed, st.none())


def submission(form):
    fields = {name: value_of(field) for name, field in sorted(form["fields"].items())}
    button = st.sampled_from(form["buttons"]) if form["buttons"] else st.none()
    return st.tuples(st.fixed_dictionaries(fields), button)


def send(client, url, form, values, button):
    data = {name: value for name, value in values.items() if value is not None}
    if button is not None:
        data[button[0]] = button[1]
    return client.post(urljoin(url, form["action"] or url), data)


FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


ROUTES = url_routes()


# One field at a time, values of its kind in turn, the other fields as the page gave them:
# the inputs that broke pages before (a vertical tab, year 1, a 29-digit amount, "²" as a
# number, a formset id that is no number, a choice id of 20 digits) reach every field of
# every form, however few examples Hypothesis draws.
SWEEP = {
    "text": ["\x0b", '=HYPERLINK("http://example.org")', "<script>x</script>", "a" * 5000],
    "number": ["1" * 29, "²", "1e400", "NaN", "-1", "abc"],
    "date": ["0001-01-01", "0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30", "abc"],
    "choice": ["12345678901234567890", "abc", "-1", "²"],
    "hidden": ["abc", "12345678901234567890", "-1", "²"],
}
KINDS = {"datetime-local": "date", "month": "date", "date": "date", "number": "number"}


def sweep_values(field):
    kind = field["kind"]
    if kind == "file":
        return []
    return SWEEP.get(KINDS.get(kind, kind), SWEEP["text"])


# What an empty field starts from, so that the other fields' checks and the service behind the
# form are reached by the one hostile value.
PLAUSIBLE = {
    "date": "2026-06-01",
    "datetime-local": "2026-06-01T10:00",
    "month": "2026-06",
    "number": "1",
    "email": "ny.person@example.org",
    "text": "Prov",
}


def plausible(field):
    if field["value"]:
        return field["value"]
    if field["kind"] == "choice":
        return next((option for option in field["options"] if option), "")
    return PLAUSIBLE.get(field["kind"], "")


def form_targets(name, clients, objects):
    """(persona, url, form) for every POST form that some role is shown on the pattern's page,
    but the logout button in the header (it would end the session the run needs) and the idle
    session's warning, which every page carries (tests/test_session_warning.py)."""
    urls = urls_for(name, ROUTES[name], objects, SUBJECTS.get(name, "application"))
    targets = []
    for persona in FUZZED:
        for url in urls:
            response = clients[persona].get(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                targets += [
                    (persona, url, form)
                    for form in post_forms(response.text)
                    if form["action"] not in (reverse("logout"), reverse("session_status"))
                ]
    for _persona, _url, form in targets:
        for field in form["fields"].values():
            field["value"] = plausible(field)
    return targets


def check(client, url, form, values, button, where):
    before = table_sizes()
    response = send(client, url, form, values, button)
    assert response.status_code < 500, where
    # Only logging out ends a session; a form that sends its user to the login page lost it.
    assert not response.get("Location", "").startswith(reverse("login")), where
    if response.status_code != 302:
        assert table_sizes() == before, ("not saved, yet written", *where)


@pytest.fixture
def fuzz_world(personas, login, association, officer, preparer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = world(association, officer, preparer)
    clients = {persona: login(user) for persona, user in personas.items()}
    clients["lead"] = login(lead_for(objects["initiative"]))
    return clients, objects


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(ROUTES) - SKIPPED))
def test_no_input_to_any_form_gives_a_server_error_or_a_half_saved_change(name, fuzz_world):
    clients, objects = fuzz_world
    targets = form_targets(name, clients, objects)
    if not targets:
        pytest.skip("no form here for any role")

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        persona, url, form = data.draw(st.sampled_from(targets))
        values, button = data.draw(submission(form))
        check(clients[persona], url, form, values, button, (persona, url, values))

    fuzz()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(ROUTES) - SKIPPED))
def test_every_field_refuses_the_inputs_that_broke_pages(name, fuzz_world):
    clients, objects = fuzz_world
    targets = form_targets(name, clients, objects)
    if not targets:
        pytest.skip("no form here for any role")
    for persona, url, form in targets:
        original = {field: spec["value"] for field, spec in form["fields"].items()}
        button = form["buttons"][0] if form["buttons"] else None
        for index, (field, spec) in enumerate(sorted(form["fields"].items())):
            kind_values = sweep_values(spec)
            if not kind_values:
                continue  # a file field: the upload tests send hostile files
            # Two of its kind's values per field, taken in turn, so that the forms' many fields
            # between them send every value without a post per field and value.
            turns = {kind_values[(index + turn) % len(kind_values)] for turn in (0, 1)}
            for value in sorted(turns):
                values = original | {field: value}
                check(clients[persona], url, form, values, button, (persona, url, field, value))
