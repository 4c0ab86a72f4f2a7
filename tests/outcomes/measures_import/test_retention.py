"""Imports nobody applied lose their file and records (NHS numbers, answers) after 7 days;
applied ones already have; the beat task does it."""

from datetime import timedelta

import time_machine
from django.conf import settings
from django.utils import timezone

from outcomes.measures_import import upload_services
from outcomes.models import MeasureImport
from outcomes.tasks import forget_stale_measure_imports
from tests.outcomes.measures_import.support import iaptus, row


def start(lead, rows):
    return upload_services.measure_import_start(
        service=lead.organisation, by=lead, filename="scores.csv", data=iaptus(rows)
    )


def test_unapplied_imports_are_forgotten_after_seven_days(lead, grace_episode):
    waiting = start(lead, [row(phq9=["1"] * 9)])
    checked = upload_services.measure_import_check(upload=start(lead, [row(phq9=["0"] * 9)]))
    assert waiting.text and checked.records
    assert upload_services.measure_imports_forget_stale() == 0
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert forget_stale_measure_imports() == 2
        assert upload_services.measure_imports_forget_stale() == 0  # once
    for upload in MeasureImport.objects.all():
        assert (upload.state, upload.text, upload.records) == ("failed", "", [])
        assert upload.file_error == upload_services.FORGOTTEN


def test_the_task_is_scheduled():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "outcomes.tasks.forget_stale_measure_imports" in tasks
