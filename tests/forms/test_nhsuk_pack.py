"""The nhsuk crispy template pack, rendered through {% crispy %} and checked as HTML."""

import datetime

import pytest
from django import forms
from django.contrib.auth.models import Group
from pytest_django.asserts import assertInHTML

from talkingmoves.forms import NHSDateField, NHSForm, NHSFormHelper, NHSModelForm
from talkingmoves.forms.layout import Button, Field, Fieldset, Layout, Submit

CONTACT = [("email", "Email"), ("phone", "Phone"), ("text", "Text message")]
DAYS = [("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday")]
REGIONS = [("", "Choose a region"), ("north", "North"), ("south", "South")]


class ReferralForm(NHSForm):
    name = forms.CharField(
        label="Full name",
        help_text="As it appears on letters from your GP",
        error_messages={"required": "Enter your full name"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    age = forms.IntegerField(label="Age", required=False)
    password = forms.CharField(
        label="Password",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    search = forms.CharField(label="Search", required=False, widget=forms.SearchInput)
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "text"}),
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    region = forms.ChoiceField(
        label="Region", choices=REGIONS, error_messages={"required": "Select a region"}
    )
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=CONTACT,
        widget=forms.RadioSelect,
        help_text="Select one option",
        error_messages={"required": "Select how we should contact you"},
    )
    days = forms.MultipleChoiceField(
        label="Which days suit you?",
        choices=DAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the days that suit you"},
    )
    agree = forms.BooleanField(
        label="I agree to be contacted",
        help_text="We will only contact you about your referral",
        error_messages={"required": "Agree to be contacted to continue"},
    )
    dob = NHSDateField(label="Date of birth", help_text="For example, 31 3 1980")


VALID = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "age": "36",
    "password": "correct horse",
    "search": "physio",
    "postcode": "LS1 1AB",
    "notes": "Prefers mornings",
    "region": "south",
    "contact": "phone",
    "days": ["mon", "wed"],
    "agree": "on",
    "dob-day": "10",
    "dob-month": "12",
    "dob-year": "1985",
}

TEXT_LIKE = ["name", "email", "age", "password", "search", "postcode", "notes", "region"]


def invalid(**changes):
    data = {**VALID, **changes}
    form = ReferralForm(data={k: v for k, v in data.items() if v is not None})
    assert not form.is_valid()
    return form


def group_of(node):
    return node.closest("div", "nhsuk-form-group")


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


# --- Error summary ----------------------------------------------------------------------------


def summary_links(doc):
    summary = doc.one("div", "nhsuk-error-summary")
    return [(a.attrs["href"], a.text) for a in summary.select("a")]


def test_error_summary_markup(render, page):
    doc = page(render(invalid(name="")))
    summary = doc.one("div", "nhsuk-error-summary")
    assert summary.attrs["data-module"] == "nhsuk-error-summary"
    alert = summary.one("div", role="alert")
    assert alert.one("h2", "nhsuk-error-summary__heading").text == "There is a problem"
    items = alert.one("div", "nhsuk-error-summary__body").one("ul").select("li")
    assert alert.one("ul").classes == ["nhsuk-list", "nhsuk-error-summary__list"]
    assert [li.text for li in items] == ["Enter your full name"]


def test_error_summary_links_every_error_to_its_input(render, page):
    html = render(ReferralForm(data={}))
    doc = page(html)
    links = summary_links(doc)
    assert [href for href, _ in links] == [
        "#id_name",
        "#id_region",
        "#id_contact",
        "#id_days",
        "#id_agree",
        "#id_dob-day",
    ]
    for href, message in links:
        target = doc.by_id(href[1:])
        assert target.tag == "input" or target.tag == "select"
        # The summary repeats the message shown by the field.
        group = target.closest("div", "nhsuk-form-group--error")
        while group.closest("div", "nhsuk-form-group--error"):  # date parts sit in inner groups
            group = group.closest("div", "nhsuk-form-group--error")
        assert group.one("span", "nhsuk-error-message").text == f"Error: {message}"
    # The summary comes first, before the <form>.
    assert html.index("nhsuk-error-summary") < html.index("<form")


def test_error_summary_lists_non_field_errors_without_a_link(render, page):
    class Form(NHSForm):
        name = forms.CharField(error_messages={"required": "Enter a name"})

        def clean(self):
            raise forms.ValidationError("These details do not match our records")

    form = Form(data={})
    assert not form.is_valid()
    doc = page(render(form))
    items = doc.one("ul", "nhsuk-error-summary__list").select("li")
    assert [li.text for li in items] == ["These details do not match our records", "Enter a name"]
    assert items[0].select("a") == []
    assert items[1].one("a").attrs["href"] == "#id_name"


