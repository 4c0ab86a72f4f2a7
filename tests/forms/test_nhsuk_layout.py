"""The nhsuk template pack's layout objects: label and legend sizes, headings, widths,
fieldsets, radio and checkbox options, and buttons."""

import pytest
from django import forms
from pytest_django.asserts import assertInHTML

from talkingmoves.forms import NHSDateField, NHSForm
from talkingmoves.forms.layout import Button, Field, Fieldset, Layout, Submit
from tests.forms.sample_forms import CONTACT, DAYS

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


class FilterForm(NHSForm):
    cost = forms.ChoiceField(
        label="Cost",
        choices=[("", "Any cost"), ("free", "Free")],
        required=False,
        widget=forms.RadioSelect,
    )
    contact = forms.ChoiceField(
        label="Contact", choices=[("", "---------"), *CONTACT], required=False,
        widget=forms.RadioSelect,
    )  # fmt: skip


def test_a_named_blank_radio_is_offered_so_a_choice_can_be_cleared(render, page):
    empty = page(render(FilterForm({})))
    any_cost = empty.one("input", id="id_cost")
    assert any_cost.attrs["value"] == "" and "checked" in any_cost.attrs
    chosen = page(render(FilterForm({"cost": "free"})))
    assert "checked" not in chosen.one("input", id="id_cost").attrs
    assert "checked" in chosen.one("input", id="id_cost-2").attrs
    # Django's own "---------" blank is still left out.
    assert [i.attrs["value"] for i in chosen.select("input", name="contact")] == [
        value for value, _label in CONTACT
    ]
