"""The local options a "getting active" message links to: live activities the person's
PAR-Q+ screening allows, the ones their clinician chose first, then the best matches nearby."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from providers import geography, presenters
from providers import search as directory
from providers.models import Activity
from referrals.models import Referral
from referrals.pathway.screening_fit import (
    SCREENING_ADVICE_FIRST,
    ScreeningFit,
    activities_screening_allows,
    screening_fit,
)
from talkingmoves.accounts.roles import Role
from talkingmoves.vocabulary.activities import DeliveryMode, Format
from talkingmoves.vocabulary.preferences import COST_LIMITS, DeliveryPreference
from talkingmoves.vocabulary.times import TIME_BANDS

OPTIONS_SHOWN = 8


def _reader_for(service_user):
    """Whose view of the directory the options come from: the person's clinician, or any
    clinician of the service (other services' in-house offers are never shown)."""
    clinician = service_user.assigned_clinician
    if clinician is not None and clinician.is_active:
        return clinician
    return get_user_model()(role=Role.CLINICIAN, organisation_id=service_user.service_id)


def criteria_for(service_user) -> directory.Criteria:
    """The directory search from the person's record: place and delivery must fit, their
    preferences rank the rest (as the clinician's "find activities" does)."""
    centre = None
    postcode = ""
    if service_user.postcode:
        try:
            postcode = geography.normalise_postcode(service_user.postcode, allow_district=True)
        except geography.PostcodeError:
            postcode = ""
        centre = geography.centroid_for(postcode) if postcode else None
    delivery = service_user.prefers_delivery
    if delivery not in DeliveryPreference.values:
        delivery = DeliveryPreference.IN_PERSON
    if centre is None:
        # Nowhere to measure from: only online options make sense.
        delivery = DeliveryPreference.ONLINE
    criteria = directory.Criteria(
        postcode=postcode,
        centre=centre,
        distance_km=service_user.max_travel_km or 5,
        delivery=delivery,
        activity_type_ids={str(value) for value in service_user.interests or []},
        days={int(day) for day in service_user.preferred_days or [] if str(day).isdigit()},
        times={t for t in service_user.preferred_times or [] if t in TIME_BANDS},
        cost=service_user.prefers_cost if service_user.prefers_cost in COST_LIMITS else "",
        format=service_user.prefers_format if service_user.prefers_format in Format.values else "",
        accessibility=list(service_user.accessibility_needs or []),
        rank_by_fit=True,
    )
    return directory.for_person(criteria, service_user, today=timezone.localdate())


def local_options(service_user, *, limit: int = OPTIONS_SHOWN) -> list[dict]:
    """Up to `limit` live activities: those the clinician has already chosen for the person
    (their open referrals and signposting) first, then the best matches nearby. Only what
    their PAR-Q+ screening allows (referrals.pathway.screening_fit.screening_fit), chosen ones
    included: a screening recorded since may rule them out."""
    reader = _reader_for(service_user)
    fit = screening_fit(service_user)
    live = activities_screening_allows(
        directory.matching_activities(reader, directory.Criteria(delivery=DeliveryPreference.ANY)),
        fit,
    )
    chosen_ids = list(
        Referral.objects.filter(service_user=service_user, status__in=Referral.OPEN_STATUSES)
        .order_by("-created_at")
        .values_list("activity_id", flat=True)
    )
    chosen = []
    if chosen_ids:
        by_id = {a.pk: a for a in directory.prefetch_for_results(live.filter(pk__in=chosen_ids))}
        chosen = [by_id[pk] for pk in dict.fromkeys(chosen_ids) if pk in by_id][:limit]
    matches = activities_screening_allows(
        directory.matching_activities(reader, criteria_for(service_user)), fit
    ).exclude(pk__in=[a.pk for a in chosen])
    found = chosen + list(directory.prefetch_for_results(matches)[: limit - len(chosen)])
    return [_option(activity, chosen=activity in chosen) for activity in found]


def options_advice(service_user) -> str:
    """What the options page says instead when the screening says to talk first."""
    return SCREENING_ADVICE_FIRST if screening_fit(service_user) == ScreeningFit.NONE else ""


def _option(activity: Activity, *, chosen: bool) -> dict:
    venue = activity.venue
    where = DeliveryMode.ONLINE.label
    if venue is not None:
        where = ", ".join(p for p in (venue.name, venue.address_line_1, venue.postcode) if p)
    return {
        "name": activity.name,
        "type": activity.activity_type.label,
        "provider": activity.provider.name,
        "where": where,
        "times": presenters.weekly_times_text(activity),
        "cost": presenters.cost_text(activity),
        "website": activity.provider.website,
        "email": activity.provider.email,
        "phone": activity.provider.phone,
        "chosen": chosen,
    }
