import pytest
from django.core.exceptions import ValidationError

from referrals.validators import (
    clean_uk_mobile,
    format_nhs_number,
    validate_nhs_number,
)


@pytest.mark.parametrize("value", ["9876543210", "987 654 3210", "987-654-3210", "4000000632"])
def test_valid_nhs_numbers(value):
    validate_nhs_number(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the service user's NHS number"),
        ("98765432", "NHS number must be 10 digits"),
        ("98765432AB", "NHS number must be 10 digits"),
        ("1234567890", "Enter a valid NHS number"),  # wrong check digit
        ("9876543211", "Enter a valid NHS number"),
    ],
)
def test_invalid_nhs_numbers_say_why(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_nhs_number(value)


def test_nhs_number_is_shown_3_3_4():
    assert format_nhs_number("9876543210") == "987 654 3210"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("07700 900 123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("(07700) 900-123", "07700900123"),
    ],
)
def test_uk_mobiles(raw, clean):
    assert clean_uk_mobile(raw) == clean


@pytest.mark.parametrize("raw", ["0113 496 0000", "0770090012", "+33 6 12 34 56 78"])
def test_not_uk_mobiles(raw):
    with pytest.raises(ValidationError, match="Enter a UK mobile number"):
        clean_uk_mobile(raw)
