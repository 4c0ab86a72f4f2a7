"""Layout objects for the nhsuk crispy template pack, for example:

Layout(
    Fieldset("Your address", Field("postcode", width=10, autocomplete="postal-code"), size="m"),
    Field("contact", inline=True, hints={"email": "We will not share it"}),
    Field("dob", size="l", heading="h1"),
    Submit("Save and continue"),
)
"""

from crispy_forms import layout as crispy_layout
from crispy_forms.utils import TEMPLATE_PACK, flatatt

Div = crispy_layout.Div
HTML = crispy_layout.HTML
Layout = crispy_layout.Layout

SIZES = ("s", "m", "l", "xl")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
FIXED_WIDTHS = (2, 3, 4, 5, 10, 20, 30)
FLUID_WIDTHS = ("full", "three-quarters", "two-thirds", "one-half", "one-third", "one-quarter")
BUTTON_VARIANTS = ("secondary", "secondary-solid", "reverse", "warning", "login")


def _check(value, allowed, what):
    if value is not None and value not in allowed:
        raise ValueError(f"{what} must be one of {allowed}, not {value!r}")
    return value


def width_class(width):
    """nhsuk-input--width-10 for a number of characters, nhsuk-u-width-one-half for a fraction."""
    if width in FIXED_WIDTHS:
        return f"nhsuk-input--width-{width}"
    return f"nhsuk-u-width-{_check(width, FLUID_WIDTHS, 'width')}"


class Field(crispy_layout.Field):
    """A form field, with the NHS.UK options as keywords.

    size and heading apply to the label, or to the legend for radios, checkboxes and dates:
    ``Field("dob", size="l", heading="h1")`` makes the question the page heading.
    Other keywords become attributes of the input (``autocomplete="email"``).
    """

    def __init__(
        self,
        *fields,
        size=None,
        heading=None,
        width=None,
        inline=False,
        small=False,
        hints=None,
        css_class=None,
        **kwargs,
    ):
        if width is not None:
            css_class = " ".join(filter(None, [width_class(width), css_class]))
        super().__init__(*fields, css_class=css_class, **kwargs)
        # Prefixed names: crispy hands the whole page context to field templates.
        self.nhsuk_context = {
            "nhsuk_size": _check(size, SIZES, "size"),
            "nhsuk_heading": _check(heading, HEADINGS, "heading"),
            "nhsuk_inline": inline,
            "nhsuk_small": small,
            "nhsuk_hints": {str(value): hint for value, hint in (hints or {}).items()},
        }

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        extra_context = {**self.nhsuk_context, **(extra_context or {})}
        return super().render(form, context, template_pack, extra_context=extra_context, **kwargs)


class Fieldset(crispy_layout.Fieldset):
    """A <fieldset> grouping several fields under a legend, e.g. the lines of an address."""

    template = "%s/layout/fieldset.html"

    def __init__(self, legend, *fields, size=None, heading=None, **kwargs):
        super().__init__(legend, *fields, **kwargs)
        self.size = _check(size, SIZES, "size")
        self.heading = _check(heading, HEADINGS, "heading")


class Button(crispy_layout.BaseInput):
    """An NHS.UK button: ``<button class="nhsuk-button" data-module="nhsuk-button">``.

    ``name`` and ``value`` are only needed to tell several submit buttons apart.
    """

    template = "%s/layout/button.html"
    input_type = "button"
    is_nhsuk_button = True

    def __init__(
        self,
        text,
        *,
        name=None,
        value=None,
        variant=None,
        small=False,
        prevent_double_click=False,
        disabled=False,
        css_id=None,
        css_class=None,
        template=None,
        **kwargs,
    ):
        classes = ["nhsuk-button"]
        if _check(variant, BUTTON_VARIANTS, "variant"):
            classes.append(f"nhsuk-button--{variant}")
        if small:
            classes.append("nhsuk-button--small")
        if css_class:
            classes.append(css_class)
        if prevent_double_click:
            kwargs["data_prevent_double_click"] = "true"
        if disabled:
            kwargs.update(disabled=True, aria_disabled="true")
        self.name = name
        self.value = text
        self.button_value = value
        self.id = css_id
        self.field_classes = " ".join(classes)
        self.template = template or self.template
        self.flat_attrs = flatatt(kwargs)


class Submit(Button):
    input_type = "submit"
