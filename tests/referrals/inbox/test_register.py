"""The provider's session register: one page per session of an activity, every accepted
referral on it, attended / missed / cancelled saved in one POST through the same service as
a mark on the referral's own page (so uptake and outcomes see it)."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from referrals import hooks
from referrals.models import Attendance, Referral
from referrals.pathway import services
from talkingmoves.audit.models import AccessLog
from tests.factories import ProviderOrganisationFactory, ProviderStaffFactory
from tests.providers.factories import WeeklySlotFactory
from tests.referrals.factories import ReferralFactory, ServiceUserFactory

S = Referral.Status
A = Attendance.Status


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def slot(activity, today):
    """A weekly session on today's weekday, so today and the weeks before are sessions."""
    return WeeklySlotFactory(
        activity=activity, weekday=today.weekday(), start_time=time(0, 5), end_time=time(1, 0)
    )


@pytest.fixture
def accepted(person, activity, provider_staff, slot):
    return ReferralFactory(
        accepted=True, service_user=person, activity=activity, answered_by=provider_staff
    )


@pytest.fixture
def another(clinician, activity, provider_staff, slot):
    other = ServiceUserFactory(
        service=clinician.organisation,
        assigned_clinician=clinician,
        given_name="Bea",
        family_name="Able",
        ready_to_refer=True,
    )
    return ReferralFactory(
        accepted=True, service_user=other, activity=activity, answered_by=provider_staff
    )


def session_url(activity, day) -> str:
    return reverse("referrals:inbox_register_session", args=[activity.public_id, day.isoformat()])


