from django.contrib import admin

from outcomes.models import Appointment, Episode, Measure, MeasureRequest, OutcomeSettings, RiskFlag
from outcomes.services import OUTCOME_FIELDS


class RecordedInTheApp:
    """Clinical rows are created through the app's services (so totals, outcome columns and
    risk flags stay derived); the admin looks, and corrects only what is safe to correct."""

    def has_add_permission(self, request, obj=None):
        return False


class AppointmentInline(RecordedInTheApp, admin.TabularInline):
    model = Appointment
    extra = 0
    fields = ("on", "kind", "attendance", "recorded_by", "recorded_at")
    readonly_fields = ("recorded_by", "recorded_at")


@admin.register(Episode)
class EpisodeAdmin(RecordedInTheApp, admin.ModelAdmin):
    list_display = ("public_id", "service", "referral_received_on", "ended_on", "recovered")
    list_filter = ("service", "ending_reason", "finished_treatment", "recovered")
    date_hierarchy = "referral_received_on"
    raw_id_fields = ("service_user",)
    # Derived by services.episode_recompute through rules.assess: never edited by hand.
    readonly_fields = ("public_id", "service", "created_at", "created_by", *OUTCOME_FIELDS)
    inlines = [AppointmentInline]


@admin.register(Measure)
class MeasureAdmin(RecordedInTheApp, admin.ModelAdmin):
    list_display = ("public_id", "kind", "taken_on", "total", "source")
    list_filter = ("kind", "source")
    raw_id_fields = ("episode",)
    readonly_fields = ("public_id", "total", "recorded_by", "recorded_at", "source")

    def has_change_permission(self, request, obj=None):
        return False  # scores are recorded through the app so totals and flags stay derived


@admin.register(RiskFlag)
class RiskFlagAdmin(RecordedInTheApp, admin.ModelAdmin):
    list_display = ("public_id", "raised_at", "reviewed_at", "reviewed_by")
    list_filter = ("reviewed_at",)
    raw_id_fields = ("service_user", "measure")
    readonly_fields = ("public_id", "raised_at", "reviewed_at", "reviewed_by", "review_note")


@admin.register(OutcomeSettings)
class OutcomeSettingsAdmin(admin.ModelAdmin):
    list_display = ("service", "duty_contact_email", "recovery_target")


@admin.register(MeasureRequest)
class MeasureRequestAdmin(RecordedInTheApp, admin.ModelAdmin):
    list_display = ("public_id", "created_at", "expires_at", "completed_at")
    raw_id_fields = ("episode",)
    readonly_fields = ("public_id", "created_at", "completed_at", "requested_by")
