"""What `{{ value }}` and `{{ values|join:", " }}` write in a template, for the few pieces of
markup built in Python because the template engine was most of a page's CPU (the search
cards, the caseload rows; the form fields have their own in talkingmoves/forms/field_html.py)."""

import html
from collections.abc import Iterable

from django.template import Context
from django.template.base import render_value_in_context
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
    return render_value_in_context(value, _PLAIN)


def join(values: Iterable, separator: str) -> str:
    """{{ values|join:separator }}, for a separator with nothing to escape."""
    return separator.join(text(v) for v in values)
