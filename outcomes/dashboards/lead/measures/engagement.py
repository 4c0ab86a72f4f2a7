"""Engagement: appointments not attended, treatment ended early, and activity taken up
during the episode (the activity group outcomes/uptake.py stores on each episode)."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from outcomes.dashboards.lead.measures.common import DatedPeriod, ended_in, on_in
from outcomes.models import Appointment, AppointmentDayFact, Episode, EpisodeDayFact
from outcomes.models.episodes import EndingReason
from outcomes.stats import Rate
from talkingmoves.vocabulary.uptake import ActivityGroup

# The average uptake across exercise-referral schemes, shown as context, not a target.
EXERCISE_REFERRAL_UPTAKE_ANCHOR = 0.57
# Ending codes for people who had treatment; of those, the two that end it early.
TREATED = [
    EndingReason.COMPLETED,
    EndingReason.ENDED_EARLY_BY_CLINICIAN,
    EndingReason.ENDED_EARLY_BY_PATIENT,
    EndingReason.DECEASED,
    EndingReason.NOT_KNOWN_TREATED,
]
DROPPED_OUT = [EndingReason.ENDED_EARLY_BY_CLINICIAN, EndingReason.ENDED_EARLY_BY_PATIENT]


def did_not_attend(service_id, period: DatedPeriod) -> Rate:
    """Appointments dated in the period that the person did not attend, of those attended
    or not attended (a cancelled appointment is neither): the sum of the period's days in
    the appointment facts (ADR 020). Equal to did_not_attend_raw."""
    figures = (
        AppointmentDayFact.objects.filter(service_id=service_id)
        .filter(on_in("day", period))
        .aggregate(missed=Sum("missed", default=0), due=Sum("due", default=0))
    )
    return Rate(figures["missed"], figures["due"])


def did_not_attend_raw(service_id, period: DatedPeriod) -> Rate:
    """did_not_attend from the appointments themselves: the reference the tests compare with."""
    figures = (
        Appointment.objects.filter(episode__service_id=service_id)
        .filter(on_in("on", period))
        .aggregate(
            missed=Count("pk", filter=Q(attendance=Appointment.Attendance.DID_NOT_ATTEND)),
            due=Count(
                "pk",
                filter=Q(
                    attendance__in=[
                        Appointment.Attendance.ATTENDED,
                        Appointment.Attendance.DID_NOT_ATTEND,
                    ]
                ),
            ),
        )
    )
    return Rate(figures["missed"], figures["due"])


def dropout(service_id, period: DatedPeriod) -> Rate:
    """Episodes that ended in the period after treatment, ended earlier than planned (by
    the person or the clinician), of all that ended after treatment."""
    figures = (
        Episode.objects.filter(service_id=service_id, ending_reason__in=TREATED)
        .filter(ended_in(period))
        .aggregate(
            treated=Count("pk"),
            dropped=Count("pk", filter=Q(ending_reason__in=DROPPED_OUT)),
        )
    )
    return Rate(figures["dropped"], figures["treated"])


@dataclass(frozen=True)
class Uptake:
    ended: int
    offered: int  # referred or signposted during the episode
    took_up: int  # a session on the provider's register
    self_reported: int

    @property
    def of_ended(self) -> Rate:
        return Rate(self.took_up, self.ended)

    @property
    def of_offered(self) -> Rate:
        return Rate(self.took_up, self.offered)


def activity_uptake(service_id, period: DatedPeriod) -> Uptake:
    """Episodes that ended in the period, by the activity group stored on each: from the
    episode facts by day (ADR 013), a row per day and group. Equal to activity_uptake_raw."""
    ended = dict(
        EpisodeDayFact.objects.filter(service_id=service_id, day__range=(period.start, period.end))
        .values_list("activity_group")
        .annotate(ended=Sum("ended"))
        .order_by()
    )
    ended = {group: int(n or 0) for group, n in ended.items()}  # SUM of bigint is numeric
    total = sum(ended.values())
    return Uptake(
        ended=total,
        offered=total - ended.get(ActivityGroup.NOT_REFERRED, 0),
        took_up=ended.get(ActivityGroup.TOOK_UP, 0),
        self_reported=ended.get(ActivityGroup.SELF_REPORTED, 0),
    )


def activity_uptake_raw(service_id, period: DatedPeriod) -> Uptake:
    """The same from the episodes themselves: the reference the tests compare with."""
    figures = (
        Episode.objects.filter(service_id=service_id)
        .filter(ended_in(period))
        .aggregate(
            ended=Count("pk"),
            offered=Count("pk", filter=~Q(activity_group=ActivityGroup.NOT_REFERRED)),
            took_up=Count("pk", filter=Q(activity_group=ActivityGroup.TOOK_UP)),
            self_reported=Count("pk", filter=Q(activity_group=ActivityGroup.SELF_REPORTED)),
        )
    )
    return Uptake(**figures)
