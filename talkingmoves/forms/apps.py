from django.apps import AppConfig


class NHSFormsConfig(AppConfig):
    name = "talkingmoves.forms"
    label = "nhsuk_forms"
    verbose_name = "NHS.UK forms"
