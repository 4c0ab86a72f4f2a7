import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from talkingmoves.accounts.models import Organisation, User

DEMO_EMAILS = {
    "clinician@demo.test",
    "clinician@other.demo.test",
    "lead@demo.test",
    "partnership@demo.test",
    "provider@demo.test",
    "admin@demo.test",
}


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Organisation.objects.count()) == counts
    assert set(User.objects.values_list("email", flat=True)) >= DEMO_EMAILS
    assert Organisation.objects.filter(kind="talking_therapies").count() == 2
    assert Organisation.objects.filter(kind="active_partnership").count() == 2


def test_demo_clinicians_are_in_different_services(db):
    call_command("seed_demo")
    one = User.objects.get(email="clinician@demo.test")
    other = User.objects.get(email="clinician@other.demo.test")
    assert one.organisation != other.organisation


def test_demo_password_works(db):
    call_command("seed_demo")
    client = Client()
    response = client.post(
        "/account/sign-in/", {"username": "provider@demo.test", "password": "TalkingMoves-demo-1"}
    )
    assert response.status_code == 302


def test_seed_demo_refuses_where_demo_data_is_not_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_demo_shows_the_whole_loop_in_both_services(db):
    from datetime import timedelta

    from django.utils import timezone

    from outcomes.models import RiskFlag
    from referrals.models import Attendance, Referral, ServiceUser
    from referrals.nudges.models import NudgeResponse, TextReply
    from referrals.worklist.models import Task

    call_command("seed_demo")
    for service in Organisation.objects.filter(kind="talking_therapies"):
        referrals = Referral.objects.filter(service_user__service=service)
        states = set(referrals.values_list("status", flat=True))
        assert states >= {"draft", "sent", "accepted", "declined", "attending", "completed"}
        people = ServiceUser.objects.filter(service=service)
        assert people.filter(consent_sms_at__isnull=False).exists()
        assert people.filter(consent_email_at__isnull=False).exists()
        assert NudgeResponse.objects.filter(nudge__service=service).exists()
        assert TextReply.objects.filter(service_user__service=service).exists()
        assert referrals.filter(decline_reason="no_response").exists()  # an auto-decline
        assert Attendance.objects.filter(
            referral__service_user__service=service, status="did_not_attend"
        ).exists()
        assert Task.objects.filter(service=service, done_at__isnull=True).exists()
        # Nothing waiting for a provider is near the 14-day auto-decline after `make run`.
        assert not referrals.filter(
            status="sent", sent_at__lt=timezone.now() - timedelta(days=10)
        ).exists()
    assert RiskFlag.objects.filter(reviewed_at__isnull=True).exists()


def test_the_demo_plans_show_check_ins_and_the_week_6_call(db):
    """Issue 17 item 4: the plan in its third week has two check-ins sent (both answered)
    and four scheduled at 10:00; the plan six weeks on has its week-6 call task, linking to
    the plan with its answers, and no missed check-ins task."""
    from django.urls import reverse
    from django.utils import timezone

    from outcomes.plans.models import ActivityPlan
    from referrals.nudges.models import Nudge
    from referrals.worklist.models import Task
    from talkingmoves.vocabulary.tasks import TaskKind

    call_command("seed_demo")
    # The two newest: the year of ended plans for the lead's figures started before them.
    current, six_weeks_on = ActivityPlan.objects.filter(status="sent").order_by("-starts_on")[:2]
    check_ins = Nudge.objects.filter(template="plan_check_in", service_user=current.service_user)
    statuses = list(check_ins.values_list("status", flat=True))
    # Weeks 3 to 6 are still to come (week 2's may have been moved to today: one a day).
    assert len(statuses) == 6 and statuses.count("scheduled") >= 4
    assert statuses.count("sent") + statuses.count("scheduled") == 6
    for nudge in check_ins:
        assert timezone.localtime(nudge.due_at).strftime("%H:%M") == "10:00"
    assert current.check_ins.count() == 2
    assert not Task.objects.filter(service_user=current.service_user).filter(
        kind__in=[TaskKind.PLAN_WEEK_6_CALL, TaskKind.PLAN_MISSED]
    )
    call = Task.objects.get(service_user=six_weeks_on.service_user, kind=TaskKind.PLAN_WEEK_6_CALL)
    assert call.done_at is None
    assert call.link_path == reverse("outcomes:plan_detail", args=[six_weeks_on.public_id])
    assert six_weeks_on.check_ins.count() == 5
    assert not Task.objects.filter(kind=TaskKind.PLAN_MISSED).exists()
    sent = Nudge.objects.filter(
        template="plan_check_in",
        service_user=six_weeks_on.service_user,
        status__in=("sent", "delivered"),
    )
    assert sent.count() >= 5  # week 6's went yesterday, or today if moved (one a day)
