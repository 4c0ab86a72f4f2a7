"""The message facts' day count (ADR 018) reads its index and no message.

Each message that is sent, or whose delivery Notify reports, recounts its day for the
service. The count found that day's messages by `nudge_fact_service_sent` and then read
each one's heap page for its status and id: at the bench's scale 10, 3,248 uncached pages
and 416 ms for a day of 3,710 messages. The index now carries both, so the count reads index
pages only: 32 pages for the messages, and about 20 ms for the day (docs/performance.md,
stop 33). PostgreSQL only, as the facts are."""

from django.db import migrations

FORWARD = """
DROP INDEX IF EXISTS nudge_fact_service_sent;
CREATE INDEX nudge_fact_service_sent ON nudges_nudge (service_id, sent_at)
  INCLUDE (status, id) WHERE audience = 'service_user';
"""

# Migration 0011's index, as it was.
BACKWARD = """
DROP INDEX IF EXISTS nudge_fact_service_sent;
CREATE INDEX nudge_fact_service_sent ON nudges_nudge (service_id, sent_at)
  WHERE audience = 'service_user';
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("outcomes", "0019_referral_day_counts_read_indexes_only"),
    ]

    operations = [migrations.RunPython(forward, backward)]
