import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")

app = Celery("talkingmoves")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
