"""Every referral count the referrals section shows (the funnel, and the provider and
activity-type tables) for one service and period, in ONE pass.

On PostgreSQL the pass reads the counts by month and activity the database keeps, and the
narrow copies of the referrals sent on the days at the period's edges (referral_facts.py,
ADR 021); the funnel comes from the referral facts by day (ADR 018). Elsewhere (the SQLite
demo) `referral_counts_raw` reads the referrals: the funnel and the two tables each
scanned the same ~270,000 referrals of a year at the bench's size, one aggregate each;
there one grouped query counts every figure per activity
with FILTER clauses (each referral has exactly one activity, so the counts add up exactly),
and Python adds the activities up into the funnel, by provider and by activity type. Only
the medians (not additive) still read referrals: from bounded, indexed queries, for the
rows shown (selectors.py). `selectors.referral_funnel` and `selectors.referral_performance`
stay as the reference the tests compare with (tests/dashboards/test_referral_counts.py)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from outcomes.dashboards import db
from outcomes.dashboards.lead import referral_facts
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.periods import Period
from providers.models import Activity
from referrals.models import Referral

S = Referral.Status
REFER = Q(kind=Referral.Kind.REFER)
# The counts of one referral, each a FILTER clause of the one pass.
COUNTS = {
    "referred": REFER,
    "answered": REFER & Q(answered_at__isnull=False),
    "accepted": REFER & db.accepted(),
    "started": REFER & db.attended_once(),
    "self_reported": REFER & db.self_reported_only(),
    "completed": REFER & Q(status=S.COMPLETED),
    "signposted": ~REFER,
    "taken_up": ~REFER & Q(status=S.TAKEN_UP),
}
PERFORMANCE = ("referred", "answered", "accepted", "started", "self_reported", "completed")
FUNNEL = ("referred", "accepted", "started", "self_reported", "completed", "signposted")
LABELS = {sel.BY_PROVIDER: "provider__name", sel.BY_ACTIVITY_TYPE: "activity_type__label"}


@dataclass(frozen=True)
class ReferralCounts:
    service_id: object
    period: Period
    by_activity: dict[int, dict[str, int]]  # activity id: {count: n}
    labels: dict[str, dict[int, str]]  # selectors.BY_*: {activity id: label}
    from_facts: bool = False  # no signposting counts in by_activity: the funnel's day facts

    def funnel(self) -> sel.Funnel:
        if self.from_facts:
            return sel.referral_funnel(self.service_id, self.period)
        totals = dict.fromkeys(COUNTS, 0)
        for counts in self.by_activity.values():
            for key, n in counts.items():
                totals[key] += n
        median, dated = sel.median_days_to_first_session(self.service_id, self.period)
        return sel.Funnel(
            **{key: totals[key] for key in (*FUNNEL, "taken_up")},
            median_days_to_first_session=median,
            first_sessions=dated,
        )

    def performance(self, *, by: str, limit: int | None = None) -> list[sel.ReferralPerformance]:
        """As selectors.referral_performance: most referred first, then by label."""
        totals: defaultdict[str, dict[str, int]] = defaultdict(
            lambda: dict.fromkeys(PERFORMANCE, 0)
        )
        for activity_id, counts in self.by_activity.items():
            if not counts["referred"]:
                continue  # signposting only: not in these tables
            row = totals[self.labels[by][activity_id]]
            for key in PERFORMANCE:
                row[key] += counts[key]
        rows = sorted(totals.items(), key=lambda item: (-item[1]["referred"], item[0]))[:limit]
        shown = [label for label, _ in rows] if limit is not None and len(rows) == limit else None
        medians = self._reply_medians(by, shown)
        return [
            sel.ReferralPerformance(label=label, **counts, median_reply_days=medians.get(label))
            for label, counts in rows
        ]

    def _reply_medians(self, by: str, shown: list[str] | None) -> dict:
        if not self.from_facts or shown is None:
            return sel.reply_medians(self.service_id, self.period, by=by, labels=shown)
        wanted = set(shown)
        activities = [pk for pk, label in self.labels[by].items() if label in wanted]
        return referral_facts.reply_medians(
            self.service_id, self.period, by=by, labels=shown, activities=activities
        )


def referral_counts(service_id, period: Period) -> ReferralCounts:
    if db.has_median():
        by_activity, labels = referral_facts.counts_by_activity(service_id, period)
        return ReferralCounts(service_id, period, by_activity, labels, True)
    return referral_counts_raw(service_id, period)


def referral_counts_raw(service_id, period: Period) -> ReferralCounts:
    rows = (
        Referral.objects.filter(service_id=service_id)
        .filter(db.sent_in(period))
        .values("activity_id")
        .annotate(**{key: Count("pk", filter=when) for key, when in COUNTS.items()})
        .order_by()
    )
    by_activity = {row.pop("activity_id"): row for row in rows}
    return ReferralCounts(service_id, period, by_activity, _labels(by_activity))


def _labels(by_activity) -> dict[str, dict[int, str]]:
    named = Activity.objects.filter(pk__in=list(by_activity)).values_list("pk", *LABELS.values())
    labels: dict[str, dict[int, str]] = {by: {} for by in LABELS}
    for pk, provider, activity_type in named:
        labels[sel.BY_PROVIDER][pk] = provider
        labels[sel.BY_ACTIVITY_TYPE][pk] = activity_type
    return labels


def referral_performance(service_id, period: Period, *, by: str) -> list[sel.ReferralPerformance]:
    """Every row of the provider or activity-type table (the CSV), as
    selectors.referral_performance computes it from the referrals."""
    return referral_counts(service_id, period).performance(by=by)
