"""Staff pages for follow-up messages: the record's Messages section and call requests, the
messages page (counts, failures, retry), the schedule settings and the local outbox."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals.models import ServiceUser
from referrals.nudges import answers
from referrals.nudges.models import CallRequest, Nudge, NudgeResponse, NudgeSetting
from referrals.nudges.schedule import effective_settings
from referrals.records.selectors import CaseloadFilter, caseload
from talkingmoves.audit.models import AccessLog
from talkingmoves.notify.models import StoredMessage
from tests.nudges.test_answers import did_you_go
from tests.referrals.factories import ServiceUserFactory

N = Nudge.Status
ROLES = ["clinician", "other_clinician", "lead", "partnership", "provider", "admin"]


def nudge_for(person, *, template="did_you_go", status=N.SENT, **fields) -> Nudge:
    return Nudge.objects.create(
        service_id=person.service_id,
        audience=Nudge.Audience.SERVICE_USER,
        template=template,
        service_user=person,
        due_at=fields.pop("due_at", timezone.now() - timedelta(hours=1)),
        status=status,
        **fields,
    )


@pytest.fixture
def stranger(other_clinician):
    return ServiceUserFactory(
        service=other_clinician.organisation, assigned_clinician=other_clinician
    )


# --- The record's Messages section and call requests ---------------------------------------


@pytest.mark.django_db
def test_the_record_lists_messages_with_status_reason_and_answer(
    client_for, clinician, sent_referral
):
    person = sent_referral.service_user
    asked = did_you_go(sent_referral)
    Nudge.objects.filter(pk=asked.pk).update(status=N.SENT, sent_at=timezone.now())
    answers.nudge_answer(nudge=asked, answer="not_yet")
    nudge_for(person, template="check_in", status=N.SKIPPED, skip_reason="no_consent")
    response = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    html = response.content.decode()
    assert 'id="messages"' in html
    assert "&quot;Did you manage to go?&quot;" in html or '"Did you manage to go?"' in html
    assert "Answered: Not yet" in html
    assert "Not sent: no consent for this channel" in html
    assert "nhsuk-tag--green" in html and "Sent" in html


@pytest.mark.django_db
def test_the_record_messages_take_two_queries(sent_referral, django_assert_num_queries):
    from referrals.nudges.selectors import record_nudges

    person = sent_referral.service_user
    for nudge in sent_referral.nudges.all()[:3]:
        NudgeResponse.objects.create(nudge=nudge, answer="not_yet")
    with django_assert_num_queries(2):
        result = record_nudges(person)
    assert len(result.rows) == sent_referral.nudges.count()


@pytest.mark.django_db
def test_an_open_call_request_shows_with_mark_as_done(client_for, clinician, sent_referral):
    person = sent_referral.service_user
    nudge = did_you_go(sent_referral)
    answers.nudge_answer(nudge=nudge, answer="call_me")
    record = reverse("referrals:record", args=[person.public_id])
    done_url = reverse("nudges:call_request_done", args=[nudge.pk])
    html = client_for(clinician).get(record).content.decode()
    assert "Asked for a call" in html and done_url in html

    response = client_for(clinician).post(done_url)
    assert response.status_code == 302 and response["Location"].endswith("#messages")
    request = CallRequest.objects.get()
    assert request.done_at is not None and request.done_by == clinician
    assert AccessLog.objects.filter(
        actor=clinician, action=AccessLog.Action.UPDATE, path=done_url
    ).exists()
    assert done_url not in client_for(clinician).get(record).content.decode()


@pytest.mark.parametrize(
    "role,expected",
    [
        ("clinician", 302),
        ("lead", 302),
        ("other_clinician", 404),
        ("partnership", 403),
        ("provider", 403),
        ("admin", 403),
    ],
)
def test_call_request_done_permissions(cast, client_for, sent_referral, role, expected):
    nudge = did_you_go(sent_referral)
    answers.nudge_answer(nudge=nudge, answer="call_me")
    url = reverse("nudges:call_request_done", args=[nudge.pk])
    assert client_for(cast[role]).post(url).status_code == expected
    assert (CallRequest.objects.get().done_at is not None) == (expected == 302)


@pytest.mark.django_db
def test_call_request_done_needs_post_login_and_a_real_request(
    client_for, clinician, sent_referral
):
    nudge = did_you_go(sent_referral)
    url = reverse("nudges:call_request_done", args=[nudge.pk])
    assert client_for(clinician).get(url).status_code == 405
    assert client_for(clinician).post(url).status_code == 404  # no call request yet
    anonymous = Client().post(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(
        reverse("accounts:login")
    )


@pytest.mark.django_db
def test_a_call_request_puts_the_person_in_needs_attention(clinician, sent_referral):
    person = sent_referral.service_user
    attention = caseload(clinician, clinician=clinician, show=CaseloadFilter.NEEDS_ATTENTION)
    assert person not in attention
    answers.nudge_answer(nudge=did_you_go(sent_referral), answer="call_me")
    assert person in attention.all()
    answers.call_request_done(call_request=CallRequest.objects.get(), by=clinician)
    assert person not in attention.all()


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
    sent = nudge_for(person, status=N.SENT)
    nudge_for(person, status=N.DELIVERED)
    nudge_for(person, status=N.FAILED, last_error="Bad address")
    nudge_for(person, status=N.SENT, due_at=timezone.now() - timedelta(days=40))
    NudgeResponse.objects.create(nudge=sent, answer="went")
    NudgeResponse.objects.create(nudge=sent, answer="call_me")  # one message, answered once
    nudge_for(stranger, status=N.SENT)

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

    nudge_for(person)
    nudge_for(stranger)
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
    failed = nudge_for(person, status=N.FAILED, last_error="Bad address", attempts=6)
    response = client_for(lead).post(reverse("nudges:retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == N.SCHEDULED and failed.attempts == 1 and failed.last_error == ""


@pytest.mark.django_db
def test_send_again_refuses_a_message_that_has_not_failed(client_for, lead, person):
    sent = nudge_for(person, status=N.SENT)
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
    failed = nudge_for(person, status=N.FAILED)
    assert client_for(cast[role]).post(reverse("nudges:retry", args=[failed.pk])).status_code == (
        expected
    )


@pytest.mark.django_db
def test_send_again_for_another_service_is_404_and_get_is_405(client_for, lead, stranger):
    theirs = nudge_for(stranger, status=N.FAILED)
    url = reverse("nudges:retry", args=[theirs.pk])
    assert client_for(lead).post(url).status_code == 404
    assert client_for(lead).get(url).status_code == 405
    theirs.refresh_from_db()
    assert theirs.status == N.FAILED


# --- The schedule settings -----------------------------------------------------------------


@pytest.mark.parametrize(
    "role,expected",
    [
        ("clinician", 403),
        ("other_clinician", 403),
        ("lead", 200),
        ("partnership", 403),
        ("provider", 403),
        ("admin", 403),
    ],
)
def test_schedule_permissions(cast, client_for, role, expected):
    assert client_for(cast[role]).get(reverse("nudges:schedule")).status_code == expected


def schedule_data(service_id, **changes) -> dict:
    from referrals.nudges.forms import configurable_templates

    data = {}
    current = effective_settings(service_id)
    for template in configurable_templates():
        enabled, days, channel = current[template.key]
        data[f"{template.key}-enabled"] = "on" if enabled else "off"
        data[f"{template.key}-offset_days"] = str(days)
        data[f"{template.key}-channel"] = channel or "preferred"
    data.update(changes)
    return data


@pytest.mark.django_db
def test_the_schedule_page_lists_every_configurable_message(client_for, lead):
    from referrals.nudges.messages import TEMPLATES

    html = client_for(lead).get(reverse("nudges:schedule")).content.decode()
    for template in TEMPLATES.values():
        shown = template.title in html or template.title.replace('"', "&quot;") in html
        assert shown == template.configurable, template.key
    assert "did_you_go-channel" in html and "provider_reminder-channel" not in html


@pytest.mark.django_db
def test_saving_the_schedule(client_for, lead):
    service_id = lead.organisation_id
    data = schedule_data(
        service_id,
        **{
            "getting_active-enabled": "on",
            "getting_active-offset_days": "5",
            "did_you_go-offset_days": "10",
            "did_you_go-channel": "sms",
            "check_in-enabled": "off",
        },
    )
    response = client_for(lead).post(reverse("nudges:schedule"), data)
    assert response.status_code == 302
    settings = effective_settings(service_id)
    assert settings["getting_active"] == (True, 5, "")
    assert settings["did_you_go"] == (True, 10, "sms")
    assert settings["check_in"][0] is False
    assert NudgeSetting.objects.get(service_id=service_id, template="did_you_go").updated_by == lead


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value,message",
    [
        ("did_you_go-offset_days", "91", "Day must be between 0 and 90"),
        ("did_you_go-offset_days", "-1", "Day must be between 0 and 90"),
        ("did_you_go-offset_days", "seven", "Day must be a whole number"),
        ("did_you_go-offset_days", "", "Enter a day for"),
        ("did_you_go-enabled", "", "Select whether to send"),
        ("did_you_go-channel", "pigeon", "Select a valid choice"),
    ],
)
def test_bad_schedule_input_keeps_what_was_typed_and_saves_nothing(
    client_for, lead, field, value, message
):
    data = schedule_data(lead.organisation_id, **{"check_in-offset_days": "33", field: value})
    response = client_for(lead).post(reverse("nudges:schedule"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "nhsuk-error-summary" in html and message in html
    assert 'value="33"' in html  # what was typed elsewhere is kept
    if value and "offset" in field:
        assert f'value="{value}"' in html
    assert not NudgeSetting.objects.exists()


@pytest.mark.django_db
def test_the_schedule_page_refuses_other_methods(client_for, lead):
    assert client_for(lead).put(reverse("nudges:schedule")).status_code == 405


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
    stored_for(nudge_for(person), body="Mine\nhttp://example.com/n/abc/")
    stored_for(nudge_for(stranger), body="Theirs")
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
    stored_for(nudge_for(person), body="Older http://example.com/n/abc/")
    newer = stored_for(nudge_for(stranger), body="Newer")
    StoredMessage.objects.filter(pk=newer.pk).update(created_at=timezone.now() + timedelta(1))
    html = client_for(admin_user).get(reverse("nudges:outbox")).content.decode()
    assert html.index("Newer") < html.index("Older")
    assert "http://example.com/n/abc/" in html  # admins can try the pages in a demo
    for n in range(30):
        stored_for(nudge_for(person), body=f"Bulk {n}")
    second = client_for(admin_user).get(reverse("nudges:outbox"), {"page": 2})
    assert second.status_code == 200 and "nhsuk-pagination" in second.content.decode()


@pytest.mark.django_db
def test_the_outbox_is_404_when_notify_is_in_use(client_for, lead, admin_user, settings):
    settings.NOTIFY_API_KEY = "live-key"
    assert client_for(lead).get(reverse("nudges:outbox")).status_code == 404
    assert client_for(admin_user).get(reverse("nudges:outbox")).status_code == 404


@pytest.mark.django_db
def test_a_whole_journey_answer_then_the_clinician_sees_it(client_for, clinician, sent_referral):
    from django.core.cache import cache

    cache.clear()
    nudge = did_you_go(sent_referral)
    from referrals.nudges import links

    Client().post(links.answer_path(nudge), {"answer": "went"})
    person = ServiceUser.objects.get(pk=sent_referral.service_user_id)
    html = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    assert "Answered: I went" in html.content.decode()
    cache.clear()


@pytest.mark.django_db
def test_page_queries_do_not_grow_with_messages(
    client_for, lead, person, django_assert_max_num_queries
):
    client = client_for(lead)
    for n in range(30):
        nudge = nudge_for(person, status=N.FAILED if n % 2 else N.SENT, last_error="Bad address")
        stored_for(nudge, body=f"Message {n}")
    client.get(reverse("nudges:messages"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("nudges:messages")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("nudges:outbox")).status_code == 200
