"""Builders and schema checks shared by the open data tests."""

import json
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import jsonschema
from django.utils import timezone

from providers.models import (
    ActivityAccessibility,
    ActivitySuitability,
    OneOffSession,
    VenueAccessibility,
)
from tests.factories import ProviderOrganisationFactory, TalkingTherapiesServiceFactory
from tests.providers.factories import (
    ActivityFactory,
    ProviderFactory,
    VenueFactory,
    WeeklySlotFactory,
    activity_type,
)

HERE = Path(__file__).resolve().parent
HOUR = timedelta(hours=1)


def full_activity(**overrides):
    """An activity with every part the open data outputs publish filled in."""
    provider = ProviderFactory(
        name="Riverside Leisure Trust",
        description="Leisure centres and parks across Riverside.",
        organisation=ProviderOrganisationFactory(),
        website="https://riverside-leisure.example.org/",
        email="hello@riverside-leisure.example.org",
        phone="0113 496 0000",
    )
    venue = VenueFactory(
        provider=provider,
        name="Riverside Leisure Centre",
        address_line_1="1 Park Road",
        address_line_2="Holbeck",
        town="Leeds",
        postcode="LS1 4AP",
        latitude=53.7974,
        longitude=-1.5438,
        access_notes="Lift to all floors",
    )
    VenueAccessibility.objects.create(venue=venue, feature="step_free")
    VenueAccessibility.objects.create(venue=venue, feature="accessible_toilet")
    fields = {
        "venue": venue,
        "provider": provider,
        "name": "Walking for wellbeing",
        "activity_type": activity_type("Walking"),
        "description": "A gentle group walk by the river, at your own pace.",
        "is_free": False,
        "price_full": Decimal("4.50"),
        "price_concession": Decimal("2.00"),
        "capacity": 12,
    }
    activity = ActivityFactory(**(fields | overrides))
    for tag in ("beginners", "women_only", "over_50s", "mental_health_aware"):
        ActivitySuitability.objects.create(activity=activity, tag=tag)
    for feature in ("mental_health", "hearing_loop"):
        ActivityAccessibility.objects.create(activity=activity, feature=feature)
    WeeklySlotFactory(activity=activity, weekday=1, start_time=time(10), end_time=time(11))
    WeeklySlotFactory(activity=activity, weekday=3, start_time=time(10), end_time=time(11))
    WeeklySlotFactory(activity=activity, weekday=5, start_time=time(9, 30), end_time=time(11))
    starts = timezone.now().replace(microsecond=0) + timedelta(days=10)
    OneOffSession.objects.create(activity=activity, starts_at=starts, ends_at=starts + HOUR)
    OneOffSession.objects.create(
        activity=activity,
        starts_at=starts - timedelta(days=30),
        ends_at=starts - timedelta(days=30) + HOUR,
    )
    return activity


def in_house_activity(**fields):
    """A Talking Therapies service's own offer: private to that service."""
    provider = ProviderFactory(partnership=None, organisation=TalkingTherapiesServiceFactory())
    return ActivityFactory(venue=VenueFactory(provider=provider), **fields)


def oruk_validator(name: str):
    schema = json.loads((HERE / "oruk" / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_errors(validator, instance) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


def set_updated_at(activity, moment: datetime) -> None:
    """Move an activity (and its venue and provider) to `moment` in change order."""
    type(activity).objects.filter(pk=activity.pk).update(updated_at=moment)
    type(activity.provider).objects.filter(pk=activity.provider_id).update(updated_at=moment)
    if activity.venue_id:
        type(activity.venue).objects.filter(pk=activity.venue_id).update(updated_at=moment)