def test_error_summary_does_not_link_to_hidden_fields(render, page):
    class Form(NHSForm):
        token = forms.CharField(
            widget=forms.HiddenInput, error_messages={"required": "Start again"}
        )

    doc = page(render(Form(data={})))
    item = doc.one("ul", "nhsuk-error-summary__list").one("li")
    assert item.text == "Start again"
    assert item.select("a") == []


def test_page_including_the_summary_and_crispy_shows_one_summary(render):
    html = render(
        invalid(name=""),
        '{% include "nhsuk/error_summary.html" with form=form %}<h1>Refer</h1>{% crispy form %}',
    )
    assert html.count('class="nhsuk-error-summary"') == 1
    assert html.index("nhsuk-error-summary") < html.index("<h1>")


def test_crispy_leaves_out_the_summary_when_told_to(render):
    form = invalid(name="")
    form.helper.render_error_summary = False
    html = render(form)
    assert "nhsuk-error-summary" not in html
    assert "nhsuk-form-group--error" in html


def test_as_crispy_errors_renders_the_summary(render, page):
    html = render(invalid(name=""), "{{ form|as_crispy_errors }}")
    assert summary_links(page(html)) == [("#id_name", "Enter your full name")]


# --- Page title -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (lambda: ReferralForm(), ""),
        (lambda: ReferralForm(data=VALID), ""),
        (lambda: ReferralForm(data={}), "Error: "),
        (lambda: None, ""),
    ],
)
def test_page_title_prefix_uses_the_form_in_the_context(render, form, expected):
    assert render(form(), "<title>{% page_title_prefix %}Refer</title>") == (
        f"<title>{expected}Refer</title>"
    )


def test_page_title_prefix_takes_forms_and_formsets(render):
    formset = ItemFormSet(data=formset_data(("", "3")))
    html = render(
        None, "{% page_title_prefix other formset %}", other=ReferralForm(), formset=formset
    )
    assert html == "Error: "
    valid = ItemFormSet(data=formset_data(("Tea", "3")))
    assert (
        render(None, "{% page_title_prefix other formset %}", other=ReferralForm(), formset=valid)
        == ""
    )


# --- Layout objects ---------------------------------------------------------------------------


class LaidOutForm(NHSForm):
    name = forms.CharField(label="What is your name?")
    postcode = forms.CharField(label="Postcode")
    town = forms.CharField(label="Town")
    contact = forms.ChoiceField(label="Contact", choices=CONTACT, widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(
        label="Days", choices=DAYS, widget=forms.CheckboxSelectMultiple
    )
    dob = NHSDateField(label="Date of birth")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("name", size="l", heading="h1", autocomplete="name", spellcheck="false"),
            Fieldset(
                "Your address",
                Field("postcode", width=10, autocomplete="postal-code"),
                Field("town", width="two-thirds"),
                size="m",
                heading="h2",
            ),
            Field(
                "contact", inline=True, small=True, size="s", hints={"email": "We reply in 2 days"}
            ),
            Field("days", small=True),
            Field("dob", size="xl"),
        )


def test_label_size_and_heading(render, page):
    doc = page(render(LaidOutForm()))
    label = doc.one("label", **{"for": "id_name"})
    assert label.classes == ["nhsuk-label", "nhsuk-label--l"]
    assert label.parent.tag == "h1"
    assert label.parent.classes == ["nhsuk-label-wrapper"]
    control = doc.by_id("id_name")
    assert control.attrs["autocomplete"] == "name"
    assert control.attrs["spellcheck"] == "false"


def test_widths(render, page):
    doc = page(render(LaidOutForm()))
    assert doc.by_id("id_postcode").classes == ["nhsuk-input", "nhsuk-input--width-10"]
    assert doc.by_id("id_postcode").attrs["autocomplete"] == "postal-code"
    assert doc.by_id("id_town").classes == ["nhsuk-input", "nhsuk-u-width-two-thirds"]


def test_width_class_is_kept_after_an_error(render, page):
    form = LaidOutForm(data={"town": "Leeds"})
    doc = page(render(form))
    assert doc.by_id("id_postcode").classes == [
        "nhsuk-input",
        "nhsuk-input--error",
        "nhsuk-input--width-10",
    ]


