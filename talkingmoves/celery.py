import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from talkingmoves.core import request_log

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")

app = Celery("talkingmoves")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _drop_broken_database_connections(**kwargs):
    # With CELERY_DB_REUSE_MAX a connection outlives a task; do what Django does between
    # requests, so a database restart or an old connection costs one reconnect, not a task.
    from django.db import close_old_connections

    close_old_connections()


# One log line per task: name, id, state, time taken (talkingmoves/core/request_log.py).
task_prerun.connect(request_log.task_started, dispatch_uid="talkingmoves.task_log.started")
task_postrun.connect(request_log.task_finished, dispatch_uid="talkingmoves.task_log.finished")
