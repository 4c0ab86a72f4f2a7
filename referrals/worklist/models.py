"""Tasks for clinicians: something has happened that a person should act on (a provider
declined, a service user asked for a call or said "not yet").

A task names the service user, not a clinician: it belongs to whoever is assigned to them
when it is shown or emailed, so a reassignment takes open tasks with the person."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.tasks import TaskKind


class Task(models.Model):
    Kind = TaskKind

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The service user's service, copied for scoping without a join.
    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    service_user = models.ForeignKey(
        "referrals.ServiceUser", on_delete=models.CASCADE, related_name="tasks"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        db_index=False,
    )
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    # Shown to the clinician only (a service user's words, a provider's note): never in a
    # message, a log line or an email.
    detail = models.TextField(blank=True)
    # What caused it ("nudge:<id>", "referral:<id>:declined"), so a job that runs twice or a
    # repeated answer does not make a second task.
    source_key = models.CharField(max_length=100, blank=True)
    # The page the task is about when it is not the person's record (their activity plan
    # with its answers, say): a path on this site.
    link_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The caseload's open-task count and the task list: a person's open tasks.
            models.Index(
                fields=["service_user", "-created_at"],
                condition=Q(done_at__isnull=True),
                name="task_open_by_service_user",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user", "kind", "source_key"],
                condition=~Q(source_key=""),
                name="one_task_per_cause",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def owning_organisation_id(self):
        return self.service_id

    @property
    def is_open(self) -> bool:
        return self.done_at is None
