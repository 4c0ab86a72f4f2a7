"""The referral pathway's rules, against the real database."""

import threading

import pytest
from django.db import connection, transaction

from referrals.models import Referral, ReferralEvent
from referrals.pathway import services, transitions
from tests.factories import ProviderStaffFactory
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ScreeningFactory, ServiceUserFactory

S = Referral.Status


def test_refer_send_accept_attend_complete(person, activity, clinician, provider_staff):
    referral = services.referral_create(
        service_user=person, activity=activity, kind="refer", by=clinician, goal="Get out more"
    )
    referral = services.referral_send(referral=referral, by=clinician)
    assert referral.status == S.SENT and referral.sent_at is not None
    services.referral_accept(referral=referral, by=provider_staff, first_session_at=None)
    from datetime import date

    services.attendance_record(
        referral=referral, session_date=date.today(), status="attended", by=provider_staff
    )
    referral.refresh_from_db()
    assert referral.status == S.ATTENDING
    services.referral_move(
        referral=referral, to=S.COMPLETED, by=provider_staff, expected_from=S.ATTENDING
    )
    moves = list(referral.events.values_list("from_status", "to_status"))
    assert moves == [
        ("", "draft"),
        ("draft", "sent"),
        ("sent", "accepted"),
        ("accepted", "attending"),
        ("attending", "completed"),
    ]


def test_sending_needs_consent(clinician, activity):
    person = ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)
    ScreeningFactory(service_user=person)  # clear, but no consent to share
    referral = services.referral_create(
        service_user=person, activity=activity, kind="refer", by=clinician
    )
    with pytest.raises(services.ReferralError, match="consent to share"):
        services.referral_send(referral=referral, by=clinician)
    referral.refresh_from_db()
    assert referral.status == S.DRAFT


def test_unresolved_screening_blocks_in_person_but_not_online(person, activity):
    ScreeningFactory(service_user=person, advice_needed=True)
    blockers = services.send_blockers(service_user=person, activity=activity)
    assert [b.fix for b in blockers] == ["screening"]
    activity.delivery_mode = "online"
    assert services.send_blockers(service_user=person, activity=activity) == []


def test_specialist_only_allows_specialist_providers(person, activity):
    ScreeningFactory(service_user=person, advice_needed=True, resolution="specialist_only")
    assert services.send_blockers(service_user=person, activity=activity)
    activity.provider.is_specialist = True
    assert services.send_blockers(service_user=person, activity=activity) == []


def test_one_open_referral_per_person_and_activity(person, activity, clinician):
    services.referral_create(service_user=person, activity=activity, kind="refer", by=clinician)
    with pytest.raises(services.ReferralError, match="already has an open referral"):
        services.referral_create(service_user=person, activity=activity, kind="refer", by=clinician)
    assert Referral.objects.count() == 1


def test_signpost_only_listing_cannot_take_a_referral(person, clinician):
    signpost_only = ActivityFactory()
    with pytest.raises(services.ReferralError, match="does not take referrals"):
        services.referral_create(
            service_user=person, activity=signpost_only, kind="refer", by=clinician
        )
    referral = services.referral_create(
        service_user=person, activity=signpost_only, kind="signpost", by=clinician
    )
    assert referral.status == S.SIGNPOSTED
    services.referral_move(
        referral=referral, to=S.TAKEN_UP, by=clinician, expected_from=S.SIGNPOSTED
    )


def test_illegal_move_is_refused_and_changes_nothing(sent_referral, clinician, provider_staff):
    with pytest.raises(services.ReferralError, match="cannot be marked completed"):
        services.referral_move(
            referral=sent_referral, to=S.COMPLETED, by=provider_staff, expected_from=S.SENT
        )
    with pytest.raises(services.ReferralError):
        services.referral_accept(
            referral=sent_referral, by=clinician, first_session_at=None
        )  # wrong role
    sent_referral.refresh_from_db()
    assert sent_referral.status == S.SENT
    assert sent_referral.events.count() == 2


def test_stale_move_is_refused(sent_referral, provider_staff):
    services.referral_accept(referral=sent_referral, by=provider_staff, first_session_at=None)
    with pytest.raises(services.ReferralError, match="someone else changed it"):
        services.referral_decline(referral=sent_referral, by=provider_staff, reason="full")
    assert Referral.objects.get(pk=sent_referral.pk).status == S.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_once_make_one_event(sent_referral, provider_staff):
    barrier = threading.Barrier(2)
    outcomes = []

    def accept():
        try:
            barrier.wait()
            services.referral_accept(
                referral=sent_referral, by=provider_staff, first_session_at=None
            )
            outcomes.append("accepted")
        except services.ReferralError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert ReferralEvent.objects.filter(referral=sent_referral, to_status=S.ACCEPTED).count() == 1


