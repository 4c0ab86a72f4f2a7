"""The nhsuk crispy template pack's fields, rendered through {% crispy %} and checked as HTML:
text inputs, choices and dates, with their labels, hints and errors, and nothing typed lost."""

import datetime

import pytest
from django import forms
from pytest_django.asserts import assertInHTML

from talkingmoves.forms import NHSForm
from tests.forms.sample_forms import (
    REGIONS,
    TEXT_LIKE,
    VALID,
    ReferralForm,
    group_of,
    invalid,
    summary_links,
)

# --- Whole form ------------------------------------------------------------------------------


def test_crispy_renders_a_post_form_with_novalidate_and_the_nhs_submit_button(render, page):
    html = render(ReferralForm())
    form = page(html).one("form")
    assert form.attrs["method"] == "post"
    assert "novalidate" in form.attrs
    assertInHTML(
        '<button class="nhsuk-button" data-module="nhsuk-button" type="submit">Continue</button>',
        html,
    )


def test_no_required_attribute_so_the_browser_does_not_validate(render):
    assert "required" not in render(ReferralForm())


def test_each_label_is_for_its_input(render, page):
    doc = page(render(ReferralForm()))
    for name in TEXT_LIKE:
        control = doc.one(name=name)
        label = group_of(control).one("label", "nhsuk-label")
        assert label.attrs["for"] == control.attrs["id"] == f"id_{name}"


def test_unbound_form_has_no_error_markup(render):
    html = render(ReferralForm())
    assert "--error" not in html
    assert "nhsuk-error-summary" not in html
    assert "aria-invalid" not in html


def test_valid_form_has_no_error_markup(render):
    form = ReferralForm(data=VALID)
    assert form.is_valid(), form.errors
    html = render(form)
    assert "--error" not in html
    assert "nhsuk-error-summary" not in html


# --- Text inputs -----------------------------------------------------------------------------


def test_input_types_and_attributes_pass_through(render, page):
    doc = page(render(ReferralForm()))
    email = doc.one("input", name="email")
    assert email.attrs["type"] == "email"
    assert email.attrs["autocomplete"] == "email"
    assert email.attrs["spellcheck"] == "false"
    assert doc.one("input", name="age").attrs["type"] == "number"
    assert doc.one("input", name="search").attrs["type"] == "search"
    postcode = doc.one("input", name="postcode")
    assert postcode.attrs["autocomplete"] == "postal-code"
    assert postcode.attrs["inputmode"] == "text"
    for name in ["name", "email", "age", "search", "postcode"]:
        assert doc.one("input", name=name).classes == ["nhsuk-input"]


def test_password_uses_the_password_input_component(render, page):
    doc = page(render(ReferralForm()))
    password = doc.one("input", name="password")
    assert password.attrs["type"] == "password"
    assert password.attrs["autocomplete"] == "current-password"
    group = group_of(password)
    assert group.attrs["data-module"] == "nhsuk-password-input"
    assert "nhsuk-password-input" in group.classes
    assert "nhsuk-password-input__input" in password.classes
    toggle = group.one("button", "nhsuk-password-input__toggle")
    assert toggle.attrs["aria-controls"] == "id_password"
    assert toggle.attrs["type"] == "button"


def test_textarea_and_select_use_nhs_classes(render, page):
    doc = page(render(ReferralForm()))
    assert doc.one("textarea", name="notes").classes == ["nhsuk-textarea"]
    select = doc.one("select", name="region")
    assert select.classes == ["nhsuk-select"]
    assert [o.attrs["value"] for o in select.select("option")] == ["", "north", "south"]


def test_hint_is_rendered_and_described_by(render, page):
    doc = page(render(ReferralForm()))
    hint = doc.by_id("id_name-hint")
    assert hint.classes == ["nhsuk-hint"]
    assert hint.text == "As it appears on letters from your GP"
    assert doc.by_id("id_name").attrs["aria-describedby"] == "id_name-hint"
    # No hint, no aria-describedby.
    assert "aria-describedby" not in doc.by_id("id_email").attrs


def test_invalid_text_input_shows_its_error_and_links_it(render, page):
    doc = page(render(invalid(name="")))
    control = doc.by_id("id_name")
    assert control.attrs["aria-describedby"] == "id_name-hint id_name-error"
    assert control.classes == ["nhsuk-input", "nhsuk-input--error"]
    assert control.attrs["aria-invalid"] == "true"
    error = doc.by_id("id_name-error")
    assert error.tag == "span"
    assert error.classes == ["nhsuk-error-message"]
    assert error.one("span", "nhsuk-u-visually-hidden").text == "Error:"
    assert error.text == "Error: Enter your full name"
    assert group_of(control).classes == ["nhsuk-form-group", "nhsuk-form-group--error"]


