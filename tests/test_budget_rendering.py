"""The budget pages' own, quicker rendering (issue #12) writes what finsam.money and the forms'
usual rendering write: the same amounts, the same ids, labels and error messages."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from budget import services
from budget.forms import AmountsForm, LegacyImportForm
from budget.models import ChartLine
from budget.selectors import tkr_text
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
