"""{% search_result_cards rows %}: the search results' cards (providers/search_cards.py)."""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import conditional_escape

from providers import search_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def search_result_cards(context, rows):
    request = context["request"]
    return search_cards.cards(
        rows,
        for_person=context.get("for_person") or None,
        shortlist=context.get("shortlist") or [],
        # {% csrf_token %} and {{ request.get_full_path }}, once for the page.
        csrf_input=CsrfTokenNode().render(context),
        next_path=conditional_escape(request.get_full_path()),
    )
