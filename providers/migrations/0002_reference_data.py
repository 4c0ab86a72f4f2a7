from django.db import migrations


def load(apps, schema_editor):
    from providers.reference_data import load_activity_types, load_outcodes

    load_outcodes(apps.get_model("providers", "Outcode"))
    load_activity_types(apps.get_model("providers", "ActivityType"))


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_directory")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
