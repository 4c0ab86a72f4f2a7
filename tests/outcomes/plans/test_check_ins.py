"""Check-ins at set times (issue 17 item 4): one message a week of the plan through the
outbox, under its consent, channel, quiet-hours and stop rules; the week-6 call as a task
once; two weekly check-ins in a row unanswered as one task, never another message.

The plan starts on Monday 2 March 2026 (the frozen clock), so week N's check-in is due at
10:00 London time on 2 March + 7N days: 9, 16, 23, 30 March, 6 and 13 April."""

import re
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outcomes.plans import checkins, services
from outcomes.plans.links import PLAN_PAGE, plan_page_path
from referrals.models import ServiceUser
from referrals.nudges import delivery
from referrals.nudges.models import Nudge
from referrals.nudges.replies import messages_stop
from referrals.worklist.models import Task
from talkingmoves.notify.models import StoredMessage
from talkingmoves.vocabulary.message_words import says_something_clinical
from talkingmoves.vocabulary.replies import MessagesChangeSource
from talkingmoves.vocabulary.tasks import TaskKind
from tests.outcomes.plans.conftest import make_plan

LONDON = ZoneInfo("Europe/London")
N = Nudge.Status
WEEK_DUE = {
    1: datetime(2026, 3, 9, 10, tzinfo=LONDON),
    2: datetime(2026, 3, 16, 10, tzinfo=LONDON),
    3: datetime(2026, 3, 23, 10, tzinfo=LONDON),
    4: datetime(2026, 3, 30, 10, tzinfo=LONDON),  # British Summer Time from 29 March
    5: datetime(2026, 4, 6, 10, tzinfo=LONDON),
    6: datetime(2026, 4, 13, 10, tzinfo=LONDON),
    7: datetime(2026, 4, 20, 10, tzinfo=LONDON),  # when week 7's would be: week 6 is late
}
LINK = re.compile(r"https?://\S+")


def check_ins(person, **filters):
    return Nudge.objects.filter(service_user=person, template="plan_check_in", **filters)


def deliver_due(now) -> dict:
    return {str(i): delivery.deliver(i, now=now) for i in delivery.claim_due(now=now)}


def answer(plan, week, days=3, minutes=10):
    services.check_in_record(plan=plan, week=week, days_done=days, minutes_a_day=minutes)


@pytest.fixture
def delivered(plan):
    """The plan, its own message sent on the day (so a check-in is never the day's second)."""
    deliver_due(timezone.now())
    return plan


def missed_made(now) -> int:
    """How many missed check-ins tasks the sweep makes at `now`."""
    return checkins.plan_check_in_tasks(now=now)["missed_check_ins"]


def plan_tasks(person, kind):
    return Task.objects.filter(service_user=person, kind=kind)


# --- The schedule ---------------------------------------------------------------------------


def test_sending_a_plan_schedules_a_check_in_for_each_week_at_ten(plan, person):
    scheduled = list(check_ins(person, status=N.SCHEDULED).order_by("due_at"))
    assert [n.due_at for n in scheduled] == [WEEK_DUE[week] for week in range(1, 7)]
    for week, nudge in enumerate(scheduled, start=1):
        assert nudge.audience == "service_user" and nudge.referral is None
        # The plan's own signed link, opening at the week it asks about.
        path, query = nudge.link_path.split("?")
        assert PLAN_PAGE.value(path.split("/")[-2]) == str(plan.public_id)
        assert query == f"week={week}"


def test_a_draft_plan_schedules_nothing(person, clinician):
    make_plan(person, clinician, send=False)
    assert not check_ins(person).exists()


def _plan_of(nudge) -> str:
    return PLAN_PAGE.value(nudge.link_path.split("?")[0].split("/")[-2])


def test_replacing_a_plan_cancels_its_unsent_check_ins(delivered, plan, person, clinician):
    assert deliver_due(WEEK_DUE[1]) == {str(check_ins(person).first().pk): "sent"}
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=LONDON), tick=False):
        later = make_plan(
            person, clinician, pairs=[(15, 3), (15, 4), (20, 4), (20, 5), (25, 5), (30, 5)]
        )
    nudges = list(check_ins(person).order_by("due_at"))
    old = [n.status for n in nudges if _plan_of(n) == str(plan.public_id)]
    assert old == [N.SENT] + [N.CANCELLED] * 5
    # The new plan has a check-in for each of its weeks, counted from its own start.
    new = [n for n in nudges if _plan_of(n) == str(later.public_id)]
    assert [n.status for n in new] == [N.SCHEDULED] * 6
    assert new[0].due_at == datetime(2026, 3, 17, 10, tzinfo=LONDON)


