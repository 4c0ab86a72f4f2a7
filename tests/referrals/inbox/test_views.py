"""Provider inbox: own organisation's referrals only, minimum necessary, PRG answers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Attendance, Referral
from referrals.pathway import services
from talkingmoves.audit.models import AccessLog
from tests.factories import ProviderOrganisationFactory, ProviderStaffFactory
from tests.referrals.factories import ReferralFactory
from tests.referrals.inbox.clinical import assert_nothing_clinical

S = Referral.Status


def url(name, referral=None):
    return reverse(f"referrals:{name}", args=[referral.public_id] if referral else [])


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("clinician", 403), ("lead", 403), ("partnership", 403), ("provider", 200), ("admin", 403)],
)
def test_inbox_permissions(cast, client_for, role, expected):
    assert client_for(cast[role]).get(url("inbox")).status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("clinician", 403),
        ("other_clinician", 403),
        ("lead", 403),
        ("partnership", 403),
        ("provider", 200),
    ],
)
def test_inbox_referral_permissions(cast, client_for, sent, role, expected):
    assert client_for(cast[role]).get(url("inbox_referral", sent)).status_code == expected


def test_another_provider_gets_404_and_sees_nothing(client_for, sent):
    stranger = ProviderStaffFactory(organisation=ProviderOrganisationFactory())
    client = client_for(stranger)
    assert client.get(url("inbox_referral", sent)).status_code == 404
    assert client.post(url("inbox_accept", sent)).status_code == 404
    assert sent.service_user.full_name not in client.get(url("inbox")).content.decode()


def test_anonymous_is_sent_to_sign_in(client, sent):
    for target in (url("inbox"), url("inbox_referral", sent)):
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:login")
        )


def test_answers_need_post(client_for, provider_staff, sent):
    client = client_for(provider_staff)
    for name in ("inbox_accept", "inbox_decline", "inbox_attendance", "inbox_move"):
        assert client.get(url(name, sent)).status_code == 405


def test_drafts_and_signposting_never_reach_the_provider(
    client_for, provider_staff, person, activity
):
    draft = ReferralFactory(draft=True, service_user=person, activity=activity)
    assert client_for(provider_staff).get(url("inbox_referral", draft)).status_code == 404


# --- minimum necessary ---------------------------------------------------------------------


def test_inbox_shows_only_what_the_provider_needs(client_for, provider_staff, sent):
    response = client_for(provider_staff).get(url("inbox"))
    html = response.content.decode()
    assert "Alex Moss" in html
    assert "07700900456" in html  # preferred channel is text message
    assert "Beginners&#x27; walking group" in html
    # A compact row: what they would enjoy, their goal and needs are on the referral's page.
    assert "Swim twice a week" not in html
    assert_nothing_clinical(html)
    assert AccessLog.objects.filter(actor=provider_staff, object_id=str(sent.public_id)).exists()


def test_referral_page_shows_nothing_clinical_and_is_logged(client_for, provider_staff, sent):
    html = client_for(provider_staff).get(url("inbox_referral", sent)).content.decode()
    assert "Accept referral" in html and "Decline referral" in html
    assert_nothing_clinical(html)
    log = AccessLog.objects.get(actor=provider_staff, action="view")
    assert log.object_id == str(sent.public_id) and log.object_type == "referrals.referral"


def test_tabs_sort_referrals_by_state(client_for, provider_staff, person, activity):
    ReferralFactory(
        accepted=True, service_user=person, activity=activity, answered_by=provider_staff
    )
    client = client_for(provider_staff)
    assert "Alex Moss" not in client.get(url("inbox")).content.decode()
    assert "Alex Moss" in client.get(url("inbox"), {"tab": "current"}).content.decode()
    assert "Alex Moss" not in client.get(url("inbox"), {"tab": "closed"}).content.decode()


# --- accept / decline ----------------------------------------------------------------------


def _date_fields(prefix, field, day):
    return {
        f"{prefix}-{field}-day": day.day,
        f"{prefix}-{field}-month": day.month,
        f"{prefix}-{field}-year": day.year,
    }


def test_accept_with_first_session(client_for, provider_staff, sent):
    day = timezone.localdate() + timedelta(days=3)
    response = client_for(provider_staff).post(
        url("inbox_accept", sent),
        {**_date_fields("accept", "first_session_date", day), "accept-first_session_time": "18:30"},
        follow=True,
    )
    assert "Referral accepted" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED
    local = timezone.localtime(sent.first_session_at)
    assert (local.date(), local.hour, local.minute) == (day, 18, 30)
    assert sent.events.last().actor == provider_staff


def test_accept_needs_a_date_and_time(client_for, provider_staff, sent):
    response = client_for(provider_staff).post(
        url("inbox_accept", sent), {"accept-first_session_time": "25:99"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter date of their first session" in html
    assert "Enter the start time as hours and minutes" in html
    sent.refresh_from_db()
    assert sent.status == S.SENT


def test_decline_needs_a_reason(client_for, provider_staff, sent):
    response = client_for(provider_staff).post(url("inbox_decline", sent), {"decline-note": "x"})
    assert "Select why you cannot take this referral" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == S.SENT


def test_decline_offers_every_reason_but_no_response(client_for, provider_staff, sent):
    html = client_for(provider_staff).get(url("inbox_referral", sent)).content.decode()
    assert "No places available" in html
    assert "No response from the provider" not in html
    response = client_for(provider_staff).post(
        url("inbox_decline", sent), {"decline-reason": "no_response"}
    )
    assert "Select a valid choice" in response.content.decode()


def test_decline(client_for, provider_staff, sent):
    response = client_for(provider_staff).post(
        url("inbox_decline", sent), {"decline-reason": "full", "decline-note": "Full until May"}
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason) == (S.DECLINED, "full")
    assert sent.events.last().note == "Full until May"


def test_declining_an_accepted_referral_is_refused(client_for, provider_staff, sent):
    services.referral_accept(referral=sent, by=provider_staff, first_session_at=None)
    response = client_for(provider_staff).post(
        url("inbox_decline", sent), {"decline-reason": "full"}, follow=True
    )
    assert "someone else changed it. Nothing was changed" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED and sent.events.count() == 3


# --- attendance and finishing --------------------------------------------------------------


@pytest.fixture
def accepted(sent, provider_staff):
    return services.referral_accept(referral=sent, by=provider_staff, first_session_at=None)


def test_attendance_register(client_for, provider_staff, accepted):
    client = client_for(provider_staff)
    today = timezone.localdate()
    for day, status in ((today - timedelta(days=7), "did_not_attend"), (today, "attended")):
        response = client.post(
            url("inbox_attendance", accepted),
            {**_date_fields("attendance", "session_date", day), "attendance-status": status},
        )
        assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == S.ATTENDING
    assert list(Attendance.objects.values_list("status", flat=True)) == [
        "did_not_attend",
        "attended",
    ]
    html = client.get(url("inbox_referral", accepted)).content.decode()
    assert "Missed" in html and "Mark completed" in html


def test_attendance_in_the_future_is_refused(client_for, provider_staff, accepted):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(provider_staff).post(
        url("inbox_attendance", accepted),
        {**_date_fields("attendance", "session_date", tomorrow), "attendance-status": "attended"},
    )
    assert "Session date must be today or in the past" in response.content.decode()
    assert not Attendance.objects.exists()


def test_mark_completed_and_stale_move(client_for, provider_staff, accepted):
    services.attendance_record(
        referral=accepted, session_date=timezone.localdate(), status="attended", by=provider_staff
    )
    client = client_for(provider_staff)
    response = client.post(
        url("inbox_move", accepted), {"to": "completed", "expected_from": "attending"}, follow=True
    )
    assert "Referral marked completed" in response.content.decode()
    response = client.post(
        url("inbox_move", accepted),
        {"to": "dropped_out", "expected_from": "attending"},
        follow=True,
    )
    assert "Nothing was changed" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == S.COMPLETED


def test_move_only_offers_provider_buttons(client_for, provider_staff, sent):
    response = client_for(provider_staff).post(
        url("inbox_move", sent), {"to": "withdrawn", "expected_from": "sent"}
    )
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == S.SENT


# --- speed ---------------------------------------------------------------------------------


def test_inbox_query_count_is_pinned(
    client_for, provider_staff, activity, django_assert_max_num_queries
):
    ReferralFactory.create_batch(30, sent=True, activity=activity, goal="Swim twice a week")
    client = client_for(provider_staff)
    with django_assert_max_num_queries(11):
        response = client.get(url("inbox"))
    assert response.content.decode().count('<tr role="row" class="nhsuk-table__row">') == 25


def test_referral_page_query_count_is_pinned(
    client_for, provider_staff, accepted, django_assert_max_num_queries
):
    for days in range(10):
        services.attendance_record(
            referral=accepted,
            session_date=timezone.localdate() - timedelta(days=days),
            status="attended",
            by=provider_staff,
        )
    client = client_for(provider_staff)
    with django_assert_max_num_queries(12):
        assert client.get(url("inbox_referral", accepted)).status_code == 200
