from django.contrib import admin

from referrals.models import ServiceContent


@admin.register(ServiceContent)
class ServiceContentAdmin(admin.ModelAdmin):
    list_display = ["service", "updated_at"]
    list_select_related = ["service"]
    fields = ["service", "red_flag_guidance"]
