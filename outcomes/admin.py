from django.contrib import admin

from outcomes.models import (
    Appointment,
    Episode,
    Measure,
    MeasureRequest,
    OutcomeSettings,
    RiskAlert,
    RiskFlag,
)
from outcomes.services import OUTCOME_FIELDS


class RecordedInTheApp:
    """Clinical rows are created through the app's services (so totals, outcome columns and
    risk flags stay derived); the admin looks, and adds none by hand."""

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnly(RecordedInTheApp):
    """Looked at, never changed or deleted here: an edit would skip the services' checks, the
    outcome recompute and the risk flag (a change goes through the app's own pages, or an
    episode is reopened there), and a deletion would lose clinical history."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AppointmentInline(ReadOnly, admin.TabularInline):
    model = Appointment
    extra = 0
    fields = ("on", "kind", "attendance", "recorded_by", "recorded_at")
    readonly_fields = fields


@admin.register(Episode)
class EpisodeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("public_id", "service", "referral_received_on", "ended_on", "recovered")
    list_filter = ("service", "ending_reason", "finished_treatment", "recovered")
    date_hierarchy = "referral_received_on"
    raw_id_fields = ("service_user",)
    # Derived by services.episode_recompute through rules.assess: never edited by hand.
    readonly_fields = ("public_id", "service", "created_at", "created_by", *OUTCOME_FIELDS)
    inlines = [AppointmentInline]


@admin.register(Measure)
class MeasureAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("public_id", "kind", "taken_on", "total", "source")
    list_filter = ("kind", "source")
    raw_id_fields = ("episode",)
    readonly_fields = ("public_id", "total", "recorded_by", "recorded_at", "source")


class RiskAlertInline(ReadOnly, admin.TabularInline):
    model = RiskAlert
    extra = 0
    fields = (
        "reason",
        "recipient_user",
        "recipient_email",
        "created_at",
        "acknowledged_at",
        "acknowledged_by",
        "undelivered_at",
    )
    readonly_fields = fields


@admin.register(RiskFlag)
class RiskFlagAdmin(ReadOnly, admin.ModelAdmin):
    """Kept for ever: resolved by a review with a note, in the app, never deleted."""

    list_display = ("public_id", "raised_at", "reviewed_at", "reviewed_by", "escalations")
    list_filter = ("reviewed_at",)
    raw_id_fields = ("service_user", "measure")
    readonly_fields = (
        "public_id",
        "raised_at",
        "reviewed_at",
        "reviewed_by",
        "review_note",
        "escalate_at",
        "escalations",
        "last_escalated_at",
    )
    inlines = [RiskAlertInline]


@admin.register(OutcomeSettings)
class OutcomeSettingsAdmin(admin.ModelAdmin):
    list_display = ("service", "duty_contact_email", "escalation_working_hours")
    # Set by the service lead on the risk alert settings page, which checks them.
    readonly_fields = ("duty_contact_email", "escalation_working_hours")

    def has_delete_permission(self, request, obj=None):
        return False  # the duty contact goes with it


@admin.register(MeasureRequest)
class MeasureRequestAdmin(RecordedInTheApp, admin.ModelAdmin):
    list_display = ("public_id", "created_at", "expires_at", "completed_at")
    raw_id_fields = ("episode",)
    readonly_fields = ("public_id", "created_at", "completed_at", "requested_by")
