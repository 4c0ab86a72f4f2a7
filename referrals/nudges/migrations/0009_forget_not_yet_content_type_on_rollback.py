from django.db import migrations


def forget_content_type(apps, schema_editor):
    """Going back: the content types Django made for the models added since the move
    (NotYetAnswer, TextReply, MessagesConsentEvent) go with their tables, so rolling back
    past 0001 leaves no content type in this app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="nudges", model__in=["notyetanswer", "textreply", "messagesconsentevent"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("nudges", "0008_text_reply_answer_choices"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, forget_content_type)]
