"""The budget pages' own, quicker rendering (issue #12) writes what finsam.money and the forms'
usual rendering write: the same amounts, the same ids, labels and error messages."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budget import services
from budget.forms import AmountsForm, CeilingFormSet, ChartFormSet, LegacyImportForm
from budget.models import ChartLine, EquityCeiling
from budget.selectors import tkr_text
from budget.templatetags.budget_forms import formset_head
from finsam.form_html import form_html
from finsam.money import KronorField, format_tkr, kronor_input, tkr_input

AMOUNTS = [
    Decimal(0),
    Decimal("5440000"),
    Decimal("-458500"),
    Decimal("499.99"),
    Decimal("-500"),
    Decimal("1250500"),
    Decimal("1250.50"),
    Decimal("-1234567890.5"),
    Decimal("1E+3"),
]


@pytest.mark.parametrize("kronor", AMOUNTS)
def test_the_pages_amounts_read_as_finsam_money_writes_them(kronor):
    assert tkr_text(kronor) == format_tkr(kronor)
    tkr_form = AmountsForm(keys=[(1, "Post")], field_for=str, initial_for={1: kronor}.get)
    kronor_form = AmountsForm(
        keys=[(1, "Post")], field_for=str, initial_for={1: kronor}.get, field_class=KronorField
    )
    assert f'value="{tkr_input(kronor)}"' in tkr_form.input("1")
    assert f'value="{kronor_input(kronor)}"' in kronor_form.input("1")


def test_a_form_shows_its_labels_required_marks_help_and_errors_tied_to_the_inputs():
    form = LegacyImportForm({"period_start": "2027-13-01"}, {})
    form.is_valid()

    page = str(form_html(form))

    assert '<label for="id_period_start" class="form-label requiredField">' in page
    assert 'Periodens första dag<span class="asteriskField">*</span>' in page
    start = re.search(r"<input[^>]*name=\"period_start\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in start and 'aria-describedby="id_period_start_error"' in start
    assert 'value="2027-13-01"' in start and 'id="id_period_start"' in start
    assert '<div id="id_period_start_error" class="invalid-feedback">' in page
    file_input = re.search(r"<input[^>]*name=\"file\"[^>]*>", page).group(0)
    assert 'aria-describedby="id_file_helptext id_file_error"' in file_input
    assert '<div id="id_file_helptext" class="form-text">Som i verksamhetsplanen' in page


@pytest.mark.django_db
def test_the_chart_page_posts_back_what_it_shows(association, officer, officer_client):
    services.budget_create(
        user=officer,
        association=association,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )
    url = reverse("budget:chart")
    page = officer_client.get(url).content.decode()
    fields = dict(re.findall(r'<(?:input|select)[^>]*name="([^"]+)"(?: value="([^"]*)")?', page))
    # The selects' chosen option.
    for name, value in re.findall(
        r'<select name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected>', page
    ):
        fields[name] = value
    fields["form-0-name"] = "Ägarbidrag från medlemmarna"

    response = officer_client.post(url, fields, follow=True)

    assert "Kontoplanen är sparad." in response.content.decode(), fields
    names = list(ChartLine.objects.filter(association=association).values_list("name", flat=True))
    assert "Ägarbidrag från medlemmarna" in names
    assert len(names) == 11  # the empty rows added nothing
    assert 'aria-label="Post, rad 1"' in page
    assert '<label class="form-check-label" for="id_form-0-DELETE">Ta bort</label>' in page
    heads = ["Grupp", "Post", "Ordning", "Konton i huvudboken", "Radera"]
    assert re.findall(r'<th scope="col">(.*?)</th>', page) == heads


@pytest.mark.django_db
def test_a_table_without_rows_still_names_its_columns(association):
    """The heads come from the first row; a table without rows takes them from the empty form."""
    management = {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}
    chart = ChartFormSet(management, queryset=ChartLine.objects.none())
    ceilings = CeilingFormSet(management, queryset=EquityCeiling.objects.none())
    chart.association = ceilings.association = association
    assert chart.forms == [] and ceilings.forms == []

    assert re.findall(r'<th scope="col">(.*?)</th>', formset_head(chart)) == [
        "Grupp",
        "Post",
        "Ordning",
        "Konton i huvudboken",
        "Radera",
    ]
    assert len(re.findall(r'<th scope="col">', formset_head(ceilings))) == 3


# The loops the budget page's and the report's tables had before their rows were written in
# Python (#12): the markup budget/templatetags/budget_tables.py must write, cell for cell.
FIGURE_ROWS_LOOP = """    {% for row in period.figure_rows %}{% if row.carry_over %}
    <tr><td>{{ row.label }}{% if period.carry_over.source %} <span class="small">({{ period.carry_over.basis }}{% if link_carry_over %} <a href="{{ period.carry_over.source.get_absolute_url }}">Visa {{ period.carry_over.source }}</a>{% endif %})</span>{% else %} <span class="small">({{ period.carry_over.basis }})</span>{% endif %}</td>
      {% for cell in row.cells %}<td class="num">{{ cell }}</td>{% endfor %}</tr>
    {% elif row.derived %}<tr{% if row.css %} class="{{ row.css }}"{% endif %}><th scope="row">{{ row.label }}</th>{% for cell in row.cells %}<td class="num">{{ cell }}</td>{% endfor %}</tr>
    {% else %}<tr><td>{{ row.label }}</td>{% for cell in row.cells %}<td class="num">{{ cell }}</td>{% endfor %}</tr>{% endif %}{% endfor %}"""  # noqa: E501 (the template's lines as they were)
INITIATIVE_ROWS_LOOP = """{% load l10n %}    {% for name, budget, actual, deviation in period.initiative_rows %}
    <tr><td>{{ name }}</td><td class="num">{{ budget }}</td><td class="num">{{ actual }}</td><td class="num">{{ deviation }}</td></tr>
    {% empty %}
    <tr><td colspan="4">Inga beviljade insatser för {{ period.budget.year|unlocalize }}.</td></tr>
    {% endfor %}
    {% with total=period.initiatives_total_row %}<tr class="total"><th scope="row">Summa insatser</th><td class="num">{{ total.0 }}</td><td class="num">{{ total.1 }}</td><td class="num">{{ total.2 }}</td></tr>{% endwith %}"""  # noqa: E501
OVERVIEW_ROWS_LOOP = """{% load finsam_format %}  {% for period in periods %}
    <tr>
      <th scope="row"><a href="{{ period.budget.get_absolute_url }}">Budget {{ period.budget.label }}</a></th>
      <td>{{ period.version.number }}, {{ period.version.get_state_display|lower }}{% if period.version.adopted_on %} {{ period.version.adopted_on|date:"Y-m-d" }}{% endif %}</td>
      <td>{% if period.closed %}Stängd{% elif period.has_actuals %}Pågår{% else %}Inget ännu{% endif %}</td>
      <td class="num">{{ period.budgeted.means_to_distribute|tkr }}</td>
      <td class="num">{{ period.basis.year_result|tkr }}</td>
      <td class="num">{{ period.equity.closing|tkr }}{% if period.equity.over_ceiling %} <span class="badge text-bg-warning">Över taket</span>{% endif %}</td>
      <td><a href="{% url 'budget:report_pdf' period.budget.pk %}">PDF<span class="visually-hidden"> för {{ period.budget.label }}</span></a> · <a href="{% url 'budget:report_xlsx' period.budget.pk %}">Excel<span class="visually-hidden"> för {{ period.budget.label }}</span></a></td>
    </tr>
  {% empty %}
    <tr><td colspan="7">Inga budgetar ännu.</td></tr>
  {% endfor %}"""  # noqa: E501
EQUITY_ROWS_LOOP = """{% load finsam_format %}    {% for item in chain %}
    <tr{% if item.equity.over_ceiling %} class="table-warning"{% endif %}><th scope="row">{{ item.budget.label }} <span class="small">(enligt {{ item.equity.basis }})</span></th>
      <td class="num">{{ item.equity.opening|tkr }}</td><td class="num">{{ item.equity.year_result|tkr }}</td><td class="num">{{ item.equity.closing|tkr }}</td><td class="num">{{ item.equity.contributions|tkr }}</td>
      <td class="num">{% if item.equity.ceiling is not None %}{{ item.equity.ceiling|tkr }} ({{ item.equity.ceiling_percent|floatformat:"-2" }} %){% else %}–{% endif %}</td></tr>
    {% endfor %}"""  # noqa: E501


@pytest.mark.django_db
def test_the_budget_tables_read_as_the_templates_loops_wrote_them(seed, officer):
    from django.template import engines
    from django.test.html import parse_html

    from budget import selectors
    from budget.models import Budget, EquityCeiling

    # A guideline, so that the ceilings (one with decimals in its percent) and the warnings show.
    EquityCeiling.objects.create(
        association=seed, contributions_up_to=Decimal("6000000"), percent=Decimal("12.5")
    )
    EquityCeiling.objects.create(association=seed, contributions_up_to=None, percent=Decimal("3"))
    services.chart_ensure(user=officer, association=seed)
    line = ChartLine.objects.filter(association=seed).order_by("position").first()
    line.name = 'Post <&> "citerad"'
    line.save()
    engine = engines["django"]
    budgets = list(Budget.objects.filter(association=seed).order_by("period_start"))
    assert len(budgets) >= 2
    for budget in budgets:
        period, chain = selectors.period_with_chain(seed, budget)
        for link in (True, False):
            context = {"period": period, "chain": chain, "link_carry_over": link}
            loops = engine.from_string(
                FIGURE_ROWS_LOOP + INITIATIVE_ROWS_LOOP + EQUITY_ROWS_LOOP
            ).render(context)
            written = engine.from_string(
                "{% load budget_tables %}{% figure_table_rows period link_carry_over %}"
                "{{ period|initiative_table_rows }}{{ chain|equity_table_rows }}"
            ).render(context)
            assert parse_html(written) == parse_html(loops), (written, loops)
    overview = selectors.periods_newest_first(seed)
    assert any(period.equity.over_ceiling for period in overview)
    assert any(period.version.adopted_on for period in overview)
    for periods in (overview, []):
        context = {"periods": periods}
        loop = engine.from_string(OVERVIEW_ROWS_LOOP).render(context)
        written_rows = engine.from_string(
            "{% load budget_tables %}{{ periods|period_overview_rows }}"
        ).render(context)
        assert parse_html(written_rows) == parse_html(loop), (written_rows, loop)
    assert "Inga budgetar ännu." in written_rows
    assert (
        "Post &lt;&amp;&gt;" in written
        and "625 (12,50 %)" in written
        and "Visa Budget" not in written
    )
