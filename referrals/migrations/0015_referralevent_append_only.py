"""Referral history is append-only in the database (docs/adr/017-append-only-referral-history.md).

A trigger refuses every UPDATE and DELETE of a referrals_referralevent row, whatever the
application does. Two narrow changes are let through, each only inside a transaction that
has said so with a setting (referrals/pathway/history.py sets it with SET LOCAL):

- 'redact' (erasure): the note may be blanked; nothing else on the row may change;
- 'backdate' (demo data only): the time may move; nothing else on the row may change.

Deleting an event is never allowed. PostgreSQL only: the SQLite demo database has no
triggers of this kind, and is thrown away."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION referralevent_append_only() RETURNS trigger AS $$
DECLARE
  allowed text := coalesce(current_setting('talkingmoves.referral_history', true), '');
BEGIN
  IF TG_OP = 'UPDATE'
     AND (NEW.id, NEW.referral_id, NEW.from_status, NEW.to_status, NEW.actor_id,
          NEW.system_actor)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.referral_id, OLD.from_status, OLD.to_status, OLD.actor_id,
          OLD.system_actor)
  THEN
    IF allowed = 'redact' AND NEW.note = '' AND NEW.at = OLD.at THEN
      RETURN NEW;
    END IF;
    IF allowed = 'backdate' AND NEW.note = OLD.note THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'referral history is append-only: % of referrals_referralevent refused', TG_OP
    USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER referralevent_append_only
BEFORE UPDATE OR DELETE ON referrals_referralevent
FOR EACH ROW EXECUTE FUNCTION referralevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS referralevent_append_only ON referrals_referralevent;
DROP FUNCTION IF EXISTS referralevent_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0014_attendance_status_from_vocabulary")]

    operations = [migrations.RunPython(create, drop)]
