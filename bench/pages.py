"""Every main page of each role's menu (talkingmoves/core/navigation.py) in the directory,
and the public open-data feeds: one line each (bench/measure.py)."""

from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.measure import measure, not_measured, wanted
from outcomes.dashboards.partnership import kept_figures
from outcomes.dashboards.periods import covering_months, default_period
from providers.models import ActivityType, KeptFeedItem, Venue
from providers.open_data import keep_ahead
from referrals.models import ServiceUser
from talkingmoves.accounts.models import User

CLINICIAN = "bench.clinician@example.nhs.uk"
OFFICER = "bench.officer@example.org.uk"
PROVIDER = "bench.provider@example.org.uk"


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


def get(label: str, client: Client, url: str, data=None, **kwargs) -> None:
    measure(label, lambda: _ok(client.get(url, data, **kwargs)))


def run_search() -> None:
    """The clinician's search: needs only the directory and the bench clinician, so it runs
    on a directory-only seed (BENCH_SEED=directory BENCH_GROUPS=search)."""
    clinician = _client(CLINICIAN)
    search = reverse("providers:search")
    walking = ActivityType.objects.get(label="Walking").pk
    get(
        "search: postcode + 10 km + walking, free, beginners",
        clinician,
        search,
        {
            "postcode": "LS1 4AP",
            "distance_km": 10,
            "interests": [walking],
            "cost": "free",
            "suitable_for": ["beginners"],
        },
    )
    get(
        "search: postcode + 10 km + step-free (ranked)",
        clinician,
        search,
        {"postcode": "M1 1AE", "distance_km": 10, "accessibility": ["step_free"]},
    )
    get("search: the empty form", clinician, search)


def run() -> None:
    """The search pages, then the rest of the directory's pages."""
    clinician = _client(CLINICIAN)
    officer = _client(OFFICER)
    provider = _client(PROVIDER)
    home = reverse("core:home")
    listings = reverse("providers:list")

    get("clinician home", clinician, home)
    run_search()

    get("partnership home", officer, home)
    get("partnership list of 500 listings (page 1)", officer, listings)
    get("partnership list, search 'walk'", officer, listings, {"q": "walk"})
    get("partnership providers list", officer, reverse("providers:provider_list"))
    get("partnership import (upload form)", officer, reverse("providers:csv_upload"))
    get("partnership OpenActive feeds", officer, reverse("providers:feed_list"))
    area = reverse("dashboards:partnership_dashboard")
    # As an officer opens it: beat keeps the default period's gaps ready.
    if wanted("partnership dashboard, gaps kept"):
        kept_figures.refresh_default_periods()
    get("partnership dashboard, gaps kept", officer, area)
    # A period nobody has opened, once the worker has been asked for it (every open until
    # it is kept). Marked as asked here, so the bench leaves no task in the broker.
    if wanted("partnership dashboard, a period being worked out"):
        partnership_id = User.objects.get(email=OFFICER).organisation_id
        caches["dashboards"].delete(
            kept_figures._key(partnership_id, covering_months(default_period()))
        )
        caches["dashboards"].set(
            kept_figures._key(partnership_id, covering_months(default_period()), "asked"),
            timezone.now(),
        )
    get("partnership dashboard, a period being worked out", officer, area)
    # The worker's work, as the page does it when there is no broker to ask.
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        get("partnership dashboard, gaps worked out in request", officer, area)
    time_area_with_people()

    get("provider home", provider, home)
    get("provider's listings", provider, listings)

    anonymous = Client(HTTP_HOST="localhost")
    services = reverse("open_data:oruk_services")
    get("ORUK /services page 1 (50 per page)", anonymous, services)
    get("ORUK /services page 200", anonymous, services, {"page": 200})
    get("ORUK /services one service", anonymous, _one_service(anonymous, services))
    feed = reverse("open_data:openactive_session_series")
    # As a harvester finds it once the feed has been read (each unchanged item as it was
    # kept): read both pages once first, so no timed request, warm-up included, keeps any.
    last = _ok(anonymous.get(feed)).json().get("next", "")
    if last:
        _ok(anonymous.get(last))
    get("OpenActive session-series, first page", anonymous, feed)
    if last:
        get("OpenActive session-series, second page", anonymous, last)
    # The first read after a release, or of items that all changed: every item written.
    measure(
        "OpenActive session-series, first page, none kept",
        lambda: _ok(anonymous.get(feed)),
        before=lambda: KeptFeedItem.objects.all().delete(),
    )
    time_feed_written_ahead()


def time_feed_written_ahead() -> None:
    """The reports worker's run after 500 items changed (ADR 025): it writes and keeps those
    and looks over every other item to find them. Its warm-up writes every item once."""
    label = "reports worker: 500 feed items written ahead"
    if not wanted(label):
        return

    def forget_first_items():
        first = KeptFeedItem.objects.order_by("activity_id").values("activity_id")[:500]
        KeptFeedItem.objects.filter(activity_id__in=first).delete()

    # The address the bench's requests use, so the pages above find what it keeps.
    with override_settings(SITE_URL="http://localhost"):
        measure(label, keep_ahead.feed_items_keep_ahead, changes=True, before=forget_first_items)


def time_area_with_people() -> None:
    """The reports worker working out an area's figures (ADR 024) where the bench's people
    live. The bench officer's own area has no listing in their district, so the line above
    reads no one's demand; an area with a listing there reads every person of the service in
    touch in the period, which is what keeping the figures off the request is for."""
    label = "reports worker: area figures where people live"
    if not wanted(label):
        return
    district, partnership_id = peopled_partnership()
    if partnership_id is None:
        not_measured(label, f"no partnership lists an activity in {district}")
        return
    period = covering_months(default_period())
    measure(label, lambda: kept_figures.keep(partnership_id, period))


def peopled_partnership() -> tuple[str, int | None]:
    """(the district the first service user lives in, a partnership with a live listing at a
    venue there, or None)."""
    district = ServiceUser.objects.order_by("pk").values_list("postcode", flat=True)[0].split()[0]
    partnership_id = (
        Venue.objects.filter(
            postcode__startswith=f"{district} ",
            archived_at__isnull=True,
            activities__archived_at__isnull=True,
            provider__partnership__isnull=False,
        )
        .values_list("provider__partnership_id", flat=True)
        .first()
    )
    return district, partnership_id


def _one_service(anonymous: Client, services: str) -> str:
    first = _ok(anonymous.get(services)).json()["contents"][0]["id"]
    return reverse("open_data:oruk_service", args=[first])