@pytest.mark.parametrize(
    ("changes", "field_id", "error_class"),
    [
        ({"region": ""}, "id_region", "nhsuk-select--error"),
        ({"age": "twelve"}, "id_age", "nhsuk-input--error"),
        ({"email": "not an email"}, "id_email", "nhsuk-input--error"),
    ],
)
def test_error_classes_appear_only_on_the_invalid_field(
    render, page, changes, field_id, error_class
):
    doc = page(render(invalid(**changes)))
    groups = doc.select("div", "nhsuk-form-group--error")
    assert groups == [group_of(doc.by_id(field_id))]
    assert error_class in doc.by_id(field_id).classes
    assert doc.by_id(field_id).attrs["aria-describedby"] == f"{field_id}-error"


def test_several_errors_on_one_field_share_one_message(render, page):
    form = invalid(name="")
    form.add_error("name", "Full name must be 35 characters or fewer")
    error = page(render(form)).by_id("id_name-error")
    assert error.text == "Error: Enter your full name Full name must be 35 characters or fewer"


# --- Radios, checkboxes and the single checkbox -----------------------------------------------


def test_radios_are_a_fieldset_with_a_legend(render, page):
    doc = page(render(ReferralForm()))
    first = doc.by_id("id_contact")
    fieldset = first.closest("fieldset")
    assert fieldset.classes == ["nhsuk-fieldset"]
    assert fieldset.one("legend", "nhsuk-fieldset__legend").text == "How should we contact you?"
    assert fieldset.attrs["aria-describedby"] == "id_contact-hint"
    assert fieldset.one(id="id_contact-hint").text == "Select one option"
    radios = fieldset.one("div", "nhsuk-radios")
    assert radios.attrs["data-module"] == "nhsuk-radios"
    inputs = radios.select("input")
    assert [i.attrs["id"] for i in inputs] == ["id_contact", "id_contact-2", "id_contact-3"]
    assert {i.attrs["type"] for i in inputs} == {"radio"}
    assert {i.attrs["name"] for i in inputs} == {"contact"}
    assert [i.attrs["value"] for i in inputs] == ["email", "phone", "text"]
    for control in inputs:
        label = control.parent.one("label")
        assert label.attrs["for"] == control.attrs["id"]
        assert label.classes == ["nhsuk-label", "nhsuk-radios__label"]
        assert "aria-describedby" not in control.attrs


def test_checkboxes_are_a_fieldset_with_a_legend(render, page):
    doc = page(render(invalid(days=None)))
    fieldset = doc.by_id("id_days").closest("fieldset")
    assert fieldset.one("legend").text == "Which days suit you?"
    assert fieldset.attrs["aria-describedby"] == "id_days-error"
    assert fieldset.one(id="id_days-error").text == "Error: Select the days that suit you"
    inputs = fieldset.one("div", "nhsuk-checkboxes").select("input")
    assert [i.attrs["id"] for i in inputs] == ["id_days", "id_days-2", "id_days-3"]
    assert {i.attrs["type"] for i in inputs} == {"checkbox"}
    assert group_of(fieldset).classes == ["nhsuk-form-group", "nhsuk-form-group--error"]


def test_invalid_radios_describe_the_fieldset_by_hint_and_error(render, page):
    doc = page(render(invalid(contact=None)))
    fieldset = doc.by_id("id_contact").closest("fieldset")
    assert fieldset.attrs["aria-describedby"] == "id_contact-hint id_contact-error"
    assert group_of(fieldset).classes == ["nhsuk-form-group", "nhsuk-form-group--error"]


def test_blank_choice_is_not_offered_as_a_radio(render, page):
    class Form(NHSForm):
        region = forms.ChoiceField(choices=REGIONS, widget=forms.RadioSelect)

    values = [i.attrs["value"] for i in page(render(Form())).select("input", type="radio")]
    assert values == ["north", "south"]


def test_radios_check_the_initial_choice_even_when_it_is_not_a_string(render, page):
    class Form(NHSForm):
        score = forms.TypedChoiceField(
            choices=[(1, "One"), (2, "Two")], coerce=int, widget=forms.RadioSelect
        )

    doc = page(render(Form(initial={"score": 2})))
    assert "checked" in doc.by_id("id_score-2").attrs
    assert "checked" not in doc.by_id("id_score").attrs


def test_single_checkbox(render, page):
    doc = page(render(invalid(agree=None)))
    control = doc.by_id("id_agree")
    assert control.attrs["type"] == "checkbox"
    assert control.classes == ["nhsuk-checkboxes__input"]
    assert control.parent.one("label").attrs["for"] == "id_agree"
    assert control.parent.one("label").text == "I agree to be contacted"
    hint = doc.by_id("id_agree-item-hint")
    assert hint.classes == ["nhsuk-hint", "nhsuk-checkboxes__hint"]
    assert control.attrs["aria-describedby"] == "id_agree-item-hint id_agree-error"
    assert doc.by_id("id_agree-error").text == "Error: Agree to be contacted to continue"
    assert control.closest("div", "nhsuk-checkboxes").attrs["data-module"] == "nhsuk-checkboxes"
    assert control.closest("fieldset") is None


# --- Date input -------------------------------------------------------------------------------


