"""Where people see an open risk flag (caseload first, the digest, the record banner, the
home page task and its acknowledgement), and what the alert messages say."""

import pytest
import time_machine
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils.html import escape

from outcomes import services
from referrals.models import ServiceUser
from referrals.nudges.digest import clinician_digests_schedule
from referrals.nudges.messages import TEMPLATES
from referrals.nudges.models import Nudge
from talkingmoves.notify.models import StoredMessage
from tests.factories import with_duty_contact
from tests.outcomes.risk_alert_support import (  # noqa: F401  (fixtures by name)
    DUTY,
    FRIDAY_16,
    MONDAY_10,
    R,
    at,
    colleague_fixture,
    deliver_all,
    duty_fixture,
    emails_to,
    flag_by_colleague,
    recipients,
)
from tests.outcomes.safety_fixtures import episode_fixture, person_fixture  # noqa: F401
from tests.referrals.factories import ServiceUserFactory

# --- Where people see it ------------------------------------------------------------------


def test_open_flags_come_first_on_the_caseload_and_need_attention(
    client_for, clinician, colleague, episode, duty
):
    ServiceUserFactory(
        service=clinician.organisation, assigned_clinician=clinician, family_name="Aaron"
    )
    with time_machine.travel(MONDAY_10, tick=False):
        flag_by_colleague(episode, colleague)  # Grace Hopper
    client = client_for(clinician)
    page = client.get(reverse("referrals:caseload")).content.decode()
    assert page.index("Hopper") < page.index("Aaron")
    attention = client.get(reverse("referrals:caseload") + "?show=attention").content.decode()
    assert "Hopper" in attention and "Aaron" not in attention
    assert "Risk flag: review today" in attention


def test_open_flags_come_first_in_the_clinicians_digest(
    clinician, colleague, person, episode, duty
):
    with time_machine.travel(MONDAY_10, tick=False):
        flag_by_colleague(episode, colleague)
        assert clinician_digests_schedule() == 1
        deliver_all()
    [digest] = StoredMessage.objects.filter(
        recipient=clinician.email,
        reference__in=[str(n.pk) for n in Nudge.objects.filter(template="clinician_weekly_digest")],
    )
    body = digest.personalisation["body"]
    assert body.startswith("Most urgent: 1 with a questionnaire that needs review.")
    assert digest.personalisation["subject"].endswith("this week: 1")
    assert person.family_name not in body and person.given_name not in body


def test_record_banner_shows_a_clinician_entered_flag_with_who_was_told(
    client_for, clinician, colleague, person, episode, duty
):
    with time_machine.travel(MONDAY_10, tick=False):
        flag_by_colleague(episode, colleague)
        page = client_for(colleague).get(reverse("referrals:record", args=[person.public_id]))
    html = page.content.decode()
    assert "Risk flag: review today" in html and "Mark as reviewed" in html
    assert f"{escape(clinician.full_name)} (assigned clinician)" in html
    assert f"{DUTY} (duty contact)" in html
    assert html.count("Acknowledge<span") == 2


def test_home_page_task_is_acknowledged_by_a_click(
    client_for, clinician, colleague, person, episode, duty
):
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)
        client = client_for(clinician)
        home = client.get(reverse("core:home")).content.decode()
        assert "Questionnaires that need review" in home and person.full_name in home
        alert = flag.alerts.get(recipient_user=clinician)
        url = reverse("outcomes:risk_alert_acknowledge", args=[alert.public_id])
        response = client.post(url, {"back": "home"})
        assert response.status_code == 302 and response["Location"] == reverse("core:home")
        home = client.get(reverse("core:home")).content.decode()
    # Escaped as the page writes it: the factory's names can hold an apostrophe (O'Neill).
    assert f"Acknowledged by {escape(clinician.full_name)}" in home
    alert.refresh_from_db()
    assert alert.acknowledged_by == clinician
    flag.refresh_from_db()
    assert flag.escalate_at == flag.review_due_at and flag.is_open
    # The colleague was not alerted, so has no task.
    assert "Questionnaires that need review" not in (
        client_for(colleague).get(reverse("core:home")).content.decode()
    )


def test_the_duty_inbox_reader_sees_the_duty_task_under_their_own_account(
    client_for, clinician, colleague, person, episode
):
    with_duty_contact(clinician.organisation, colleague.email)
    with time_machine.travel(MONDAY_10, tick=False):
        flag_by_colleague(episode, clinician)
        home = client_for(colleague).get(reverse("core:home")).content.decode()
    assert "You were alerted as: duty contact" in home