def test_fieldset_with_legend_size_and_heading(render, page):
    doc = page(render(LaidOutForm()))
    fieldset = doc.by_id("id_postcode").closest("fieldset")
    assert fieldset.classes == ["nhsuk-fieldset"]
    legend = fieldset.one("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]
    assert legend.one("h2", "nhsuk-fieldset__heading").text == "Your address"
    assert doc.by_id("id_town").closest("fieldset") is fieldset


def test_radio_and_checkbox_options(render, page):
    doc = page(render(LaidOutForm()))
    radios = doc.by_id("id_contact").closest("div", "nhsuk-radios")
    assert radios.classes == ["nhsuk-radios", "nhsuk-radios--small", "nhsuk-radios--inline"]
    legend = radios.closest("fieldset").one("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--s"]
    assert legend.select("h1") == []
    hint = doc.by_id("id_contact-item-hint")
    assert hint.classes == ["nhsuk-hint", "nhsuk-radios__hint"]
    assert hint.text == "We reply in 2 days"
    assert doc.by_id("id_contact").attrs["aria-describedby"] == "id_contact-item-hint"
    assert "aria-describedby" not in doc.by_id("id_contact-2").attrs
    checkboxes = doc.by_id("id_days").closest("div", "nhsuk-checkboxes")
    assert checkboxes.classes == ["nhsuk-checkboxes", "nhsuk-checkboxes--small"]


def test_date_legend_size(render, page):
    legend = page(render(LaidOutForm())).by_id("id_dob").closest("fieldset").one("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--xl"]


def test_layout_options_do_not_leak_into_the_next_field(render, page):
    # Options come from the page context too: a page variable must not change the form.
    doc = page(render(LaidOutForm(), "{% crispy form %}", heading="Refer", size="l"))
    assert doc.one("label", **{"for": "id_postcode"}).classes == ["nhsuk-label"]
    assert doc.one("label", **{"for": "id_postcode"}).parent.tag == "div"


@pytest.mark.parametrize(
    "make",
    [
        lambda: Field("name", size="huge"),
        lambda: Field("name", heading="p"),
        lambda: Field("name", width=7),
        lambda: Field("name", width="half"),
        lambda: Fieldset("Legend", size="xxl"),
        lambda: Button("Go", variant="primary"),
    ],
)
def test_unknown_options_are_refused(make):
    with pytest.raises(ValueError):
        make()


def test_buttons(render):
    class Form(NHSForm):
        name = forms.CharField(required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper.inputs = []
            self.helper.add_input(Submit("Save and continue", prevent_double_click=True))
            self.helper.add_input(
                Submit("Save as draft", name="action", value="draft", variant="secondary")
            )
            self.helper.add_input(Button("Cancel", variant="warning", small=True, disabled=True))

    html = render(Form())
    assertInHTML(
        """<div class="nhsuk-button-group">
          <button class="nhsuk-button" data-module="nhsuk-button" data-prevent-double-click="true"
            type="submit">Save and continue</button>
          <button class="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button"
            type="submit" name="action" value="draft">Save as draft</button>
          <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small"
            data-module="nhsuk-button" type="button" disabled aria-disabled="true">Cancel</button>
        </div>""",
        html,
    )


def test_buttons_inside_a_layout(render):
    class Form(NHSForm):
        submit_text = None
        name = forms.CharField(required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper.layout = Layout("name", Submit("Search", variant="secondary"))

    assertInHTML(
        '<button class="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" '
        'type="submit">Search</button>',
        render(Form()),
    )


def test_crispy_forms_own_submit_is_styled_as_an_nhs_button(render):
    from crispy_forms.layout import Submit as CrispySubmit

    class Form(NHSForm):
        submit_text = None
        name = forms.CharField(required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper.add_input(CrispySubmit("save", "Save"))

    assertInHTML(
        '<button class="nhsuk-button" data-module="nhsuk-button" type="submit" name="save" '
        'id="submit-id-save">Save</button>',
        render(Form()),
    )


# --- Other ways in ----------------------------------------------------------------------------


def test_crispy_filter_renders_just_the_fields(render, page):
    html = render(invalid(name=""), "{{ form|crispy }}")
    assert "<form" not in html
    assert "nhsuk-error-summary" not in html
    assert page(html).by_id("id_name-error").text == "Error: Enter your full name"


def test_as_crispy_field(render, page):
    html = render(invalid(name=""), "{{ form.name|as_crispy_field }}")
    doc = page(html)
    assert doc.by_id("id_name").attrs["aria-describedby"] == "id_name-hint id_name-error"


def test_plain_helper_still_gets_a_summary_and_nhs_fields(render, page):
    from crispy_forms.helper import FormHelper

    class Form(forms.Form):
        name = forms.CharField(label="Name", error_messages={"required": "Enter a name"})

    form = Form(data={})
    form.helper = FormHelper()
    doc = page(render(form))
    assert summary_links(doc) == [("#id_name", "Enter a name")]
    assert doc.by_id("id_name").classes == ["nhsuk-input", "nhsuk-input--error"]


def test_nhs_form_helper_defaults():
    helper = ReferralForm().helper
    assert isinstance(helper, NHSFormHelper)
    assert helper.form_tag is True
    assert helper.form_method == "post"
    assert helper.render_error_summary is True


def test_model_form(render, page):
    class GroupForm(NHSModelForm):
        submit_text = "Save group"

        class Meta:
            model = Group
            fields = ["name"]
            help_texts = {"name": "Shown to other staff"}

    doc = page(render(GroupForm()))
    control = doc.by_id("id_name")
    assert control.attrs["maxlength"] == "150"
    assert control.attrs["aria-describedby"] == "id_name-hint"
    assert doc.one("button").text == "Save group"


def test_hints_may_contain_html_like_django_help_text(render, page):
    class Form(NHSForm):
        nhs_number = forms.CharField(
            help_text='Like <span class="nhsuk-u-nowrap">999 123 4567</span>'
        )

    hint = page(render(Form())).by_id("id_nhs_number-hint")
    assert hint.one("span", "nhsuk-u-nowrap").text == "999 123 4567"


def test_labels_and_errors_are_escaped(render):
    class Form(NHSForm):
        name = forms.CharField(label="<b>Name</b>", error_messages={"required": "<i>Enter</i>"})

    html = render(Form(data={}))
    assert "<b>" not in html
    assert "<i>" not in html
    assert "&lt;b&gt;Name&lt;/b&gt;" in html


# --- Formsets ---------------------------------------------------------------------------------


class ItemForm(forms.Form):
    item = forms.CharField(label="Item", error_messages={"required": "Enter the item"})
    quantity = forms.IntegerField(label="Quantity")


ItemFormSet = forms.formset_factory(ItemForm, extra=0)


def formset_data(*rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for index, (item, quantity) in enumerate(rows):
        data[f"form-{index}-item"] = item
        data[f"form-{index}-quantity"] = quantity
    return data


def test_formset_error_summary_links_into_each_form(render, page):
    formset = ItemFormSet(data=formset_data(("Tea", "2"), ("", "3")))
    assert not formset.is_valid()
    doc = page(render(formset, "{% crispy form helper %}", helper=NHSFormHelper()))
    assert summary_links(doc) == [("#id_form-1-item", "Enter the item")]
    assert "value" not in doc.by_id("id_form-1-item").attrs
    assert doc.by_id("id_form-1-quantity").attrs["value"] == "3"
    assert doc.by_id("id_form-0-item").attrs["value"] == "Tea"
    assert doc.one("input", name="form-TOTAL_FORMS").attrs["value"] == "2"


def test_table_inline_formset(render, page):
    helper = NHSFormHelper()
    helper.template = "nhsuk/table_inline_formset.html"
    formset = ItemFormSet(data=formset_data(("Tea", "x")))
    doc = page(render(formset, "{% crispy form helper %}", helper=helper))
    table = doc.one("table", "nhsuk-table")
    assert [th.text for th in table.select("th", scope="col")] == ["Item", "Quantity"]
    cell = doc.by_id("id_form-0-quantity").closest("td")
    assert cell.classes == ["nhsuk-table__cell"]
    label = cell.one("label")
    assert label.attrs["for"] == "id_form-0-quantity"
    assert "nhsuk-u-visually-hidden" in label.classes
    assert doc.by_id("id_form-0-quantity").attrs["aria-describedby"] == "id_form-0-quantity-error"
    assert summary_links(doc) == [("#id_form-0-quantity", "Enter a whole number.")]


def test_helper_form_attributes(render, page):
    form = ReferralForm()
    form.helper.form_action = "/referrals/new/"
    form.helper.form_id = "referral"
    element = page(render(form)).one("form")
    assert element.attrs["action"] == "/referrals/new/"
    assert element.attrs["id"] == "referral"
    assert element.attrs["method"] == "post"


def test_app_config():
    from talkingmoves.forms.apps import NHSFormsConfig

    assert NHSFormsConfig.name == "talkingmoves.forms"
    assert NHSFormsConfig.label == "nhsuk_forms"
