"""The application pages' forms are written in Python (finsam.form_html) for speed
(issue #12); what the browser gets must be what Django's widget templates and crispy made:
every field of every form of the app, unbound, bound and with errors, compared with the
templates' markup (whitespace between tags aside)."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template import engines

from applications import selectors, services
from applications.forms import (
    FORMSETS,
    AgendaItemForm,
    ApplicationFilterForm,
    ApplicationForm,
    ApprovalForm,
    AssessmentForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    PublishForm,
    application_formsets,
)
from applications.models import Application
from finsam.form_html import PythonRenderer, field_html, form_html
from tests.factories import (
    HELD,
    ApplicationFactory,
    BoardSeatFactory,
    InitiativeFactory,
    MeetingFactory,
    TargetGroupFactory,
    all_present,
    open_board_meeting,
    prepared_application,
)

TEMPLATES = DjangoTemplates()
RENDERER = PythonRenderer()  # FORM_RENDERER, made here as the tests compare it
CRISPY_FIELD = engines["django"].from_string(
    "{% load crispy_forms_filters %}{{ field|as_crispy_field }}"
)
CRISPY_FORM = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
# The application form's tables of rows as its template wrote them before formset_table.
ROWS = engines["django"].from_string(
    """{{ formset.management_form }}
    <thead><tr>
      {% for field in formset.empty_form.visible_fields %}<th scope="col">{% if field.name == "DELETE" %}Ta bort{% else %}{{ field.label }}{% endif %}</th>{% endfor %}
    </tr></thead>
    <tbody>
    {% for row in formset %}
      <tr>
        {% for field in row.visible_fields %}
        <td>
          {% for hidden in row.hidden_fields %}{% if forloop.parentloop.first %}{{ hidden }}{% endif %}{% endfor %}
          <label class="visually-hidden" for="{{ field.id_for_label }}">{% if field.name == "DELETE" %}Ta bort rad {{ forloop.parentloop.counter }}{% else %}{{ field.label }}, rad {{ forloop.parentloop.counter }}{% endif %}</label>
          {{ field }}
          {% if field.errors %}<div id="{{ field.auto_id }}_error" class="text-danger small">{{ field.errors|join:" " }}</div>{% endif %}
        </td>
        {% endfor %}
      </tr>
      {% if row.non_field_errors %}<tr><td colspan="9" class="text-danger small">{{ row.non_field_errors|join:" " }}</td></tr>{% endif %}
    {% endfor %}
    </tbody>"""  # noqa: E501
)
NEW_ROWS = engines["django"].from_string(
    "{% load finsam_forms %}{% for field in formset.management_form %}{{ field }}"
    "{% endfor %}{{ formset|as_table_rows }}"
)


def normalised(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def assert_same_fields(make_form):
    """``make_form(renderer)`` builds the same form twice: once rendered by the templates, once
    in Python; each field's widget alone and as crispy renders it must read the same."""
    by_templates, in_python = make_form(TEMPLATES), make_form(RENDERER)
    by_templates.is_bound and by_templates.is_valid()
    in_python.is_bound and in_python.is_valid()
    assert [field.name for field in by_templates] == [field.name for field in in_python]
    for expected, actual in zip(by_templates, in_python, strict=True):
        assert normalised(str(actual)) == normalised(str(expected)), expected.name
    by_templates, in_python = make_form(TEMPLATES), make_form(RENDERER)
    by_templates.is_bound and by_templates.is_valid()
    in_python.is_bound and in_python.is_valid()
    for expected, actual in zip(by_templates, in_python, strict=True):
        crispy = CRISPY_FIELD.render({"field": expected})
        assert normalised(field_html(actual)) == normalised(crispy), expected.name
    by_templates, in_python = make_form(TEMPLATES), make_form(RENDERER)
    by_templates.is_bound and by_templates.is_valid()
    in_python.is_bound and in_python.is_valid()
    crispy = CRISPY_FORM.render({"form": by_templates})
    assert normalised(form_html(in_python)) == normalised(crispy)
    return in_python


@pytest.fixture
def rich_association(association, officer, preparer):
    for index in range(3):
        TargetGroupFactory(association=association, name=f"Grupp {index} <&>")
        InitiativeFactory(association=association)
    ApplicationFactory(association=association, name="Öppen & ny")
    prepared_application(association, officer, preparer)
    return association


APPLICATION_DATA = {
    "kind": "new",
    "name": "",  # required: an error
    "date": "0001-01-01",  # out of range: an error
    "lead_email": "inte-en-adress",
    "period_start": "2027-01-01",
    "period_end": "2026-01-01",
    "orientation": "bogus",
    "fundable_kinds": ["new_methods"],
    "target_groups": ["abc"],
    "purpose": "Text med <b>markup</b> & rader\nrad två",
}


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, APPLICATION_DATA], ids=["unbound", "errors"])
def test_application_form_fields_read_as_the_templates_made_them(rich_association, data):
    application = Application.objects.filter(association=rich_association).first()
    assert_same_fields(
        lambda renderer: ApplicationForm(
            data, association=rich_association, renderer=renderer, instance=application
        )
    )


