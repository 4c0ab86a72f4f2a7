from django.contrib import admin

from .models import Nudge, ServiceContent


@admin.register(ServiceContent)
class ServiceContentAdmin(admin.ModelAdmin):
    list_display = ["service", "updated_at"]
    list_select_related = ["service"]
    fields = ["service", "red_flag_guidance"]


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    """Read-only: nudges change through the outbox and its pages, never by hand."""

    list_display = ["template", "audience", "status", "due_at", "sent_at", "attempts", "service"]
    list_filter = ["status", "audience", "template"]
    list_select_related = ["service"]
    date_hierarchy = "due_at"
    readonly_fields = [field.name for field in Nudge._meta.fields]
    search_fields = ["=id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