def test_a_plan_sent_late_gets_no_burst_of_past_check_ins(person, clinician):
    draft = make_plan(person, clinician, send=False)
    with time_machine.travel(datetime(2026, 3, 17, 9, tzinfo=LONDON), tick=False):
        services.plan_send(plan=draft, by=clinician)
    assert list(check_ins(person).order_by("due_at").values_list("due_at", flat=True)) == [
        WEEK_DUE[week] for week in range(3, 7)
    ]


# --- The outbox's rules ---------------------------------------------------------------------


def test_a_check_in_goes_by_email_with_its_link_and_nothing_clinical(delivered, plan, person):
    nudge = check_ins(person).order_by("due_at").first()
    assert deliver_due(WEEK_DUE[1] - timedelta(minutes=1)) == {}  # not before its time
    assert deliver_due(WEEK_DUE[1]) == {str(nudge.pk): "sent"}
    nudge.refresh_from_db()
    assert nudge.channel == "email" and nudge.sent_to == person.email
    sent = StoredMessage.objects.get(reference=str(nudge.pk)).personalisation
    assert sent["subject"] == "How did your week go?"
    assert "Tell us how many days you managed" in sent["body"]
    assert f"{plan_page_path(plan)}?week=1" in sent["body"]
    assert not says_something_clinical(LINK.sub("", f"{sent['subject']}\n{sent['body']}"))


def test_every_check_in_text_is_free_of_clinical_words(plan, person):
    from referrals.nudges.delivery import message_context
    from referrals.nudges.messages import TEMPLATES

    nudge = check_ins(person).first()
    for channel in ("sms", "email"):
        subject, body = TEMPLATES["plan_check_in"].render(channel, message_context(nudge))
        assert not says_something_clinical(LINK.sub("", f"{subject}\n{body}")), channel
        assert "{" not in body


def test_a_text_in_quiet_hours_waits_until_eight(delivered, plan, person):
    ServiceUser.objects.filter(pk=person.pk).update(
        mobile="07700900123", consent_sms_at=timezone.now(), preferred_contact="sms"
    )
    nudge = check_ins(person).order_by("due_at").first()
    evening = datetime(2026, 3, 9, 21, 30, tzinfo=LONDON)  # the dispatcher was down all day
    assert deliver_due(evening) == {str(nudge.pk): "deferred"}
    nudge.refresh_from_db()
    assert nudge.due_at == datetime(2026, 3, 10, 8, tzinfo=LONDON)
    assert deliver_due(datetime(2026, 3, 10, 8, 0, 30, tzinfo=LONDON)) == {str(nudge.pk): "sent"}
    nudge.refresh_from_db()
    assert nudge.channel == "sms"


def test_without_consent_a_check_in_is_skipped_with_the_reason(delivered, plan, person):
    ServiceUser.objects.filter(pk=person.pk).update(consent_email_at=None)
    nudge = check_ins(person).order_by("due_at").first()
    assert deliver_due(WEEK_DUE[1]) == {str(nudge.pk): "skipped"}
    nudge.refresh_from_db()
    assert nudge.skip_reason == Nudge.SkipReason.NO_CONSENT


def test_a_stop_request_cancels_the_check_ins_and_none_is_sent(plan, person):
    messages_stop(person=person, source=MessagesChangeSource.TEXT_REPLY)
    assert not check_ins(person, status=N.SCHEDULED).exists()
    assert check_ins(person, status=N.CANCELLED).count() == 6
    for week in range(1, 7):
        assert deliver_due(WEEK_DUE[week]) == {}


def test_stopped_after_scheduling_a_check_in_due_is_skipped(delivered, plan, person):
    # Stopped some other way than the stop service (a data fix, say): the send-time check.
    ServiceUser.objects.filter(pk=person.pk).update(nudges_stopped_at=timezone.now())
    nudge = check_ins(person).order_by("due_at").first()
    assert deliver_due(WEEK_DUE[1]) == {str(nudge.pk): "skipped"}
    nudge.refresh_from_db()
    assert nudge.skip_reason == Nudge.SkipReason.OPTED_OUT


# --- The link opens at the week it asks about ------------------------------------------------


def _checked_week(page: str) -> str:
    radios = re.findall(r'<input[^>]*name="week"[^>]*>', page)
    checked = [r for r in radios if "checked" in r]
    assert len(checked) == 1, radios
    return re.search(r'value="([^"]*)"', checked[0]).group(1)


