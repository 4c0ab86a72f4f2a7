"""The inbox as a compact list (a table row per referral, overdue ones first and tagged) and
the accept form offering the activity's next session times."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.inbox.links import provider_link_token
from referrals.models import Referral
from tests.providers.factories import WeeklySlotFactory
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

S = Referral.Status
ROW = '<tr role="row" class="nhsuk-table__row">'


def test_inbox_is_a_row_per_referral_with_overdue_first_and_tagged(
    client_for, provider_staff, sent, clinician, activity
):
    others = [
        ReferralFactory(
            sent=True,
            activity=activity,
            service_user=ServiceUserFactory(
                service=clinician.organisation,
                given_name=name,
                family_name="Newer",
                ready_to_refer=True,
            ),
        )
        for name in ("Kit", "Lou")
    ]
    # Past its answer-by date, and the hourly auto-decline has not run yet.
    Referral.objects.filter(pk=sent.pk).update(sent_at=timezone.now() - timedelta(days=15))
    html = client_for(provider_staff).get(reverse("referrals:inbox")).content.decode()
    assert html.count(ROW) == 3
    assert "nhsuk-card" not in html
    assert html.count("Overdue</strong>") == 1
    overdue_at = html.index("Alex Moss")
    assert overdue_at < html.index("Kit Newer") and overdue_at < html.index("Lou Newer")
    assert html.index("Overdue</strong>") < html.index("Kit Newer")
    assert "Answer by" in html
    assert all(str(r.public_id) in html for r in others)


def test_nothing_is_overdue_inside_its_answer_by_date(client_for, provider_staff, sent):
    html = client_for(provider_staff).get(reverse("referrals:inbox")).content.decode()
    assert "Overdue</strong>" not in html and html.count(ROW) == 1


@pytest.fixture
def evening_slot(activity):
    """Tomorrow's weekday, 18:30: the next session is tomorrow evening."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return WeeklySlotFactory(
        activity=activity,
        weekday=tomorrow.weekday(),
        start_time=time(18, 30),
        end_time=time(19, 30),
    )


def tomorrow_evening():
    tomorrow = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time(18, 30)))


def test_accept_form_offers_the_next_session_times(client_for, provider_staff, sent, evening_slot):
    url = reverse("referrals:inbox_referral", args=[sent.public_id])
    html = client_for(provider_staff).get(url).content.decode()
    first, second = tomorrow_evening(), tomorrow_evening() + timedelta(weeks=1)
    assert f"{first:%A %-d %B %Y at %H:%M}" in html
    assert f"{second:%A %-d %B %Y at %H:%M}" in html
    assert "Another date and time" in html


def test_accepting_one_of_the_offered_sessions(client_for, provider_staff, sent, evening_slot):
    response = client_for(provider_staff).post(
        reverse("referrals:inbox_accept", args=[sent.public_id]),
        {"accept-first_session": f"{tomorrow_evening():%Y-%m-%dT%H:%M}"},
        follow=True,
    )
    assert "Referral accepted" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED
    assert sent.first_session_at == tomorrow_evening()


def test_another_date_and_time_needs_both(client_for, provider_staff, sent, evening_slot):
    response = client_for(provider_staff).post(
        reverse("referrals:inbox_accept", args=[sent.public_id]),
        {"accept-first_session": "another"},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter the date of their first session" in html and "Enter the start time" in html
    sent.refresh_from_db()
    assert sent.status == S.SENT


def test_another_date_and_time_is_accepted(client_for, provider_staff, sent, evening_slot):
    day = timezone.localdate() + timedelta(days=4)
    client_for(provider_staff).post(
        reverse("referrals:inbox_accept", args=[sent.public_id]),
        {
            "accept-first_session": "another",
            "accept-first_session_date-day": day.day,
            "accept-first_session_date-month": day.month,
            "accept-first_session_date-year": day.year,
            "accept-first_session_time": "09:15",
        },
    )
    sent.refresh_from_db()
    local = timezone.localtime(sent.first_session_at)
    assert (sent.status, local.date(), local.hour, local.minute) == (S.ACCEPTED, day, 9, 15)


@pytest.mark.parametrize("value", ["", "2020-01-01T10:00", "tomorrow", "🙂"])
def test_a_session_not_offered_is_refused(client_for, provider_staff, sent, evening_slot, value):
    response = client_for(provider_staff).post(
        reverse("referrals:inbox_accept", args=[sent.public_id]), {"accept-first_session": value}
    )
    html = response.content.decode()
    assert "select when their first session is" in html.lower()
    assert "There is a problem" in html
    sent.refresh_from_db()
    assert sent.status == S.SENT


def test_the_email_link_offers_the_sessions_too(client, sent, evening_slot):
    url = reverse("referrals:provider_link", args=[provider_link_token(sent)])
    assert f"{tomorrow_evening():%A %-d %B %Y at %H:%M}" in client.get(url).content.decode()
    client.post(
        url,
        {"decision": "accept", "accept-first_session": f"{tomorrow_evening():%Y-%m-%dT%H:%M}"},
    )
    sent.refresh_from_db()
    assert (sent.status, sent.first_session_at) == (S.ACCEPTED, tomorrow_evening())


def test_a_date_and_time_typed_without_choosing_another_count(
    client_for, provider_staff, sent, evening_slot
):
    day = timezone.localdate() + timedelta(days=5)
    client_for(provider_staff).post(
        reverse("referrals:inbox_accept", args=[sent.public_id]),
        {
            "accept-first_session_date-day": day.day,
            "accept-first_session_date-month": day.month,
            "accept-first_session_date-year": day.year,
            "accept-first_session_time": "11:00",
        },
    )
    sent.refresh_from_db()
    local = timezone.localtime(sent.first_session_at)
    assert (sent.status, local.date(), local.hour) == (S.ACCEPTED, day, 11)
