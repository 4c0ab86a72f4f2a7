# REFERENCE: a frozen copy of talkingmoves/forms/templatetags/nhsuk_forms.py at 859ef1b, before the
# pack rendered layouts in Python. Never edit: tests compare today's pack with it.
"""Template tags for the nhsuk crispy template pack and for page templates.

{% load nhsuk_forms %}
<title>{% page_title_prefix %}Refer a patient - TalkingMoves</title>
{% include "nhsuk/error_summary.html" with form=form %}
"""

from django import forms, template
from django.db.models import BLANK_CHOICE_DASH
from django.forms.formsets import BaseFormSet
from django.forms.utils import flatatt

from talkingmoves.forms.fields import DATE_PARTS, NHSDateInput, date_error_parts, date_part_classes

from .field_html import FieldOptions, render_field

register = template.Library()

# Widget kind -> (classes for the input, class added when the field has an error).
WIDGET_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "password": (
        "nhsuk-input nhsuk-password-input__input nhsuk-js-password-input-input",
        "nhsuk-input--error",
    ),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "checkbox": ("nhsuk-checkboxes__input", ""),
    "other": ("", ""),
}


def field_kind(bound_field):
    widget = bound_field.field.widget
    # Most specific first: CheckboxSelectMultiple is a RadioSelect, PasswordInput an Input.
    kinds = [
        (NHSDateInput, "date"),
        (forms.CheckboxSelectMultiple, "checkboxes"),
        (forms.RadioSelect, "radios"),
        (forms.CheckboxInput, "checkbox"),
        (forms.PasswordInput, "password"),
        (forms.FileInput, "other"),
        (forms.widgets.Input, "input"),
        (forms.Textarea, "textarea"),
        (forms.Select, "select"),
    ]
    for widget_class, kind in kinds:
        if isinstance(widget, widget_class):
            return kind
    return "other"


def field_id(bound_field):
    """The id the field's input gets; a widget's own id attribute wins over the auto id."""
    return bound_field.field.widget.attrs.get("id") or bound_field.auto_id


def error_anchor(bound_field):
    """Where the error summary links to: the input itself, the first radio or checkbox
    (which has the field's id), or the first date part with an error."""
    id_ = field_id(bound_field)
    if id_ and field_kind(bound_field) == "date":
        return f"{id_}-{(date_error_parts(bound_field) or DATE_PARTS)[0]}"
    return id_


@register.simple_tag
def nhsuk_field(bound_field, show_errors=True, hints=None):
    """Everything the pack's field templates need to render one bound field."""
    kind = field_kind(bound_field)
    id_ = field_id(bound_field)
    errors = list(bound_field.errors) if show_errors is not False else []
    hint_suffix = "item-hint" if kind == "checkbox" else "hint"
    hint_id = f"{id_}-{hint_suffix}" if id_ and bound_field.help_text else ""
    error_id = f"{id_}-error" if id_ and errors else ""
    described_by = " ".join(filter(None, [hint_id, error_id]))
    context = {
        "kind": kind,
        "id": id_,
        "errors": errors,
        "hint_id": hint_id,
        "error_id": error_id,
        "described_by": described_by,
    }
    if kind in ("radios", "checkboxes"):
        context["items"] = _choice_items(bound_field, id_, hints or {})
    elif kind == "date":
        context["parts"] = _date_parts(bound_field, id_, errors)
    else:
        context["widget"] = _render_widget(bound_field, kind, described_by, bool(errors))
    return context


def _render_widget(bound_field, kind, described_by, has_errors):
    widget = bound_field.field.widget
    base, error = WIDGET_CLASSES[kind]
    first, *rest = base.split() or [""]
    classes = [first, error if has_errors else "", *rest, *widget.attrs.get("class", "").split()]
    attrs = {"class": " ".join(dict.fromkeys(filter(None, classes)))}
    described_by = " ".join(filter(None, [described_by, widget.attrs.get("aria-describedby")]))
    if described_by:
        attrs["aria-describedby"] = described_by
    if isinstance(widget, forms.EmailInput | forms.PasswordInput):
        attrs["spellcheck"] = widget.attrs.get("spellcheck", "false")
    if isinstance(widget, forms.PasswordInput):
        attrs["autocapitalize"] = widget.attrs.get("autocapitalize", "none")
    return bound_field.as_widget(attrs=attrs)