@pytest.mark.django_db
def test_application_form_rows_read_as_the_templates_made_them(rich_association):
    application = Application.objects.filter(association=rich_association).last()
    data = {}
    for name in FORMSETS:
        data |= {f"{name}-TOTAL_FORMS": "1", f"{name}-INITIAL_FORMS": "0"}
    data |= {"budget_rows-0-year": "20x", "budget_rows-0-amount": "1e40", "budget_rows-0-kind": "?"}
    data |= {"activities-0-start": "2027-05-01", "activities-0-end": "2027-01-01"}
    # Tables posted without rows: their heads come from the empty form, not the first row.
    no_rows = {
        f"{name}-{key}": "0" for name in FORMSETS for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    for bound in (None, data, no_rows):
        by_templates = application_formsets(
            bound, application, rich_association, renderer=TEMPLATES
        )
        in_python = application_formsets(bound, application, rich_association)
        for name in FORMSETS:
            expected, actual = by_templates[name], in_python[name]
            # Otherwise the comparison below would be of Python with Python.
            assert {form.renderer for form in [*expected.forms, expected.empty_form]} == {TEMPLATES}
            if bound:
                # The same refusals either way: the year, amount and kind of the budget row,
                # the activity that ends before it starts; the empty rows of the others pass.
                refused = bound is data and name in ("budget_rows", "activities")
                assert (expected.is_valid(), actual.is_valid()) == (not refused, not refused)
                assert [form.get_json_data() for form in actual.errors] == [
                    form.get_json_data() for form in expected.errors
                ]
            rendered = NEW_ROWS.render({"formset": actual})
            assert normalised(rendered) == normalised(ROWS.render({"formset": expected}))
            if bound is no_rows:
                assert actual.forms == [] and "<tbody></tbody>" in rendered
                assert rendered.count('<th scope="col">') == len(
                    expected.empty_form.visible_fields()
                )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [None, {"q": "x", "state": "bogus", "year": "12", "owner": "99999999999999999999"}],
    ids=["unbound", "errors"],
)
def test_list_filters_read_as_the_templates_made_them(rich_association, data):
    states = Application.State.choices
    assert_same_fields(
        lambda renderer: ApplicationFilterForm(
            data, association=rich_association, states=states, renderer=renderer
        )
    )


@pytest.mark.django_db
def test_meeting_forms_read_as_the_templates_made_them(rich_association, officer):
    meeting = open_board_meeting(rich_association, officer, starts_at=HELD)
    for data in (None, {"body": "x", "starts_at": "0001-01-01T00:00", "place": ""}):
        assert_same_fields(lambda renderer, data=data: MeetingForm(data, renderer=renderer))
        assert_same_fields(
            lambda renderer, data=data: MeetingForm(data, instance=meeting, renderer=renderer)
        )
    for data in (None, {"kind": "", "title": "", "application": "x"}):
        assert_same_fields(
            lambda renderer, data=data: AgendaItemForm(
                data, association=rich_association, renderer=renderer
            )
        )
    assert_same_fields(lambda renderer: ApprovalForm(renderer=renderer))
    assert_same_fields(lambda renderer: PublishForm({}, renderer=renderer))


@pytest.mark.django_db
def test_attendance_and_decision_forms_read_as_the_templates_made_them(
    rich_association, officer, preparer
):
    for member in rich_association.members.all()[:2]:
        BoardSeatFactory(member=member, kind="deputy", deputy_order=1)
    meeting = MeetingFactory(association=rich_association, starts_at=HELD)
    application = prepared_application(rich_association, officer, preparer)
    services.agenda_item_add(user=officer, meeting=meeting, kind="", application=application)
    seats = selectors.board_seats_on(meeting)
    deputy = next(seat for seat in seats if seat.kind == "deputy")
    for data in (None, {"secretary": "x" * 300, f"serving_for_{deputy.pk}": "²"}):
        assert_same_fields(
            lambda renderer, data=data: AttendanceForm(
                data, seats=seats, attendance=[], meeting=meeting, renderer=renderer
            )
        )
    services.meeting_publish(
        user=officer, meeting=meeting, confirm_short_notice=True, confirm_without_email=True
    )
    services.attendance_record(user=officer, meeting=meeting, rows=all_present(rich_association))
    services.minutes_open(user=officer, meeting=meeting)
    item = selectors.meeting_detail(
        association=rich_association, role="officer", pk=meeting.pk
    ).agenda_items.all()[0]
    assert item.application_id
    for data in (None, {"text": "", "outcome": "?", "amount_2027": "1e40"}):
        assert_same_fields(
            lambda renderer, data=data: DecisionForm(
                data, item=item, recommended={2027: Decimal(1000)}, renderer=renderer
            )
        )


@pytest.mark.django_db
def test_assessment_form_reads_as_the_templates_made_it(rich_association):
    for data in (None, {"recommendation": "bogus", "amount_2027": "abc"}):
        assert_same_fields(
            lambda renderer, data=data: AssessmentForm(data, years=[2027, 2028], renderer=renderer)
        )


def test_a_checkbox_a_select_and_a_textarea_of_any_form_read_the_same():
    class Sample(forms.Form):
        flag = forms.BooleanField(label="Flagga", help_text="Hjälp <i>text</i>")
        choice = forms.ChoiceField(
            label="Val", choices=[("", "–"), ("Grupp", [("a", "A & B"), ("b", 2027)])]
        )
        text = forms.CharField(widget=forms.Textarea, initial="a < b")
        many = forms.MultipleChoiceField(
            choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
        )

    for data in (None, {"choice": "c", "many": ["z"]}, {"flag": "on", "choice": "a"}):
        assert_same_fields(lambda renderer, data=data: Sample(data, renderer=renderer))
