"""NHSFormRenderer writes inputs, selects and textareas in Python: the markup must be
Django's own templates', character for character, bound or not, valid or not."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from talkingmoves.forms.renderer import NHSFormRenderer


class Widgets(forms.Form):
    text = forms.CharField(
        initial='say "<hi>" & bye',
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "data-safe": mark_safe("a&amp;b"),
                "size": 3,
                "autofocus": True,
                "hidden": False,
            }
        ),
    )
    email = forms.EmailField()
    number = forms.IntegerField(initial=1234567)
    decimal = forms.DecimalField(initial=1.5)
    grouped = forms.ChoiceField(
        choices=[("", "---"), ("1", "One <b>"), ("Group", [("2", "Two"), ("3", "Three")]), (4, 44)],
        initial="2",
    )
    multiple = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], initial=["a", "b"])
    typed = forms.TypedChoiceField(choices=[(1, "1 km"), (5, "5 km")], coerce=int, initial=5)
    notes = forms.CharField(widget=forms.Textarea, initial="hello\n<there>")
    empty_notes = forms.CharField(widget=forms.Textarea)
    tick = forms.BooleanField(initial=True)
    password = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput, initial="z")
    day = forms.DateField(initial="2024-01-02", widget=forms.DateInput(attrs={"type": "date"}))
    upload = forms.FileField()
    radios = forms.ChoiceField(choices=[(1, "a"), (2, "b")], widget=forms.RadioSelect, initial=1)
    search = forms.CharField(widget=forms.SearchInput)


BAD_INPUT = {"text": "q&<", "number": "not a number", "grouped": "3", "multiple": ["b"],
             "notes": "", "tick": "on", "radios": "2", "typed": "1", "email": "x"}  # fmt: skip


@pytest.mark.parametrize("data", [None, BAD_INPUT], ids=["unbound", "bad input"])
@pytest.mark.parametrize("name", list(Widgets.base_fields))
def test_each_widget_renders_as_djangos_templates_do(name, data):
    django_form = Widgets(data, renderer=DjangoTemplates())
    ours = Widgets(data, renderer=NHSFormRenderer())
    assert str(ours[name]) == str(django_form[name])
