"""Venues: where activities happen, and what access they offer."""

from django.db import models
from django.db.models import Q

from providers.models.listings import Listing
from providers.models.organisations import Provider
from talkingmoves.vocabulary.access_needs import Accessibility


class Venue(Listing):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)  # normalised, e.g. "SW1A 1AA"
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # True when the coordinates are the postcode district's centre, not the venue's own.
    location_is_approximate = models.BooleanField(default=False)
    access_notes = models.TextField(blank=True)
    feed = models.ForeignKey(
        "OpenActiveFeed", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="venue_coordinates_valid",
            ),
            models.UniqueConstraint(
                fields=["feed", "external_id"],
                condition=Q(feed__isnull=False),
                name="venue_unique_feed_item",
            ),
        ]
        indexes = [
            # Distance search: bounding-box prefilter before the exact distance.
            models.Index(fields=["latitude", "longitude"], name="venue_lat_lon"),
        ]

    def __str__(self):
        return self.name

    @property
    def owning_organisation_id(self):
        return self.provider.partnership_id

    @property
    def address(self) -> str:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(part for part in parts if part)


class VenueAccessibility(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="accessibility")
    feature = models.CharField(max_length=32, choices=Accessibility.choices)

    class Meta:
        verbose_name = verbose_name_plural = "access"
        constraints = [
            models.UniqueConstraint(fields=["venue", "feature"], name="venue_feature_unique")
        ]
        indexes = [models.Index(fields=["feature", "venue"], name="venue_feature_lookup")]

    def __str__(self):
        return self.get_feature_display()
