"""How a running handler reports how far it has got.

The handler's own work is inside one transaction that nobody else can see until it commits,
so progress goes through a second, autocommitting database connection: the job page (and
the stale-job sweep, through the heartbeat) sees it at once.
"""

import time
from dataclasses import dataclass, field

from django.db import connection, connections
from django.utils import timezone

from .models import Job

# Write progress at most this often: a 5,000-row file must not cost 5,000 updates.
WRITE_EVERY_SECONDS = 1.0

_UPDATE = "UPDATE jobs_job SET done = %s, total = %s, heartbeat_at = %s WHERE id = %s"


@dataclass
class Progress:
    job_id: object
    done: int = 0
    total: int = 0
    errors: list[dict] = field(default_factory=list)
    _written_at: float = 0.0
    _side: object = None

    def set_total(self, total: int) -> None:
        self.total = max(0, int(total))
        self._write(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._write(force=self.total and self.done >= self.total)

    def set_done(self, done: int) -> None:
        self.done = done
        self._write()

    def error(self, *, row: int | None, field: str = "", message: str) -> None:
        """A row that could not be used: listed on the job page and in its errors CSV."""
        self.errors.append({"row": row, "field": field, "message": message})

    def beat(self) -> None:
        """Still alive, no further on (a handler waiting on something slow)."""
        self._write(force=True)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None

    def _write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written_at < WRITE_EVERY_SECONDS:
            return
        self._written_at = now
        values = [self.done, self.total, timezone.now(), self.job_id]
        if self._side is None:
            self._side = connections.create_connection(connection.alias)
        with self._side.cursor() as cursor:
            cursor.execute(_UPDATE, values)
            if cursor.rowcount:
                return
        # The row is not visible outside this transaction (a test's transaction): write it
        # where it is.
        Job.objects.filter(pk=self.job_id).update(
            done=self.done, total=self.total, heartbeat_at=values[2]
        )
