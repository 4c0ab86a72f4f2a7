"""Measures: questionnaire answers item by item, and activity, with derived totals that the
constraints keep honest."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from outcomes.models.episodes import Episode

MEASURE_KINDS = ["phq9", "gad7", "wsas", "activity_days", "activity_minutes"]
MEASURE_SOURCES = ["clinician", "self_completed", "imported"]
ITEM_FIELDS = [f"item_{n}" for n in range(1, 10)]
MINUTES_IN_A_WEEK = 7 * 24 * 60


def _items_between(count: int, low: int, high: int, *, optional_first: bool = False) -> Q:
    condition = Q()
    for n, name in enumerate(ITEM_FIELDS, start=1):
        if n <= count:
            in_range = Q(**{f"{name}__gte": low, f"{name}__lte": high})
            if n == 1 and optional_first:
                in_range |= Q(**{f"{name}__isnull": True})
            else:
                in_range &= Q(**{f"{name}__isnull": False})
            condition &= in_range
        else:
            condition &= Q(**{f"{name}__isnull": True})
    return condition


def _sum_of_items(count: int):
    total = F("item_1")
    for name in ITEM_FIELDS[1:count]:
        total = total + F(name)
    return total


class Measure(models.Model):
    class Kind(models.TextChoices):
        PHQ9 = "phq9", "PHQ-9"
        GAD7 = "gad7", "GAD-7"
        WSAS = "wsas", "WSAS"
        ACTIVITY_DAYS = "activity_days", "Active days"
        ACTIVITY_MINUTES = "activity_minutes", "Activity minutes"

    class Source(models.TextChoices):
        CLINICIAN = "clinician", "Recorded by a clinician"
        SELF_COMPLETED = "self_completed", "Self-completed"
        IMPORTED = "imported", "Imported from another system"

    ITEM_COUNTS = {Kind.PHQ9: 9, Kind.GAD7: 7, Kind.WSAS: 5, Kind.ACTIVITY_DAYS: 1}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    taken_on = models.DateField()
    item_1 = models.PositiveSmallIntegerField(null=True, blank=True)
    item_2 = models.PositiveSmallIntegerField(null=True, blank=True)
    item_3 = models.PositiveSmallIntegerField(null=True, blank=True)
    item_4 = models.PositiveSmallIntegerField(null=True, blank=True)
    item_5 = models.PositiveSmallIntegerField(null=True, blank=True)
    item_6 = models.PositiveSmallIntegerField(null=True, blank=True)
    item_7 = models.PositiveSmallIntegerField(null=True, blank=True)
    item_8 = models.PositiveSmallIntegerField(null=True, blank=True)
    item_9 = models.PositiveSmallIntegerField(null=True, blank=True)
    # Derived, never typed: the item sum; active days for activity_days; moderate-equivalent
    # minutes (vigorous counts double) for activity_minutes.
    total = models.SmallIntegerField(editable=False)
    moderate_minutes = models.PositiveIntegerField(null=True, blank=True)
    vigorous_minutes = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.CLINICIAN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # A service user's answers that came in after their episode ended (a link sent before the
    # end). Kept, and flagged if item 9 says so, but after the end they count for no outcome.
    arrived_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["taken_on", "recorded_at", "pk"]
        indexes = [
            # First and last score of each kind in an episode; the record's chart.
            models.Index(fields=["episode", "kind", "taken_on"], name="measure_episode_kind_date")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MEASURE_KINDS), name="measure_kind_valid"),
            models.CheckConstraint(
                condition=Q(source__in=MEASURE_SOURCES), name="measure_source_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="phq9")
                | (
                    _items_between(9, 0, 3)
                    & Q(total__gte=0, total__lte=27)
                    & Q(total=_sum_of_items(9))
                ),
                name="measure_phq9_items_and_total",
                violation_error_message="PHQ-9 needs 9 answers from 0 to 3 (total 0 to 27)",
            ),
            models.CheckConstraint(
                condition=~Q(kind="gad7")
                | (
                    _items_between(7, 0, 3)
                    & Q(total__gte=0, total__lte=21)
                    & Q(total=_sum_of_items(7))
                ),
                name="measure_gad7_items_and_total",
                violation_error_message="GAD-7 needs 7 answers from 0 to 3 (total 0 to 21)",
            ),
            models.CheckConstraint(
                # The work item may be left out (retired, or chooses not to work).
                condition=~Q(kind="wsas")
                | (_items_between(5, 0, 8, optional_first=True) & Q(total__gte=0, total__lte=40)),
                name="measure_wsas_items_and_total",
                violation_error_message="WSAS answers must be from 0 to 8 (total 0 to 40)",
            ),
            models.CheckConstraint(
                condition=~Q(kind="activity_days")
                | (_items_between(1, 0, 7) & Q(total=F("item_1"))),
                name="measure_activity_days_range",
                violation_error_message="Active days must be from 0 to 7",
            ),
            models.CheckConstraint(
                condition=~Q(kind="activity_minutes")
                | (
                    _items_between(0, 0, 0)
                    & Q(moderate_minutes__isnull=False, moderate_minutes__lte=MINUTES_IN_A_WEEK)
                    & Q(vigorous_minutes__isnull=False, vigorous_minutes__lte=MINUTES_IN_A_WEEK)
                    & Q(total=F("moderate_minutes") + 2 * F("vigorous_minutes"))
                ),
                name="measure_activity_minutes_range",
                violation_error_message="Minutes a week must be from 0 to 10,080",
            ),
            models.CheckConstraint(
                condition=Q(kind="activity_minutes")
                | Q(moderate_minutes__isnull=True, vigorous_minutes__isnull=True),
                name="measure_minutes_only_for_minutes",
            ),
            models.CheckConstraint(
                condition=Q(source="self_completed") | Q(recorded_by__isnull=False),
                name="measure_clinician_source_has_recorder",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.taken_on:%Y-%m-%d}"

    @property
    def owning_organisation_id(self):
        return self.episode.service_id

    @property
    def items(self) -> list[int | None]:
        count = self.ITEM_COUNTS.get(self.kind, 0)
        return [getattr(self, name) for name in ITEM_FIELDS[:count]]
