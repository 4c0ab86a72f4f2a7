import datetime

import pytest
import time_machine
from django import forms

from talkingmoves.forms import NHSDateField, NHSDateInput


class DobForm(forms.Form):
    dob = NHSDateField(label="Date of birth")


class OptionalForm(forms.Form):
    seen_on = NHSDateField(label="Date first seen", required=False)


def clean(day, month, year, form_class=DobForm, name="dob"):
    form = form_class(data={f"{name}-day": day, f"{name}-month": month, f"{name}-year": year})
    form.is_valid()
    return form.cleaned_data.get(name), form.errors.get(name, [])


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("31", "3", "1980", datetime.date(1980, 3, 31)),
        ("01", "01", "2000", datetime.date(2000, 1, 1)),
        ("29", "2", "2024", datetime.date(2024, 2, 29)),
        (" 5 ", " 11 ", " 1999 ", datetime.date(1999, 11, 5)),
    ],
)
def test_valid_dates(day, month, year, expected):
    assert clean(day, month, year) == (expected, [])


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date of birth"),
        ("  ", "", " ", "Enter date of birth"),
        ("", "3", "1980", "Date of birth must include a day"),
        ("31", "", "1980", "Date of birth must include a month"),
        ("31", "3", "", "Date of birth must include a year"),
        ("", "", "1980", "Date of birth must include a day and month"),
        ("31", "", "", "Date of birth must include a month and year"),
        ("", "3", "", "Date of birth must include a day and year"),
    ],
)
def test_missing_parts(day, month, year, message):
    assert clean(day, month, year) == (None, [message])


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("31", "2", "2020"),
        ("29", "2", "2021"),
        ("31", "4", "2020"),
        ("0", "1", "2020"),
        ("1", "0", "2020"),
        ("1", "13", "2020"),
        ("1", "1", "0000"),
        ("x", "1", "2020"),
        ("1", "March", "2020"),
        ("1", "1", "20o0"),
        ("-1", "1", "2020"),
        ("1.5", "1", "2020"),
        ("٣", "1", "2020"),  # a digit, but not 0-9
    ],
)
def test_impossible_or_non_numeric_dates(day, month, year):
    assert clean(day, month, year) == (None, ["Date of birth must be a real date"])


@pytest.mark.parametrize("year", ["80", "198", "19800"])
def test_year_must_have_four_numbers(year):
    assert clean("1", "1", year) == (None, ["Year must include 4 numbers"])


@pytest.mark.parametrize(
    ("day", "month", "year", "parts"),
    [
        ("", "", "", ["day", "month", "year"]),
        ("", "1", "", ["day", "year"]),
        ("31", "2", "2020", ["day"]),
        ("1", "13", "2020", ["month"]),
        ("31", "13", "2020", ["month"]),
        ("32", "13", "2020", ["day", "month"]),
        ("x", "1", "y", ["day", "year"]),
        ("1", "1", "85", ["year"]),
    ],
)
def test_errors_record_which_parts_are_wrong(day, month, year, parts):
    from talkingmoves.forms.fields import date_error_parts

    form = DobForm(data={"dob-day": day, "dob-month": month, "dob-year": year})
    assert not form.is_valid()
    assert date_error_parts(form["dob"]) == parts


def test_optional_date_may_be_left_empty_but_not_half_done():
    assert clean("", "", "", OptionalForm, "seen_on") == (None, [])
    assert clean("", "6", "", OptionalForm, "seen_on") == (
        None,
        ["Date first seen must include a day and year"],
    )


def test_error_name_is_used_when_the_label_is_a_question():
    class Form(forms.Form):
        dob = NHSDateField(label="What is your date of birth?", error_name="Date of birth")

    form = Form(data={"dob-day": "1", "dob-month": "", "dob-year": "1990"})
    assert form.errors["dob"] == ["Date of birth must include a month"]
    assert Form(data={}).errors["dob"] == ["Enter date of birth"]


def test_names_are_lowered_but_not_acronyms():
    class Form(forms.Form):
        start = NHSDateField(label="NHS start date")

    assert Form(data={}).errors["start"] == ["Enter NHS start date"]


def test_a_percent_sign_in_the_name_is_safe():
    class Form(forms.Form):
        when = NHSDateField(label="Date 100% sure")

    assert Form(data={}).errors["when"] == ["Enter date 100% sure"]


@time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_must_be_in_the_past():
    class Form(forms.Form):
        dob = NHSDateField(label="Date of birth", must_be_in_past=True)

    def errors(day, month, year):
        return Form(data={"dob-day": day, "dob-month": month, "dob-year": year}).errors

    assert errors("1", "6", "2025")["dob"] == ["Date of birth must be in the past"]
    assert errors("2", "6", "2025")["dob"] == ["Date of birth must be in the past"]
    assert "dob" not in errors("31", "5", "2025")


def test_validators_run_on_the_date():
    def not_a_monday(value):
        if value.weekday() == 0:
            raise forms.ValidationError("Date must not be a Monday")

    class Form(forms.Form):
        day = NHSDateField(label="Date", validators=[not_a_monday])

    form = Form(data={"day-day": "2", "day-month": "6", "day-year": "2025"})
    assert form.errors["day"] == ["Date must not be a Monday"]


def test_disabled_field_keeps_its_initial_date():
    class Form(forms.Form):
        dob = NHSDateField(disabled=True)

    form = Form(
        data={"dob-day": "1", "dob-month": "1", "dob-year": "2001"},
        initial={"dob": datetime.date(1990, 5, 4)},
    )
    assert form.is_valid()
    assert form.cleaned_data["dob"] == datetime.date(1990, 5, 4)


def test_has_changed():
    form = DobForm(
        data={"dob-day": "4", "dob-month": "5", "dob-year": "1990"},
        initial={"dob": datetime.date(1990, 5, 4)},
    )
    assert not form.has_changed()
    form = DobForm(
        data={"dob-day": "5", "dob-month": "5", "dob-year": "1990"},
        initial={"dob": datetime.date(1990, 5, 4)},
    )
    assert form.has_changed()


def test_widget_reads_three_named_parts():
    widget = NHSDateInput()
    data = {"dob-day": "1", "dob-month": "2", "dob-year": "2003", "dob_0": "9"}
    assert widget.value_from_datadict(data, {}, "dob") == ["1", "2", "2003"]
    assert widget.value_omitted_from_data({}, {}, "dob")
    assert widget.decompress(datetime.date(2003, 2, 1)) == [1, 2, 2003]
    assert widget.decompress(None) == [None, None, None]


def test_widget_autocomplete_per_part():
    widget = NHSDateInput(autocomplete="bday")
    assert [w.attrs["autocomplete"] for w in widget.widgets] == [
        "bday-day",
        "bday-month",
        "bday-year",
    ]


def test_widget_rendered_without_the_pack_still_has_nhs_ids_and_classes():
    html = str(DobForm(initial={"dob": datetime.date(1980, 3, 31)})["dob"])
    assert 'name="dob-day"' in html
    assert 'id="id_dob-month"' in html
    assert 'value="1980"' in html
    assert "nhsuk-input--width-4 nhsuk-date-input__input" in html
    assert DobForm()["dob"].id_for_label == "id_dob-day"


def test_form_prefix_is_kept_in_part_names():
    form = DobForm(
        prefix="patient",
        data={"patient-dob-day": "2", "patient-dob-month": "3", "patient-dob-year": "1999"},
    )
    assert form.is_valid()
    assert form.cleaned_data["dob"] == datetime.date(1999, 3, 2)
