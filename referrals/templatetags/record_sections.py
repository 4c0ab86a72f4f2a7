"""{% consent_rows %}, {% screening_cards %} and {% detail_rows %}: parts of the record written
in Python (referrals/records/record_html.py)."""

from django import template

from referrals.records.record_html import (
    consent_rows_html,
    detail_rows_html,
    screening_cards_html,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def consent_rows(context, rows, person):
    return consent_rows_html(rows, person.public_id, context.get("csrf_token"))


@register.simple_tag
def screening_cards(screenings, person):
    return screening_cards_html(screenings, person.public_id)


@register.simple_tag
def detail_rows(details):
    return detail_rows_html(details)
