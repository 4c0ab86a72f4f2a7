"""The nhsuk template pack through its filters, a plain crispy helper, model forms and
formsets; escaping, and the app's own configuration."""

from django import forms
from django.contrib.auth.models import Group

from talkingmoves.forms import NHSForm, NHSFormHelper, NHSModelForm
from tests.forms.sample_forms import (
    ItemFormSet,
    ReferralForm,
    formset_data,
    invalid,
    summary_links,
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
