"""The pack's markup against the rendered examples shipped with nhsuk-frontend.

Each test builds a form that asks what the nhsuk-frontend fixture asks and compares the
HTML. Django adds a few attributes of its own (aria-invalid, cols), which are removed first.
"""

import json
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from pytest_django.asserts import assertHTMLEqual

from talkingmoves.forms import NHSDateField, NHSForm
from talkingmoves.forms.layout import Field, Fieldset, Layout

COMPONENTS = Path(settings.BASE_DIR) / "node_modules/nhsuk-frontend/dist/nhsuk/components"

pytestmark = pytest.mark.skipif(
    not COMPONENTS.exists(), reason="nhsuk-frontend is not installed (npm ci)"
)

NHS_NUMBER_HINT = (
    'This is a 10 digit number (like <span class="nhsuk-u-nowrap">999 123 4567</span>) '
    "that you can find on an NHS letter, prescription or in the NHS App"
)
CONTACT = [("email", "Email"), ("phone", "Phone"), ("text", "Text message")]


def fixture_html(component, name):
    fixtures = json.loads((COMPONENTS / component / "fixtures.json").read_text())["fixtures"]
    return next(f["html"] for f in fixtures if f["name"] == name)


def django_only_attributes_removed(html):
    return re.sub(r' (aria-invalid="true"|cols="40")', "", str(html))


def render_field(render, field, layout_field, data=None, **form_kwargs):
    class Form(NHSForm):
        submit_text = None
        example = field

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper.form_tag = False
            self.helper.render_error_summary = False
            self.helper.layout = Layout(layout_field)

    return django_only_attributes_removed(render(Form(data=data, **form_kwargs)))


def test_input_with_error_message_and_hint(render):
    field = forms.CharField(
        label="What is your NHS number?",
        help_text=NHS_NUMBER_HINT,
        error_messages={"required": "Enter NHS number"},
        widget=forms.TextInput(
            attrs={"id": "with-hint-error", "spellcheck": "false", "inputmode": "numeric"}
        ),
    )
    layout = Field("example", size="l", heading="h1", width=10, css_class="nhsuk-input--code")
    html = render_field(render, field, layout, data={})
    assertHTMLEqual(html, fixture_html("input", "with error message and hint"))


def test_input_with_autocomplete_attribute(render):
    field = forms.CharField(
        label="Enter a full postcode in England",
        help_text="For example, LS1 1AB",
        widget=forms.TextInput(attrs={"id": "with-autocomplete-attribute"}),
    )
    layout = Field("example", heading="h1", autocomplete="postal-code")
    html = render_field(render, field, layout)
    assertHTMLEqual(html, fixture_html("input", "with autocomplete attribute"))


def test_password_input_with_error_message(render):
    field = forms.CharField(
        label="Password",
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(
            attrs={"id": "with-error-message", "autocomplete": "current-password"}
        ),
    )
    html = render_field(render, field, Field("example", size="l", heading="h1"), data={})
    assertHTMLEqual(html, fixture_html("password-input", "with error message"))


def test_textarea_with_error_message_and_hint(render):
    field = forms.CharField(
        label="Can you provide more detail?",
        help_text=(
            "Do not include personal information like your name, date of birth or NHS number"
        ),
        error_messages={"required": "You must provide an explanation"},
        widget=forms.Textarea(attrs={"id": "with-hint-error", "rows": 5}),
    )
    html = render_field(render, field, Field("example", size="l", heading="h1"), data={})
    assertHTMLEqual(html, fixture_html("textarea", "with error message and hint"))


def test_select_with_error_message_and_hint(render):
    regions = ["East Midlands", "East of England", "London", "North East", "North West"]
    regions += ["South East", "South West", "West Midlands", "Yorkshire and the Humber"]
    values = ["eastmidlands", "eastofengland", "london", "northeast", "northwest"]
    values += ["southeast", "southwest", "westmidlands", "yorkshire"]

    def must_choose(value):
        if value == "choose":
            raise forms.ValidationError("Select a location")

    field = forms.ChoiceField(
        label="Choose location",
        help_text="This can be different to where you went before",
        choices=[("choose", "Choose location"), *zip(values, regions, strict=True)],
        validators=[must_choose],
        widget=forms.Select(attrs={"id": "with-hint-error"}),
    )
    html = render_field(
        render, field, Field("example", size="l", heading="h1"), data={"example": "choose"}
    )
    html = html.replace(" selected", "")  # the fixture shows nothing chosen yet
    assertHTMLEqual(html, fixture_html("select", "with error message and hint"))


