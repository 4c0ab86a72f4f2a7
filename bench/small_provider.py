"""A provider organisation with one provider, beside the seed's Bench Leisure Trust (a
tenth of all referrals): most organisations that take referrals are this small, and a page
that walks every referral to find theirs is slow only for them. Made on first use, from a
provider the seed left without an organisation, so no reseed is needed."""

from django.db import transaction

from providers.models import Activity, Provider
from talkingmoves.accounts.models import Organisation, Role, User

CLUB_EMAIL = "bench.club@example.org.uk"
CLUB_ORGANISATION = "Bench Sports Club"


def ensure() -> str:
    """The club's staff user's email; the club is made if it is not there yet."""
    if User.objects.filter(email=CLUB_EMAIL).exists():
        return CLUB_EMAIL
    first = (
        Activity.objects.filter(takes_referrals=True, provider__organisation__isnull=True)
        .order_by("pk")
        .values_list("provider_id", flat=True)
        .first()
    )
    with transaction.atomic():
        club = Organisation.objects.create(name=CLUB_ORGANISATION, kind="provider")
        Provider.objects.filter(pk=first).update(organisation=club)
        User.objects.create_user(
            CLUB_EMAIL,
            "x" * 20,
            full_name="Bench Club",
            role=Role.PROVIDER_STAFF,
            organisation=club,
        )
    return CLUB_EMAIL
