"""When nudges fall due: day counts, working days, quiet hours. Clock-driven, so the clock
is set with time-machine."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from referrals.nudges import schedule
from referrals.nudges.messages import TEMPLATES

LONDON = ZoneInfo("Europe/London")


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 12, 1), 5, date(2026, 12, 8)),  # Tuesday + 5 working days = next Tuesday
        (date(2026, 12, 4), 1, date(2026, 12, 7)),  # Friday + 1 = Monday
        (date(2026, 12, 5), 1, date(2026, 12, 7)),  # Saturday + 1 = Monday
        (date(2026, 12, 6), 5, date(2026, 12, 11)),  # Sunday + 5 = Friday
    ],
)
def test_working_days_skip_weekends(start, days, expected):
    assert schedule.add_working_days(start, days) == expected


def test_day_n_messages_go_out_mid_morning_n_days_after_the_referral():
    sent = london(2026, 12, 1, 16, 45)
    due = schedule.due_at(TEMPLATES["did_you_go"], anchor=sent, offset_days=7)
    assert due == london(2026, 12, 8, 10, 0)


def test_provider_reminder_counts_working_days():
    sent_on_friday = london(2026, 12, 4, 9, 0)
    due = schedule.due_at(TEMPLATES["provider_reminder"], anchor=sent_on_friday, offset_days=5)
    assert due == london(2026, 12, 11, 10, 0)


def test_first_session_reminder_is_the_day_before():
    first_session = london(2026, 12, 10, 18, 30)
    due = schedule.due_at(TEMPLATES["first_session_reminder"], anchor=first_session, offset_days=1)
    assert due == london(2026, 12, 9, 10, 0)


def test_day_zero_means_now():
    sent = london(2026, 12, 1, 21, 15)
    assert schedule.due_at(TEMPLATES["referral_details"], anchor=sent, offset_days=0) == sent


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (london(2026, 12, 1, 19, 59), None),
        (london(2026, 12, 1, 20, 0), london(2026, 12, 2, 8, 0)),
        (london(2026, 12, 1, 23, 30), london(2026, 12, 2, 8, 0)),
        (london(2026, 12, 2, 7, 59), london(2026, 12, 2, 8, 0)),
        (london(2026, 12, 2, 8, 0), None),
        # Across the clocks going forward: 08:00 is still 08:00 London time.
        (london(2026, 3, 28, 22, 0), london(2026, 3, 29, 8, 0)),
    ],
)
def test_quiet_hours_move_text_messages_to_eight(moment, expected):
    assert schedule.after_quiet_hours(moment) == expected
    if expected is not None:
        assert expected.astimezone(LONDON).time() == time(8, 0)


def test_service_settings_override_defaults(service, lead):
    from referrals.nudges.models import NudgeSetting

    NudgeSetting.objects.create(
        service=service, template="did_you_go", enabled=True, offset_days=10, channel="sms"
    )
    NudgeSetting.objects.create(
        service=service, template="getting_active", enabled=True, offset_days=2, channel=""
    )
    # Not configurable: the risk alert always goes.
    NudgeSetting.objects.create(
        service=service, template="risk_alert", enabled=False, offset_days=0, channel=""
    )
    effective = schedule.effective_settings(service.pk)
    assert effective["did_you_go"] == (True, 10, "sms")
    assert effective["getting_active"] == (True, 2, "")
    assert effective["risk_alert"] == (True, 0, "")
    assert effective["check_in"] == (True, 28, "")


def test_no_sms_text_mentions_therapy_or_mental_health():
    from referrals.nudges.messages import WORDS_NEVER_IN_SMS

    context = dict.fromkeys(
        (
            *("first_name", "activity", "provider", "venue", "when", "first_session", "link"),
            *("count", "urgent", "start", "accompanied"),
        ),
        "x",
    )
    for template in TEMPLATES.values():
        for channel in ("sms", "email"):
            if channel == "sms" and not template.sms:
                continue
            subject, body = template.render(channel, context)
            text = f"{subject} {body}".lower()
            for word in WORDS_NEVER_IN_SMS:
                if channel == "sms" or template.audience == "service_user":
                    assert word not in text, (template.key, channel, word)


def test_working_days_skip_bank_holidays():
    from datetime import date

    from referrals.nudges.schedule import add_working_days

    # Thursday before Easter 2026: Good Friday and Easter Monday are not working days.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    # Christmas Eve 2026 (Thursday): 25th, 28th (Boxing Day's substitute) are holidays.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
