"""{% record_timeline timeline %}: the record's referral cards
(referrals/records/timeline_cards.py)."""

from django import template

from referrals.records.timeline_cards import timeline_html

register = template.Library()


@register.simple_tag
def record_timeline(timeline):
    return timeline_html(timeline)
