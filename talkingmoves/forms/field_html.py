"""One NHS.UK form field's markup, built in Python: what nhsuk/field.html renders.

The pack used to render each field through a template and five includes (the group,
legend, hint, error message and the field kind's body), each given a copy of the whole
page's context: on the search page that was most of the request. The markup here is the
same (tests/forms compare it with nhsuk-frontend's own fixtures).
"""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from talkingmoves.core.markup import text


def _id(name: str, value) -> str:
    return f' {name}="{text(value)}"' if value else ""


@dataclass
class FieldOptions:
    """How the layout asks for a field (talkingmoves.forms.layout.Field's keywords) and
    the helper's show-errors and show-labels switches."""

    size: str | None = None
    heading: str | None = None
    inline: bool = False
    small: bool = False
    hints: dict = field(default_factory=dict)
    wrapper_class: str = ""
    show_errors: object = True
    show_labels: object = True


def render_field(bound_field, options: FieldOptions) -> SafeString:
    from .templatetags.nhsuk_forms import nhsuk_field  # the tag module imports this one

    if bound_field.is_hidden:
        return SafeString(str(bound_field))
    f = nhsuk_field(bound_field, options.show_errors, options.hints)
    kind = f["kind"]
    if kind in ("radios", "checkboxes"):
        body = _choices(bound_field, f, options)
    elif kind == "date":
        body = _date(bound_field, f, options)
    elif kind == "checkbox":
        body = _checkbox(bound_field, f, options)
    else:
        body = _input(bound_field, f, options)
    return mark_safe(body)  # noqa: S308 -- every value in it is escaped above (help_text is |safe as in the templates)


def _group_classes(f, options: FieldOptions, extra: str = "") -> str:
    error = " nhsuk-form-group--error" if f["errors"] else ""
    wrapper = f" {text(options.wrapper_class)}" if options.wrapper_class else ""
    return f"nhsuk-form-group{error}{extra}{wrapper}"


def _hint(bound_field, f) -> str:
    if not bound_field.help_text:
        return ""
    return (
        f'\n  <div class="nhsuk-hint"{_id("id", f["hint_id"])}>\n'
        f"    {bound_field.help_text}\n  </div>\n"
    )


def _error_message(f) -> str:
    if not f["errors"]:
        return ""
    messages = "<br>".join(text(error) for error in f["errors"])
    return (
        f'\n  <span class="nhsuk-error-message"{_id("id", f["error_id"])}>\n'
        f'    <span class="nhsuk-u-visually-hidden">Error: </span>{messages}\n  </span>\n'
    )


def _legend(legend, options: FieldOptions) -> str:
    size = f" nhsuk-fieldset__legend--{text(options.size)}" if options.size else ""
    heading = text(options.heading) if options.heading else ""
    opening = f'<{heading} class="nhsuk-fieldset__heading">' if heading else ""
    closing = f"</{heading}>" if heading else ""
    return (
        f'<legend class="nhsuk-fieldset__legend{size}">\n'
        f"  {opening}\n  {text(legend)}\n  {closing}\n</legend>\n"
    )


def _input(bound_field, f, options: FieldOptions) -> str:
    password = f["kind"] == "password"
    heading = text(options.heading) if options.heading else ""
    size = f" nhsuk-label--{text(options.size)}" if options.size else ""
    hidden = " nhsuk-u-visually-hidden" if options.show_labels is False else ""
    if password:
        widget = (
            '\n  <div class="nhsuk-input-wrapper">\n'
            f"    {f['widget']}\n"
            '    <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small '
            'nhsuk-password-input__toggle nhsuk-js-password-input-toggle" '
            'data-module="nhsuk-button" type="button" aria-label="Show password"'
            f"{_id('aria-controls', f['id'])} hidden>\n      Show\n    </button>\n  </div>\n  "
        )
    else:
        widget = f"\n  {f['widget']}\n  "
    group = _group_classes(f, options, " nhsuk-password-input" if password else "")
    module = ' data-module="nhsuk-password-input"' if password else ""
    wrapper = f'<{heading} class="nhsuk-label-wrapper">' if heading else ""
    return (
        f'<div class="{group}"{module}>\n'
        f"  {wrapper}\n"
        f'  <label class="nhsuk-label{size}{hidden}"{_id("for", f["id"])}>\n'
        f"    {text(bound_field.label)}\n  </label>\n"
        f"  {f'</{heading}>' if heading else ''}\n"
        f"  {_hint(bound_field, f)}\n  {_error_message(f)}\n  {widget}\n</div>\n"
    )


