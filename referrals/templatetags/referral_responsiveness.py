"""{% provider_responsiveness activity.provider as replies %}: for pages outside referrals
(the directory's activity page) that show a listing to clinicians."""

from django import template

from referrals.pathway import responsiveness
from talkingmoves.accounts.permissions import Action, can

register = template.Library()


@register.simple_tag(takes_context=True)
def provider_responsiveness(context, provider):
    request = context.get("request")
    if request is None or provider is None or not can(request.user, Action.MANAGE_REFERRALS):
        return None
    return responsiveness.for_provider(provider.pk)
