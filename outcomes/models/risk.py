"""Risk flags from PHQ-9 item 9, and each service's outcome settings: who hears about risk,
what service users are told, and the targets on the lead's dashboard."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from outcomes.models.measures import Measure
from referrals.models import ServiceUser
from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.message_words import DEFAULT_SENDER_NAME, SENDER_NAME_MAX_LENGTH


class RiskFlag(models.Model):
    """PHQ-9 item 9 answered above "not at all": open until a clinician records a review."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="risk_flags"
    )
    # PROTECT: a questionnaire that raised a flag is kept for as long as its flag, which is
    # for ever (reviewed with a note, never deleted; erasure blanks the note only).
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="risk_flags")
    raised_at = models.DateTimeField(default=timezone.now)
    # When nobody alerted has acknowledged it by then, the service leads are alerted (and
    # again each working day). Cleared by an acknowledgement or the review.
    escalate_at = models.DateTimeField(null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    last_escalated_at = models.DateTimeField(null=True, blank=True)
    # Set by the first acknowledgement: escalation pauses until then, not for ever. If the
    # review is not recorded by this time the leads are alerted again.
    review_due_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [
            # Caseload tag and record banner: a person's open flags.
            models.Index(
                fields=["service_user"],
                condition=Q(reviewed_at__isnull=True),
                name="riskflag_open_by_person",
            ),
            # The escalation job's one question: which open flags are past their deadline?
            models.Index(
                fields=["escalate_at"],
                condition=Q(reviewed_at__isnull=True, escalate_at__isnull=False),
                name="riskflag_escalation_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True)
                | (Q(reviewed_by__isnull=False) & ~Q(review_note="")),
                name="riskflag_review_has_who_and_note",
            ),
            models.UniqueConstraint(fields=["measure"], name="riskflag_one_per_measure"),
        ]

    def __str__(self):
        return f"Risk flag raised {self.raised_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.reviewed_at is None

    @property
    def owning_organisation_id(self):
        return self.service_user.service_id


DEFAULT_CRISIS_SUPPORT_TEXT = (
    "If you need help now:\n"
    "Call NHS 111 and select the mental health option (option 2), for help 24 hours a day.\n"
    "Call 999 or go to A&E if your life or someone else's life is at risk.\n"
    "Call Samaritans free on 116 123, any time, day or night."
)


DEFAULT_ESCALATION_HOURS = 4
MAX_ESCALATION_HOURS = 40  # a working week


class OutcomeSettings(models.Model):
    """Per-service settings for outcomes: who hears about risk, what service users are told,
    and the targets shown on the lead's dashboard."""

    service = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="outcome_settings",
        limit_choices_to={"kind": Organisation.Kind.TALKING_THERAPIES},
    )
    # Alerted, with the assigned clinician, about every risk flag. Until a service has one it
    # cannot send questionnaire links or messages to service users.
    duty_contact_email = models.EmailField(
        blank=True,
        help_text="Alerted with the assigned clinician when a questionnaire needs review",
    )
    escalation_working_hours = models.PositiveSmallIntegerField(
        default=DEFAULT_ESCALATION_HOURS,
        help_text="Working hours (Monday to Friday, 09:00 to 17:00) before an alert nobody has "
        "acknowledged goes to the service leads",
    )
    # Who texts and emails to service users say they are from. Anyone may read it on a lock
    # screen, so it never says what the service treats (the lead's save checks it).
    message_sender_name = models.CharField(
        max_length=SENDER_NAME_MAX_LENGTH,
        default=DEFAULT_SENDER_NAME,
        help_text="The name messages to service users come from",
    )
    crisis_support_text = models.TextField(
        default=DEFAULT_CRISIS_SUPPORT_TEXT,
        help_text="Shown to a service user whose answers need review. One point per line.",
    )
    recovery_target = models.PositiveSmallIntegerField(default=50)
    reliable_improvement_target = models.PositiveSmallIntegerField(default=67)
    reliable_recovery_target = models.PositiveSmallIntegerField(default=48)

    class Meta:
        verbose_name = "outcome settings"
        verbose_name_plural = "outcome settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(recovery_target__lte=100)
                & Q(reliable_improvement_target__lte=100)
                & Q(reliable_recovery_target__lte=100),
                name="outcomesettings_targets_are_percentages",
            ),
            models.CheckConstraint(
                condition=Q(escalation_working_hours__gte=1)
                & Q(escalation_working_hours__lte=MAX_ESCALATION_HOURS),
                name="outcomesettings_escalation_hours_range",
            ),
        ]

    def __str__(self):
        return f"Outcome settings for {self.service}"

    @classmethod
    def for_service(cls, service_id) -> "OutcomeSettings":
        settings_, _ = cls.objects.get_or_create(service_id=service_id)
        return settings_

    @property
    def crisis_support_lines(self) -> list[str]:
        return [line.strip() for line in self.crisis_support_text.splitlines() if line.strip()]

    @property
    def has_duty_contact(self) -> bool:
        return bool(self.duty_contact_email.strip())
