"""Partnership and provider staff keep listings current: permissions, forms, history."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Activity, ListingChange, Provider, Venue
from tests.factories import ProviderOrganisationFactory
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory, activity_type


@pytest.fixture
def listing(partnership):
    """An activity in the `partnership` fixture's area."""
    venue = VenueFactory(provider=ProviderFactory(partnership=partnership, name="Parkside Walks"))
    return ActivityFactory(venue=venue, name="Health walk")


@pytest.fixture
def other_listing(db):
    return ActivityFactory(name="Someone else's walk")


# --- permissions --------------------------------------------------------------------------

MANAGE_PAGES = ["providers:list", "providers:provider_list", "providers:provider_create"]


@pytest.mark.parametrize("url_name", MANAGE_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("clinician", 403), ("lead", 200), ("partnership", 200), ("provider", 200), ("admin", 403)],
)
def test_management_pages_by_role(cast, client_for, url_name, role, expected):
    if url_name == "providers:provider_create" and role == "provider":
        expected = 403  # a provider's own listing is set up by its partnership
    assert client_for(cast[role]).get(reverse(url_name)).status_code == expected


def test_partnership_sees_only_its_own_area(client_for, partnership_staff, listing, other_listing):
    content = client_for(partnership_staff).get(reverse("providers:list")).content.decode()
    assert "Health walk" in content
    assert "Someone else" not in content
    # Each row links to its own listing (the view writes the links from one reverse()).
    detail = reverse("providers:activity_detail", args=[listing.public_id])
    assert f'<a href="{detail}">Health walk</a>' in content


def test_each_row_says_what_the_activity_is_and_where(client_for, partnership_staff, partnership):
    provider = ProviderFactory(partnership=partnership, name="Leeds Striders")
    venue = VenueFactory(provider=provider, name="Roundhay Park", postcode="LS8 2HH")
    ActivityFactory(provider=provider, venue=venue, name="Park run")
    ActivityFactory(provider=provider, online=True, name="Chair yoga at home")
    Activity.objects.update(last_verified_at=None)
    content = client_for(partnership_staff).get(reverse("providers:list")).content.decode()
    kinds = re.findall(r'<span class="nhsuk-body-s">([^<]*) · Leeds Striders</span>', content)
    assert len(kinds) == 2 and all(kinds)  # each activity's type, then its provider
    assert 'Roundhay Park<br><span class="nhsuk-body-s">LS8 2HH</span>' in content
    assert re.search(r"Where </span>\s*<div>Online</div>\s*</td>", content)
    assert content.count("Never checked") == 2


def test_provider_list_counts_each_providers_live_venues_and_activities(
    client_for, partnership_staff, listing, other_listing
):
    provider = listing.provider
    second = VenueFactory(provider=provider)
    VenueFactory(provider=provider, archived=True)
    ActivityFactory(provider=provider, venue=second)
    ActivityFactory(provider=provider, venue=second, archived=True)
    empty = ProviderFactory(partnership=partnership_staff.organisation, name="Quiet Club")
    html = client_for(partnership_staff).get(reverse("providers:provider_list")).content.decode()

    def cells(name):
        return re.findall(rf">{name}</a></td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>", html)

    assert cells("Parkside Walks") == [("2", "2")]
    assert cells(empty.name) == [("0", "0")]
    assert other_listing.provider.name not in html


def test_another_partnerships_listing_is_404_to_edit(client_for, partnership_staff, other_listing):
    client = client_for(partnership_staff)
    url = reverse("providers:activity_edit", args=[other_listing.public_id])
    assert client.get(url).status_code == 404
    verify = reverse("providers:listing_verify", args=["activity", other_listing.public_id])
    assert client.post(verify).status_code == 404


def test_provider_staff_edit_only_their_own_listing(client_for, provider_staff, listing):
    client = client_for(provider_staff)
    url = reverse("providers:activity_edit", args=[listing.public_id])
    assert client.get(url).status_code == 404
    listing.provider.organisation = provider_staff.organisation
    listing.provider.save()
    assert client.get(url).status_code == 200


def test_clinicians_read_listings_but_cannot_edit(client_for, clinician, listing):
    client = client_for(clinician)
    page = client.get(reverse("providers:activity_detail", args=[listing.public_id]))
    assert page.status_code == 200
    assert "Mark as checked" not in page.content.decode()
    edit = client.get(reverse("providers:activity_edit", args=[listing.public_id]))
    assert edit.status_code == 403


