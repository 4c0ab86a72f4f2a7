"""What `{{ value }}` and `{{ values|join:", " }}` write in a template, for the few pieces of
markup built in Python because the template engine was most of a page's CPU (the search
cards, the caseload rows; the form fields have their own in talkingmoves/forms/field_html.py)."""

import html
from collections.abc import Iterable

from django.conf import settings
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.formats import get_format
from django.utils.html import conditional_escape

_PLAIN = Context()


def text(value) -> str:
    """{{ value }}: escaped unless already safe; numbers, dates and lazy text as the engine
    writes them."""
    if type(value) is str:
        # What django.utils.html.escape does, without its lazy-text wrapper (the cost here).
        return html.escape(value)
    if isinstance(value, str):
        return conditional_escape(value)
    if (type(value) is int or type(value) is float) and not settings.USE_THOUSAND_SEPARATOR:
        return _number(value)
    return render_value_in_context(value, _PLAIN)


def _number(value: int | float) -> str:
    """What the engine's localize() writes for a number without thousands separators, without
    its three format lookups (a chart has a hundred numbers): an int as it is, a float with
    the language's decimal separator, unless Python writes it with an exponent."""
    if type(value) is int:
        return str(value)
    written = repr(value)
    if "e" in written:
        return render_value_in_context(value, _PLAIN)
    return written.replace(".", get_format("DECIMAL_SEPARATOR"))


def join(values: Iterable, separator: str) -> str:
    """{{ values|join:separator }}, for a separator with nothing to escape."""
    return separator.join(text(v) for v in values)
