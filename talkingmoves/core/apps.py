from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "talkingmoves.core"
    label = "core"
    default = True


class TalkingMovesAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "talkingmoves.core.admin_site.TalkingMovesAdminSite"
