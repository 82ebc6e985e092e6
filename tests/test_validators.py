import pytest
from django.core.exceptions import ValidationError

from finsam.validators import (
    ORG_NUMBER_CHECK_DIGIT_ERROR,
    ORG_NUMBER_FORMAT_ERROR,
    normalise_org_number,
)


@pytest.mark.parametrize("raw", ["222000-2733", "2220002733", " 222000 2733 "])
def test_valid_org_number_is_normalised_with_a_hyphen(raw):
    assert normalise_org_number(raw) == "222000-2733"


def test_wrong_check_digit_is_refused_in_swedish():
    with pytest.raises(ValidationError) as error:
        normalise_org_number("222000-2734")
    assert error.value.messages == [ORG_NUMBER_CHECK_DIGIT_ERROR]


@pytest.mark.parametrize("raw", ["", "22200-2733", "222000-27333", "abcdef-ghij"])
def test_org_number_needs_ten_digits(raw):
    with pytest.raises(ValidationError) as error:
        normalise_org_number(raw)
    assert error.value.messages == [ORG_NUMBER_FORMAT_ERROR]
