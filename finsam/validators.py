import re

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
