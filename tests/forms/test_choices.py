"""Choices given as they are, and a select of many of them (talkingmoves/forms/choices.py),
behave and render as a list of pairs and Django's Select do."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from talkingmoves.forms.choices import Choices, ManyOptionsSelect, options_html
from talkingmoves.forms.renderer import NHSFormRenderer

PAIRS = [("all", "Everyone"), ("a1", "Ann <Lead>"), ("b2", "Bo")]


class PickForm(forms.Form):
    who = forms.ChoiceField(required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = choices


def test_renders_and_validates_as_the_same_list_would():
    given, listed = (
        PickForm({"who": "b2"}, choices=Choices(PAIRS)),
        PickForm({"who": "b2"}, choices=list(PAIRS)),
    )
    assert str(given["who"]) == str(listed["who"])
    assert '<option value="b2" selected>Bo</option>' in str(given["who"])
    assert "Ann &lt;Lead&gt;" in str(given["who"])
    assert given.is_valid() and given.cleaned_data["who"] == "b2"


def test_a_value_not_offered_is_refused():
    form = PickForm({"who": "zz"}, choices=Choices(PAIRS))
    assert not form.is_valid()
    assert "Select a valid choice" in form.errors["who"][0]


def test_taken_as_given_not_checked_again():
    choices = Choices(PAIRS)
    form = PickForm(choices=choices)
    assert form.fields["who"].choices is choices
    assert len(choices) == 3 and list(choices) == PAIRS


MANY = [("all", "Everyone"), ("a&1", 'Ann "<Lead>"'), ("b2", "Bo"), ("", "Nobody"), ("c3", "Cy")]


class ManyForm(forms.Form):
    who = forms.ChoiceField(required=True, widget=ManyOptionsSelect(attrs={"class": "x"}))
    plain = forms.ChoiceField(required=True, widget=forms.Select(attrs={"class": "x"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = Choices(MANY)
        self.fields["plain"].choices = list(MANY)


@pytest.mark.parametrize(
    "data, initial",
    [
        (None, {}),
        (None, {"who": "b2", "plain": "b2"}),
        ({"who": "a&1", "plain": "a&1"}, {}),
        ({"who": "c3", "plain": "c3"}, {"who": "b2", "plain": "b2"}),
        ({"who": "not offered", "plain": "not offered"}, {}),
        ({"who": "", "plain": ""}, {}),
    ],
    ids=["unbound", "initial", "escaped value", "bound over initial", "not offered", "empty"],
)
@pytest.mark.parametrize("renderer", [NHSFormRenderer, DjangoTemplates])
def test_many_options_select_writes_what_a_select_writes(data, initial, renderer):
    form = ManyForm(data, initial=initial, renderer=renderer())
    form.is_valid()
    assert str(form["who"]) == str(form["plain"]).replace("plain", "who")


def test_many_options_select_marks_only_the_chosen_option():
    html = str(ManyForm({"who": "c3", "plain": "c3"}, renderer=NHSFormRenderer())["who"])
    assert html.count(" selected") == 1 and '<option value="c3" selected>Cy</option>' in html
    assert '<option value="b2">Bo</option>' in html


def test_many_options_are_written_once_per_list():
    options_html.cache_clear()
    for chosen in ("b2", "c3", "all"):
        str(ManyForm({"who": chosen}, renderer=NHSFormRenderer())["who"])
    assert options_html.cache_info().misses == 1 and options_html.cache_info().hits == 2
