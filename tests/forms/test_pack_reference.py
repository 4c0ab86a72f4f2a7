"""Today's pack gives, character for character, the HTML the reference pack (the pack at
859ef1b, tests/forms/reference_pack) gave: for a form with every layout object and field
kind in every state, for the search and caseload filters, and for every form in the app that
can be made without arguments."""

import importlib
import pkgutil
from pathlib import Path

import pytest
from crispy_forms import utils as crispy_utils
from django import forms
from django.conf import settings

from providers.search_forms import SearchForm
from referrals.records.forms import CaseloadFilterForm
from talkingmoves.forms import NHSDateField, NHSForm, NHSFormMixin
from talkingmoves.forms.layout import HTML, Button, Div, Field, Fieldset, Layout, Submit
from tests.factories import ClinicianFactory
from tests.forms.conftest import render_template
from tests.forms.reference_pack import reference_pack
from tests.forms.sample_forms import VALID, ReferralForm


def both(make, source="{% crispy form %}", **context):
    """(reference HTML, today's HTML) of a fresh form from make() each time: rendering marks
    a form (its error summary is shown once)."""
    with reference_pack():
        before = render_template(source, form=make(), **context)
    after = render_template(source, form=make(), **context)
    return before, after


class Everything(ReferralForm):
    """Every layout object and option the pack writes in Python."""

    when = NHSDateField(label="When", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False, initial="t<1>")
    unmentioned = forms.CharField(required=False)
    grouped = forms.TypedChoiceField(
        choices=[("", "Any"), ("Group", [("1", "One <1>"), ("2", "Two")]), (3, "Three")],
        coerce=int,
        required=False,
        initial=3,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.render_hidden_fields = True
        self.helper.add_input(Button("Save draft", name="draft", value="1", variant="secondary"))
        delete = Submit("Delete", small=True, css_class="x", prevent_double_click=True)
        self.helper.add_input(delete)
        self.helper.layout = Layout(
            Field("name", size="l", heading="h1", autocomplete="name"),
            Fieldset(
                "Contact <details>",
                Field("email", width=20),
                Field("contact", inline=True, hints={"email": "Not shared & safe"}),
                "age",
                size="m",
                heading="h2",
                css_class="extra",
                css_id="contact",
                data_x="y",
            ),
            Fieldset("", Field("password", width="one-half"), "search"),
            Fieldset("Where", Field("postcode", wrapper_class="w <1>"), size="s"),
            Field("notes", "region"),
            Field("days", small=True, size="s"),
            Field("agree", small=True),
            Field("dob", size="xl", heading="h3"),
            Field("when", small=True),
            Field("grouped", inline=True),
        )


class Mixed(Everything):
    """Objects the pack leaves to crispy: the whole layout is crispy's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.fields[3] = Fieldset("Legend {{ legend_word }}", "postcode")
        self.helper.layout.append(Div(Field("unmentioned"), css_class="div-class"))
        self.helper.layout.append(HTML("<p>{{ legend_word }} & more</p>"))


STATES = {
    "unbound": lambda cls: cls(),
    "initial": lambda cls: cls(
        initial={"name": 'Ada "<b>"', "contact": "text", "days": ["tue"], "agree": True}
    ),
    "bound valid": lambda cls: cls(data={**VALID, "when-day": "1", "when-month": "2"}),
    "bound with errors": lambda cls: cls(
        data={"email": "nope", "age": "x", "days": ["sun"], "dob-day": "40", "when-year": "1"}
    ),
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("form_class", [Everything, Mixed, ReferralForm])
def test_layouts_and_fields_as_the_reference(state, form_class):
    before, after = both(lambda: STATES[state](form_class), legend_word="Hi <there>")
    assert "<form" in after
    assert ("Hi &lt;there&gt;" in after) == (form_class is Mixed)
    assert after == before


def test_helper_switches_as_the_reference():
    def make():
        form = Everything(data={"name": "", "unmentioned": "u"})
        form.helper.form_show_labels = False
        form.helper.form_show_errors = False
        form.helper.form_tag = False
        form.helper.render_hidden_fields = False
        form.helper.render_unmentioned_fields = True
        return form

    before, after = both(make)
    assert after == before


def test_the_filter_without_a_tag_and_a_formset_as_the_reference():
    before, after = both(lambda: Everything(data={}), source="{{ form|crispy }}")
    assert after == before
    formset = forms.formset_factory(Everything, extra=2)
    before, after = both(lambda: formset(prefix="f"), source="{% crispy form form.0.helper %}")
    assert after == before


SEARCHES = [
    None,
    {"postcode": "LS1 4AP", "distance_km": "10", "accessibility": ["step_free"], "rank": "on"},
    {"delivery": "online", "days": ["1", "3"], "times": ["morning"], "cost": "free"},
    {"postcode": "nowhere", "other_activity": "underwater hockey", "for": "not-a-uuid"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("data", SEARCHES)
def test_search_filters_as_the_reference(data):
    def make():
        form = SearchForm(data)
        if data is not None:
            form.is_valid()
        return form

    before, after = both(make)
    assert "nhsuk-checkboxes--small" in after
    assert after == before


@pytest.mark.parametrize("data", [None, {"q": 'Smith "<&>"', "show": "flagged", "clinician": "x"}])
def test_caseload_filters_as_the_reference(service, clinician, data):
    ClinicianFactory(organisation=service, full_name='Dr "Ann" <Lee>')
    ClinicianFactory(organisation=service, full_name="")

    def make():
        form = CaseloadFilterForm(data, service_id=service.pk)
        if data is not None:
            form.is_valid()
        return form

    before, after = both(make)
    assert "Dr &quot;Ann&quot; &lt;Lee&gt;" in after
    assert after == before


def _app_form_classes():
    for app in ("providers", "referrals", "outcomes", "talkingmoves"):
        root = Path(settings.BASE_DIR) / app
        for module in pkgutil.walk_packages([str(root)], prefix=f"{app}."):
            if module.name.rsplit(".", 1)[-1].endswith("forms"):
                importlib.import_module(module.name)
    found, todo = set(), [NHSFormMixin]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.split(".")[0] != "tests":
                found.add(sub)
            todo.append(sub)
    return sorted(found - {NHSForm}, key=lambda cls: cls.__qualname__)


@pytest.mark.django_db
def test_every_app_form_that_needs_no_arguments_as_the_reference():
    compared = 0
    for form_class in _app_form_classes():
        for data in (None, {}):
            try:
                form_class(data)
            except Exception:  # it needs arguments this sweep cannot guess
                continue
            before, after = both(lambda form_class=form_class, data=data: form_class(data))
            assert after == before, form_class
            compared += 1
    assert compared >= 10


@pytest.mark.django_db
def test_todays_pack_does_not_use_the_reference_path(monkeypatch):
    """The comparisons are not vacuous: the reference renders each field through crispy's
    templates, today's pack does not."""
    calls = []
    original = crispy_utils.render_field
    monkeypatch.setattr(
        "crispy_forms.layout.render_field", lambda *a, **k: calls.append(a) or original(*a, **k)
    )
    with reference_pack():
        render_template("{% crispy form %}", form=SearchForm())
    assert calls
    calls.clear()
    render_template("{% crispy form %}", form=SearchForm())
    assert not calls
