"""{% measure_rows rows %} and {% appointment_rows rows %}: the record's outcomes table rows
(outcomes/record_rows.py)."""

from django import template

from outcomes.record_rows import appointment_rows_html, measure_rows_html

register = template.Library()


@register.simple_tag
def measure_rows(rows):
    return measure_rows_html(rows)


@register.simple_tag
def appointment_rows(rows):
    return appointment_rows_html(rows)
