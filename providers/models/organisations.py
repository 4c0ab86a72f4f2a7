"""Providers: the organisations that run activities."""

from django.db import models
from django.db.models import Q

from providers.models.listings import Listing
from talkingmoves.accounts.models import Organisation


class Provider(Listing):
    """An organisation that runs activities: a leisure centre, club, charity, council scheme,
    or a Talking Therapies service's own in-house offer."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # The Active Partnership whose area the provider is in (staff there keep it current).
    partnership = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_providers",
        limit_choices_to={"kind": Organisation.Kind.ACTIVE_PARTNERSHIP},
    )
    # The organisation whose staff manage the listing and answer referrals in TalkingMoves:
    # a provider organisation, or a Talking Therapies service for its in-house offers.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider_listings",
    )
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # Specialist or supervised activity (cardiac rehab, exercise on referral): the screening
    # outcome "specialist or supervised activity only" may still refer here.
    is_specialist = models.BooleanField(default=False)
    feed = models.ForeignKey(
        "OpenActiveFeed", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=False) | Q(organisation__isnull=False),
                name="provider_has_partnership_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["feed", "external_id"],
                condition=Q(feed__isnull=False),
                name="provider_unique_feed_item",
            ),
        ]
        indexes = [
            # Partnership listing page: live providers of one partnership.
            models.Index(
                fields=["partnership", "name"],
                condition=Q(archived_at__isnull=True),
                name="provider_live_by_partnership",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_in_house(self) -> bool:
        return (
            self.organisation is not None
            and self.organisation.kind == Organisation.Kind.TALKING_THERAPIES
        )
