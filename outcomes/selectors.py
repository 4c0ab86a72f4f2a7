"""Read queries for the outcomes section of the record and the clinician pages. Every lookup
goes through the organisation scope (outcomes/scopes.py): other services get 404."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from outcomes.models import Appointment, Episode, Measure, RiskFlag
from talkingmoves.accounts.scoping import get_for_user_or_404, visible_to


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


def open_risk_flag_exists() -> Exists:
    """For annotating service users (the caseload tag) in the same query."""
    return Exists(RiskFlag.objects.filter(service_user=OuterRef("pk"), reviewed_at__isnull=True))


def episodes_for_record(service_user) -> list[Episode]:
    """Newest first, with appointments and measures loaded (three queries in all)."""
    return list(
        service_user.episodes.select_related("created_by")
        .prefetch_related(
            Prefetch("appointments", queryset=Appointment.objects.order_by("-on", "-pk")),
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("recorded_by").order_by(
                    "taken_on", "recorded_at", "pk"
                ),
            ),
        )
        .order_by("-referral_received_on", "-pk")
    )


def open_risk_flags(service_user) -> list[RiskFlag]:
    return list(
        service_user.risk_flags.filter(reviewed_at__isnull=True)
        .select_related("measure")
        .order_by("raised_at")
    )


def episodes_visible_to(user) -> QuerySet:
    return visible_to(user, Episode)
