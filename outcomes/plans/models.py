"""The conversation, the plan and its weekly steps, and what the person says they managed.

Rows are kept, never rewritten: each conversation is dated, and a changed plan is a new plan
that replaces the old one, so the history stays."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from talkingmoves.vocabulary.activities import DeliveryMode, Interest
from talkingmoves.vocabulary.answers import NotYetReason
from talkingmoves.vocabulary.preferences import FormatPreference

MAX_WEEKS = 8
MAX_MINUTES_A_DAY = 180


class Readiness(models.TextChoices):
    NOT_NOW = "not_now", "Not thinking about it just now"
    THINKING = "thinking", "Thinking about it"
    READY = "ready", "Ready to start"
    ALREADY = "already", "Already doing some"


class Support(models.TextChoices):
    OWN = "own", "On their own"
    WITH_SOMEONE = "with_someone", "With someone they know"
    GROUP = "group", FormatPreference.GROUP.label
    ONLINE = DeliveryMode.ONLINE.value, DeliveryMode.ONLINE.label
    ADAPTED = "adapted", "Adapted or chair-based"


class PlanActivity(models.TextChoices):
    WALKING = "walking", Interest.WALKING.value
    CHAIR_BASED = "chair_based", "Chair-based moves"
    ADAPTED = "adapted", "Adapted activity"
    OTHER = "other", NotYetReason.OTHER.label


class ActivityConversation(models.Model):
    """One conversation about being active, as the clinician recorded it on the day."""

    service_user = models.ForeignKey(
        "referrals.ServiceUser", on_delete=models.CASCADE, related_name="activity_conversations"
    )
    held_at = models.DateTimeField(default=timezone.now)
    enjoys = models.JSONField(default=list, blank=True)  # Activity List identifiers
    enjoys_note = models.CharField(max_length=200, blank=True)
    barriers = models.JSONField(default=list, blank=True)  # Barrier codes
    confidence = models.PositiveSmallIntegerField()
    readiness = models.CharField(max_length=12, choices=Readiness.choices)
    support = models.CharField(max_length=16, choices=Support.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__lte=10), name="conversation_confidence_0_to_10"
            ),
        ]

    def __str__(self):
        return f"Conversation about being active ({self.held_at:%Y-%m-%d})"


class ActivityPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Not sent yet"
        SENT = "sent", "Sent"
        REPLACED = "replaced", "Replaced by a newer plan"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        "referrals.ServiceUser", on_delete=models.CASCADE, related_name="activity_plans"
    )
    conversation = models.ForeignKey(
        ActivityConversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activity = models.CharField(max_length=16, choices=PlanActivity.choices)
    # In the person's words, shown on their page: checked for clinical words.
    description = models.CharField(max_length=120, blank=True)
    # Weekly active minutes (the single-item measure) when the plan was made, if recorded.
    start_minutes = models.PositiveIntegerField(null=True, blank=True)
    target_minutes = models.PositiveIntegerField()
    starts_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["service_user", "-created_at"], name="plan_person_newest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_minutes__gte=1, target_minutes__lte=7 * MAX_MINUTES_A_DAY),
                name="plan_target_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_activity_display()} plan ({self.created_at:%Y-%m-%d})"

    @property
    def owning_organisation_id(self):
        return self.service_user.service_id


class PlanStep(models.Model):
    """One week of the plan: so many minutes, on so many days."""

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="steps")
    week = models.PositiveSmallIntegerField()
    minutes_a_day = models.PositiveSmallIntegerField()
    days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "week"], name="planstep_one_per_week"),
            models.CheckConstraint(
                condition=Q(week__gte=1, week__lte=MAX_WEEKS)
                & Q(minutes_a_day__gte=1, minutes_a_day__lte=MAX_MINUTES_A_DAY)
                & Q(days__gte=1, days__lte=7),
                name="planstep_in_range",
            ),
        ]

    def __str__(self):
        return f"Week {self.week}: {self.minutes_a_day} minutes, {self.days} days"

    @property
    def weekly_minutes(self) -> int:
        return self.minutes_a_day * self.days


class PlanCheckIn(models.Model):
    """What the person said they managed in one week of their plan."""

    class Source(models.TextChoices):
        LINK = "link", "Their plan page"
        CLINICIAN = "clinician", "Told their clinician"

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="check_ins")
    week = models.PositiveSmallIntegerField()
    days_done = models.PositiveSmallIntegerField()
    minutes_a_day = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LINK)

    class Meta:
        ordering = ["week"]
        constraints = [
            # A second answer for the same week replaces the first (services.py).
            models.UniqueConstraint(fields=["plan", "week"], name="plancheckin_one_per_week"),
            models.CheckConstraint(
                condition=Q(week__gte=1, week__lte=MAX_WEEKS)
                & Q(days_done__lte=7)
                & Q(minutes_a_day__lte=24 * 60),
                name="plancheckin_in_range",
            ),
        ]

    def __str__(self):
        return f"Week {self.week}: {self.days_done} days"