def _choice_items(bound_field, id_, hints):
    items = []
    for subwidget in bound_field.subwidgets:
        data = subwidget.data
        if data["value"] in ("", None) and (
            bound_field.field.required or data["label"] == BLANK_CHOICE_DASH[0][1]
        ):
            # A placeholder ("Choose a region", Django's "---------"). In an optional field
            # a named blank ("Any cost") is a real choice: the way to clear the others.
            continue
        # NHS.UK ids: the first input has the field's id, then <id>-2, <id>-3...
        item_id = f"{id_}-{len(items) + 1}" if id_ and items else id_
        hint = hints.get(str(data["value"]))
        items.append(
            {
                "id": item_id,
                "name": data["name"],
                "value": str(data["value"]),
                "label": data["label"],
                "checked": data["selected"] or (data["value"] == "" and not bound_field.value()),
                "hint": hint,
                "hint_id": f"{item_id}-item-hint" if hint and item_id else "",
            }
        )
    return items


def _date_parts(bound_field, id_, errors):
    widget = bound_field.field.widget
    value = bound_field.value()
    values = value if isinstance(value, list | tuple) else widget.decompress(value)
    error_parts = date_error_parts(bound_field) if errors else []
    parts = []
    for part, name_suffix, part_widget, part_value in zip(
        DATE_PARTS, widget.widgets_names, widget.widgets, values, strict=True
    ):
        extra = {k: v for k, v in part_widget.attrs.items() if k not in ("id", "class")}
        if part in error_parts:
            extra["aria-invalid"] = "true"
        if bound_field.field.disabled:
            extra["disabled"] = True
        parts.append(
            {
                "id": f"{id_}-{part}" if id_ else "",
                "name": bound_field.html_name + name_suffix,
                "value": "" if part_value is None else str(part_value),
                "label": part.capitalize(),
                "error": part in error_parts,
                "classes": date_part_classes(part, error=part in error_parts),
                "attrs": flatatt(extra),
            }
        )
    return parts


def _summary_items(form):
    if isinstance(form, BaseFormSet):
        for message in form.non_form_errors():
            yield {"message": message, "href": ""}
        for subform in form.forms:
            yield from _summary_items(subform)
        return
    for message in form.non_field_errors():
        yield {"message": message, "href": ""}
    for bound_field in form:
        anchor = "" if bound_field.is_hidden else error_anchor(bound_field)
        for message in bound_field.errors:
            yield {"message": message, "href": f"#{anchor}" if anchor else ""}


@register.simple_tag
def error_summary_items(form):
    """The error summary's entries for a form or formset: each message and its link.

    Returns them only the first time it is asked about a form, which is what stops a
    page rendering two summaries for one form.
    """
    if not hasattr(form, "errors") or getattr(form, "_nhsuk_error_summary_rendered", False):
        return []
    items = list(_summary_items(form))
    if items:
        form._nhsuk_error_summary_rendered = True
    return items


def _has_errors(form):
    if isinstance(form, BaseFormSet):
        return form.is_bound and form.total_error_count() > 0
    return bool(getattr(form, "is_bound", False) and form.errors)


@register.simple_tag(takes_context=True)
def page_title_prefix(context, *forms_):
    """Return "Error: " when a form on the page has errors, to start the <title> with.

    With no arguments it looks at the ``form`` in the context.
    """
    forms_ = forms_ or (context.get("form"),)
    return "Error: " if any(_has_errors(form) for form in forms_ if form) else ""


@register.simple_tag(takes_context=True)
def nhsuk_render_field(context):
    """nhsuk/field.html: the ``field`` in the context, with the layout's options from it."""
    return render_field(
        context["field"],
        FieldOptions(
            size=context.get("nhsuk_size"),
            heading=context.get("nhsuk_heading"),
            inline=context.get("nhsuk_inline"),
            small=context.get("nhsuk_small"),
            hints=context.get("nhsuk_hints") or {},
            wrapper_class=context.get("wrapper_class") or "",
            show_errors=context.get("form_show_errors", True),
            show_labels=context.get("form_show_labels", True),
        ),
    )