def test_a_check_in_link_opens_the_page_at_its_week(client, plan, person):
    # Week 2's check-in, read a day late (week 3 has begun): week 2 is chosen.
    with time_machine.travel(WEEK_DUE[2] + timedelta(days=1), tick=False):
        page = client.get(f"{plan_page_path(plan)}?week=2").content.decode()
        assert _checked_week(page) == "2"
        response = client.post(
            f"{plan_page_path(plan)}?week=2", {"week": "2", "days_done": "2", "minutes_a_day": "15"}
        )
    assert response.status_code == 302
    assert plan.check_ins.get().week == 2


@pytest.mark.parametrize("week", ["abc", "0", "9", "4", "-1", "\u0662", "2.0", ""])
def test_a_bad_week_in_the_link_is_ignored(client, plan, week):
    with time_machine.travel(WEEK_DUE[2], tick=False):  # week 3 of the plan
        response = client.get(plan_page_path(plan), {"week": week})
    assert response.status_code == 200
    assert _checked_week(response.content.decode()) == "3"


# --- Tasks: the week-6 call, and two missed check-ins in a row --------------------------------


def test_the_week_6_call_is_a_task_once_when_week_6_is_due(plan, person, clinician, client_for):
    for week in range(1, 6):
        answer(plan, week)
    assert checkins.plan_check_in_tasks(now=WEEK_DUE[6] - timedelta(minutes=1)) == {
        "follow_up_calls": 0,
        "missed_check_ins": 0,
    }
    assert checkins.plan_check_in_tasks(now=WEEK_DUE[6])["follow_up_calls"] == 1
    task = plan_tasks(person, TaskKind.PLAN_WEEK_6_CALL).get()
    assert task.link_path == reverse("outcomes:plan_detail", args=[plan.public_id])
    assert task.detail == "Walking plan: 5 of 6 weeks answered"
    # Run again, or after it is done: never a second one for the plan.
    assert checkins.plan_check_in_tasks(now=WEEK_DUE[6] + timedelta(hours=1)) == {
        "follow_up_calls": 0,
        "missed_check_ins": 0,
    }
    Task.objects.filter(pk=task.pk).update(done_at=timezone.now())
    assert checkins.plan_check_in_tasks(now=WEEK_DUE[7])["follow_up_calls"] == 0
    assert plan_tasks(person, TaskKind.PLAN_WEEK_6_CALL).count() == 1
    # The clinician is told by email, as for any task (a message to staff, not to them).
    assert Nudge.objects.filter(template="clinician_new_task", service_user=person).exists()


def test_the_task_list_links_to_the_plan_with_its_answers(plan, person, clinician, client_for):
    answer(plan, 1, days=3, minutes=10)
    checkins.plan_check_in_tasks(now=WEEK_DUE[6])
    staff = client_for(clinician)
    tasks_page = staff.get(reverse("referrals:tasks")).content.decode()
    detail = reverse("outcomes:plan_detail", args=[plan.public_id])
    assert "Call about their activity plan (week 6)" in tasks_page
    assert f'href="{detail}"' in tasks_page
    plan_page = staff.get(detail)
    assert plan_page.status_code == 200
    # The plan and the answers together: week 1's answer against its plan.
    row = re.search(r"<th scope=\"row\">1</th>(.*?)</tr>", plan_page.content.decode(), re.S)
    assert row and "30" in row.group(1)


def test_the_week_6_call_is_raised_even_when_messages_were_stopped(plan, person):
    messages_stop(person=person, source=MessagesChangeSource.TEXT_REPLY)
    for week in range(1, 6):
        answer(plan, week)
    checkins.plan_check_in_tasks(now=WEEK_DUE[6])
    assert plan_tasks(person, TaskKind.PLAN_WEEK_6_CALL).count() == 1


def test_two_missed_check_ins_in_a_row_raise_one_task(plan, person):
    # Week 1 is late only once week 2's check-in is due; then one missed is not a task.
    assert missed_made(WEEK_DUE[2]) == 0
    assert missed_made(WEEK_DUE[3] - timedelta(minutes=1)) == 0
    assert missed_made(WEEK_DUE[3]) == 1
    task = plan_tasks(person, TaskKind.PLAN_MISSED).get()
    assert task.link_path == reverse("outcomes:plan_detail", args=[plan.public_id])
    # A third missed week is the same run: no second task, open or done.
    assert missed_made(WEEK_DUE[4]) == 0
    Task.objects.filter(pk=task.pk).update(done_at=timezone.now())
    assert missed_made(WEEK_DUE[4] + timedelta(hours=1)) == 0
    assert plan_tasks(person, TaskKind.PLAN_MISSED).count() == 1


def test_one_missed_check_in_raises_nothing_and_an_answer_starts_again(plan, person):
    answer(plan, 2)
    # Weeks 1 and 3 missed, week 2 answered between them: no two in a row.
    assert missed_made(WEEK_DUE[4]) == 0
    # Weeks 3 and 4 missed: a new run, one task.
    assert missed_made(WEEK_DUE[5]) == 1
    assert plan_tasks(person, TaskKind.PLAN_MISSED).get().source_key.endswith("week-3")


