"""Items of our own OpenActive feed as last written (providers/open_data/kept_items.py)."""

from django.db import models

from providers.models.activities import Activity


class KeptFeedItem(models.Model):
    """One activity's feed item, as JSON text, reused while the activity's feed `modified`
    and what wrote it (the writer's code and the site's address) are the same."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    modified = models.BigIntegerField()  # RPDE's modified, openactive.modified_number
    written_with = models.CharField(max_length=300)
    json = models.TextField()

    def __str__(self):
        return f"Feed item for activity {self.activity_id}"