def test_date_is_a_fieldset_group_of_three_labelled_inputs(render, page):
    doc = page(render(ReferralForm()))
    container = doc.one("div", "nhsuk-date-input")
    assert container.attrs["id"] == "id_dob"
    fieldset = container.closest("fieldset")
    assert fieldset.attrs["role"] == "group"
    assert fieldset.one("legend").text == "Date of birth"
    assert fieldset.attrs["aria-describedby"] == "id_dob-hint"
    inputs = container.select("input")
    assert [i.attrs["name"] for i in inputs] == ["dob-day", "dob-month", "dob-year"]
    assert [i.attrs["id"] for i in inputs] == ["id_dob-day", "id_dob-month", "id_dob-year"]
    assert [c for i in inputs for c in i.classes if "width" in c] == [
        "nhsuk-input--width-2",
        "nhsuk-input--width-2",
        "nhsuk-input--width-4",
    ]
    for control in inputs:
        assert control.attrs["inputmode"] == "numeric"
        assert control.attrs["type"] == "text"
        label = control.parent.one("label")
        assert label.attrs["for"] == control.attrs["id"]
    labels = [i.parent.one("label").text for i in inputs]
    assert labels == ["Day", "Month", "Year"]


def test_date_shows_a_saved_value(render, page):
    form = ReferralForm(initial={"dob": datetime.date(1980, 3, 31)})
    doc = page(render(form))
    assert [doc.by_id(f"id_dob-{p}").attrs["value"] for p in ("day", "month", "year")] == [
        "31",
        "3",
        "1980",
    ]


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "highlighted"),
    [
        ("31", "", "1980", "Date of birth must include a month", ["month"]),
        ("", "", "1980", "Date of birth must include a day and month", ["day", "month"]),
        ("", "", "", "Enter date of birth", ["day", "month", "year"]),
        ("31", "2", "2020", "Date of birth must be a real date", ["day"]),
        ("1", "13", "2020", "Date of birth must be a real date", ["month"]),
        ("1", "x", "2020", "Date of birth must be a real date", ["month"]),
        ("1", "1", "85", "Year must include 4 numbers", ["year"]),
    ],
)
def test_date_error_highlights_just_the_wrong_parts(
    render, page, day, month, year, message, highlighted
):
    form = invalid(**{"dob-day": day, "dob-month": month, "dob-year": year})
    doc = page(render(form))
    assert doc.by_id("id_dob-error").text == f"Error: {message}"
    fieldset = doc.by_id("id_dob").closest("fieldset")
    assert fieldset.attrs["aria-describedby"] == "id_dob-hint id_dob-error"
    assert group_of(fieldset).classes == ["nhsuk-form-group", "nhsuk-form-group--error"]
    for part in ("day", "month", "year"):
        control = doc.by_id(f"id_dob-{part}")
        wrong = part in highlighted
        assert ("nhsuk-input--error" in control.classes) is wrong, part
        assert ("nhsuk-form-group--error" in group_of(control).classes) is wrong, part
        assert (control.attrs.get("aria-invalid") == "true") is wrong, part
    links = [a.attrs["href"] for a in doc.one("div", "nhsuk-error-summary").select("a")]
    assert links == [f"#id_dob-{highlighted[0]}"]


def test_an_error_from_form_clean_highlights_the_whole_date(render, page):
    form = invalid(name="")
    form.add_error("dob", "Date of birth must be before the referral date")
    doc = page(render(form))
    for part in ("day", "month", "year"):
        assert "nhsuk-input--error" in doc.by_id(f"id_dob-{part}").classes
    assert ("#id_dob-day", "Date of birth must be before the referral date") in summary_links(doc)


# --- Nothing the user typed is lost ---------------------------------------------------------


def test_everything_typed_is_shown_again_after_an_error(render, page):
    typed = {
        **VALID,
        "name": "",
        "notes": "Line one\nLine <two>",
        "days": ["tue", "wed"],
        "dob-day": "3l",
        "dob-month": " 2 ",
        "dob-year": "198",
    }
    form = ReferralForm(data=typed)
    assert not form.is_valid()
    doc = page(render(form))
    for name in ["email", "age", "search", "postcode"]:
        assert doc.one("input", name=name).attrs["value"] == typed[name]
    assert doc.one("textarea", name="notes").text == "Line one Line <two>"
    assert doc.one("select", name="region").one("option", selected=True).attrs["value"] == "south"
    checked_radios = doc.select("input", name="contact", checked=True)
    assert [r.attrs["value"] for r in checked_radios] == ["phone"]
    checked_days = doc.select("input", name="days", checked=True)
    assert [c.attrs["value"] for c in checked_days] == ["tue", "wed"]
    assert "checked" in doc.by_id("id_agree").attrs
    assert doc.by_id("id_dob-day").attrs["value"] == "3l"
    assert doc.by_id("id_dob-month").attrs["value"] == " 2 "
    assert doc.by_id("id_dob-year").attrs["value"] == "198"


def test_an_impossible_date_is_shown_as_typed(render, page):
    doc = page(render(invalid(**{"dob-day": "31", "dob-month": "02", "dob-year": "2020"})))
    values = [doc.by_id(f"id_dob-{p}").attrs["value"] for p in ("day", "month", "year")]
    assert values == ["31", "02", "2020"]
