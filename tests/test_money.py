"""finsam.money on its own: reading typed amounts, kronor ↔ tkr, display rounding, the fields."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from finsam.money import (
    DOT_AND_COMMA,
    DOT_GROUPING,
    MINUS,
    NOT_A_NUMBER,
    AmountError,
    KronorField,
    TkrField,
    format_kronor,
    format_tkr,
    kronor_input,
    kronor_to_tkr,
    parse_amount,
    round_half_away,
    round_tkr,
    tkr_input,
    tkr_to_kronor,
)

# Django's sv locale groups thousands with a no-break space (USE_THOUSAND_SEPARATOR is on).
NBSP = "\xa0"


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("1 250,5", Decimal("1250.5")),
        (f"{MINUS}1 250", Decimal("-1250")),  # the typographic minus sign
        ("\u20131 250", Decimal("-1250")),  # an en dash, as word processors turn a hyphen
        ("-1250", Decimal("-1250")),
        (f"1{NBSP}250", Decimal("1250")),
        ("1\u202f250", Decimal("1250")),  # narrow no-break space
        ("  1 250  ", Decimal("1250")),
        ("1250.5", Decimal("1250.5")),  # a dot that cannot be a thousands separator
        ("1,250", Decimal("1.250")),  # a comma is always the decimal sign
        ("0", Decimal("0")),
    ],
)
def test_typed_amount_is_read_the_swedish_way(raw, amount):
    assert parse_amount(raw) == amount


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_nothing_typed_is_no_amount(raw):
    assert parse_amount(raw) is None


def test_dot_and_comma_together_is_refused_with_the_reason():
    with pytest.raises(AmountError) as error:
        parse_amount("1.250,5")

    assert str(error.value) == DOT_AND_COMMA.format(text="1.250,5")
    assert error.value.code == "dot_and_comma"
    assert "1 250,5" in str(error.value) and "inte 1.250,5" in str(error.value)


@pytest.mark.parametrize("raw", ["1.250", "12.500.000", "-1.250"])
def test_dot_that_could_be_thousands_or_decimals_is_refused(raw):
    with pytest.raises(AmountError) as error:
        parse_amount(raw)

    assert str(error.value) == DOT_GROUPING.format(text=raw)
    assert error.value.code == "dot_grouping"


@pytest.mark.parametrize("raw", ["fem", "1e5", "+5", "12,5,0", "١٢", "²", "1 250 kr", "--5"])
def test_anything_else_is_not_an_amount(raw):
    with pytest.raises(AmountError) as error:
        parse_amount(raw)

    assert str(error.value) == NOT_A_NUMBER.format(text=raw)
    assert error.value.code == "invalid"


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        (12.1, Decimal("12.1")),  # not 12.0999999999999996447286321199499070644378662109375
        (0.1, Decimal("0.1")),
        (1250500.0, Decimal("1250500.0")),
        (-45864.4, Decimal("-45864.4")),
        (1250, Decimal("1250")),
        (Decimal("1250.50"), Decimal("1250.50")),
    ],
)
def test_spreadsheet_cells_are_read_as_typed(cell, amount):
    assert parse_amount(cell) == amount
    assert str(parse_amount(cell)) == str(amount)


@pytest.mark.parametrize("cell", [True, float("nan"), float("inf"), Decimal("NaN")])
def test_booleans_and_non_finite_cells_are_not_amounts(cell):
    with pytest.raises(AmountError):
        parse_amount(cell)


def test_amount_error_is_a_value_error():
    assert issubclass(AmountError, ValueError)


def test_tkr_and_kronor_convert_exactly():
    assert tkr_to_kronor(Decimal("1250.5")) == Decimal("1250500")
    assert kronor_to_tkr(Decimal("1250500")) == Decimal("1250.5")
    assert kronor_to_tkr(Decimal("1")) == Decimal("0.001")


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (Decimal("2.5"), Decimal("3")),
        (Decimal("-2.5"), Decimal("-3")),
        (Decimal("2.4"), Decimal("2")),
        (Decimal("-2.4"), Decimal("-2")),
        (Decimal("3.5"), Decimal("4")),  # not to even
    ],
)
def test_rounding_is_half_away_from_zero(value, rounded):
    assert round_half_away(value) == rounded


def test_rounding_to_places():
    assert round_half_away(Decimal("12.345"), 2) == Decimal("12.35")
    assert round_half_away(Decimal("-12.345"), 2) == Decimal("-12.35")


@pytest.mark.parametrize(
    ("kronor", "tkr"),
    [
        (2_500, "3"),
        (-2_500, f"{MINUS}3"),
        (2_499, "2"),
        (458_500, "459"),
        (-458_500, f"{MINUS}459"),
        (5_440_000, f"5{NBSP}440"),
        (-5_440_000, f"{MINUS}5{NBSP}440"),
        (1_234_567_890, f"1{NBSP}234{NBSP}568"),
        (0, "0"),
        (-400, "0"),  # rounds to nothing: no minus sign before a zero
    ],
)
def test_tkr_are_rounded_once_for_display_and_grouped(kronor, tkr):
    assert format_tkr(kronor) == tkr


def test_round_tkr_gives_whole_tkr():
    assert round_tkr(Decimal("2500")) == Decimal("3")
    assert round_tkr(Decimal("-2500")) == Decimal("-3")


@pytest.mark.parametrize(
    ("kronor", "text"),
    [
        (Decimal("5440000"), f"5{NBSP}440{NBSP}000"),
        (Decimal("-45864.4"), f"{MINUS}45{NBSP}864"),
        (Decimal("0.5"), "1"),
        (Decimal("-0.5"), f"{MINUS}1"),
        (999, "999"),
        ("1250", f"1{NBSP}250"),
    ],
)
def test_kronor_are_whole_and_grouped_for_display(kronor, text):
    assert format_kronor(kronor) == text


@pytest.mark.parametrize("empty", [None, ""])
def test_no_amount_is_shown_as_nothing(empty):
    assert format_kronor(empty) == ""
    assert format_tkr(empty) == ""


@pytest.mark.parametrize(
    ("kronor", "typed"),
    [
        (Decimal("5440000"), f"5{NBSP}440"),
        (Decimal("1250500"), f"1{NBSP}250,5"),
        (Decimal("-1250500"), f"-1{NBSP}250,5"),
        (Decimal("1"), "0,001"),
        (Decimal("0"), "0"),
    ],
)
def test_tkr_input_is_what_a_user_would_type_and_reads_back(kronor, typed):
    assert tkr_input(kronor) == typed
    assert tkr_to_kronor(parse_amount(typed)) == kronor


@pytest.mark.parametrize(
    ("kronor", "typed"),
    [
        (Decimal("1250000"), f"1{NBSP}250{NBSP}000"),
        (Decimal("1250000.00"), f"1{NBSP}250{NBSP}000"),  # no öre where there are none
        (Decimal("1250.50"), f"1{NBSP}250,50"),
        (Decimal("1250.5"), f"1{NBSP}250,50"),
        (Decimal("-45864"), f"-45{NBSP}864"),
    ],
)
def test_kronor_input_is_what_a_user_would_type_and_reads_back(kronor, typed):
    assert kronor_input(kronor) == typed
    assert parse_amount(typed) == kronor


def test_inputs_of_no_amount_are_empty():
    assert tkr_input(None) == ""
    assert kronor_input(None) == ""


def test_kronor_field_reads_swedish_amounts():
    field = KronorField()

    assert field.clean("1 250,50") == Decimal("1250.50")
    assert field.clean("125 000") == Decimal("125000")
    assert KronorField(required=False).clean("") is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("mycket", "Ange ett belopp i kronor, till exempel 125 000 eller 1 250,50."),
        ("1.250,5", DOT_AND_COMMA.format(text="1.250,5")),
        ("1.250", DOT_GROUPING.format(text="1.250")),
        ("-1", "Kontrollera att detta värde är större än eller lika med 0."),
        ("1,005", "Säkerställ att det inte är mer än 2 decimaler."),
    ],
)
def test_kronor_field_says_what_is_wrong(typed, message):
    with pytest.raises(forms.ValidationError) as error:
        KronorField().clean(typed)

    assert error.value.messages == [message]


def test_kronor_field_allows_negative_amounts_when_asked():
    assert KronorField(min_value=None).clean(f"{MINUS}1 250") == Decimal("-1250")


def test_kronor_field_shows_kronor_as_typed_and_leaves_typed_text_alone():
    field = KronorField()

    assert field.prepare_value(Decimal("1250.50")) == f"1{NBSP}250,50"
    assert field.prepare_value(Decimal("1250.00")) == f"1{NBSP}250"
    assert field.prepare_value(1250) == f"1{NBSP}250"
    assert field.prepare_value("1 25o") == "1 25o"  # a refused entry is shown back unchanged
    assert field.prepare_value(None) is None


@pytest.mark.parametrize("field", [KronorField(), TkrField(max_value=1000)])
def test_amount_fields_are_text_inputs_with_a_numeric_keyboard(field):
    # type="number" would refuse "1 250,50", and min/max/step would make the browser refuse it.
    html = field.widget.render("amount", "")

    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert "step=" not in html and "max=" not in html and "min=" not in html


def test_tkr_field_hands_back_kronor():
    field = TkrField()

    assert field.clean("450") == Decimal("450000")
    assert field.clean("1 250,5") == Decimal("1250500")
    assert field.clean("0,001") == Decimal("1")


def test_tkr_field_shows_kronor_as_tkr():
    field = TkrField()

    assert field.prepare_value(Decimal("1250500")) == f"1{NBSP}250,5"
    assert field.prepare_value(450000) == "450"
    assert field.prepare_value("450") == "450"


def test_tkr_field_limits_apply_to_the_typed_tkr():
    field = TkrField(max_value=100)

    assert field.clean("100") == Decimal("100000")
    with pytest.raises(forms.ValidationError) as too_much:
        field.clean("101")
    with pytest.raises(forms.ValidationError) as below_zero:
        field.clean("-1")
    with pytest.raises(forms.ValidationError) as below_a_krona:
        field.clean("1,0005")

    assert too_much.value.messages == [
        "Kontrollera att detta värde är mindre än eller lika med 100."
    ]
    assert below_zero.value.messages == [
        "Kontrollera att detta värde är större än eller lika med 0."
    ]
    assert below_a_krona.value.messages == ["Säkerställ att det inte är mer än 3 decimaler."]


def test_tkr_field_names_its_own_hint_for_nonsense():
    with pytest.raises(forms.ValidationError) as error:
        TkrField().clean("fyrahundra")

    assert error.value.messages == ["Ange beloppet i tkr, till exempel 450 eller 1 250,5."]
