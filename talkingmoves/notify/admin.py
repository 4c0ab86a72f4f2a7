from django.contrib import admin

from .models import StoredMessage


@admin.register(StoredMessage)
class StoredMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "recipient", "template", "reference")
    list_filter = ("channel", "template")
    search_fields = ("recipient", "reference")
    readonly_fields = [f.name for f in StoredMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
