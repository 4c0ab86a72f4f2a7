import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """A piece of long work done by a worker for someone: what, for whom, how far it got,
    and what came of it. The page /jobs/<id>/ shows it to the creator's organisation."""

    State = JobState
    FINISHED = (JobState.SUCCEEDED, JobState.FAILED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)  # a name in the registry (registry.py)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs"
    )
    # Who may see it: the creator's organisation (none for an administrator's own jobs).
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    # What the handler needs (an uploaded file's text lives here, so web and worker share no
    # filesystem). Directory data only: never personal or clinical data.
    payload = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "field", "message"}]
    result = models.JSONField(default=dict, blank=True)  # the handler's summary
    message = models.TextField(blank=True)  # why it failed, in words for the user
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=JobState.values), name="job_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running"])
                | models.Q(finished_at__isnull=False),
                name="job_finished_has_finished_at",
            ),
        ]
        indexes = [
            # jobs_fail_stale: the few unfinished jobs, by their last sign of life.
            models.Index(
                fields=["heartbeat_at"],
                condition=models.Q(state__in=["queued", "running"]),
                name="job_unfinished_by_heartbeat",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.id}"

    @property
    def owning_organisation_id(self):
        return self.organisation_id

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def percent(self) -> int:
        if self.state == JobState.SUCCEEDED:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
