from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "talkingmoves.notify"
    label = "notify"
