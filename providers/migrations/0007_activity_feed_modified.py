"""Each activity's OpenActive `modified` moment, kept by triggers, with the index the RPDE
feed pages by. Before this the feed sorted every shareable activity by the latest of three
`updated_at`s on each request: a page's cost grew with the whole directory."""

from django.db import migrations, models

# The record embeds the venue and the provider, so it changed when any of the three did
# (a venue or provider archived archives its activities without saving them).
TRIGGERS = """
CREATE FUNCTION providers_activity_feed_modified() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.feed_modified_at := GREATEST(
        NEW.updated_at,
        COALESCE((SELECT updated_at FROM providers_venue WHERE id = NEW.venue_id), NEW.updated_at),
        (SELECT updated_at FROM providers_provider WHERE id = NEW.provider_id)
    );
    RETURN NEW;
END $$;

CREATE TRIGGER activity_feed_modified
BEFORE INSERT OR UPDATE ON providers_activity
FOR EACH ROW EXECUTE FUNCTION providers_activity_feed_modified();

-- A venue's or provider's new updated_at: its activities' rows are touched, and the
-- trigger above works their moment out again.
CREATE FUNCTION providers_listing_feed_modified() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'providers_venue' THEN
        UPDATE providers_activity SET feed_modified_at = NULL WHERE venue_id = NEW.id;
    ELSE
        UPDATE providers_activity SET feed_modified_at = NULL WHERE provider_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER venue_feed_modified
AFTER UPDATE OF updated_at ON providers_venue
FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM OLD.updated_at)
EXECUTE FUNCTION providers_listing_feed_modified();

CREATE TRIGGER provider_feed_modified
AFTER UPDATE OF updated_at ON providers_provider
FOR EACH ROW WHEN (NEW.updated_at IS DISTINCT FROM OLD.updated_at)
EXECUTE FUNCTION providers_listing_feed_modified();

UPDATE providers_activity SET feed_modified_at = NULL;
"""

DROP_TRIGGERS = """
DROP TRIGGER provider_feed_modified ON providers_provider;
DROP TRIGGER venue_feed_modified ON providers_venue;
DROP FUNCTION providers_listing_feed_modified();
DROP TRIGGER activity_feed_modified ON providers_activity;
DROP FUNCTION providers_activity_feed_modified();
"""


def create(apps, schema_editor):
    # The embedded SQLite of `make run` has no triggers: feed_page orders by the expression.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS)


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0006_activity_oruk_by_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="feed_modified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["feed_modified_at", "public_id"], name="activity_feed_by_modified"
            ),
        ),
    ]
