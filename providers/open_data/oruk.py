"""Our directory in the shape of Open Referral UK 3.0: an activity is a service, its provider
the organization, its venue the location. Empty fields are left out."""

from itertools import groupby

from providers.open_data.presenting import (
    compact,
    day_names,
    exact_coordinates,
    hh_mm,
    long_date,
    money,
    region_of,
    street_address,
    uk_local,
    utc_iso,
)
from providers.open_data.terms import (
    Term,
    accessibility_term,
    activity_type_term,
    age_range,
    derived_id,
    features_of,
    rows_of,
    suitable_for_term,
    tags_of,
)
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import DeliveryMode
from talkingmoves.vocabulary.times import ICAL_DAYS

API_INFO = {
    "version": "HSDS-UK-3.0",
    "profile": "https://github.com/OpenReferralUK/uk-profile",
    "openapi_url": (
        "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json"
    ),
}


def page(*, items, total_items: int, page_number: int, per_page: int) -> dict:
    total_pages = -(-total_items // per_page)
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(items),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not items,
        "contents": items,
    }


def organization(provider) -> dict:
    return {
        "id": str(provider.public_id),
        "name": provider.name,
        # Required by the profile; a provider without a description is described by its name.
        "description": provider.description or provider.name,
        "email": provider.email,
        "website": provider.website,
    }


def _one_to_one_fields(activity) -> dict:
    minimum_age, maximum_age = age_range(tags_of(activity))
    provider = activity.provider
    return {
        "id": str(activity.public_id),
        "organization_id": str(provider.public_id),
        "name": activity.name,
        "description": activity.description,
        "url": provider.website,
        "email": provider.email,
        "status": "active",
        "minimum_age": minimum_age,
        "maximum_age": maximum_age,
        "assured_date": (
            uk_local(activity.last_verified_at).date().isoformat()
            if activity.last_verified_at
            else None
        ),
        "last_modified": utc_iso(activity.updated_at, milliseconds=True),
        "organization": organization(provider),
    }


def service_summary(activity) -> dict:
    """One item of `GET /services`: the service's own fields and its organization."""
    return compact(_one_to_one_fields(activity))


def service_full(activity, *, regions: dict[str, str]) -> dict:
    """`GET /services/{id}`: the service with everything nested in it."""
    return compact(
        _one_to_one_fields(activity)
        | {
            "schedules": schedules(activity),
            "service_at_locations": service_at_locations(activity, regions),
            "cost_options": cost_options(activity),
            "attributes": attributes(activity),
        }
    )


def schedules(activity) -> list[dict]:
    common = {
        "attending_type": activity.get_delivery_mode_display(),
        "notes": "Booking needed" if activity.booking_required else "",
    }
    found = []
    # Slots at the same times on several days make one schedule: BYDAY=TU,TH.
    slots = sorted(
        rows_of(activity, "weekly_slots"), key=lambda s: (s.start_time, s.end_time, s.weekday)
    )
    for (start, end), group in groupby(slots, key=lambda s: (s.start_time, s.end_time)):
        days = [slot.weekday for slot in group]
        found.append(
            {
                "id": derived_id("schedule", activity.public_id, "weekly", start, end),
                "freq": "WEEKLY",
                "interval": 1,
                "byday": ",".join(ICAL_DAYS[day] for day in days),
                "opens_at": hh_mm(start),
                "closes_at": hh_mm(end),
                "description": (
                    f"Every {day_names(days)}, {hh_mm(start)} to {hh_mm(end)} (UK time)"
                ),
            }
            | common
        )
    for session in activity.upcoming_sessions:
        starts, ends = uk_local(session.starts_at), uk_local(session.ends_at)
        day = starts.date().isoformat()
        # A dated session is a weekly rule that is valid for that one day only.
        found.append(
            {
                "id": derived_id("schedule", activity.public_id, "session", session.pk),
                "valid_from": day,
                "valid_to": day,
                "dtstart": day,
                "freq": "WEEKLY",
                "interval": 1,
                "byday": ICAL_DAYS[starts.weekday()],
                "opens_at": f"{starts:%H:%M}",
                "closes_at": f"{ends:%H:%M}",
                "description": (
                    f"{long_date(starts.date())}, {starts:%H:%M} to {ends:%H:%M} (UK time)"
                ),
            }
            | common
        )
    return found


def service_at_locations(activity, regions: dict[str, str]) -> list[dict]:
    found = []
    if activity.venue is not None:
        found.append(
            {
                "id": derived_id(
                    "service_at_location", activity.public_id, activity.venue.public_id
                ),
                "location": location(activity.venue, regions),
            }
        )
    if activity.delivery_mode != DeliveryMode.IN_PERSON:
        found.append(
            {
                "id": derived_id("service_at_location", activity.public_id, "online"),
                "location": {
                    "id": derived_id("location", activity.public_id, "online"),
                    "location_type": "virtual",
                    "name": DeliveryMode.ONLINE.label,
                },
            }
        )
    return found


def location(venue, regions: dict[str, str]) -> dict:
    latitude, longitude = exact_coordinates(venue)
    return {
        "id": str(venue.public_id),
        "location_type": "physical",
        "name": venue.name,
        "latitude": latitude,
        "longitude": longitude,
        "addresses": [address] if (address := postal_address(venue, regions)) else [],
        "accessibility": location_accessibility(venue),
    }


def postal_address(venue, regions: dict[str, str]) -> dict | None:
    fields = {
        "address_1": street_address(venue),
        "city": venue.town,
        "state_province": region_of(venue, regions),
        "postal_code": venue.postcode,
    }
    # Every one of these is required in an address; an incomplete one is left out.
    if not all(fields.values()):
        return None
    return {
        "id": derived_id("address", venue.public_id),
        **fields,
        "country": "GB",
        "address_type": "physical",
    }


def location_accessibility(venue) -> list[dict]:
    found = [
        {
            "id": derived_id("accessibility", venue.public_id, feature),
            "description": Accessibility(feature).label,
        }
        for feature in features_of(venue)
    ]
    if venue.access_notes:
        found.append(
            {
                "id": derived_id("accessibility", venue.public_id, "notes"),
                "details": venue.access_notes,
            }
        )
    return found


def cost_options(activity) -> list[dict]:
    if activity.is_free:
        return [
            {
                "id": derived_id("cost", activity.public_id, "free"),
                "option": "Free",
                "amount": 0,
                "amount_description": "Free of charge",
            }
        ]
    prices = [
        ("full", "Full price", activity.price_full),
        ("concession", "Concession", activity.price_concession),
    ]
    return [
        {
            "id": derived_id("cost", activity.public_id, key),
            "option": option,
            "amount": money(amount),
            "amount_description": f"£{amount:.2f} a session",
        }
        for key, option, amount in prices
        if amount is not None
    ]


def attributes(activity) -> list[dict]:
    terms = [activity_type_term(activity.activity_type)]
    terms += [suitable_for_term(tag) for tag in tags_of(activity)]
    terms += [accessibility_term(feature) for feature in features_of(activity)]
    return [attribute(activity, term) for term in terms]


def attribute(activity, term: Term) -> dict:
    return {
        "id": derived_id("attribute", activity.public_id, term.id),
        "taxonomy_term_id": term.id,
        "link_type": term.link_type,
        "taxonomy_term": {
            "id": term.id,
            "name": term.name,
            # Required by the profile: a term without a definition is described by its name.
            "description": term.description or term.name,
            "taxonomy": term.taxonomy,
            "taxonomy_id": term.taxonomy_id,
            "term_uri": term.uri,
        },
    }
