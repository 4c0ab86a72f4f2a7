"""A shortlist kept on the record: added from a search, noted, printed in clinic and sent to
the service user as a link to a page with the activities and nothing else."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.data_rights import services as data_rights
from referrals.nudges.delivery import message_context
from referrals.nudges.models import Nudge
from referrals.shortlists.models import ShortlistItem
from tests.providers.factories import ActivityFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")


def add_url(person, activity):
    return reverse("referrals:shortlist_add", args=[person.public_id, activity.public_id])


@pytest.fixture
def walk(db):
    return ActivityFactory(name="Park walk", is_free=True)


def test_a_clinician_adds_from_the_search_and_sees_it_on_the_record(
    client_for, clinician, person, walk
):
    client = client_for(clinician)
    search = client.get("/directory/search/", {"postcode": "LS1 4AP", "for": person.public_id})
    assert add_url(person, walk) in search.content.decode()

    response = client.post(add_url(person, walk), {"next": "/directory/search/?postcode=LS1"})
    assert response.url == "/directory/search/?postcode=LS1"
    again = client.post(add_url(person, walk), follow=True)
    assert "Park walk is already on the shortlist" in again.content.decode()
    assert ShortlistItem.objects.filter(service_user=person).count() == 1

    record = client.get(reverse("referrals:record", args=[person.public_id])).content.decode()
    assert 'id="shortlist"' in record and "Park walk" in record
    assert reverse("nudges:shortlist_send", args=[person.public_id]) in record


def test_notes_are_saved_or_refused_when_too_long_and_items_removed(
    client_for, clinician, person, walk
):
    client = client_for(clinician)
    client.post(add_url(person, walk))
    item = ShortlistItem.objects.get(service_user=person)
    note_url = reverse("referrals:shortlist_note", args=[person.public_id, item.pk])

    client.post(note_url, {"note": "  Go with your sister  "})
    item.refresh_from_db()
    assert item.note == "Go with your sister"
    refused = client.post(note_url, {"note": "x" * 201}, follow=True).content.decode()
    assert "A note must be 200 characters or fewer" in refused
    item.refresh_from_db()
    assert item.note == "Go with your sister"

    client.post(reverse("referrals:shortlist_remove", args=[person.public_id, item.pk]))
    assert not ShortlistItem.objects.filter(service_user=person).exists()


def test_sending_makes_a_message_whose_link_shows_what_was_on_the_list(
    client_for, clinician, person, walk
):
    client = client_for(clinician)
    client.post(add_url(person, walk))
    ShortlistItem.objects.filter(service_user=person).update(note="Tuesdays are quiet")
    response = client.post(reverse("nudges:shortlist_send", args=[person.public_id]), follow=True)
    assert "The list will be sent to" in response.content.decode()
    nudge = Nudge.objects.get(service_user=person, template="shortlist")
    later = ActivityFactory(name="Added later")
    client.post(add_url(person, later))

    link = message_context(nudge)["link"]
    page = Client().get(link[link.index("/n/") :])
    content = page.content.decode()
    assert page.status_code == 200
    assert "Park walk" in content and "Tuesdays are quiet" in content
    assert "Added later" not in content
    assert person.family_name not in content and person.nhs_number not in content


def test_sending_an_empty_list_is_refused(client_for, clinician, person):
    response = client_for(clinician).post(
        reverse("nudges:shortlist_send", args=[person.public_id]), follow=True
    )
    assert "Add an activity to the shortlist before sending it" in response.content.decode()
    assert not Nudge.objects.filter(template="shortlist").exists()


def test_a_forged_or_expired_link_is_refused(client_for, clinician, person, walk):
    assert Client().get("/n/not-a-real-token/list/").status_code in (400, 404)
    client = client_for(clinician)
    client.post(add_url(person, walk))
    client.post(reverse("nudges:shortlist_send", args=[person.public_id]))
    nudge = Nudge.objects.get(template="shortlist")
    link = message_context(nudge)["link"]
    path = link[link.index("/n/") :]
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        expired = Client().get(path)
    assert expired.status_code != 200 or "has expired" in expired.content.decode()
    assert "Park walk" not in expired.content.decode()


def test_the_print_out_has_the_activities_and_nothing_clinical(client_for, clinician, person, walk):
    client = client_for(clinician)
    client.post(add_url(person, walk))
    page = client.get(reverse("referrals:shortlist_print", args=[person.public_id]))
    content = page.content.decode()
    assert "Activities for" in content and "Park walk" in content
    assert person.nhs_number not in content


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clinician", 302),
        ("lead", 302),
        ("other_clinician", 404),
        ("partnership", 403),
        ("provider", 403),
        ("admin", 403),
    ],
)
def test_who_may_change_and_send_a_shortlist(cast, client_for, person, walk, role, expected):
    client = client_for(cast[role])
    assert client.post(add_url(person, walk)).status_code == expected
    send = reverse("nudges:shortlist_send", args=[person.public_id])
    assert client.post(send).status_code == expected
    printed = client.get(reverse("referrals:shortlist_print", args=[person.public_id]))
    assert printed.status_code == (200 if expected == 302 else expected)


def test_anonymous_users_are_sent_to_sign_in(client, person, walk):
    assert client.post(add_url(person, walk)).url.startswith(reverse("accounts:login"))
    printed = client.get(reverse("referrals:shortlist_print", args=[person.public_id]))
    assert printed.url.startswith(reverse("accounts:login"))


def test_adding_needs_post_and_an_activity_the_clinician_can_see(
    client_for, clinician, person, walk
):
    client = client_for(clinician)
    assert client.get(add_url(person, walk)).status_code == 405
    archived = ActivityFactory(archived_at=timezone.now())
    assert client.post(add_url(person, archived)).status_code == 404


def test_erasure_removes_the_shortlist(client_for, clinician, person, walk):
    client_for(clinician).post(add_url(person, walk))
    data_rights.service_user_erase(service_user=person, by=clinician)
    assert not ShortlistItem.objects.filter(service_user=person).exists()
