"""The follow-up's pages made cheaper for the national scale (#12) read as before: the forms
written in Python (finsam/form_html.py) exactly as crispy wrote them, the insatser list fifty to
a page with the filters kept, the statistics of the period's insatser only, and each chart drawn
once for the same figures (memoised by a hash of everything it draws)."""

import datetime

import pytest
from django import forms as django_forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.test.html import parse_html
from django.urls import reverse

from applications.models import Meeting
from budget.forms import LedgerImportForm, LegacyImportForm
from budget.plan_models import Plan
from followup import charts, forms, register_file
from followup.statistics import Period, statistics_for
from followup.statistics_forms import StatisticsPeriodForm
from followup.suppression import table
from tests.factories import InitiativeFactory, ParticipantFactory

CRISPY = "{% load crispy_forms_tags %}{{ form|crispy }}"
PLAIN = "{% load finsam_forms %}{{ form|plain_form }}"
REFUSED = {
    "state": "bogus",
    "year": "0002",
    "owner": "999999",
    "orientation": "x",
    "outcome": "",
    "ended_on": "0002-06-01",
    "gender": "other",
    "birth_year": "<b>",
    "education": "",
    "started_on": "9999-01-01",
    "exit_reason": "bogus",
    "email": "inte en adress",
    "first_name": "x" * 200,
    "received_on": "x",
    "meeting": "abc",
    "start": "2025-06-01",
    "end": "x",
}


def render(source: str, form) -> str:
    return engines["django"].from_string(source).render({"form": form})


def assert_same(make):
    """Each rendering gets its own form (crispy changes the widgets' classes as it renders);
    crispy's with Django's own widget templates."""
    expected = render(CRISPY, make(renderer=DjangoTemplates()))
    written = render(PLAIN, make())
    assert parse_html(written) == parse_html(expected), (written, expected)


def bound(form_class, data, **kwargs):
    def make(**renderer):
        form = form_class(data, **kwargs, **renderer)
        form.is_valid()
        return form

    return make


@pytest.mark.django_db
def test_every_follow_up_form_reads_as_crispy_wrote_it_unbound_and_refused(association):
    made = {
        forms.InitiativeFilterForm: {"association": association},
        forms.InitiativeEndForm: {},
        forms.ParticipantForm: {},
        forms.ParticipantEndForm: {},
        forms.LeadAccessForm: {},
        forms.ReportUploadForm: {},
        forms.ReportAgendaForm: {"meetings": Meeting.objects.filter(association=association)},
        StatisticsPeriodForm: {},
    }
    for form_class, kwargs in made.items():
        assert_same(lambda f=form_class, k=kwargs, **r: f(**k, **r))
        assert_same(bound(form_class, REFUSED, **kwargs))
        assert_same(bound(form_class, {}, **kwargs))


@pytest.mark.django_db
def test_every_upload_form_reads_as_crispy_wrote_it_empty_refused_and_with_a_file(association):
    """The file inputs, written in Python since #12, as crispy's field_file.html: unbound, with
    no file, with a refused file (its message tied to the input), and disabled; a file input
    showing a stored file is still crispy's own."""
    initiative = InitiativeFactory(association=association)
    made = {
        forms.ReportUploadForm: {},
        forms.RegisterImportForm: {"initiative": initiative, "existing": dict},
        LegacyImportForm: {},
        LedgerImportForm: {"budget": None},
    }

    def wrong():  # a fresh upload each time: reading one moves it to its end
        return {"file": SimpleUploadedFile("lista.txt", b"inte ett kalkylblad")}

    for form_class, kwargs in made.items():
        assert_same(lambda f=form_class, k=kwargs, **r: f(**k, **r))
        assert_same(bound(form_class, {}, **kwargs))
        assert_same(lambda f=form_class, k=kwargs, **r: _refused(f(REFUSED, wrong(), **k, **r)))

        def disabled(f=form_class, k=kwargs, **r):
            form = f(**k, **r)
            form.fields["file"].disabled = True
            return form

        assert_same(disabled)
    refused = forms.RegisterImportForm(
        REFUSED, wrong(), initiative=initiative, existing=dict, renderer=None
    )
    refused.is_valid()
    written = render(PLAIN, refused)
    assert 'class="form-control is-invalid"' in written
    assert 'aria-describedby="id_file_helptext id_file_error"' in written
    assert f"<strong>{register_file.NOT_XLSX}</strong>" in written

    class StoredFileForm(django_forms.Form):
        file = django_forms.FileField(label="Fil", required=False)

    stored = FieldFile(None, Plan._meta.get_field("pdf"), "planer/plan.pdf")
    assert_same(lambda **r: StoredFileForm(initial={"file": stored}, **r))


