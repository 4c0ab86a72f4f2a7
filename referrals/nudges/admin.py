from django.contrib import admin

from referrals.nudges.models import Nudge


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
