"""The pages the directory issue sets speed targets for."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from providers.models import ActivityType
from talkingmoves.accounts.models import User


def _client(email: str) -> Client:
    user = User.objects.get(email=email)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    if user.needs_two_factor:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def run(timed) -> None:
    clinician = _client("bench.clinician@example.nhs.uk")
    officer = _client("bench.officer@example.org.uk")
    walking = ActivityType.objects.get(label="Walking").pk
    search = {
        "postcode": "LS1 4AP",
        "distance_km": 10,
        "interests": [walking],
        "cost": "free",
        "suitable_for": ["beginners"],
    }
    timed(
        "search: postcode + 10 km + walking, free, beginners",
        lambda: _ok(clinician.get("/directory/search/", search)),
    )
    timed(
        "search: postcode + 10 km + step-free (ranked), no type",
        lambda: _ok(
            clinician.get(
                "/directory/search/",
                {"postcode": "M1 1AE", "distance_km": 10, "accessibility": ["step_free"]},
            )
        ),
    )
    timed(
        "partnership list of 500 listings (page 1, stale first)",
        lambda: _ok(officer.get("/directory/")),
    )
    timed(
        "partnership list of 500 listings, search 'walk'",
        lambda: _ok(officer.get("/directory/", {"q": "walk"})),
    )
    try:
        from django.urls import reverse

        url = reverse("open_data:oruk_services")
    except Exception:  # the open-data API may not be installed in an older checkout
        return
    anonymous = Client(HTTP_HOST="localhost")
    timed("ORUK /services page 1 (50 per page)", lambda: _ok(anonymous.get(url)))
    timed("ORUK /services page 200", lambda: _ok(anonymous.get(url, {"page": 200})))
