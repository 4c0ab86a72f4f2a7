"""Rows for the lead dashboard's cast (tests/dashboards/conftest.py), written as the services
would have left them, at the dates the figures are worked out from."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from referrals.models import Attendance, Referral
from referrals.pathway.services import first_attended_refresh
from tests.outcomes.factories import EpisodeFactory

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def episode_with(person, *, first, last, sessions, ended_on, received=date(2025, 1, 6)):
    """An ended episode with paired PHQ-9 / GAD-7 scores and `sessions` attended treatment
    appointments; the derived columns come from the recording half's recompute."""
    return EpisodeFactory(
        service_user=person,
        referral_received_on=received,
        ended=True,
        ended_on=ended_on,
        scores=(first, last),
        sessions=sessions,
    )


def referral(person, activity, *, status, sent, answered_days=None, kind="refer", by=None):
    sent_at = at(sent)
    row = Referral.objects.create(
        service_user=person,
        activity=activity,
        kind=kind,
        status=status,
        created_by=by or person.assigned_clinician,
        created_at=sent_at,
        sent_at=sent_at if kind == "refer" and status != "draft" else None,
        answered_at=(
            at(sent.replace(day=sent.day + answered_days)) if answered_days is not None else None
        ),
    )
    if status in ACCEPTED_OR_LATER:
        Referral.objects.filter(pk=row.pk).update(accepted_at=row.answered_at or sent_at)
    return row


# What the referral services would have stamped accepted_at on (rows here skip them).
ACCEPTED_OR_LATER = {"accepted", "attending", "completed", "dropped_out"}


def attended(referral_row, day: date):
    Attendance.objects.create(referral=referral_row, session_date=day, status="attended")
    first_attended_refresh(referral_row)
