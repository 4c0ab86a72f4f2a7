# REFERENCE: a frozen copy of talkingmoves/forms/renderer.py at 859ef1b, before the
# pack rendered layouts in Python. Never edit: tests compare today's pack with it.
"""FORM_RENDERER: Django's widget templates, with the common ones built in Python.

A widget's HTML is normally a template render per input and per <option>, each with an
include of attrs.html: a select of 200 clinicians is 400 template renders. The widgets
below write the same markup as Django's own templates (django/forms/templates/django/
forms/widgets) directly; anything else still goes through its template, cached once.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
# Templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "number",
        "password",
        "hidden",
        "search",
        "url",
        "tel",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
}
SELECT = f"{WIDGETS}select.html"
SELECT_OPTION = f"{WIDGETS}select_option.html"
TEXTAREA = f"{WIDGETS}textarea.html"

_PLAIN = Context()  # what {{ value }} renders with: autoescape and localisation on


def _text(value) -> str:
    """{{ value }}."""
    if isinstance(value, str):
        return conditional_escape(value)
    return render_value_in_context(value, _PLAIN)


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}: stringformat keeps safe text safe."""
    if isinstance(value, SafeData):
        return value
    return escape(f"{value}")


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{shown}{attrs_html(widget['attrs'])}>"
    )


def option_html(option: dict) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{attrs_html(option["attrs"])}>'
        f"{_text(option['label'])}</option>"
    )


class NHSFormRenderer(DjangoTemplates):
    """Django's DjangoTemplates renderer, with inputs, selects and textareas in Python."""

    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            return input_html(context["widget"])
        if template_name == SELECT:
            return self._select(context["widget"], request)
        if template_name == TEXTAREA:
            widget = context["widget"]
            value = _text(widget["value"]) if widget["value"] else ""
            return (
                f'<textarea name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
                f"{value}</textarea>"
            )
        return super().render(template_name, context, request)

    def _select(self, widget: dict, request) -> str:
        parts = [f'<select name="{_text(widget["name"])}"{attrs_html(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in group_choices:
                # An included template keeps its file's last newline.
                if option["template_name"] == SELECT_OPTION:
                    parts.append(f"\n  {option_html(option)}\n")
                else:
                    template = self.get_template(option["template_name"])
                    parts.append(f"\n  {template.render({'widget': option}, request)}")
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)
