"""A layout's markup, built in Python: what crispy's render_layout gives with the pack's
nhsuk/field.html and nhsuk/layout/fieldset.html.

crispy renders a template per layout object and per field, each with a flattened copy of
the page's context, and compiles each legend as a template: on the search page that was as
much as the fields themselves. A layout of this pack's Field and Fieldset and field names is
written here; any other layout (HTML, Div, another template, a legend with template syntax)
goes to crispy as before, so its markup is whatever crispy gives.
"""

from crispy_forms import layout as crispy_layout
from crispy_forms.utils import render_field as crispy_render_field
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from . import layout as nhsuk_layout
from .field_html import FieldOptions, render_field

PACK = "nhsuk"


def can_render(helper, template_pack) -> bool:
    """Whether render_layout below gives this helper's layout: only objects it knows."""
    layout = helper.layout
    return (
        template_pack == PACK
        and helper.field_template is None
        and type(layout) is crispy_layout.Layout
        and all(_known(item) for item in layout.fields)
    )


def _known(item) -> bool:
    if isinstance(item, str):
        return True
    if type(item) is nhsuk_layout.Field:
        return item.template == nhsuk_layout.Field.template and all(
            isinstance(name, str) for name in item.fields
        )
    if type(item) is nhsuk_layout.Fieldset:
        return (
            item.template == nhsuk_layout.Fieldset.template
            and "{" not in str(item.legend or "")  # crispy renders a legend as a template
            and all(_known(child) for child in item.fields)
        )
    return False


def render_layout(helper, form, context) -> SafeString:
    """FormHelper.render_layout for a layout can_render() accepts."""
    form.rendered_fields = set()
    form.crispy_field_template = helper.field_template
    html = "".join(_render(item, form, context) for item in helper.layout.fields)
    if (
        helper.render_unmentioned_fields
        or helper.render_hidden_fields
        or helper.render_required_fields
    ):
        left = [name for name in form.fields if name not in form.rendered_fields]
        for name in left:
            widget = form.fields[name].widget
            if (
                helper.render_unmentioned_fields
                or (helper.render_hidden_fields and widget.is_hidden)
                or (helper.render_required_fields and widget.is_required)
            ):
                html += _field(name, form, context)
    return SafeString(html)


def _render(item, form, context) -> str:
    if isinstance(item, str):
        return _field(item, form, context)
    if type(item) is nhsuk_layout.Field:
        return "".join(_field(name, form, context, item) for name in item.fields)
    return _fieldset(item, form, context)


def _field(name, form, context, layout_field=None) -> str:
    """nhsuk/field.html for one field, as crispy's render_field would give it."""
    if name not in form.fields or name in form.rendered_fields:
        # crispy's own complaint (or its warning and markup, if told to fail silently).
        kwargs = {}
        if layout_field is not None:
            extra = {**layout_field.nhsuk_context}
            if layout_field.wrapper_class:
                extra["wrapper_class"] = layout_field.wrapper_class
            kwargs = {"template": "nhsuk/field.html", "attrs": layout_field.attrs}
            kwargs["extra_context"] = extra
        return crispy_render_field(name, form, context, template_pack=PACK, **kwargs)
    form.rendered_fields.add(name)
    bound_field = form[name]
    if layout_field is None:
        options = {key: context.get(f"nhsuk_{key}") for key in ("size", "heading", "inline")}
        options.update(small=context.get("nhsuk_small"), hints=context.get("nhsuk_hints") or {})
        wrapper_class = context.get("wrapper_class")
    else:
        widget = bound_field.field.widget
        for each in getattr(widget, "widgets", [widget]):
            each.attrs.update(layout_field.attrs)  # as crispy does: the layout's attributes
        nhsuk = layout_field.nhsuk_context
        options = {
            "size": nhsuk["nhsuk_size"],
            "heading": nhsuk["nhsuk_heading"],
            "inline": nhsuk["nhsuk_inline"],
            "small": nhsuk["nhsuk_small"],
            "hints": nhsuk["nhsuk_hints"] or {},
        }
        wrapper_class = layout_field.wrapper_class or context.get("wrapper_class")
    html = render_field(
        bound_field,
        FieldOptions(
            **options,
            wrapper_class=wrapper_class or "",
            show_errors=context.get("form_show_errors", True),
            show_labels=context.get("form_show_labels", True),
        ),
    )
    return f"{html}\n"  # the template's last newline


def _fieldset(fieldset, form, context) -> str:
    fields = "".join(_render(item, form, context) for item in fieldset.fields)
    css_class = f" {conditional_escape(fieldset.css_class)}" if fieldset.css_class else ""
    css_id = f' id="{conditional_escape(fieldset.css_id)}"' if fieldset.css_id else ""
    legend = str(fieldset.legend) if fieldset.legend else ""
    if legend:
        size = (
            f" nhsuk-fieldset__legend--{conditional_escape(fieldset.size)}" if fieldset.size else ""
        )
        heading = conditional_escape(fieldset.heading) if fieldset.heading else ""
        opening = f'<{heading} class="nhsuk-fieldset__heading">' if heading else ""
        closing = f"</{heading}>" if heading else ""
        legend = (
            f'<legend class="nhsuk-fieldset__legend{size}">\n'
            f"  {opening}\n  {legend}\n  {closing}\n</legend>\n"
        )
    return (
        f'<fieldset class="nhsuk-fieldset{css_class}"{css_id}{fieldset.flat_attrs}>\n'
        f"  {legend}\n  {fields}\n</fieldset>\n"
    )
