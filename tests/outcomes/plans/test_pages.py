"""The clinician's side: the conversation updates the record, the plan form refuses steps
that go down and out-of-range numbers, a target beyond what PAR-Q+ allows is kept back,
and a sent plan goes through the outbox and replaces the one before."""

from datetime import date

import pytest
from django.urls import reverse

from outcomes.models import Measure
from outcomes.plans.links import plan_page_path
from outcomes.plans.models import ActivityConversation, ActivityPlan, PlanStep
from outcomes.plans.rules import GENTLE_WEEKLY_LIMIT
from outcomes.plans.services import plan_send
from providers.activity_types import common_interest_choices
from referrals.models import Screening, ServiceUser
from referrals.nudges.models import Nudge
from talkingmoves.vocabulary.message_words import says_something_clinical
from tests.outcomes.factories import EpisodeFactory
from tests.outcomes.plans.conftest import SIX_WEEKS, input_value, main_part, make_plan
from tests.referrals.factories import (
    ReferralFactory,
    ScreeningFactory,
    ServiceUserFactory,
    with_consent_and_clear_screening,
)


def _conversation_url(person):
    return reverse("outcomes:plan_conversation", args=[person.public_id])


def _plan_url(person):
    return reverse("outcomes:plan_new", args=[person.public_id])


def _plan_form(pairs=SIX_WEEKS, target=150, **extra):
    data = {"activity": "walking", "target_minutes": str(target), "description": ""}
    for week, (minutes, days) in enumerate(pairs, start=1):
        data[f"week_{week}_minutes"] = str(minutes)
        data[f"week_{week}_days"] = str(days)
    return {**data, **extra}


# --- The conversation -------------------------------------------------------------------


