"""{% episode_panels panels may_open %}: the record's episode cards (outcomes/record_panels.py);
{% measure_rows rows %} and {% appointment_rows rows %}: their table rows
(outcomes/record_rows.py)."""

from django import template

from outcomes.record_panels import episode_panels_html
from outcomes.record_rows import appointment_rows_html, measure_rows_html

register = template.Library()


@register.simple_tag
def measure_rows(rows):
    return measure_rows_html(rows)


@register.simple_tag
def appointment_rows(rows):
    return appointment_rows_html(rows)


@register.simple_tag(takes_context=True)
def episode_panels(context, panels, may_open):
    return episode_panels_html(panels, may_open=may_open, csrf_token=context.get("csrf_token", ""))
