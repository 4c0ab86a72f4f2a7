"""FORM_RENDERER: Django's widget templates, with the common ones built in Python.

A widget's HTML is normally a template render per input and per <option>, each with an
include of attrs.html: a select of 200 clinicians is 400 template renders. The widgets
below write the same markup as Django's own templates (django/forms/templates/django/
forms/widgets) directly; anything else still goes through its template, cached once.
"""

from html import escape as plain_escape

from django.forms.renderers import DjangoTemplates
from django.utils.html import escape
from django.utils.safestring import SafeData

from talkingmoves.core.markup import text

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

_SELECTED = {"selected": True}


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}: stringformat keeps safe text safe."""
    if type(value) is str:
        return plain_escape(value)
    if type(value) is int:
        return str(value)
    if isinstance(value, SafeData):
        return value
    return escape(f"{value}")


def attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {text(name)}" if value is True else f' {text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{text(widget["type"])}" name="{text(widget["name"])}"'
        f"{shown}{attrs_html(widget['attrs'])}>"
    )


def option_html(option: dict) -> str:
    attrs = option["attrs"]
    # A select's option has no attributes or is selected: one of 200 clinicians, say.
    shown = "" if not attrs else " selected" if attrs == _SELECTED else attrs_html(attrs)
    return f'<option value="{_formatted(option["value"])}"{shown}>{text(option["label"])}</option>'


class NHSFormRenderer(DjangoTemplates):
    """Django's DjangoTemplates renderer, with inputs, selects and textareas in Python."""

    def render(self, template_name, context, request=None):
        if template_name in INPUTS:
            return input_html(context["widget"])
        if template_name == SELECT:
            return self._select(context["widget"], request)
        if template_name == TEXTAREA:
            widget = context["widget"]
            value = text(widget["value"]) if widget["value"] else ""
            return (
                f'<textarea name="{text(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
                f"{value}</textarea>"
            )
        return super().render(template_name, context, request)

    def _select(self, widget: dict, request) -> str:
        parts = [f'<select name="{text(widget["name"])}"{attrs_html(widget["attrs"])}>']
        if "options_html" in widget:  # choices.ManyOptionsSelect
            return f"{parts[0]}{widget['options_html']}\n</select>"
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{text(group_name)}">')
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