ACKNOWLEDGE = {
    "clinician": 302,
    "lead": 302,
    "other_clinician": 404,
    "partnership": 403,
    "provider": 403,
    "admin": 403,
}


@pytest.fixture
def open_alert(clinician, colleague, episode, duty):
    with time_machine.travel(MONDAY_10, tick=False):
        flag = flag_by_colleague(episode, colleague)
    return flag.alerts.get(reason=R.DUTY_CONTACT)


@pytest.mark.parametrize(("role", "expected"), ACKNOWLEDGE.items())
def test_acknowledge_by_role(cast, client_for, open_alert, role, expected):
    url = reverse("outcomes:risk_alert_acknowledge", args=[open_alert.public_id])
    response = client_for(cast[role]).post(url)
    assert response.status_code == expected
    open_alert.refresh_from_db()
    assert (open_alert.acknowledged_by == cast[role]) == (expected == 302)
    assert (open_alert.acknowledged_at is None) == (expected != 302)


def test_acknowledge_sends_anonymous_users_to_sign_in(client, open_alert):
    url = reverse("outcomes:risk_alert_acknowledge", args=[open_alert.public_id])
    response = client.post(url)
    assert response["Location"].startswith(reverse("accounts:login"))
    open_alert.refresh_from_db()
    assert open_alert.acknowledged_at is None


def test_acknowledge_bad_input(client_for, clinician, lead, open_alert):
    client = client_for(clinician)
    url = reverse("outcomes:risk_alert_acknowledge", args=[open_alert.public_id])
    assert client.get(url).status_code == 405
    assert client.post("/outcomes/risk-alerts/not-a-uuid/acknowledge/").status_code == 404
    missing = "/outcomes/risk-alerts/00000000-0000-0000-0000-000000000000/acknowledge/"
    assert client.post(missing).status_code == 404
    response = client.post(url, {"back": "https://evil.example/"})
    record = reverse("referrals:record", args=[open_alert.flag.service_user.public_id])
    assert response["Location"] == record + "#risk-flags"  # an unknown "back": the record
    again = client_for(lead).post(url, follow=True)
    assert f"{escape(clinician.full_name)} has already acknowledged this alert" in (
        again.content.decode()
    )
    open_alert.refresh_from_db()
    assert open_alert.acknowledged_by == clinician
    services.risk_flag_review(flag=open_alert.flag, note="Reviewed", by=clinician)
    other = open_alert.flag.alerts.get(reason=R.ASSIGNED_CLINICIAN)
    reviewed = client.post(
        reverse("outcomes:risk_alert_acknowledge", args=[other.public_id]), follow=True
    )
    assert "already been reviewed" in reviewed.content.decode()


def test_erased_records_leave_the_home_page(client_for, clinician, lead, person, open_alert):
    # Erasure now waits for an open flag's review (test_episode_reopen_and_admin.py); a
    # record erased before that rule still leaves the home page.
    from django.utils import timezone

    ServiceUser.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    assert "Questionnaires that need review" not in (
        client_for(clinician).get(reverse("core:home")).content.decode()
    )


# --- What the messages say, and when the check runs ---------------------------------------

CLINICAL_WORDS = (
    "risk",
    "harm",
    "suicid",
    "dead",
    "phq",
    "gad",
    "score",
    "item",
    "question 9",
    "depress",
    "anxi",
    "therapy",
    "mental health",
    "self-complet",
    "crisis",
)


@pytest.mark.parametrize(
    "key", ["risk_alert", "risk_alert_escalation", "risk_review_overdue", "clinician_weekly_digest"]
)
def test_staff_alert_messages_hold_no_clinical_detail(key):
    context = dict.fromkeys(
        ("first_name", "activity", "provider", "venue", "when", "first_session", "count"), "x"
    ) | {
        "link": "https://example/",
        "urgent": "Most urgent: 1 with a questionnaire that needs review.\n\n",
    }
    subject, body = TEMPLATES[key].render("email", context)
    text = f"{subject} {body}".lower()
    assert not [word for word in CLINICAL_WORDS if word in text]
    assert not TEMPLATES[key].configurable or key == "clinician_weekly_digest"


def test_the_check_runs_every_minute_from_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["check-risk-alerts"]
    assert entry["task"] == "outcomes.tasks.check_risk_alerts"
    assert entry["schedule"] <= 60