def test_radios_with_error_message_and_hint(render):
    field = forms.ChoiceField(
        label="How do you want to be contacted about this?",
        help_text="Select 1 option",
        choices=CONTACT,
        error_messages={"required": "Select how you want to be contacted"},
        widget=forms.RadioSelect(attrs={"id": "with-hint-error"}),
    )
    html = render_field(render, field, Field("example", size="l", heading="h1"), data={})
    assertHTMLEqual(html, fixture_html("radios", "with error message and hint"))


def test_inline_radios(render):
    field = forms.ChoiceField(
        label="Are you 18 or over?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect(attrs={"id": "inline"}),
    )
    layout = Field("example", size="l", heading="h1", inline=True)
    assertHTMLEqual(render_field(render, field, layout), fixture_html("radios", "inline"))


def test_checkboxes_with_error_message_and_hint(render):
    field = forms.MultipleChoiceField(
        label="How do you want to be contacted about this?",
        help_text="Select all options that are relevant to you",
        choices=[("email", "Email"), ("phone", "Phone"), ("text message", "Text message")],
        error_messages={"required": "Select how you want to be contacted"},
        widget=forms.CheckboxSelectMultiple(attrs={"id": "with-hint-error"}),
    )
    html = render_field(render, field, Field("example", size="l", heading="h1"), data={})
    assertHTMLEqual(html, fixture_html("checkboxes", "with error message and hint"))


def test_checkboxes_with_hints_on_items(render):
    field = forms.MultipleChoiceField(
        label="What medical conditions do you have?",
        help_text="Select 1 or more",
        choices=[
            ("alzheimers", "Alzheimer's disease or dementia"),
            ("asthma", "Asthma"),
            ("cancer", "Cancer"),
            ("diabetes", "Diabetes"),
        ],
        widget=forms.CheckboxSelectMultiple(attrs={"id": "with-hint-item"}),
    )
    layout = Field(
        "example",
        size="l",
        heading="h1",
        hints={"diabetes": "including type 1, type 2, and gestational diabetes"},
    )
    html = render_field(render, field, layout)
    assertHTMLEqual(html, fixture_html("checkboxes", "with hints on items"))


def test_date_input_with_error_on_month(render):
    field = NHSDateField(
        label="What is your date of birth?",
        error_name="Date of birth",
        help_text="For example, 31 3 1980",
    )
    data = {"example-day": "31", "example-month": "", "example-year": "1980"}
    html = render_field(
        render, field, Field("example", size="l", heading="h1"), data=data, auto_id="%s"
    )
    # nhsuk-frontend's example names the parts plain day, month and year.
    html = html.replace('name="example-', 'name="')
    assertHTMLEqual(html, fixture_html("date-input", "with error on month input"))


def test_fieldset_with_legend_as_heading(render):
    class Form(NHSForm):
        submit_text = None

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper.form_tag = False
            self.helper.layout = Layout(Fieldset("What is your address?", size="l", heading="h1"))

    assertHTMLEqual(render(Form()), fixture_html("fieldset", "default"))


def test_error_summary_with_multiple_errors(render):
    class Form(forms.Form):
        first_name = forms.CharField(
            error_messages={"required": "Enter your first name"},
            widget=forms.TextInput(attrs={"id": "example-first-name"}),
        )
        last_name = forms.CharField(
            error_messages={"required": "Enter your last name"},
            widget=forms.TextInput(attrs={"id": "example-last-name"}),
        )

    html = render(Form(data={}), '{% include "nhsuk/error_summary.html" %}')
    assertHTMLEqual(html, fixture_html("error-summary", "with multiple errors"))


def test_error_summary_without_error_link_mixed(render):
    class Form(forms.Form):
        terms = forms.BooleanField(
            error_messages={"required": "Agree to the terms of service to log in"},
            widget=forms.CheckboxInput(attrs={"id": "example-terms-of-service"}),
        )

        def clean(self):
            raise forms.ValidationError("Invalid username or password")

    html = render(Form(data={}), '{% include "nhsuk/error_summary.html" %}')
    assertHTMLEqual(html, fixture_html("error-summary", "without error link (mixed)"))


def test_submit_button(render):
    class Form(NHSForm):
        submit_text = "Save and continue"

    html = render(Form(), "{% crispy form %}")
    assertHTMLEqual(
        html.replace('<form method="post" novalidate>', "").replace("</form>", ""),
        fixture_html("button", "default"),
    )
