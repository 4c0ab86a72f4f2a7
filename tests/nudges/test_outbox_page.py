"""The local outbox: the stored messages a lead (their service's) or an admin (all) may read
when no gateway is in use, and the staff message pages' query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.nudges.models import Nudge
from talkingmoves.audit.models import AccessLog
from talkingmoves.notify.models import StoredMessage
from tests.nudges.factories import NudgeFactory

N = Nudge.Status


# --- The local outbox ----------------------------------------------------------------------


def stored_for(nudge, body="Hello") -> StoredMessage:
    return StoredMessage.objects.create(
        channel="email",
        recipient=nudge.service_user.email if nudge.service_user else "x@example.com",
        template="nudge_email",
        personalisation={"subject": f"About {nudge.template}", "body": body},
        reference=str(nudge.pk),
    )


@pytest.mark.django_db
def test_a_lead_sees_only_their_services_stored_messages(client_for, lead, person, stranger):
    stored_for(NudgeFactory(service_user=person), body="Mine\nhttp://example.com/n/abc/")
    stored_for(NudgeFactory(service_user=stranger), body="Theirs")
    StoredMessage.objects.create(
        channel="email", recipient="reset@example.com", template="password_reset", reference="x"
    )
    html = client_for(lead).get(reverse("nudges:outbox")).content.decode()
    assert "Mine" in html and person.email in html and "About did_you_go" in html
    # A lead cannot follow the person's own link and answer as them.
    assert "/n/abc/" not in html and "[personal link, hidden]" in html
    assert "Theirs" not in html and "reset@example.com" not in html
    assert AccessLog.objects.filter(
        actor=lead, object_id=str(person.public_id), action=AccessLog.Action.VIEW
    ).exists()


@pytest.mark.django_db
def test_an_admin_sees_every_stored_message_newest_first_paginated(
    client_for, admin_user, person, stranger
):
    stored_for(NudgeFactory(service_user=person), body="Older http://example.com/n/abc/")
    newer = stored_for(NudgeFactory(service_user=stranger), body="Newer")
    StoredMessage.objects.filter(pk=newer.pk).update(created_at=timezone.now() + timedelta(1))
    html = client_for(admin_user).get(reverse("nudges:outbox")).content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "http://example.com/n/abc/" in html  # admins can try the pages in a demo
    for n in range(30):
        stored_for(NudgeFactory(service_user=person), body=f"Bulk {n}")
    second = client_for(admin_user).get(reverse("nudges:outbox"), {"page": 2})
    assert second.status_code == 200 and "nhsuk-pagination" in second.content.decode()


@pytest.mark.django_db
def test_the_outbox_is_404_when_notify_is_in_use(client_for, lead, admin_user, settings):
    settings.NOTIFY_API_KEY = "live-key"
    assert client_for(lead).get(reverse("nudges:outbox")).status_code == 404
    assert client_for(admin_user).get(reverse("nudges:outbox")).status_code == 404


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_messages(
    client_for, lead, person, django_assert_max_num_queries
):
    client = client_for(lead)
    for n in range(30):
        nudge = NudgeFactory(
            service_user=person, status=N.FAILED if n % 2 else N.SENT, last_error="Bad address"
        )
        stored_for(nudge, body=f"Message {n}")
    client.get(reverse("nudges:messages"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("nudges:messages")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("nudges:outbox")).status_code == 200
