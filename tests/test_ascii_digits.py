"""Identifiers and dates accept ASCII digits only (issue 16, item 9).

Python's str.isdigit() and the regex \\d are true for every script's decimal digits
(full-width nine, Arabic-Indic three, Devanagari seven), and str.upper() maps some non-ASCII
letters to ASCII (the long s to "S", the dotless i to "I"), so a
check written with them lets through what looks like an NHS number, a mobile number or a
postcode but is not one. Each validator is tried with ASCII input turned into other scripts.
"""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from providers.geography import PostcodeError, normalise_postcode
from referrals.nudges.decisions import _valid_mobile
from referrals.validators import clean_uk_mobile, validate_nhs_number
from talkingmoves.forms import NHSDateField

# Every decimal digit outside ASCII (full-width, Arabic-Indic, Devanagari, Bengali, ...).
OTHER_DIGITS = st.characters(categories=["Nd"], exclude_characters="0123456789")
NON_ASCII = st.characters(min_codepoint=0x80, exclude_categories=["Cs"])


def _nhs_check_digit(first_nine: str) -> int | None:
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(first_nine)) % 11
    check = 11 - remainder
    return 0 if check == 11 else (None if check == 10 else check)


@st.composite
def valid_nhs_numbers(draw):
    while True:
        # England and Wales ranges (Scotland's CHI numbers begin with a date of birth).
        first_nine = draw(st.sampled_from("4679")) + draw(
            st.text("0123456789", min_size=8, max_size=8)
        )
        check = _nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def _to_other_script(text: str, digits: list[str], positions: list[int]) -> str:
    """Replace the digits at `positions` with the same value in another script."""
    chars = list(text)
    for digit, position in zip(digits, positions, strict=False):
        index = position % len(chars)
        if chars[index].isascii() and chars[index].isdigit():
            # Same value, other script: "7" -> the other script's seven.
            zero = ord(digit) - int(digit)
            chars[index] = chr(zero + int(chars[index]))
    return "".join(chars)


@st.composite
def with_other_script_digits(draw, ascii_strategy):
    """An ASCII string with at least one of its digits swapped for another script's."""
    text = draw(ascii_strategy)
    digit_positions = [i for i, c in enumerate(text) if c.isdigit()]
    chosen = draw(st.lists(st.sampled_from(digit_positions), min_size=1, unique=True))
    digits = draw(st.lists(OTHER_DIGITS, min_size=len(chosen), max_size=len(chosen)))
    changed = _to_other_script(text, digits, chosen)
    assert changed != text
    return changed


# --- NHS numbers -------------------------------------------------------------------------


@given(valid_nhs_numbers())
def test_valid_ascii_nhs_numbers_are_accepted(number):
    validate_nhs_number(number)
    validate_nhs_number(f"{number[:3]} {number[3:6]} {number[6:]}")


@given(with_other_script_digits(valid_nhs_numbers()))
# The full-width number from the issue, then the same in Arabic-Indic digits.
@example("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19")
@example("\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669")
def test_nhs_numbers_with_other_scripts_digits_are_refused(number):
    with pytest.raises(ValidationError) as refused:
        validate_nhs_number(number)
    assert refused.value.messages == ["NHS number must be 10 digits"]


@given(st.text(OTHER_DIGITS, min_size=10, max_size=10))
def test_ten_digits_from_any_other_script_are_refused(number):
    with pytest.raises(ValidationError):
        validate_nhs_number(number)


# --- Mobile numbers ----------------------------------------------------------------------

UK_MOBILES = st.builds(
    lambda rest, style: {"0": "07", "+44": "+44 7", "0044": "00447"}[style] + rest,
    st.text("0123456789", min_size=9, max_size=9),
    st.sampled_from(["0", "+44", "0044"]),
)


@given(UK_MOBILES)
def test_ascii_mobile_numbers_are_accepted(number):
    cleaned = clean_uk_mobile(number)
    assert cleaned.isascii() and len(cleaned) == 11
    assert _valid_mobile(cleaned)


@given(with_other_script_digits(UK_MOBILES))
# Accepted, and stored as typed, before the fix.
@example("07\uff17\uff10\uff10\uff19\uff10\uff10\uff11\uff12\uff13")
def test_mobile_numbers_with_other_scripts_digits_are_refused(number):
    with pytest.raises(ValidationError):
        clean_uk_mobile(number)
    assert not _valid_mobile(number)


# --- Postcodes ---------------------------------------------------------------------------

POSTCODES = st.builds(
    lambda area, district, sector, unit: f"{area}{district} {sector}{unit}",
    st.text("ABCDEFGHIJKLMNOPRSTUWYZ", min_size=1, max_size=2),
    st.integers(0, 99).map(str),
    st.integers(0, 9).map(str),
    st.text("ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
)


@given(POSTCODES)
def test_ascii_postcodes_are_accepted(postcode):
    assert normalise_postcode(postcode.lower()) == postcode


@given(with_other_script_digits(POSTCODES))
@example("\uff33\uff37\uff11\uff21 \uff11\uff21\uff21")
@example("\u017fw1a 1aa")  # long s: upper() gives "S"
@example("sw1a 1\u0131a")  # dotless i: upper() gives "I"
def test_postcodes_with_other_scripts_digits_or_letters_are_refused(postcode):
    with pytest.raises(PostcodeError):
        normalise_postcode(postcode)
    with pytest.raises(PostcodeError):
        normalise_postcode(postcode, allow_district=True)


@given(POSTCODES, NON_ASCII, st.integers(0, 8))
def test_any_non_ascii_character_in_a_postcode_is_refused(postcode, character, position):
    if character.isspace():
        return  # spaces of any kind separate the parts and are dropped
    changed = postcode[:position] + character + postcode[position:]
    with pytest.raises(PostcodeError):
        normalise_postcode(changed)


# --- Dates -------------------------------------------------------------------------------

DATES = st.dates().filter(lambda d: d.year >= 1000)


@given(DATES)
def test_ascii_dates_are_accepted(day):
    field = NHSDateField(label="Date")
    assert field.clean([str(day.day), str(day.month), str(day.year)]) == day


@given(DATES, st.data())
def test_dates_with_other_scripts_digits_are_refused(day, data):
    parts = [str(day.day), str(day.month), str(day.year)]
    which = data.draw(st.integers(0, 2))
    parts[which] = data.draw(with_other_script_digits(st.just(parts[which])))
    with pytest.raises(ValidationError) as refused:
        NHSDateField(label="Date").clean(parts)
    assert refused.value.messages == ["Date must be a real date"]
