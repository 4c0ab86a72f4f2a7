"""Measures imports from a service's clinical record: an uploaded file between its check
and its apply (outcomes/measures_import). The records hold NHS numbers and answers, so they
are cleared once the import is applied; only the counts and row errors stay."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from talkingmoves.accounts.models import Organisation


class MeasureImport(models.Model):
    class State(models.TextChoices):
        NEEDS_MAPPING = "needs_mapping", "Columns to choose"
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="measure_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255, blank=True)
    layout = models.CharField(max_length=20, blank=True)  # iaptus, pcmis, mapped, fhir
    state = models.CharField(max_length=20, choices=State.choices, default=State.CHECKING)
    # The file as uploaded, until the worker has read it; its column names, and the mapping
    # the user chose for a CSV in another layout.
    text = models.TextField(blank=True)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    file_error = models.TextField(blank=True)  # why the worker could not read the file
    records = models.JSONField(default=list, blank=True)  # MeasureRecord.to_json(), until applied
    read_errors = models.JSONField(default=list, blank=True)  # RowError.to_json()
    report = models.JSONField(default=dict, blank=True)  # the check: counts and row errors
    result = models.JSONField(default=dict, blank=True)  # the apply: counts and row errors
    apply_valid_rows = models.BooleanField(default=False)
    # The jobs (talkingmoves/jobs) that check and apply it: their pages show the progress.
    check_job_id = models.UUIDField(null=True, blank=True)
    apply_job_id = models.UUIDField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="applied") | Q(records=[], text=""),
                name="measureimport_applied_keeps_no_records",
            )
        ]

    def __str__(self):
        return f"Measures import {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def owning_organisation_id(self):
        return self.service_id
