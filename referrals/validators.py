"""Identifier checks for service-user records."""

import re

from django.core.exceptions import ValidationError
from nhs_number import is_valid

# [0-9], not \d: in Python \d also matches other scripts' digits (full-width, Arabic-Indic).
UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7[0-9]{9}$")
NHS_NUMBER_DIGITS = re.compile(r"[0-9]{10}")


def clean_nhs_number(raw: str) -> str:
    """'987 654 3210' -> '9876543210'. Spaces and dashes are accepted on input."""
    return re.sub(r"[\s-]", "", raw or "")


def validate_nhs_number(value: str) -> None:
    digits = clean_nhs_number(value)
    if not digits:
        raise ValidationError("Enter the service user's NHS number", code="required")
    # Not str.isdigit(): it is true for full-width and other scripts' digits too.
    if not NHS_NUMBER_DIGITS.fullmatch(digits):
        raise ValidationError("NHS number must be 10 digits", code="length")
    # Modulus 11 check digit (the nhs-number package implements the NHS Data Dictionary rule).
    if not is_valid(digits):
        raise ValidationError(
            "Enter a valid NHS number. Check you have typed it correctly", code="check_digit"
        )


def format_nhs_number(value: str) -> str:
    digits = clean_nhs_number(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 10 else value


def clean_uk_mobile(raw: str) -> str:
    """'07700 900 123' / '+44 7700 900123' -> '07700900123'."""
    compact = re.sub(r"[\s()-]", "", raw or "")
    if not UK_MOBILE.match(compact):
        raise ValidationError(
            "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982", code="mobile"
        )
    return "0" + compact[-10:]
