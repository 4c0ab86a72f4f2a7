"""The directory's part in the home page, registered from ProvidersConfig.ready()."""

from providers.selectors import listing_counts
from talkingmoves.accounts.models import Role
from talkingmoves.core import hooks


def home_page(*, user):
    if user.role in (Role.PARTNERSHIP_STAFF, Role.PROVIDER_STAFF, Role.SERVICE_LEAD):
        return {"listing_counts": listing_counts(user)}
    return {}


def register():
    hooks.home_page.register(home_page)
