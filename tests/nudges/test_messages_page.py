"""The service lead's messages page: counts per message for a period and their own service,
failures, and sending a failed message again."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.nudges.models import Nudge, NudgeResponse
from tests.nudges.factories import NudgeFactory

N = Nudge.Status


# --- The messages page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role,expected",
    [
        ("clinician", 403),
        ("other_clinician", 403),
        ("lead", 200),
        ("partnership", 403),
        ("provider", 403),
        ("admin", 200),
    ],
)
@pytest.mark.parametrize("name", ["nudges:messages", "nudges:outbox"])
def test_messages_and_outbox_permissions(cast, client_for, role, expected, name):
    assert client_for(cast[role]).get(reverse(name)).status_code == expected


@pytest.mark.parametrize("name", ["nudges:messages", "nudges:outbox", "nudges:schedule"])
def test_staff_pages_send_anonymous_users_to_sign_in(db, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_service_leads_see_messages_in_their_navigation(client_for, lead, clinician):
    url = reverse("nudges:messages")
    assert f'href="{url}"' in client_for(lead).get(reverse("core:home")).content.decode()
    assert f'href="{url}"' not in client_for(clinician).get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_counts_per_template_for_the_period_and_own_service(
    client_for, lead, person, stranger, django_assert_max_num_queries
):
    sent = NudgeFactory(service_user=person, status=N.SENT)
    NudgeFactory(service_user=person, status=N.DELIVERED)
    NudgeFactory(service_user=person, status=N.FAILED, last_error="Bad address")
    NudgeFactory(service_user=person, status=N.SENT, due_at=timezone.now() - timedelta(days=40))
    NudgeResponse.objects.create(nudge=sent, answer="went")
    NudgeResponse.objects.create(nudge=sent, answer="call_me")  # one message, answered once
    NudgeFactory(service_user=stranger, status=N.SENT)

    from referrals.nudges.selectors import template_counts

    with django_assert_max_num_queries(1):
        rows = template_counts(lead, days=30)
    assert rows == [
        {
            "template": "did_you_go",
            "title": '"Did you manage to go?"',
            "answerable": True,
            "total": 3,
            "sent": 2,
            "delivered": 1,
            "answered": 1,
            "failed": 1,
            "skipped": 0,
        }
    ]
    assert template_counts(lead, days=90)[0]["total"] == 4
    html = client_for(lead).get(reverse("nudges:messages")).content.decode()
    assert "Bad address" in html
    assert person.given_name not in html and person.email not in html


@pytest.mark.django_db
def test_admins_count_every_service(admin_user, person, stranger):
    from referrals.nudges.selectors import template_counts

    NudgeFactory(service_user=person)
    NudgeFactory(service_user=stranger)
    assert template_counts(admin_user, days=30)[0]["total"] == 2


@pytest.mark.django_db
def test_a_bad_period_shows_an_error_and_the_default(client_for, lead):
    response = client_for(lead).get(reverse("nudges:messages"), {"days": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html and "Select a period from the list" in html
    assert "last 30 days" in html


@pytest.mark.django_db
def test_send_again_reschedules_a_failed_message(client_for, lead, person):
    failed = NudgeFactory(
        service_user=person, status=N.FAILED, last_error="Bad address", attempts=6
    )
    response = client_for(lead).post(reverse("nudges:retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    # Sent again as a new message: no attempt yet, a new reference.
    assert failed.status == N.SCHEDULED and failed.attempts == 0 and failed.last_error == ""
    assert failed.send_reference is not None


@pytest.mark.django_db
def test_send_again_refuses_a_message_that_has_not_failed(client_for, lead, person):
    sent = NudgeFactory(service_user=person, status=N.SENT)
    response = client_for(lead).post(reverse("nudges:retry", args=[sent.pk]), follow=True)
    assert "Only a failed message can be sent again" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == N.SENT


@pytest.mark.parametrize(
    "role,expected",
    [
        ("clinician", 403),
        ("other_clinician", 403),
        ("lead", 302),
        ("partnership", 403),
        ("provider", 403),
        ("admin", 302),
    ],
)
def test_send_again_permissions(cast, client_for, person, role, expected):
    failed = NudgeFactory(service_user=person, status=N.FAILED)
    assert client_for(cast[role]).post(reverse("nudges:retry", args=[failed.pk])).status_code == (
        expected
    )


@pytest.mark.django_db
def test_send_again_for_another_service_is_404_and_get_is_405(client_for, lead, stranger):
    theirs = NudgeFactory(service_user=stranger, status=N.FAILED)
    url = reverse("nudges:retry", args=[theirs.pk])
    assert client_for(lead).post(url).status_code == 404
    assert client_for(lead).get(url).status_code == 405
    theirs.refresh_from_db()
    assert theirs.status == N.FAILED
