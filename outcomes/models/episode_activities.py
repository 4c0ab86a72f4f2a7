"""Each ended episode's activities with a session on the provider's register during it (ADR
018): what "recovery by provider" and "by activity type" count, stored per episode so the
dashboard reads a period's pairs from one index instead of joining every episode to its
person's referrals and their attendance. services.episode_activities keeps them with the
episode's other derived columns; the nightly reconcile puts right whatever bypassed it."""

from django.db import models

from outcomes.models.episodes import Episode
from providers.models import Activity
from talkingmoves.accounts.models import Organisation


class EpisodeActivity(models.Model):
    """One (episode, activity) pair: the episode ended on `ended_on`, and its person attended
    a session of `activity` on the provider's register between the episode's start and end.
    `service`, `ended_on` and `recovered` are the episode's, copied for the period's read."""

    # The unique pair below indexes the episode (its rows are replaced by episode).
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+", db_index=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ended_on = models.DateField()
    recovered = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "activity"], name="episode_activity_one_per_pair"
            ),
        ]
        indexes = [
            # Dashboards: recovery by provider and by activity type for a period.
            models.Index(
                fields=["service", "ended_on"],
                include=["episode", "activity", "recovered"],
                name="episode_activity_service_ended",
            ),
        ]

    def __str__(self):
        return f"Episode activity ended {self.ended_on:%Y-%m-%d}"
