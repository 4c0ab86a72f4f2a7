"""The person's own page from the link they were sent: readable on a phone, no clinical
words, an easy-read version, their weekly answers (out-of-range ones refused with the
NHS.UK error summary) and encouragement rather than scores; the link expires."""

import re

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from outcomes.plans.links import PLAN_PAGE, plan_page_path
from outcomes.plans.models import PlanCheckIn
from outcomes.plans.services import DAYS_OUT_OF_RANGE, MINUTES_OUT_OF_RANGE
from referrals.models import ServiceUser
from talkingmoves.vocabulary.message_words import says_something_clinical
from tests.outcomes.plans.conftest import input_value, make_plan

TAGS = re.compile(r"<[^>]+>")


def _words(page: str) -> str:
    return TAGS.sub(" ", page)


def test_the_plan_page_shows_the_weeks_in_plain_words(client, plan, person):
    response = client.get(plan_page_path(plan))
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{person.given_name}, your plan for getting more active" in page
    assert "Walk for 10 minutes, on 3 days." in page and "Walk for 30 minutes, on 5 days." in page
    assert 'name="viewport" content="width=device-width' in page
    assert person.family_name not in page and person.nhs_number not in page
    assert not says_something_clinical(_words(page))
    assert "<script>" not in page


def test_the_easy_read_page_has_pictures_and_short_sentences(client, plan):
    response = client.get(
        reverse("outcomes:plan_easy_read", args=[plan_page_path(plan).split("/")[-2]])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "My plan to be more active" in page
    assert page.count("<svg") >= 8  # a picture for each week, and two to start
    assert "Walk for 10 minutes.<br>Do it on 3 days this week." in page
    assert not says_something_clinical(_words(page))


def test_a_weekly_answer_is_saved_and_met_with_encouragement(client, plan, clinician, client_for):
    url = plan_page_path(plan)
    response = client.post(url, {"week": "1", "days_done": "3", "minutes_a_day": "10"})
    assert response.status_code == 302
    answer = PlanCheckIn.objects.get()
    assert (answer.week, answer.days_done, answer.minutes_a_day) == (1, 3, 10)
    page = client.get(url).content.decode()
    assert "Week 1: you did everything you planned. Well done." in page
    # And the clinician sees planned against reported on the record.
    record = client_for(clinician).get(
        reverse("referrals:record", args=[plan.service_user.public_id])
    )
    text = record.content.decode()
    assert "Planned and reported, week by week" in text
    row = re.search(r"<th scope=\"row\">1</th>(.*?)</tr>", text).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row) == ["3", "30 (10 a day)", "3", "30"]


def test_a_hard_week_gets_kindness_not_a_score(client, plan):
    client.post(plan_page_path(plan), {"week": "1", "days_done": "0", "minutes_a_day": "0"})
    page = client.get(plan_page_path(plan)).content.decode()
    assert "Week 1 was a hard week, and that is OK" in page
    assert "%" not in _words(page)


def test_a_second_answer_for_the_week_replaces_the_first(client, plan):
    for days in ("1", "2"):
        client.post(plan_page_path(plan), {"week": "1", "days_done": days, "minutes_a_day": "10"})
    assert list(PlanCheckIn.objects.values_list("days_done", flat=True)) == [2]


@pytest.mark.parametrize(
    ("days", "minutes", "message"),
    [
        ("8", "10", DAYS_OUT_OF_RANGE),
        ("-1", "10", DAYS_OUT_OF_RANGE),
        ("3", "-5", MINUTES_OUT_OF_RANGE),
        ("3", "181", MINUTES_OUT_OF_RANGE),
        ("three", "10", DAYS_OUT_OF_RANGE),
    ],
)
def test_answers_out_of_range_are_refused_on_the_page(client, plan, days, minutes, message):
    response = client.post(
        plan_page_path(plan), {"week": "1", "days_done": days, "minutes_a_day": minutes}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page and "There is a problem" in page
    assert page.count(message) == 2  # the summary and the field
    assert input_value(page, "days_done") == days  # what was typed is kept
    assert not PlanCheckIn.objects.exists()


def test_a_week_not_yet_reached_cannot_be_answered(client, plan):
    response = client.post(
        plan_page_path(plan), {"week": "4", "days_done": "3", "minutes_a_day": "10"}
    )
    assert "Select a week" in response.content.decode()
    assert not PlanCheckIn.objects.exists()


def test_later_weeks_open_as_the_plan_goes_on(client, plan):
    with time_machine.travel("2026-03-17 10:00Z", tick=False):  # day 15: week 3
        client.post(plan_page_path(plan), {"week": "3", "days_done": "4", "minutes_a_day": "15"})
    assert PlanCheckIn.objects.get().week == 3


def test_the_link_expires_after_twelve_weeks(client, plan):
    url = plan_page_path(plan)
    with time_machine.travel("2026-05-26 10:00Z", tick=False):  # 85 days on
        response = client.get(url)
    assert response.status_code == 410
    assert "Links to your plan last 12 weeks" in response.content.decode()


def test_a_replaced_plan_says_a_new_link_was_sent(client, plan, person, clinician):
    old = plan_page_path(plan)
    make_plan(person, clinician, pairs=[(15, 3), (15, 4), (20, 4), (20, 5), (25, 5), (30, 5)])
    response = client.get(old)
    assert response.status_code == 410
    assert "We sent you a new link" in response.content.decode()


def test_an_erased_record_closes_the_link(client, plan, person):
    from django.utils import timezone

    ServiceUser.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    assert client.get(plan_page_path(plan)).status_code == 410


@pytest.mark.parametrize("token", ["x", "not-a-token"])
def test_bad_tokens_are_404(client, token):
    assert client.get(reverse("outcomes:plan_page", args=[token])).status_code == 404


def test_a_draft_plan_or_another_links_token_is_404(client, person, clinician):
    draft = make_plan(person, clinician, send=False)
    assert (
        client.get(
            reverse("outcomes:plan_page", args=[PLAN_PAGE.token(draft.public_id)])
        ).status_code
        == 404
    )
    other_salt = signing.TimestampSigner(salt="outcomes.links.self-completion").sign(
        str(draft.public_id)
    )
    assert client.get(reverse("outcomes:plan_page", args=[other_salt])).status_code == 404


def test_the_page_is_rate_limited(client, plan, settings):
    settings.SELF_COMPLETION_RATE_LIMIT = 2
    url = plan_page_path(plan)
    statuses = [client.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
