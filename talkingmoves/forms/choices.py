"""Choices taken as they are: for a long list built per request, such as a service's
clinicians."""

from django.utils.choices import BaseChoiceIterator


class Choices(BaseChoiceIterator):
    """(value, label) pairs, already in the form Django wants. A plain list assigned to a
    field's choices is checked pair by pair, for the field and again for its widget: a
    select of 2,000 clinicians spent 8 ms of CPU on it. A choice iterator is taken as is."""

    def __init__(self, pairs):
        self._pairs = list(pairs)

    def __iter__(self):
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)
