"""Read queries for the outcomes section of the record and the clinician pages. Every lookup
goes through the organisation scope (outcomes/scopes.py): other services get 404."""

from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from outcomes.models import Appointment, Episode, Measure, OutcomeSettings, RiskAlert, RiskFlag
from talkingmoves.accounts.scoping import get_for_user_or_404, visible_to

HOME_ALERTS_SHOWN = 50
UNDELIVERED_SHOWN_DAYS = 30


def episode_for(user, public_id) -> Episode:
    return get_for_user_or_404(
        user, Episode.objects.select_related("service_user"), public_id=public_id
    )


def measure_for(user, public_id) -> Measure:
    return get_for_user_or_404(
        user,
        Measure.objects.select_related("episode__service_user", "recorded_by"),
        public_id=public_id,
    )


def risk_flag_for(user, public_id) -> RiskFlag:
    return get_for_user_or_404(
        user, RiskFlag.objects.select_related("service_user", "measure"), public_id=public_id
    )


def risk_alert_for(user, public_id) -> RiskAlert:
    return get_for_user_or_404(
        user, RiskAlert.objects.select_related("flag__service_user"), public_id=public_id
    )


def open_risk_flag_exists() -> Exists:
    """For annotating service users (the caseload tag) in the same query."""
    return Exists(RiskFlag.objects.filter(service_user=OuterRef("pk"), reviewed_at__isnull=True))


# What the record's panels and chart read of a measure (outcomes.presenters.record_measure_row):
# no items and no recorder.
RECORD_MEASURE_COLUMNS = (
    "episode_id", "public_id", "kind", "taken_on", "total", "moderate_minutes",
    "vigorous_minutes", "source", "arrived_late", "recorded_at",
)  # fmt: skip


# What a record's panel shows of an episode (outcomes.presenters.episode_summary).
RECORD_EPISODE_COLUMNS = (
    "service_user_id", "public_id", "referral_received_on", "referral_source", "step",
    "ended_on", "ending_reason", "treatment_sessions", "first_phq9", "first_gad7", "last_phq9",
    "last_gad7", "phq9_change", "gad7_change", "finished_treatment", "caseness_at_start",
    "recovered", "reliably_improved", "reliably_recovered", "reliably_deteriorated",
)  # fmt: skip
RECORD_APPOINTMENT_COLUMNS = ("episode_id", "on", "kind", "attendance")


def episodes_for_record(service_user) -> list[Episode]:
    """Newest first, with appointments and measures loaded (three queries in all). The panels
    do not show who opened an episode or recorded a measure, so no user is joined. They stay
    on the person for the rest of the request (recorded_episodes)."""
    episodes = Episode.objects.only(*RECORD_EPISODE_COLUMNS).prefetch_related(
        Prefetch(
            "appointments",
            queryset=Appointment.objects.only(*RECORD_APPOINTMENT_COLUMNS).order_by("-on", "-pk"),
        ),
        Prefetch(
            "measures",
            queryset=Measure.objects.only(*RECORD_MEASURE_COLUMNS).order_by(
                "taken_on", "recorded_at", "pk"
            ),
        ),
    )
    prefetch_related_objects(
        [service_user],
        Prefetch("episodes", queryset=episodes.order_by("-referral_received_on", "-pk")),
    )
    return list(service_user.episodes.all())


def recorded_episodes(service_user) -> list[Episode] | None:
    """The person's episodes with their measures if episodes_for_record has read them in this
    request (the record's outcomes section, before its "Being active" section), else None."""
    cache = getattr(service_user, "_prefetched_objects_cache", {})
    return list(cache["episodes"]) if "episodes" in cache else None


def has_open_risk_flag(service_user) -> bool:
    return service_user.risk_flags.filter(reviewed_at__isnull=True).exists()


def open_risk_flags(service_user) -> list[RiskFlag]:
    """With who was alerted and who has acknowledged (for the record's banner)."""
    flags = service_user.risk_flags.filter(reviewed_at__isnull=True)
    # Most records have none: a query that selects nothing says so, before the one that
    # joins each flag's measure and reads its alerts is built.
    if not flags.exists():
        return []
    return list(
        flags.select_related("measure")
        .only(
            "public_id",
            "review_due_at",
            *(f"measure__{column}" for column in RECORD_MEASURE_COLUMNS if column != "episode_id"),
        )
        .prefetch_related(
            Prefetch(
                "alerts",
                queryset=RiskAlert.objects.select_related(
                    "recipient_user", "acknowledged_by", "nudge"
                ),
            )
        )
        .order_by("raised_at")
    )


def risk_alerts_for_home(user) -> list[RiskAlert]:
    """The user's alerts about flags still open: addressed to their account, or to the duty
    inbox when that is their address. Not yet acknowledged first."""
    mine = Q(recipient_user=user)
    if user.email:
        mine |= Q(recipient_email__iexact=user.email)
    return list(
        visible_to(user, RiskAlert)
        .filter(mine, flag__reviewed_at__isnull=True)
        .select_related("flag__service_user", "acknowledged_by")
        .order_by(F("acknowledged_at").desc(nulls_first=True), "flag__raised_at", "pk")[
            :HOME_ALERTS_SHOWN
        ]
    )


def undelivered_risk_alerts(user) -> list[RiskAlert]:
    """Alerts whose email failed or was skipped in the last 30 days, newest first, for the
    service lead's home page."""
    since = timezone.now() - timedelta(days=UNDELIVERED_SHOWN_DAYS)
    return list(
        visible_to(user, RiskAlert)
        .filter(undelivered_at__gte=since)
        .select_related("flag__service_user", "recipient_user", "nudge")
        .order_by("-undelivered_at", "-pk")[:HOME_ALERTS_SHOWN]
    )


def outcome_settings(service_id) -> OutcomeSettings:
    """The service's settings, or the defaults (unsaved) when it has none yet."""
    return OutcomeSettings.objects.filter(service_id=service_id).first() or OutcomeSettings(
        service_id=service_id
    )


def episodes_visible_to(user) -> QuerySet:
    return visible_to(user, Episode)


def on_call_figures() -> dict:
    """For /metrics (talkingmoves/core/metrics.py): the oldest risk flag nobody alerted has
    acknowledged, over the escalation job's partial index. 0 when there is none."""
    oldest = (
        RiskFlag.objects.filter(reviewed_at__isnull=True, escalate_at__isnull=False)
        .order_by("raised_at")
        .values_list("raised_at", flat=True)
        .first()
    )
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    return {
        "risk_flag_oldest_unacknowledged_seconds": (
            "Age of the oldest risk flag not yet acknowledged (0: none).",
            age,
        )
    }
