from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "talkingmoves.core"
    label = "core"
    default = True

    def ready(self):
        from . import checks  # noqa: F401 - registers the deploy checks


class TalkingMovesAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "talkingmoves.core.admin_site.TalkingMovesAdminSite"
