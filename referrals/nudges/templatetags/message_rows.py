"""{% message_rows rows %}: the record's messages list items (referrals/nudges/message_rows.py)."""

from django import template

from referrals.nudges.message_rows import message_rows_html

register = template.Library()


@register.simple_tag
def message_rows(rows):
    return message_rows_html(rows)
