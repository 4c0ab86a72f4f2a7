from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    # The database caches (settings.CACHES: rate limits, dashboard figures) are tables;
    # create them with the schema so no extra set-up step is needed. Existing ones are kept.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
