"""A field's choice labels, read once per process: what `instance.get_<field>_display()` does
on every call, rebuilding the field's whole list of choices each time (a record page makes
dozens of such calls), for rows read with values() that have no instance to ask."""

from functools import cache

from django.db.models import Model


@cache
def _labels(model: type[Model], name: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def label(model: type[Model], name: str, value) -> str:
    """The label of `value` in the field's choices, or the value itself when it has none:
    what get_<name>_display() gives (this service has one language)."""
    return _labels(model, name).get(value, value)
