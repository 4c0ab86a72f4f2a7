"""Reference tables shipped with the app: postcode districts and the OpenActive Activity List."""

from django.db import models


class Outcode(models.Model):
    """A postcode district's centroid, for distance without an online lookup."""

    outcode = models.CharField(max_length=4, primary_key=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    town = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return self.outcode


class ActivityType(models.Model):
    """A concept from the OpenActive Activity List (loaded by a data migration)."""

    identifier = models.CharField(max_length=36, primary_key=True)  # the list's UUID
    label = models.CharField(max_length=100, db_index=True)
    notation = models.CharField(max_length=100, blank=True)
    alt_labels = models.JSONField(default=list, blank=True)
    definition = models.TextField(blank=True)
    broader = models.ManyToManyField("self", symmetrical=False, related_name="narrower", blank=True)

    class Meta:
        ordering = ["label"]

    def __str__(self):
        return self.label

    @property
    def uri(self) -> str:
        return f"https://openactive.io/activity-list#{self.identifier}"