def field(referral) -> str:
    return f"r-{referral.public_id}"


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("clinician", 403), ("lead", 403), ("partnership", 403), ("provider", 200), ("admin", 403)],
)
def test_register_permissions(cast, client_for, accepted, today, role, expected):
    client = client_for(cast[role])
    assert client.get(reverse("referrals:inbox_register")).status_code == expected
    assert client.get(session_url(accepted.activity, today)).status_code == expected
    response = client.post(session_url(accepted.activity, today), {field(accepted): A.ATTENDED})
    assert response.status_code in (expected, 302)
    if expected == 403:
        assert not Attendance.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, accepted, today):
    for target in (reverse("referrals:inbox_register"), session_url(accepted.activity, today)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    client.post(session_url(accepted.activity, today), {field(accepted): A.ATTENDED})
    assert not Attendance.objects.exists()


def test_another_provider_gets_404_and_changes_nothing(client_for, accepted, today):
    stranger = ProviderStaffFactory(organisation=ProviderOrganisationFactory())
    client = client_for(stranger)
    assert client.get(session_url(accepted.activity, today)).status_code == 404
    response = client.post(session_url(accepted.activity, today), {field(accepted): A.ATTENDED})
    assert response.status_code == 404
    assert not Attendance.objects.exists()
    listed = client.get(reverse("referrals:inbox_register")).content.decode()
    assert escape(accepted.activity.name) not in listed and "Nobody is accepted" in listed


def test_register_refuses_other_methods(client_for, provider_staff, accepted, today):
    client = client_for(provider_staff)
    assert client.post(reverse("referrals:inbox_register")).status_code == 405
    assert client.put(session_url(accepted.activity, today)).status_code == 405


def test_providers_menu_has_the_register(client_for, provider_staff, accepted):
    html = client_for(provider_staff).get(reverse("referrals:inbox")).content.decode()
    assert f'href="{reverse("referrals:inbox_register")}"' in html


# --- choosing a session --------------------------------------------------------------------


def test_register_lists_activities_and_their_past_sessions(
    client_for, provider_staff, accepted, today
):
    html = client_for(provider_staff).get(reverse("referrals:inbox_register")).content.decode()
    assert escape(accepted.activity.name) in html
    assert session_url(accepted.activity, today) in html
    assert session_url(accepted.activity, today - timedelta(weeks=1)) in html
    assert session_url(accepted.activity, today + timedelta(weeks=1)) not in html
    assert "1 person accepted" in html


@pytest.mark.parametrize(
    "day",
    [
        "not-a-date",
        "2026-02-30",
        "+1",  # a week ahead: not happened yet
        "-1d",  # the day before a session: not on the schedule
        "-9w",  # older than the register offers
    ],
)
def test_a_date_not_on_the_schedule_is_404(client_for, provider_staff, accepted, today, day):
    offsets = {"+1": timedelta(weeks=1), "-1d": -timedelta(days=1), "-9w": -timedelta(weeks=9)}
    value = (today + offsets[day]).isoformat() if day in offsets else day
    url = reverse("referrals:inbox_register_session", args=[accepted.activity.public_id, value])
    client = client_for(provider_staff)
    assert client.get(url).status_code == 404
    assert client.post(url, {field(accepted): A.ATTENDED}).status_code == 404
    assert not Attendance.objects.exists()


def test_an_activity_with_nobody_accepted_is_404(client_for, provider_staff, slot, today):
    assert client_for(provider_staff).get(session_url(slot.activity, today)).status_code == 404


# --- the session page ----------------------------------------------------------------------


def test_session_page_lists_everyone_accepted_with_three_choices(
    client_for, provider_staff, accepted, another, person, activity, today
):
    waiting = ReferralFactory(
        sent=True,
        service_user=ServiceUserFactory(
            service=person.service, given_name="Cal", family_name="Sent", ready_to_refer=True
        ),
        activity=activity,
    )
    response = client_for(provider_staff).get(session_url(activity, today))
    html = response.content.decode()
    assert "Alex Moss" in html and "Bea Able" in html
    assert "Cal Sent" not in html  # not accepted: not expected at sessions
    assert html.index("Bea Able") < html.index("Alex Moss")  # by family name
    for value in (A.ATTENDED, A.MISSED, A.CANCELLED):
        assert f'name="{field(accepted)}" type="radio" value="{value}"' in html
    assert "Missed" in html and "Did not attend" not in html
    assert html.count(f'name="{field(accepted)}"') == 3
    assert str(waiting.public_id) not in html
    assert person.presenting_problem not in html  # nothing clinical on the register
    logged = AccessLog.objects.filter(actor=provider_staff, action="view")
    assert {entry.object_id for entry in logged} == {
        str(accepted.public_id),
        str(another.public_id),
    }


def test_one_post_saves_the_whole_session(client_for, provider_staff, accepted, another, today):
    url = session_url(accepted.activity, today)
    response = client_for(provider_staff).post(
        url, {field(accepted): A.ATTENDED, field(another): A.MISSED}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    assert "Register saved: 2 changes recorded" in response.content.decode()
    marks = dict(Attendance.objects.filter(session_date=today).values_list("referral_id", "status"))
    assert marks == {accepted.pk: A.ATTENDED, another.pk: A.MISSED}
    assert set(Attendance.objects.values_list("source", flat=True)) == {"provider"}
    accepted.refresh_from_db()
    another.refresh_from_db()
    # The same path as a mark on the referral's page: moved on, and counted as uptake.
    assert (accepted.status, accepted.provider_attended_on) == (S.ATTENDING, today)
    assert (another.status, another.provider_attended_on) == (S.ACCEPTED, None)
    # The page shows what was saved.
    html = response.content.decode()
    assert f'name="{field(accepted)}" type="radio" value="attended" checked' in html
    assert f'name="{field(another)}" type="radio" value="{A.MISSED}" checked' in html


def test_saving_again_changes_only_what_changed(
    client_for, provider_staff, accepted, another, today
):
    url = session_url(accepted.activity, today)
    client = client_for(provider_staff)
    client.post(url, {field(accepted): A.ATTENDED, field(another): A.MISSED})
    response = client.post(
        url, {field(accepted): A.ATTENDED, field(another): A.CANCELLED}, follow=True
    )
    assert "Register saved: 1 change recorded" in response.content.decode()
    assert Attendance.objects.get(referral=another).status == A.CANCELLED
    assert Attendance.objects.count() == 2


def test_a_blank_row_is_left_alone(client_for, provider_staff, accepted, another, today):
    client_for(provider_staff).post(
        session_url(accepted.activity, today), {field(accepted): A.ATTENDED}
    )
    assert not Attendance.objects.filter(referral=another).exists()


def test_register_feeds_the_episode_group(client_for, provider_staff, accepted, today):
    seen = []

    def receiver(*, service_user_id):
        seen.append(service_user_id)

    hooks.attendance_changed.register(receiver)
    try:
        client_for(provider_staff).post(
            session_url(accepted.activity, today), {field(accepted): A.ATTENDED}
        )
    finally:
        hooks.attendance_changed._receivers.remove(receiver)
    assert seen == [accepted.service_user_id]


# --- session_missed ------------------------------------------------------------------------


@pytest.fixture
def missed_calls():
    calls = []

    def receiver(*, referral, session_date):
        calls.append((referral.pk, session_date))

    hooks.session_missed.register(receiver)
    yield calls
    hooks.session_missed._receivers.remove(receiver)


def test_marking_missed_fires_session_missed_once(
    client_for, provider_staff, accepted, another, today, missed_calls
):
    url = session_url(accepted.activity, today)
    client = client_for(provider_staff)
    client.post(url, {field(accepted): A.MISSED, field(another): A.ATTENDED})
    client.post(url, {field(accepted): A.MISSED, field(another): A.ATTENDED})  # saved again
    assert missed_calls == [(accepted.pk, today)]
    client.post(url, {field(accepted): A.CANCELLED})
    client.post(url, {field(accepted): A.MISSED})  # changed back to missed: a new mark
    assert missed_calls == [(accepted.pk, today), (accepted.pk, today)]


def test_session_missed_fires_from_the_referral_page_too(
    provider_staff, accepted, today, missed_calls
):
    services.attendance_record(
        referral=accepted, session_date=today, status=A.MISSED, by=provider_staff
    )
    assert missed_calls == [(accepted.pk, today)]


def test_session_missed_rolls_back_with_a_refused_save(
    provider_staff, accepted, today, missed_calls
):
    """A receiver runs in the register's transaction: a refused save leaves nothing."""
    with pytest.raises(services.ReferralError):
        services.attendance_record(
            referral=accepted,
            session_date=today + timedelta(days=1),
            status=A.MISSED,
            by=provider_staff,
        )
    assert missed_calls == []


# --- bad input -----------------------------------------------------------------------------


def test_nothing_chosen_is_an_error(client_for, provider_staff, accepted, today):
    response = client_for(provider_staff).post(session_url(accepted.activity, today), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select attended, missed or cancelled for at least one person" in html
    assert not Attendance.objects.exists()


def test_an_unknown_choice_is_an_error_and_nothing_entered_is_lost(
    client_for, provider_staff, accepted, another, today
):
    response = client_for(provider_staff).post(
        session_url(accepted.activity, today),
        {field(accepted): "went-swimming", field(another): A.MISSED},
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{field(accepted)}' in html  # the summary links to the row
    assert "Select attended, missed or cancelled for Alex Moss" in html
    assert f'name="{field(another)}" type="radio" value="{A.MISSED}" checked' in html
    assert not Attendance.objects.exists()


def test_a_forged_row_is_ignored(client_for, provider_staff, accepted, today):
    declined = ReferralFactory(declined=True, activity=accepted.activity)
    client_for(provider_staff).post(
        session_url(accepted.activity, today),
        {field(accepted): A.ATTENDED, field(declined): A.ATTENDED},
    )
    assert list(Attendance.objects.values_list("referral_id", flat=True)) == [accepted.pk]


def test_attendance_before_the_first_session_is_refused(
    client_for, provider_staff, person, activity, slot, today
):
    first = timezone.make_aware(datetime.combine(today + timedelta(weeks=1), time(10)))
    referral = ReferralFactory(
        accepted=True,
        service_user=person,
        activity=activity,
        answered_by=provider_staff,
        first_session=first,
    )
    response = client_for(provider_staff).post(
        session_url(activity, today), {field(referral): A.ATTENDED}
    )
    html = response.content.decode()
    when = f"{first:%-d %B %Y}"
    assert f"Alex Moss&#x27;s first session is on {when}: attendance cannot be recorded" in html
    assert f"First session on {when}" in html  # said before anything is chosen
    assert not Attendance.objects.exists()
    with pytest.raises(services.ReferralError, match="before their first session"):
        services.attendance_record(
            referral=referral, session_date=today, status=A.ATTENDED, by=provider_staff
        )
