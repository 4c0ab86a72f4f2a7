"""A day/month/year date field with NHS.UK error messages.

The messages follow the NHS.UK and GOV.UK date input guidance: "Enter date of birth",
"Date of birth must include a month", "Date of birth must be a real date".
"""

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

DATE_PARTS = ("day", "month", "year")
PART_WIDTHS = {"day": 2, "month": 2, "year": 4}
_NUMBER = re.compile(r"[0-9]+")


class NHSDateInput(forms.MultiWidget):
    """Three text inputs named ``<name>-day``, ``<name>-month`` and ``<name>-year``.

    ``autocomplete="bday"`` gives the parts bday-day, bday-month and bday-year.
    """

    def __init__(self, attrs=None, autocomplete=None):
        widgets = []
        for part in DATE_PARTS:
            part_attrs = {"inputmode": "numeric"}
            if autocomplete:
                part_attrs["autocomplete"] = f"{autocomplete}-{part}"
            widgets.append(forms.TextInput(attrs=part_attrs))
        super().__init__(widgets, attrs)
        self.widgets_names = [f"-{part}" for part in DATE_PARTS]

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else ""

    def get_context(self, name, value, attrs):
        # Only used outside the nhsuk pack ({{ form.dob }}); the pack renders the parts itself.
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            if id_:
                subwidget["attrs"]["id"] = f"{id_}-{part}"
            subwidget["attrs"]["class"] = date_part_classes(part)
        return context


def date_part_classes(part, error=False):
    classes = ["nhsuk-input"]
    if error:
        classes.append("nhsuk-input--error")
    classes += [f"nhsuk-input--width-{PART_WIDTHS[part]}", "nhsuk-date-input__input"]
    return " ".join(classes)


def date_error_parts(bound_field):
    """The parts (day, month, year) to highlight for a bound date field's errors, in order.

    NHSDateField records the parts on each ValidationError; any other error (a validator,
    or one added in Form.clean) is about the whole date.
    """
    parts = set()
    for error in bound_field.errors.as_data():
        params = error.params if isinstance(error.params, dict) else {}
        parts.update(params.get("parts", DATE_PARTS))
    return [part for part in DATE_PARTS if part in parts]


class NHSDateField(forms.MultiValueField):
    """A date entered as separate day, month and year, cleaned to a ``datetime.date``.

    ``error_name`` is how messages refer to the date ("Date of birth must include a
    month"); it defaults to the label, so set it when the label is a question.
    What the user typed is kept as entered, so an invalid date is shown back to them.
    """

    widget = NHSDateInput

    def __init__(self, *, error_name=None, must_be_in_past=False, **kwargs):
        self.error_name = error_name
        self.must_be_in_past = must_be_in_past
        fields = [forms.CharField(required=False) for _ in DATE_PARTS]
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        if self.disabled and not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        values = [*(value or []), None, None, None][:3]
        entered = {
            part: str(v).strip() if v is not None else ""
            for part, v in zip(DATE_PARTS, values, strict=True)
        }
        date = self.to_date(entered)
        self.run_validators(date)
        return date

    def to_date(self, entered):
        name = self.error_name or self.label or "Date"
        missing = [part for part in DATE_PARTS if not entered[part]]
        if len(missing) == len(DATE_PARTS):
            if self.required:
                raise self._error(f"Enter {_lower_first(name)}", "required", DATE_PARTS)
            return None
        if missing:
            raise self._error(
                f"{name} must include a {' and '.join(missing)}", "incomplete", missing
            )

        not_numbers = [part for part in DATE_PARTS if not _NUMBER.fullmatch(entered[part])]
        if not_numbers:
            raise self._error(f"{name} must be a real date", "invalid", not_numbers)
        if len(entered["year"]) != 4:
            raise self._error("Year must include 4 numbers", "invalid_year", ["year"])

        day, month, year = (int(entered[part]) for part in DATE_PARTS)
        wrong = []
        if not 1 <= day <= (calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 31):
            wrong.append("day")
        if not 1 <= month <= 12:
            wrong.append("month")
        if year < datetime.MINYEAR:
            wrong.append("year")
        if wrong:
            raise self._error(f"{name} must be a real date", "invalid_date", wrong)

        date = datetime.date(year, month, day)
        if self.must_be_in_past and date >= timezone.localdate():
            raise self._error(f"{name} must be in the past", "not_in_past", DATE_PARTS)
        return date

    def _error(self, message, code, parts):
        # The parts ride along as params so the template pack can highlight just those
        # inputs; "%" is doubled because Django interpolates params into the message.
        return ValidationError(
            message.replace("%", "%%"), code=code, params={"parts": tuple(parts)}
        )


def _lower_first(text):
    # "Date of birth" -> "date of birth", but "NHS number" stays as it is.
    text = str(text)
    if text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]