def _refused(form):
    form.is_valid()
    return form


@pytest.mark.django_db
def test_the_list_shows_fifty_insatser_a_page_and_keeps_the_filters(association, officer_client):
    for number in range(51):
        InitiativeFactory(association=association, name=f"Insats {number:02d}")
    url = reverse("followup:list")

    first = officer_client.get(url, {"state": "running"}).content.decode()
    second = officer_client.get(url, {"state": "running", "sida": 2}).content.decode()
    past = officer_client.get(url, {"state": "running", "sida": 9}).content.decode()
    none = officer_client.get(url, {"state": "ended"}).content.decode()

    assert "Sida 2 av 2" in past and "Insats 50" in past and "Insats 49" not in past
    assert "0 insatser" in none
    assert "51 insatser" in first
    assert "Insats 49" in first and "Insats 50" not in first
    assert "Sida 1 av 2" in first and 'href="?state=running&amp;sida=2">Nästa' in first
    assert "Insats 50" in second and 'href="?state=running&amp;sida=1">Föregående' in second


@pytest.mark.django_db
def test_the_forbunds_statistics_show_the_insatser_of_the_period_only(association):
    running = InitiativeFactory(association=association, name="Pågår 2025")
    earlier = InitiativeFactory(
        association=association,
        name="Slutade 2022",
        period_start=datetime.date(2020, 1, 1),
        period_end=datetime.date(2022, 12, 31),
    )
    ParticipantFactory(initiative=running)
    ParticipantFactory(
        initiative=earlier,
        started_on=datetime.date(2021, 3, 1),
        ended_on=datetime.date(2022, 2, 1),
        exit_reason="work",
        income_source_end="salary",
        occupation_end="employed",
    )

    shown = statistics_for(association=association, period=Period.year(2025))
    back_then = statistics_for(association=association, period=Period.year(2021))

    assert [item.name for item, _ in shown.initiatives] == ["Pågår 2025"]
    assert [item.name for item, _ in back_then.initiatives] == ["Slutade 2022"]
    assert back_then.total.took_part.women.value == 1
    # The förbund's own tables count everyone; each insats's flow is counted, not its tables.
    assert back_then.total.age.rows[2].cells[0].value == 1
    with pytest.raises(ValueError):
        back_then.initiatives[0][1].age  # noqa: B018
    in_full = statistics_for(association=association, period=Period.year(2021), each_in_full=True)
    assert in_full.initiatives[0][1].age.rows[2].cells[0].value == 1


def test_a_chart_is_drawn_once_for_the_same_figures_and_again_for_other_ones():
    months = {"row_totals": False, "column_totals": False}
    shown = table("T", ["Kvinnor", "Män"], [("2025-01", [6, 9]), ("2025-02", [8, 7])], **months)
    other = table("T", ["Kvinnor", "Män"], [("2025-01", [6, 9]), ("2025-02", [8, 8])], **months)
    cache.clear()

    drawn = charts.over_time(shown)
    key = charts.cache_key("over_time", shown, key="over-tid", title=drawn.title)

    assert cache.get(key) == str(drawn.svg)
    assert charts.over_time(shown).svg == drawn.svg
    assert charts.over_time(other).svg != drawn.svg
    # Another prefix for the ids is another drawing (the ids are in the SVG).
    assert charts.cache_key("over_time", shown, key="i1-over-tid", title=drawn.title) != key
    # Drawn afresh, the same bytes: the cache holds nothing a drawing would not give.
    cache.clear()
    assert charts.over_time(shown).svg == drawn.svg
