"""The factories' traits give the states the services would: if one of these fails, fix the
factory before the tests that build on it."""

from datetime import date

import pytest

from outcomes.models import Appointment
from providers.models import Activity
from referrals.models import Referral
from referrals.nudges.models import Nudge
from tests.outcomes.factories import EpisodeFactory, RiskFlagFactory
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.referrals.factories import ReferralFactory, ScreeningFactory, ServiceUserFactory

pytestmark = pytest.mark.django_db
S = Referral.Status


def moves(referral):
    return list(referral.events.values_list("from_status", "to_status"))


def test_listings_archived_online_and_for_referrals():
    assert all(f(archived=True).is_archived for f in (ProviderFactory, VenueFactory))
    assert ActivityFactory(archived=True).is_archived
    online = ActivityFactory(online=True)
    assert (online.venue, online.delivery_mode) == (None, Activity.DeliveryMode.ONLINE)
    referable = ActivityFactory(for_referrals=True)
    assert referable.takes_referrals and referable.referral_email
    assert referable.provider.organisation is not None  # whose staff answer in the inbox


def test_consents_are_recorded_by_the_persons_clinician():
    person = ServiceUserFactory(with_sms_consent=True, with_email_consent=True)
    clinician = person.assigned_clinician
    assert (person.consent_sms_by, person.consent_email_by) == (clinician, clinician)
    assert person.consent_sms_at and person.consent_email_at and not person.has_consent_to_share
    assert not person.screenings.exists()


def test_ready_to_refer_is_consent_and_a_clear_screening():
    person = ServiceUserFactory(ready_to_refer=True)
    assert person.has_consent_to_share and person.consent_email_at is not None
    screening = person.screenings.get()
    assert (screening.outcome, screening.recorded_by) == ("clear", person.assigned_clinician)
    assert ScreeningFactory(advice_needed=True).needs_resolution


def test_a_draft_is_created_by_the_clinician_and_schedules_nothing():
    draft = ReferralFactory(draft=True)
    assert (draft.status, moves(draft)) == (S.DRAFT, [("", "draft")])
    assert draft.events.get().actor == draft.created_by == draft.service_user.assigned_clinician
    assert not draft.nudges.exists()


def test_sent_has_its_history_and_schedules_its_messages():
    referral = ReferralFactory(sent=True, goal="Walk twice a week")
    assert (referral.status, referral.goal) == (S.SENT, "Walk twice a week")
    assert referral.sent_at is not None and referral.service == referral.service_user.service
    assert moves(referral) == [("", "draft"), ("draft", "sent")]
    assert referral.events.first().actor == referral.service_user.assigned_clinician
    assert referral.nudges.filter(template="provider_new_referral").exists()


def test_accepted_and_attending_are_answered_by_the_providers_staff(provider_staff):
    activity = ActivityFactory(
        for_referrals=True, venue__provider__organisation=provider_staff.organisation
    )
    accepted = ReferralFactory(accepted=True, activity=activity, answered_by=provider_staff)
    assert (accepted.status, moves(accepted)[-1]) == (S.ACCEPTED, ("sent", "accepted"))
    assert accepted.accepted_at is not None and accepted.events.last().actor == provider_staff
    attending = ReferralFactory(attending=True)
    assert moves(attending)[-1] == ("accepted", "attending")
    assert attending.first_attended_on is not None
    assert attending.events.last().actor.organisation == attending.activity.provider.organisation


def test_declined_and_signposted():
    declined = ReferralFactory(declined=True)
    assert (declined.status, declined.decline_reason) == (S.DECLINED, "full")
    signposted = ReferralFactory(signposted=True)
    assert (signposted.kind, signposted.status) == ("signpost", S.SIGNPOSTED)
    assert moves(signposted) == [("", "signposted")]
    assert set(signposted.nudges.values_list("audience", flat=True)) == {
        Nudge.Audience.SERVICE_USER
    }


def test_answering_needs_someone_to_answer():
    with pytest.raises(ValueError, match="answered_by"):
        ReferralFactory(
            accepted=True,
            activity=ActivityFactory(takes_referrals=True, referral_email="r@example.org"),
        )


def test_without_a_trait_the_row_is_written_as_given():
    referral = ReferralFactory(status="sent")
    assert referral.status == S.SENT and not referral.events.exists()


def test_episode_outcomes_come_from_the_rules():
    assert EpisodeFactory().ended_on is None
    ended = EpisodeFactory(ended=True)
    assert ended.ended_on == date(2026, 3, 2) and ended.finished_treatment is False
    recovered = EpisodeFactory(recovered=True)
    recovered.refresh_from_db()
    assert (recovered.recovered, recovered.caseness_at_start) == (True, True)
    assert (recovered.first_phq9, recovered.last_phq9, recovered.treatment_sessions) == (15, 5, 3)
    assert Appointment.objects.filter(episode=recovered).count() == 3
    not_recovered = EpisodeFactory(not_recovered=True)
    not_recovered.refresh_from_db()
    assert (not_recovered.recovered, not_recovered.finished_treatment) == (False, True)


def test_a_risk_flag_is_raised_by_a_phq9_item_9():
    flag = RiskFlagFactory(phq9=5, item_9=2)
    assert (flag.measure.total, flag.measure.item_9, flag.is_open) == (5, 2, True)
    assert flag.service_user == flag.measure.episode.service_user
