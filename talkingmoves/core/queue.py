from functools import partial

from django.db import transaction


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send a Celery task only once the current transaction commits, so a worker never
    looks for a row that is not saved yet (or was rolled back)."""
    transaction.on_commit(partial(task.delay, *args, **kwargs))