def _checkbox(bound_field, f, options: FieldOptions) -> str:
    small = " nhsuk-checkboxes--small" if options.small else ""
    hint = ""
    if bound_field.help_text:
        hint = (
            f'\n      <div class="nhsuk-hint nhsuk-checkboxes__hint"{_id("id", f["hint_id"])}>\n'
            f"        {bound_field.help_text}\n      </div>\n      "
        )
    return (
        f'<div class="{_group_classes(f, options)}">\n'
        f"  {_error_message(f)}\n"
        f'  <div class="nhsuk-checkboxes{small}" data-module="nhsuk-checkboxes">\n'
        '    <div class="nhsuk-checkboxes__item">\n'
        f"      {f['widget']}\n"
        f'      <label class="nhsuk-label nhsuk-checkboxes__label"{_id("for", f["id"])}>\n'
        f"        {text(bound_field.label)}\n      </label>\n"
        f"      {hint}\n    </div>\n  </div>\n</div>\n"
    )


def _choices(bound_field, f, options: FieldOptions) -> str:
    kind = f["kind"]
    input_type = "radio" if kind == "radios" else "checkbox"
    disabled = " disabled" if bound_field.field.disabled else ""
    modifiers = (f" nhsuk-{kind}--small" if options.small else "") + (
        f" nhsuk-{kind}--inline" if options.inline else ""
    )
    items = []
    for item in f["items"]:
        checked = " checked" if item["checked"] else ""
        described = _id("aria-describedby", item["hint_id"])
        hint = ""
        if item["hint"]:
            hint = (
                f'\n        <div class="nhsuk-hint nhsuk-{kind}__hint"'
                f"{_id('id', item['hint_id'])}>\n          {text(item['hint'])}\n"
                "        </div>\n        "
            )
        items.append(
            f'\n      <div class="nhsuk-{kind}__item">\n'
            f'        <input class="nhsuk-{kind}__input"{_id("id", item["id"])} '
            f'name="{text(item["name"])}" type="{input_type}" value="{text(item["value"])}"'
            f"{checked}{described}{disabled}>\n"
            f'        <label class="nhsuk-label nhsuk-{kind}__label"{_id("for", item["id"])}>\n'
            f"          {text(item['label'])}\n        </label>\n"
            f"        {hint}\n      </div>\n      "
        )
    return (
        f'<div class="{_group_classes(f, options)}">\n'
        f'  <fieldset class="nhsuk-fieldset"{_id("aria-describedby", f["described_by"])}>\n'
        f"    {_legend(bound_field.label, options)}\n"
        f"    {_hint(bound_field, f)}\n    {_error_message(f)}\n"
        f'    <div class="nhsuk-{kind}{modifiers}" data-module="nhsuk-{kind}">\n'
        f"      {''.join(items)}\n    </div>\n  </fieldset>\n</div>\n"
    )


def _date(bound_field, f, options: FieldOptions) -> str:
    parts = []
    for part in f["parts"]:
        error = " nhsuk-form-group--error" if part["error"] else ""
        value = _id("value", part["value"])
        parts.append(
            '\n      <div class="nhsuk-date-input__item">\n'
            f'        <div class="nhsuk-form-group{error}">\n'
            '          <label class="nhsuk-label nhsuk-date-input__label"'
            f"{_id('for', part['id'])}>\n            {text(part['label'])}\n"
            "          </label>\n"
            f'          <input class="{text(part["classes"])}"{_id("id", part["id"])} '
            f'name="{text(part["name"])}" type="text"{value}{part["attrs"]}>\n'
            "        </div>\n      </div>\n      "
        )
    return (
        f'<div class="{_group_classes(f, options)}">\n'
        '  <fieldset class="nhsuk-fieldset" role="group"'
        f"{_id('aria-describedby', f['described_by'])}>\n"
        f"    {_legend(bound_field.label, options)}\n"
        f"    {_hint(bound_field, f)}\n    {_error_message(f)}\n"
        f'    <div class="nhsuk-date-input"{_id("id", f["id"])}>\n'
        f"      {''.join(parts)}\n    </div>\n  </fieldset>\n</div>\n"
    )
