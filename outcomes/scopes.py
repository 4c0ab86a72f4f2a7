"""Outcomes are clinical: only clinicians and leads of the person's own service see them."""

from outcomes.models import Episode, Measure, MeasureRequest, RiskAlert, RiskFlag
from talkingmoves.accounts.roles import Role
from talkingmoves.accounts.scoping import scope_for

CLINICAL = (Role.CLINICIAN, Role.SERVICE_LEAD)


@scope_for(Episode)
def episodes_for(queryset, user):
    if user.role in CLINICAL:
        return queryset.filter(
            service_id=user.organisation_id, service_user__erased_at__isnull=True
        )
    return queryset.none()


@scope_for(Measure)
def measures_for(queryset, user):
    if user.role in CLINICAL:
        return queryset.filter(
            episode__service_id=user.organisation_id,
            episode__service_user__erased_at__isnull=True,
        )
    return queryset.none()


@scope_for(RiskFlag)
def risk_flags_for(queryset, user):
    if user.role in CLINICAL:
        return queryset.filter(
            service_user__service_id=user.organisation_id, service_user__erased_at__isnull=True
        )
    return queryset.none()


@scope_for(MeasureRequest)
def measure_requests_for(queryset, user):
    if user.role in CLINICAL:
        return queryset.filter(episode__service_id=user.organisation_id)
    return queryset.none()


@scope_for(RiskAlert)
def risk_alerts_for(queryset, user):
    if user.role in CLINICAL:
        return queryset.filter(
            service_id=user.organisation_id, flag__service_user__erased_at__isnull=True
        )
    return queryset.none()