def test_the_conversation_updates_interests_barriers_and_preferences_and_is_dated(
    client_for, clinician, person
):
    walking = dict((label, ident) for ident, label in common_interest_choices())["Walking"]
    response = client_for(clinician).post(
        _conversation_url(person),
        {
            "enjoys": [walking],
            "enjoys_note": "used to walk the dog",
            "barriers": ["confidence", "time"],
            "confidence": "4",
            "readiness": "thinking",
            "support": "group",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#being-active")
    person = ServiceUser.objects.get(pk=person.pk)
    assert person.interests == [walking]
    assert person.barriers == ["confidence", "time"]
    assert person.prefers_format == "group"  # so the matching looks for groups first
    conversation = ActivityConversation.objects.get()
    assert conversation.held_at.date() == date(2026, 3, 2)
    assert (conversation.confidence, conversation.recorded_by) == (4, clinician)
    record = client_for(clinician).get(reverse("referrals:record", args=[person.public_id]))
    page = record.content.decode()
    assert "Being active" in page and "2 March 2026" in page and "Thinking about it" in page


def test_a_second_conversation_is_kept_beside_the_first(client_for, clinician, person):
    client = client_for(clinician)
    for confidence in ("3", "6"):
        client.post(
            _conversation_url(person),
            {"confidence": confidence, "readiness": "ready", "support": "own"},
        )
    assert sorted(ActivityConversation.objects.values_list("confidence", flat=True)) == [3, 6]


@pytest.mark.parametrize("confidence", ["11", "-1", "lots"])
def test_confidence_out_of_range_is_refused_with_the_error_summary(
    client_for, clinician, person, confidence
):
    response = client_for(clinician).post(
        _conversation_url(person),
        {"confidence": confidence, "readiness": "ready", "support": "own", "enjoys_note": "swim"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page and "There is a problem" in page
    assert page.count("Enter how confident they feel, from 0 to 10") == 2  # summary + field
    assert input_value(page, "enjoys_note") == "swim"  # what was typed is kept
    assert not ActivityConversation.objects.exists()


def test_the_conversation_page_offers_one_five_and_longer_prompts(client_for, clinician, person):
    page = client_for(clinician).get(_conversation_url(person)).content.decode()
    for heading in ("If you have one minute", "three to five minutes", "If you have longer"):
        assert heading in page


# --- The plan form ----------------------------------------------------------------------


def test_the_form_suggests_small_steps_from_the_weekly_minutes_measure(
    client_for, clinician, person
):
    episode = EpisodeFactory(service_user=person, created_by=clinician)
    Measure.objects.create(
        episode=episode,
        kind="activity_minutes",
        taken_on=date(2026, 2, 23),
        moderate_minutes=30,
        vigorous_minutes=0,
        total=30,
        recorded_by=clinician,
        source="clinician",
    )
    page = client_for(clinician).get(_plan_url(person)).content.decode()
    # 30 minutes a week now: week 1 is 10 minutes on 3 days, rising to 150 by week 6.
    assert (input_value(page, "week_1_minutes"), input_value(page, "week_1_days")) == ("10", "3")
    assert (input_value(page, "week_6_minutes"), input_value(page, "week_6_days")) == ("30", "5")
    assert input_value(page, "target_minutes") == "150"


def test_a_plan_is_saved_as_a_draft_with_its_steps(client_for, clinician, person):
    response = client_for(clinician).post(_plan_url(person), _plan_form())
    plan = ActivityPlan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("outcomes:plan_detail", args=[plan.public_id])
    assert plan.status == "draft" and plan.target_minutes == 150
    assert list(plan.steps.values_list("minutes_a_day", "days")) == SIX_WEEKS
    assert not Nudge.objects.filter(template="personal_plan").exists()


def test_steps_that_go_down_are_refused_and_what_was_typed_is_kept(client_for, clinician, person):
    pairs = [(10, 3), (20, 3), (10, 3), (20, 4), (25, 4), (30, 5)]
    response = client_for(clinician).post(_plan_url(person), _plan_form(pairs))
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    message = "Week 3 asks for less than week 2. Each week should stay the same or go up a little"
    assert page.count(message) == 2
    assert input_value(page, "week_2_minutes") == "20"
    assert not ActivityPlan.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("week_1_days", "8", "Enter days for week 1, from 1 to 7"),
        ("week_2_minutes", "-5", "Enter minutes for week 2, from 1 to 180"),
        ("week_3_minutes", "500", "Enter minutes for week 3, from 1 to 180"),
        ("target_minutes", "0", "Enter a weekly goal from 1 to 1260 minutes"),
        ("activity", "", "Select what they will do"),
    ],
)
def test_numbers_out_of_range_are_refused(client_for, clinician, person, field, value, message):
    response = client_for(clinician).post(_plan_url(person), _plan_form(**{field: value}))
    page = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in page
    assert page.count(message) == 2
    assert not ActivityPlan.objects.exists()


def test_fewer_than_six_weeks_is_refused(client_for, clinician, person):
    data = _plan_form(SIX_WEEKS[:5])
    response = client_for(clinician).post(_plan_url(person), data)
    assert "Enter minutes for week 6, from 1 to 180" in response.content.decode()
    assert not ActivityPlan.objects.exists()


def test_clinical_words_in_the_description_are_refused(client_for, clinician, person):
    response = client_for(clinician).post(
        _plan_url(person), _plan_form(description="walks for my depression")
    )
    page = response.content.decode()
    assert "Describe the activity without clinical words" in page
    assert input_value(page, "description") == "walks for my depression"
    assert not ActivityPlan.objects.exists()


# --- A target beyond what PAR-Q+ allows -----------------------------------------------


def test_a_target_beyond_what_par_q_allows_is_kept_back_until_resolved(
    client_for, clinician, person
):
    screening = ScreeningFactory(service_user=person, advice_needed=True)
    client = client_for(clinician)
    client.post(_plan_url(person), _plan_form())
    plan = ActivityPlan.objects.get()
    detail = client.get(reverse("outcomes:plan_detail", args=[plan.public_id])).content.decode()
    assert "This plan cannot be sent yet" in detail
    assert f"Keep the plan to {GENTLE_WEEKLY_LIMIT} minutes a week or less" in detail

    refused = client.post(reverse("outcomes:plan_send", args=[plan.public_id]), follow=True)
    assert "PAR-Q+ screening asked for advice" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert not Nudge.objects.filter(template="personal_plan").exists()

    # Resolved: the screening is discussed and they are cleared to start gradually.
    Screening.objects.filter(pk=screening.pk).update(
        resolution=Screening.Resolution.DISCUSSED_AND_CLEARED, resolved_by=clinician
    )
    client.post(reverse("outcomes:plan_send", args=[plan.public_id]))
    plan.refresh_from_db()
    assert plan.status == "sent"
    assert Nudge.objects.filter(template="personal_plan", service_user=person).count() == 1


def test_a_gentle_plan_after_par_q_advice_can_be_sent(client_for, clinician, person):
    ScreeningFactory(service_user=person, advice_needed=True)
    pairs = [(5, 3), (5, 4), (10, 3), (10, 4), (10, 5), (10, 6)]
    client = client_for(clinician)
    client.post(_plan_url(person), _plan_form(pairs, target=60))
    plan = ActivityPlan.objects.get()
    client.post(reverse("outcomes:plan_send", args=[plan.public_id]))
    plan.refresh_from_db()
    assert plan.status == "sent"


def test_the_form_suggests_a_gentle_target_after_par_q_advice(client_for, clinician, person):
    ScreeningFactory(service_user=person, advice_needed=True)
    page = client_for(clinician).get(_plan_url(person)).content.decode()
    assert input_value(page, "target_minutes") == str(GENTLE_WEEKLY_LIMIT)


# --- Sending and changing -------------------------------------------------------------


def test_sending_queues_the_plan_link_and_a_changed_plan_replaces_it(client_for, clinician, person):
    first = make_plan(person, clinician)
    nudge = Nudge.objects.get(template="personal_plan")
    assert nudge.link_path.startswith("/outcomes/my-plan/")
    client = client_for(clinician)
    client.post(
        _plan_url(person), _plan_form([(15, 3), (15, 4), (20, 4), (20, 5), (25, 5), (30, 5)])
    )
    second = ActivityPlan.objects.get(status="draft")
    assert second.replaces == first
    client.post(reverse("outcomes:plan_send", args=[second.public_id]))
    statuses = dict(ActivityPlan.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "replaced", second.pk: "sent"}  # history kept
    assert PlanStep.objects.filter(plan=first).count() == 6
    assert Nudge.objects.filter(template="personal_plan").count() == 2


def test_no_send_without_consent_or_after_stop(client_for, clinician, person):
    ServiceUser.objects.filter(pk=person.pk).update(consent_email_at=None)
    plan = make_plan(person, clinician, send=False)
    response = client_for(clinician).post(
        reverse("outcomes:plan_send", args=[plan.public_id]), follow=True
    )
    assert "print the plan for them instead" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_the_print_pages_hold_the_plan_and_nothing_clinical(client_for, clinician, person, plan):
    client = client_for(clinician)
    for suffix in ("", "?version=easy-read"):
        page = client.get(reverse("outcomes:plan_print", args=[plan.public_id]) + suffix)
        # What prints: the page's main part (the header and footer are not printed).
        text = main_part(page.content.decode())
        assert "Walk for 10 minutes" in text
        assert not says_something_clinical(text) and person.family_name not in text


def test_interests_the_conversation_does_not_ask_about_are_kept(client_for, clinician, person):
    ServiceUser.objects.filter(pk=person.pk).update(interests=["not-a-common-interest"])
    client_for(clinician).post(
        _conversation_url(person), {"confidence": "5", "readiness": "ready", "support": "own"}
    )
    assert ServiceUser.objects.get(pk=person.pk).interests == ["not-a-common-interest"]


def test_a_plan_can_be_tied_to_a_referral_and_the_person_sees_its_name(
    client, client_for, clinician, person, activity
):
    with_consent_and_clear_screening(person, by=clinician)
    sent_referral = ReferralFactory(sent=True, service_user=person, activity=activity)
    response = client_for(clinician).post(
        _plan_url(person), _plan_form(referral=str(sent_referral.pk))
    )
    plan = ActivityPlan.objects.get()
    assert response.status_code == 302 and plan.referral == sent_referral
    plan_send(plan=plan, by=clinician)  # and the person's page names the activity
    page = client.get(plan_page_path(plan)).content.decode()
    assert "You could do some of it at Beginners&#x27; walking group." in page


def test_a_referral_of_someone_else_cannot_be_tied(client_for, clinician, person, activity):
    other = ServiceUserFactory(
        service=person.service, assigned_clinician=clinician, ready_to_refer=True
    )
    theirs = ReferralFactory(sent=True, service_user=other, activity=activity)
    response = client_for(clinician).post(_plan_url(person), _plan_form(referral=str(theirs.pk)))
    assert "Select a valid choice" in response.content.decode()
    assert not ActivityPlan.objects.exists()