def test_attendance_cannot_be_in_the_future(sent_referral, provider_staff):
    from datetime import date, timedelta

    services.referral_accept(referral=sent_referral, by=provider_staff, first_session_at=None)
    with pytest.raises(services.ReferralError, match="today or in the past"):
        services.attendance_record(
            referral=sent_referral,
            session_date=date.today() + timedelta(days=1),
            status="attended",
            by=provider_staff,
        )


def test_transition_table_is_the_only_source():
    assert transitions.allowed(S.SENT, S.ACCEPTED, transitions.PROVIDER)
    assert not transitions.allowed(S.SENT, S.ACCEPTED, transitions.CLINICIAN)
    assert not transitions.allowed(S.COMPLETED, S.SENT, transitions.CLINICIAN)
    assert set(transitions.next_statuses(S.ATTENDING, transitions.PROVIDER)) == {
        S.COMPLETED,
        S.DROPPED_OUT,
    }


def test_database_keeps_one_open_referral(person, activity, clinician):
    from django.db import IntegrityError

    Referral.objects.create(
        service_user=person, activity=activity, kind="refer", created_by=clinician
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            service_user=person, activity=activity, kind="refer", created_by=clinician
        )


def test_provider_declines_with_a_reason(sent_referral, provider_staff):
    services.referral_decline(
        referral=sent_referral, by=provider_staff, reason="full", note="Try May"
    )
    sent_referral.refresh_from_db()
    assert (sent_referral.status, sent_referral.kind, sent_referral.decline_reason) == (
        S.DECLINED,
        "refer",
        "full",
    )
    assert sent_referral.events.last().note == "Try May"


def test_auto_decline_is_a_named_system_job(sent_referral):
    services.referral_decline(
        referral=sent_referral, reason="no_response", system_actor="14-day auto-decline"
    )
    event = sent_referral.events.last()
    assert (event.actor, event.system_actor) == (None, "14-day auto-decline")


def test_another_provider_cannot_answer(sent_referral):
    stranger = ProviderStaffFactory()
    with pytest.raises(services.ReferralError, match="You cannot change this referral"):
        services.referral_accept(referral=sent_referral, by=stranger, first_session_at=None)


def test_referral_keeps_its_service_and_milestones(sent_referral, person, provider_staff):
    from datetime import timedelta

    from django.utils import timezone

    referral = sent_referral
    assert referral.service_id == person.service_id
    assert referral.accepted_at is None
    referral = services.referral_accept(referral=referral, by=provider_staff, first_session_at=None)
    assert referral.accepted_at is not None
    today = timezone.localdate()
    services.attendance_record(
        referral=referral, session_date=today, status="attended", by=provider_staff
    )
    services.attendance_record(
        referral=referral,
        session_date=today - timedelta(days=7),
        status="attended",
        by=provider_staff,
    )
    referral.refresh_from_db()
    assert referral.first_attended_on == today - timedelta(days=7)
    # Corrected: the earlier session was missed after all.
    services.attendance_record(
        referral=referral,
        session_date=today - timedelta(days=7),
        status="did_not_attend",
        by=provider_staff,
    )
    referral.refresh_from_db()
    assert referral.first_attended_on == today


def test_create_and_send_in_one_step(person, activity, clinician):
    referral = services.referral_create_and_send(
        service_user=person, activity=activity, by=clinician, goal="Walk twice a week"
    )
    moves = list(referral.events.values_list("from_status", "to_status", "actor"))
    assert moves == [("", "draft", clinician.pk), ("draft", "sent", clinician.pk)]
    assert referral.status == S.SENT and referral.sent_at is not None
    assert _as_stored(referral)


def _as_stored(referral) -> bool:
    # The row is not read back after its update: what is returned must be what was written.
    stored = Referral.objects.get(pk=referral.pk)
    fields = [f.attname for f in Referral._meta.concrete_fields]
    return [getattr(referral, f) for f in fields] == [getattr(stored, f) for f in fields]


def test_a_move_returns_the_row_as_stored(sent_referral, provider_staff):
    referral = services.referral_accept(
        referral=sent_referral, by=provider_staff, first_session_at=None
    )
    assert referral.status == S.ACCEPTED and _as_stored(referral)
