from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Last time a Celery worker ran the beat-scheduled heartbeat task: one row per worker
    host name. The health page reports its age, so a dead worker or beat is noticed before
    the nudges it should have sent are missed."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.hostname} at {self.last_seen_at:%Y-%m-%d %H:%M:%S}"
