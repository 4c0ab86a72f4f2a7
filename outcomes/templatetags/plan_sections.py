"""{% being_active section person %}: the record's "Being active" section; {% plan_progress
rows chart %}: a plan's chart and table (outcomes/plans/record_html.py)."""

from django import template

from outcomes.plans.record_html import being_active_html, progress_html

register = template.Library()


@register.simple_tag
def being_active(section, person):
    return being_active_html(section, person)


@register.simple_tag
def plan_progress(rows, chart):
    return progress_html(rows, chart)
