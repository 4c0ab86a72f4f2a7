"""Choices given as they are (talkingmoves/forms/choices.py) behave as a list of pairs."""

from django import forms

from talkingmoves.forms.choices import Choices

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
