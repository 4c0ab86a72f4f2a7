"""Read side of the provider's session register: which activities have people to mark, the
sessions on each activity's schedule that have happened, and who is expected at one."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from providers.models import Activity
from providers.sessions import next_session_starts, session_starts
from referrals.models import Attendance, Referral
from talkingmoves.accounts.scoping import visible_to

S = Referral.Status
ON_REGISTER = (S.ACCEPTED, S.ATTENDING)  # accepted, and not finished: expected at sessions
WEEKS_BACK = 8  # sessions older than this are corrected from the referral's own page
SESSIONS_LISTED = 6  # the most recent sessions offered for each activity on the first page


@dataclass(frozen=True)
class Session:
    on: date
    starts: list[time]


@dataclass(frozen=True)
class RegisterRow:
    """One person expected at a session: what a provider may see, nothing clinical."""

    public_id: object
    name: str
    first_session_on: date | None
    status: str  # SessionAttendance value already recorded for this session, or ""
    referral: Referral = field(repr=False, compare=False)  # for the service and the log

    @property
    def field_name(self) -> str:
        return f"r-{self.public_id}"


def _on_register(user) -> QuerySet:
    return visible_to(user, Referral).filter(status__in=ON_REGISTER)


def register_activities(user) -> list[Activity]:
    """The user's activities with someone accepted on them, each with `expected` (a count)."""
    return list(
        Activity.objects.filter(pk__in=_on_register(user).values("activity_id"))
        .annotate(expected=Count("referrals", filter=Q(referrals__status__in=ON_REGISTER)))
        .prefetch_related("weekly_slots", "one_off_sessions")
        .order_by("name", "pk")
    )


def activity_for_register(user, public_id) -> Activity:
    """404 unless the user has someone accepted on this activity."""
    activity = (
        Activity.objects.filter(
            public_id=public_id, pk__in=_on_register(user).values("activity_id")
        )
        .prefetch_related("weekly_slots", "one_off_sessions")
        .first()
    )
    if activity is None:
        raise Http404("No such activity")
    return activity


def past_sessions(activity: Activity, *, today: date | None = None) -> list[Session]:
    """Sessions on the activity's schedule (weekly times and dated sessions) from the last
    WEEKS_BACK weeks up to the end of today, most recent first; one entry a day, with its
    start times."""
    today = today or timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(weeks=WEEKS_BACK), time()))
    until = timezone.make_aware(datetime.combine(today, time.max))
    starts: dict[date, list[time]] = {}
    for start in session_starts(activity, since=since, until=until):
        starts.setdefault(start.date(), []).append(start.time())
    return [Session(on=day, starts=starts[day]) for day in sorted(starts, reverse=True)]


def session_on(activity: Activity, value: str) -> Session:
    """The past session a URL names (YYYY-MM-DD); 404 for any other date or text."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date") from None
    for session in past_sessions(activity):
        if session.on == day:
            return session
    raise Http404("No session on this date")


def register_rows(user, activity: Activity, session_date: date) -> list[RegisterRow]:
    """Everyone accepted on the activity (open referrals only), with what is recorded for
    the session, by name."""
    referrals = (
        _on_register(user)
        .filter(activity=activity)
        .select_related("service_user")
        .only(
            "public_id",
            "first_session_at",
            "service_user__given_name",
            "service_user__family_name",
        )
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(
                    session_date=session_date, source=Attendance.SOURCE_PROVIDER
                ),
                to_attr="this_session",
            )
        )
        .order_by("service_user__family_name", "service_user__given_name", "pk")
    )
    return [
        RegisterRow(
            public_id=r.public_id,
            name=r.service_user.full_name,
            first_session_on=(
                timezone.localdate(r.first_session_at) if r.first_session_at else None
            ),
            status=r.this_session[0].status if r.this_session else "",
            referral=r,
        )
        for r in referrals
    ]


def session_label(session: Session) -> str:
    times = ", ".join(f"{start:%H:%M}" for start in session.starts)
    moment = datetime.combine(session.on, time())
    return f"{moment:%A %-d %B %Y}" + (f", {times}" if times else "")


def next_sessions(referral: Referral) -> list[datetime]:
    """The activity's next session times, offered as the first session when accepting."""
    return next_session_starts(referral.activity)
