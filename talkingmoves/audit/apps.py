from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "talkingmoves.audit"
    label = "audit"
