"""Choices taken as they are: for a long list built per request, such as a service's
clinicians."""

import functools

from django import forms
from django.utils.choices import BaseChoiceIterator

from talkingmoves.core.markup import text


class Choices(BaseChoiceIterator):
    """(value, label) pairs, already in the form Django wants. A plain list assigned to a
    field's choices is checked pair by pair, for the field and again for its widget: a
    select of 2,000 clinicians spent about 10 ms of CPU on it. A choice iterator is taken
    as is."""

    def __init__(self, pairs):
        self._pairs = list(pairs)

    def __iter__(self):
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)


class ManyOptionsSelect(forms.Select):
    """A select of a list built per request that may be long: a service's 2,000 clinicians.
    Django makes a dict for each option and the renderer escapes each value and label, 10 ms
    of CPU at 2,000. Here the options' markup is made once per distinct list in each process
    (options_html) and the chosen option marked in it; NHSFormRenderer writes the rest.
    Flat choices only, one value: the markup is Django's own, character for character."""

    def get_context(self, name, value, attrs):
        context = forms.Widget.get_context(self, name, value, attrs)
        chosen = context["widget"]["value"]
        # Made only if another renderer's template asks for them.
        context["widget"]["optgroups"] = _Lazy(lambda: self.optgroups(name, chosen, attrs))
        options = options_html(tuple(self.choices))
        if chosen:
            # Django marks the first option with the value; values are unique here.
            marker = f'<option value="{text(chosen[0])}">'
            options = options.replace(marker, f"{marker[:-1]} selected>", 1)
        context["widget"]["options_html"] = options
        return context


class _Lazy:
    def __init__(self, make):
        self._make = make

    def __iter__(self):
        return iter(self._make())


@functools.lru_cache(maxsize=16)
def options_html(choices: tuple) -> str:
    """The options as the renderer writes them (renderer.option_html), none selected."""
    return "".join(
        f'\n  <option value="{text(str(value))}">{text(label)}</option>\n'
        for value, label in choices
    )
