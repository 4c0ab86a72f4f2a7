"""The nhsuk template pack's error summary and the page title's "Error: " prefix."""

import pytest
from django import forms

from talkingmoves.forms import NHSForm
from tests.forms.sample_forms import (
    VALID,
    ItemFormSet,
    ReferralForm,
    formset_data,
    invalid,
    summary_links,
)

# --- Error summary ----------------------------------------------------------------------------


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