def test_other_services_in_house_offers_are_hidden(client_for, clinician, other_service):
    in_house = ActivityFactory(
        venue=VenueFactory(provider=ProviderFactory(partnership=None, organisation=other_service))
    )
    url = reverse("providers:activity_detail", args=[in_house.public_id])
    assert client_for(clinician).get(url).status_code == 404


def test_lead_manages_only_in_house_offers(client_for, lead, listing):
    client = client_for(lead)
    assert (
        client.get(reverse("providers:activity_edit", args=[listing.public_id])).status_code == 404
    )
    response = client.post(reverse("providers:provider_create"), {"name": "Active therapy"})
    assert response.status_code == 302
    provider = Provider.objects.get(name="Active therapy")
    assert provider.organisation == lead.organisation and provider.partnership is None


@pytest.mark.parametrize("action", ["listing_verify", "listing_archive", "listing_restore"])
def test_listing_actions_need_post(client_for, partnership_staff, listing, action):
    url = reverse(f"providers:{action}", args=["activity", listing.public_id])
    assert client_for(partnership_staff).get(url).status_code == 405


def test_unknown_listing_kind_is_refused(client_for, partnership_staff, listing):
    url = reverse("providers:listing_verify", args=["patient", listing.public_id])
    assert client_for(partnership_staff).post(url).status_code == 403


# --- creating and editing -----------------------------------------------------------------


def test_partnership_adds_provider_venue_and_activity(client_for, partnership_staff):
    client = client_for(partnership_staff)
    response = client.post(
        reverse("providers:provider_create"),
        {"name": "Meanwood Runners", "email": "run@example.org.uk"},
    )
    provider = Provider.objects.get(name="Meanwood Runners")
    assert response.url == reverse("providers:provider_detail", args=[provider.public_id])
    assert provider.partnership == partnership_staff.organisation

    client.post(
        reverse("providers:venue_create", args=[provider.public_id]),
        {"name": "Meanwood Park", "postcode": "ls6 4ab", "accessibility": ["step_free"]},
    )
    venue = Venue.objects.get(name="Meanwood Park")
    assert venue.postcode == "LS6 4AB"
    assert venue.latitude is not None and venue.location_is_approximate
    assert list(venue.accessibility.values_list("feature", flat=True)) == ["step_free"]

    response = client.post(
        reverse("providers:activity_create", args=[provider.public_id]),
        {
            "name": "Couch to 5k",
            "activity_type": activity_type("Running").pk,
            "delivery_mode": "in_person",
            "venue": venue.pk,
            "is_free": "on",
            "intensity": "moderate",
            "format": "group",
            "weekly_times": "Tue 18:30-19:30\nSat 9am to 10am",
            "suitable_for": ["beginners"],
        },
    )
    activity = Activity.objects.get(name="Couch to 5k")
    assert response.status_code == 302
    assert [(s.weekday, s.start_time.hour) for s in activity.weekly_slots.all()] == [
        (1, 18),
        (5, 9),
    ]
    assert activity.last_verified_by == partnership_staff
    assert ListingChange.objects.filter(
        listing_public_id=activity.public_id, action="created", actor=partnership_staff
    ).exists()