def test_a_new_run_of_missed_weeks_waits_while_a_task_is_open(plan, person):
    checkins.plan_check_in_tasks(now=WEEK_DUE[3])  # weeks 1 and 2: a task
    answer(plan, 3)
    # Weeks 4 and 5 missed: a new run, but the plan's task is still open: nothing more.
    assert missed_made(WEEK_DUE[6]) == 0
    Task.objects.filter(kind=TaskKind.PLAN_MISSED).update(done_at=timezone.now())
    assert missed_made(WEEK_DUE[6]) == 1
    assert plan_tasks(person, TaskKind.PLAN_MISSED).count() == 2


def test_the_last_weeks_are_late_when_the_next_would_be_due(plan, person):
    for week in range(1, 5):
        answer(plan, week)
    assert missed_made(WEEK_DUE[7] - timedelta(minutes=1)) == 0
    assert missed_made(WEEK_DUE[7]) == 1


def test_missed_check_ins_never_send_the_person_another_message(plan, person):
    """Never nags: over the whole plan, unanswered, they get the plan and one check-in a
    week, nothing else; their clinician gets the tasks."""
    moments = sorted(
        [*WEEK_DUE.values()] + [WEEK_DUE[w] + timedelta(days=d) for w in WEEK_DUE for d in (1, 3)]
    )
    for moment in moments:
        checkins.plan_check_in_tasks(now=moment)
        deliver_due(moment)
    to_them = Nudge.objects.filter(service_user=person, audience="service_user")
    assert (
        sorted(to_them.values_list("template", flat=True))
        == ["personal_plan"] + ["plan_check_in"] * 6
    )
    assert plan_tasks(person, TaskKind.PLAN_MISSED).count() == 1
    assert plan_tasks(person, TaskKind.PLAN_WEEK_6_CALL).count() == 1


def test_a_replaced_or_erased_plan_raises_no_task(plan, person, clinician):
    make_plan(person, clinician)  # replaces it, starting today as well
    checkins.plan_check_in_tasks(now=WEEK_DUE[7])
    # One of each for the plan now sent, none for the replaced one.
    keys = list(Task.objects.values_list("source_key", flat=True))
    assert len(keys) == 2 and not any(str(plan.public_id) in key for key in keys)
    Task.objects.all().delete()
    ServiceUser.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    assert checkins.plan_check_in_tasks(now=WEEK_DUE[7]) == {
        "follow_up_calls": 0,
        "missed_check_ins": 0,
    }


def test_a_plan_long_over_is_not_read(plan, person):
    assert checkins.plan_check_in_tasks(now=WEEK_DUE[7] + timedelta(weeks=12)) == {
        "follow_up_calls": 0,
        "missed_check_ins": 0,
    }


def test_the_sweep_runs_hourly_from_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["plan-check-in-tasks"]
    assert entry["task"] == "outcomes.tasks.plan_check_in_tasks"
    assert entry["schedule"] == 3600


def test_moving_the_clock_on_for_a_demo_raises_the_week_6_call(plan, person):
    out = StringIO()
    call_command("send_due_nudges", as_of="2026-04-13T10:30", stdout=out)
    assert plan_tasks(person, TaskKind.PLAN_WEEK_6_CALL).count() == 1
    assert "1 follow_up_calls" in out.getvalue()


def test_the_sweep_reads_any_number_of_plans_in_four_queries(
    plan, person, clinician, django_assert_num_queries
):
    from tests.referrals.factories import ServiceUserFactory

    for _ in range(3):
        someone = ServiceUserFactory(
            service=clinician.organisation,
            assigned_clinician=clinician,
            consent_email_at=timezone.now(),
        )
        make_plan(someone, clinician)
    # Plans, their steps, their answers, and the plan tasks already made.
    with django_assert_num_queries(4):
        assert checkins.plan_check_in_tasks(now=WEEK_DUE[2]) == {
            "follow_up_calls": 0,
            "missed_check_ins": 0,
        }


def test_a_later_sweep_does_not_try_again_what_it_already_made(
    plan, person, clinician, django_assert_num_queries
):
    week_6 = checkins.check_in_due_at(plan, 6)
    assert checkins.plan_check_in_tasks(now=week_6)["follow_up_calls"] == 1

    # The same four reads, and no INSERT that the unique source key would refuse.
    with django_assert_num_queries(4):
        assert checkins.plan_check_in_tasks(now=week_6 + timedelta(hours=1)) == {
            "follow_up_calls": 0,
            "missed_check_ins": 0,
        }
