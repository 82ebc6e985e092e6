import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

ORG_NUMBER_FORMAT_ERROR = "Ange organisationsnumret med tio siffror, till exempel 222000-2733."
ORG_NUMBER_CHECK_DIGIT_ERROR = "Organisationsnumret är ogiltigt: kontrollsiffran stämmer inte."

_ORG_NUMBER = re.compile(r"^(\d{6})-?(\d{4})$")


def luhn_is_valid(digits: str) -> bool:
    """Luhn (modulus 10) check over all digits, the last being the check digit."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_org_number(value: str) -> str:
    """'2220002733' or ' 222000-2733 ' → '222000-2733'. Raises ValidationError."""
    match = _ORG_NUMBER.match((value or "").strip().replace(" ", ""))
    if not match:
        raise ValidationError(ORG_NUMBER_FORMAT_ERROR, code="org_number_format")
    digits = match.group(1) + match.group(2)
    if not luhn_is_valid(digits):
        raise ValidationError(ORG_NUMBER_CHECK_DIGIT_ERROR, code="org_number_check_digit")
    return f"{match.group(1)}-{match.group(2)}"


def validate_org_number(value: str) -> None:
    normalise_org_number(value)


# Dates. A public body's matters happen in its own time: a förbund, a board seat, a meeting, a
# budget or a participant's start outside these years is a typing error (year 2 for 2002), and
# such a date also breaks what reads it back (a meeting in year 1 cannot be stored in UTC).
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
DATE_OUT_OF_RANGE = "Ange ett datum mellan 1990-01-01 och 2100-12-31."


def date_in_range(value: datetime.date) -> bool:
    """A date or date and time within EARLIEST_DATE and LATEST_DATE."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST_DATE <= day <= LATEST_DATE


def validate_public_date(value) -> None:
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range")


def bound_form_dates() -> None:
    """Every DateField and DateTimeField of every form (the project's, ModelForms' and the
    admin's) refuses a date outside the range: set on the form field classes once, so that a new
    form cannot forget it. Django copies default_validators when a field is made, so this runs
    before any form is defined: at the import of this module, which finsam.models imports while
    the apps load. tests/test_bounds.py walks every form class of the project to prove it."""
    for field_class in (forms.DateField, forms.DateTimeField):
        if validate_public_date not in field_class.default_validators:
            field_class.default_validators = [*field_class.default_validators, validate_public_date]


bound_form_dates()


# Text. Control characters are never wanted: a paste from Word brings a vertical tab (its line
# break) or a form feed, which no workbook may hold (XML 1.0 has no place for them) and no page
# shows. They are taken out on the way in (finsam.input.ControlCharactersMiddleware, the imports)
# and once more on the way out (finsam.spreadsheets).
_LINE_BREAKS = re.compile(r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def has_control_characters(text: str) -> bool:
    return bool(_LINE_BREAKS.search(text) or _CONTROL.search(text))


def without_control_characters(text: str) -> str:
    """Text as typed, less its control characters: line breaks of other kinds (Word's vertical
    tab) become a new line; tab, new line and carriage return stay; the rest go."""
    return _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))


def clean_name(text: str) -> str:
    """A name on one line: every control character and run of white space one space, trimmed.
    For names read from files (the old budget table's lines)."""
    return _WHITESPACE.sub(" ", without_control_characters(text).replace("\t", " ")).strip()