def _activity_post(activity, **changes):
    data = {
        "name": activity.name,
        "activity_type": activity.activity_type_id,
        "delivery_mode": activity.delivery_mode,
        "venue": activity.venue_id,
        "intensity": activity.intensity,
        "format": activity.format,
        "is_free": "on" if activity.is_free else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v not in ("", None)}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the activity&#x27;s name"),
        ({"is_free": "", "price_full": "-2"}, "price_full", "Price cannot be less than £0"),
        ({"is_free": "", "price_full": "lots"}, "price_full", "Full price must be a number"),
        ({"weekly_times": "Tue 11:00-10:00"}, "weekly_times", "ends before it starts"),
        ({"takes_referrals": "on"}, "referral_email", "Enter an email address or phone number"),
        ({"venue": ""}, "venue", "Select the venue, or choose online"),
    ],
)
def test_bad_activity_input_is_explained_and_nothing_changes(
    client_for, partnership_staff, listing, changes, field, message
):
    before = Activity.objects.filter(pk=listing.pk).values().get()
    url = reverse("providers:activity_edit", args=[listing.public_id])
    data = _activity_post(listing, **changes)
    response = client_for(partnership_staff).post(url, data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert f'href="#id_{field}' in content
    assert message in content
    for value in data.values():  # what was typed is still there
        if isinstance(value, str) and value and field != "activity_type":
            assert value.replace("'", "&#x27;") in content or value == "on"
    assert Activity.objects.filter(pk=listing.pk).values().get() == before


def test_invalid_venue_postcode_is_explained(client_for, partnership_staff, listing):
    url = reverse("providers:venue_edit", args=[listing.venue.public_id])
    response = client_for(partnership_staff).post(url, {"name": "X", "postcode": "LS1 4A!"})
    assert "Postcode must only include letters and numbers" in response.content.decode()
    response = client_for(partnership_staff).post(url, {"name": "X", "postcode": "12345"})
    assert "Enter a real postcode" in response.content.decode()


def test_edit_records_who_changed_what(client_for, partnership_staff, listing):
    url = reverse("providers:activity_edit", args=[listing.public_id])
    client_for(partnership_staff).post(url, _activity_post(listing, name="Health walk (Tuesdays)"))
    change = ListingChange.objects.get(listing_public_id=listing.public_id, action="updated")
    assert change.actor == partnership_staff
    assert change.changes["name"] == ["Health walk", "Health walk (Tuesdays)"]
    detail = client_for(partnership_staff).get(
        reverse("providers:activity_detail", args=[listing.public_id])
    )
    assert "Health walk (Tuesdays)" in detail.content.decode()
    assert "History" in detail.content.decode()


# --- staleness, verify, archive -------------------------------------------------------------


def test_stale_listings_come_first_and_are_flagged(client_for, partnership_staff, partnership):
    venue = VenueFactory(provider=ProviderFactory(partnership=partnership))
    ActivityFactory(venue=venue, name="A fresh listing")
    stale = ActivityFactory(venue=venue, name="Z stale listing")
    Activity.objects.filter(pk=stale.pk).update(
        last_verified_at=timezone.now() - timedelta(days=240)
    )
    content = client_for(partnership_staff).get(reverse("providers:list")).content.decode()
    assert content.index("Z stale listing") < content.index("A fresh listing")
    assert "Needs checking" in content
    assert "Last checked 7 months ago" in content or "Last checked 8 months ago" in content
    assert "1 needs checking" in content


def test_mark_as_checked_in_one_click(client_for, partnership_staff, listing):
    Activity.objects.filter(pk=listing.pk).update(last_verified_at=None)
    url = reverse("providers:listing_verify", args=["activity", listing.public_id])
    response = client_for(partnership_staff).post(url)
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.last_verified_by == partnership_staff
    assert not listing.needs_checking()


def test_archive_hides_from_clinicians_and_restore_brings_back(
    client_for, partnership_staff, clinician, listing
):
    staff = client_for(partnership_staff)
    staff.post(reverse("providers:listing_archive", args=["provider", listing.provider.public_id]))
    listing.refresh_from_db()
    assert listing.archived_at is not None  # archiving a provider archives its activities
    search = client_for(clinician).get(reverse("providers:search"), {"postcode": "LS1 4AP"})
    assert "Health walk" not in search.content.decode()

    staff.post(reverse("providers:listing_restore", args=["activity", listing.public_id]))
    listing.refresh_from_db()
    assert listing.archived_at is None


def test_restoring_a_provider_offers_what_was_archived_with_it(
    client_for, partnership_staff, listing
):
    provider, venue = listing.provider, listing.venue
    archived_alone = ActivityFactory(venue=venue, name="Old class")
    staff = client_for(partnership_staff)
    staff.post(reverse("providers:listing_archive", args=["activity", archived_alone.public_id]))
    staff.post(reverse("providers:listing_archive", args=["provider", provider.public_id]))

    page = staff.get(reverse("providers:provider_detail", args=[provider.public_id]))
    assert "Also restore the 1 venue and 1 activity archived with it" in page.content.decode()

    response = staff.post(
        reverse("providers:listing_restore", args=["provider", provider.public_id]),
        {"with_archived_together": "yes"},
        follow=True,
    )
    assert "restored, with 1 venue and 1 activity" in response.content.decode()
    for restored in (provider, venue, listing):
        restored.refresh_from_db()
        assert restored.archived_at is None
    archived_alone.refresh_from_db()
    assert archived_alone.archived_at is not None  # archived on its own before: stays so


def test_restoring_a_provider_alone_leaves_its_listings_archived(
    client_for, partnership_staff, listing
):
    staff = client_for(partnership_staff)
    staff.post(reverse("providers:listing_archive", args=["provider", listing.provider.public_id]))
    staff.post(reverse("providers:listing_restore", args=["provider", listing.provider.public_id]))
    listing.refresh_from_db()
    assert listing.provider.archived_at is None
    assert listing.archived_at is not None


def test_listing_page_query_count_is_pinned(
    client_for, partnership_staff, partnership, django_assert_max_num_queries
):
    venue = VenueFactory(provider=ProviderFactory(partnership=partnership))
    for _ in range(30):
        ActivityFactory(venue=venue)
    client = client_for(partnership_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("providers:list")).status_code == 200


def test_other_provider_organisation_cannot_see_listing(client_for, listing):
    from tests.factories import ProviderStaffFactory

    outsider = ProviderStaffFactory(organisation=ProviderOrganisationFactory())
    url = reverse("providers:activity_detail", args=[listing.public_id])
    assert client_for(outsider).get(url).status_code == 404


def test_dated_sessions_are_entered_beside_weekly_times(client_for, partnership_staff, listing):
    from datetime import timedelta

    from django.utils import timezone

    from providers.models import OneOffSession

    feed_session_start = timezone.now() + timedelta(days=3)
    OneOffSession.objects.create(
        activity=listing,
        starts_at=feed_session_start,
        ends_at=feed_session_start + timedelta(hours=1),
        external_id="https://feed.example/sessions/1",
    )
    taster = timezone.localdate() + timedelta(days=10)
    course = timezone.localdate() + timedelta(days=17)
    url = reverse("providers:activity_edit", args=[listing.public_id])
    staff = client_for(partnership_staff)
    dated = f"{taster:%d/%m/%Y} 10:00 to 11:00\n{course:%-d %B %Y} 6 to 7pm"

    response = staff.post(url, _activity_post(listing, dated_sessions=dated))

    assert response.status_code == 302
    entered = OneOffSession.objects.filter(activity=listing, external_id="")
    assert [
        (timezone.localtime(s.starts_at).date(), timezone.localtime(s.starts_at).hour)
        for s in entered
    ] == [(taster, 10), (course, 18)]
    assert OneOffSession.objects.filter(activity=listing).exclude(external_id="").count() == 1
    edit_page = staff.get(url).content.decode()
    assert f"{taster:%d/%m/%Y} 10:00 to 11:00" in edit_page


def test_a_dated_session_in_the_past_or_unreadable_is_refused_and_kept(
    client_for, partnership_staff, listing
):
    from datetime import timedelta

    from django.utils import timezone

    yesterday = timezone.localdate() - timedelta(days=1)
    url = reverse("providers:activity_edit", args=[listing.public_id])
    staff = client_for(partnership_staff)

    past = staff.post(
        url, _activity_post(listing, dated_sessions=f"{yesterday:%d/%m/%Y} 10:00-11:00")
    )
    assert past.status_code == 200
    assert f"{yesterday:%d/%m/%Y} has passed. Enter dates from today on" in past.content.decode()
    assert "nhsuk-error-summary" in past.content.decode()

    unreadable = staff.post(url, _activity_post(listing, dated_sessions="next Tuesday at 10"))
    content = unreadable.content.decode()
    assert "must be a date and times, like" in content
    assert "next Tuesday at 10</textarea>" in content


def test_listing_history_names_tags_in_plain_english(client_for, partnership_staff, listing):
    url = reverse("providers:activity_edit", args=[listing.public_id])
    staff = client_for(partnership_staff)
    staff.post(url, _activity_post(listing, suitable_for=["beginners"], accessibility=["bsl"]))
    change = ListingChange.objects.filter(listing_public_id=listing.public_id).latest("at")
    assert set(change.changes) >= {"Suitable for", "Access support"}
    page = staff.get(reverse("providers:activity_detail", args=[listing.public_id]))
    assert "suitabilitys" not in page.content.decode()
