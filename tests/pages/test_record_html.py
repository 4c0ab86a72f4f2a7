"""The service-user record: the parts written in Python give the HTML main's templates gave,
on the same data, for a person with something in every section."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from outcomes.models import Appointment, Measure
from outcomes.plans import services as plan_services
from outcomes.plans.models import ActivityPlan, PlanCheckIn
from providers.activity_types import common_interest_choices
from referrals.models import Attendance
from referrals.nudges import answers
from referrals.nudges.models import MessagesConsentEvent, Nudge, NudgeResponse, TextReply
from referrals.records import services as record_services
from referrals.shortlists.models import ShortlistItem
from referrals.worklist import services as worklist
from referrals.worklist.models import Task
from tests.factories import ClinicianFactory, ProviderStaffFactory, with_duty_contact
from tests.nudges.factories import NudgeFactory, did_you_go
from tests.outcomes.factories import (
    AppointmentFactory,
    EpisodeFactory,
    RiskFlagFactory,
    gad7_items,
    measure,
)
from tests.outcomes.plans.conftest import make_plan
from tests.providers.factories import ActivityFactory
from tests.referrals.factories import ReferralFactory, ScreeningFactory, ServiceUserFactory

pytestmark = pytest.mark.usefixtures("frozen", "fresh_cache")


def _record(person) -> str:
    return f"/service-users/{person.public_id}/"


@pytest.fixture
def full(clinician, person, activity):
    """Something in every section, and names and notes that need escaping."""
    person.given_name, person.family_name, person.nhs_number = "Ann <b>", "O'Neil & Co", ""
    person.interests = [ident for ident, label in common_interest_choices() if label == "Walking"]
    person.save()
    for state in ("draft", "sent", "accepted", "declined", "signposted"):
        ReferralFactory(service_user=person, **{state: True})
    went = ReferralFactory(service_user=person, activity=activity, attending=True)
    Attendance.objects.create(
        referral=went, session_date=timezone.localdate() - timedelta(days=7), status="missed"
    )
    # An older screening whose advice was settled, with a note of two lines to escape.
    settled = ScreeningFactory(
        service_user=person, advice_needed=True, taken_at=timezone.now() - timedelta(days=40)
    )
    record_services.screening_resolve(
        screening=settled,
        resolution="discussed_cleared",
        note="GP said <yes>\nstart slowly",
        by=clinician,
    )
    ScreeningFactory(service_user=person, advice_needed=True)
    record_services.consent_record(service_user=person, consent="sms", by=clinician)
    record_services.consent_withdraw(service_user=person, consent="email", by=clinician)
    worklist.task_create_for_service_user(service_user=person, kind=Task.Kind.NOT_YET)
    ended = EpisodeFactory(service_user=person, recovered=True, created_by=clinician)
    AppointmentFactory(
        episode=ended, on=date(2026, 1, 20), attendance=Appointment.Attendance.DID_NOT_ATTEND
    )
    episode = EpisodeFactory(
        service_user=person, referral_received_on=date(2026, 2, 2), scores=((16, 11), (9, 6))
    )
    measure(episode, "gad7", gad7_items(7), on=date(2026, 2, 20), source="self_completed")
    measure(episode, "activity_days", [3], on=date(2026, 2, 21))
    for on, total, of in ((date(2026, 2, 23), 75, episode), (date(2026, 1, 12), 20, ended)):
        Measure.objects.create(
            episode=of, kind="activity_minutes", taken_on=on, moderate_minutes=total,
            vigorous_minutes=0, total=total, recorded_by=clinician, source="clinician",
        )  # fmt: skip
    RiskFlagFactory(episode=episode)
    reviewed = RiskFlagFactory(episode=episode, taken_on=date(2026, 2, 9))
    reviewed.reviewed_at, reviewed.reviewed_by = timezone.now(), clinician
    reviewed.review_note = "Called, safe"
    reviewed.save()
    asked = did_you_go(went)
    Nudge.objects.filter(pk=asked.pk).update(status=Nudge.Status.SENT, sent_at=timezone.now())
    answers.nudge_answer(nudge=asked, answer="not_yet")
    skipped = NudgeFactory(
        service_user=person, template="check_in", status="skipped", skip_reason="no_consent"
    )
    # "Stop these messages" from a message's link: shown as stopped, from the link.
    NudgeResponse.objects.create(
        nudge=skipped, answer="stop", answered_at=timezone.now() - timedelta(days=3)
    )
    TextReply.objects.create(
        service_user=person,
        nudge=asked,
        notify_id="r1",
        received_at=timezone.now(),
        text="Can't <go>\nthis week",
        kind="free_text",
    )
    MessagesConsentEvent.objects.create(service_user=person, change="stopped", source="text_reply")
    with_duty_contact(clinician.organisation)
    plan = make_plan(person, clinician, pairs=[(10, 3)] * 3 + [(10, 4)] * 3, target=60)
    # Week 1 met, week 2 not, week 3 nothing done; the rest not answered.
    for week, days in ((1, 3), (2, 1), (3, 0)):
        PlanCheckIn.objects.create(plan=plan, week=week, days_done=days, minutes_a_day=10)
    plan_services.conversation_record(
        service_user=person, by=clinician, enjoys=person.interests, confidence=6,
        barriers=["cost", "social_anxiety"], readiness="thinking", support="with_someone",
    )  # fmt: skip
    ShortlistItem.objects.create(service_user=person, activity=activity, note="Bring <water>")
    ShortlistItem.objects.create(service_user=person, activity=ActivityFactory(), note="")
    ProviderStaffFactory(organisation=activity.provider.organisation)
    return person


def test_the_record_as_main(render_both, client_for, clinician, full):
    client = client_for(clinician)
    before, after = render_both(lambda: client.get(_record(full)))
    for text in ("Ann &lt;b&gt; O&#x27;Neil &amp; Co", "Answered: Not yet", "Self-completed",
                 "Can&#x27;t &lt;go&gt;<br>this week", "Did not attend", "Risk flag",
                 "Bring &lt;water&gt;", "not recorded", "Signpost",
                 "from the link in a message", ">Walking<",
                 "20 (12 January 2026)", "75 (23 February 2026)",
                 "GP said &lt;yes&gt;<br>start slowly"):  # fmt: skip
        assert text in after, text
    assert after == before


@pytest.mark.parametrize("role", ["lead", "colleague"])
def test_the_record_as_main_for_others(render_both, client_for, clinician, lead, full, role):
    # Neither sees the text replies to read (they are the assigned clinician's).
    viewer = lead if role == "lead" else ClinicianFactory(organisation=clinician.organisation)
    client = client_for(viewer)
    before, after = render_both(lambda: client.get(_record(full)))
    assert after == before


def test_an_empty_record_as_main(render_both, client_for, clinician):
    person = ServiceUserFactory(service=clinician.organisation, assigned_clinician=clinician)
    client = client_for(clinician)
    before, after = render_both(lambda: client.get(_record(person)))
    assert "No referrals yet." in after
    assert after == before


def test_the_plan_page_as_main(render_both, client_for, clinician, full):
    # Its chart and table are the record's "Being active" progress (one piece of Python).
    plan = ActivityPlan.objects.get(service_user=full)
    client = client_for(clinician)
    before, after = render_both(lambda: client.get(f"/outcomes/plans/{plan.public_id}/"))
    assert "Not answered" in after and "tm-plan-chart" in after
    assert after == before


def test_a_record_with_no_plan_and_no_conversation_as_main(
    render_both, client_for, clinician, person
):
    measure(EpisodeFactory(service_user=person), "activity_days", [2], on=date(2026, 2, 3))
    client = client_for(clinician)
    before, after = render_both(lambda: client.get(_record(person)))
    assert "No conversation about being active yet" in after and "Make a plan" in after
    assert after == before
