"""The nudge outbox. A nudge is a row before it is a message: the dispatcher claims due rows,
a send task delivers each one, and the row records what happened and why."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.answers import Answer
from talkingmoves.vocabulary.contact import MessageChannel
from talkingmoves.vocabulary.replies import MessagesChange, MessagesChangeSource, ReplyKind


class Nudge(models.Model):
    class Audience(models.TextChoices):
        SERVICE_USER = "service_user", "Service user"
        PROVIDER = "provider", "Provider"
        CLINICIAN = "clinician", "Clinician"

    Channel = MessageChannel

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        CANCELLED = "cancelled", "Cancelled"

    PENDING_STATUSES = ("scheduled", "sending")

    class SkipReason(models.TextChoices):
        NO_CONSENT = "no_consent", "No consent for this channel"
        OPTED_OUT = "opted_out", "Asked to stop messages"
        NO_CONTACT = "no_contact", "Missing or invalid contact details"
        REFERRAL_ENDED = "referral_ended", "The referral has ended"
        TURNED_OFF = "turned_off", "Turned off for this service"
        ALREADY_DONE = "already_done", "No longer needed"
        RECORD_ERASED = "record_erased", "Record erased"
        # Service users are only messaged by a service that has someone to alert about risk.
        NO_DUTY_CONTACT = "no_duty_contact", "The service has no duty contact for risk alerts"
        # "Did you manage to go?" to someone the provider has not answered yet: their
        # clinician has a task instead.
        PROVIDER_SILENT = "provider_silent", "Waiting for the provider's answer"

    # The id is also the gateway reference, so a resend can be recognised as a duplicate.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The three foreign keys below are covered by the composite indexes in Meta; their own
    # indexes would only slow every status change (measured in bench/nudges.py).
    service = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.TALKING_THERAPIES},
        db_index=False,
    )
    audience = models.CharField(max_length=16, choices=Audience.choices)
    template = models.CharField(max_length=40)
    service_user = models.ForeignKey(
        "referrals.ServiceUser",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="nudges",
        db_index=False,
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="nudges",
        db_index=False,
    )
    # Staff recipients: a clinician's account, or a fixed address (a duty inbox).
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_email = models.EmailField(blank=True)
    # A path on this site that the message links to (for example a questionnaire link).
    link_path = models.CharField(max_length=300, blank=True)

    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # Chosen when sent: service users' preferences and consent can change after scheduling.
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)
    sent_to = models.CharField(max_length=320, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    deferred_reason = models.CharField(max_length=100, blank=True)
    # Sent again after an interruption that the gateway could not confirm either way.
    possible_duplicate = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    gateway_id = models.CharField(max_length=100, blank=True)
    # The gateway reference of the current send when it is not the id: "Send again" after a
    # failure makes a new message, with a new reference (delivery.py, services.nudge_retry).
    send_reference = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Whether any answer came back: kept by PostgreSQL's triggers (nudges migration 0011),
    # whoever writes the answers; the messages page counts it from its covering index.
    answered = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            # The dispatcher's one question: which scheduled nudges are due?
            models.Index(fields=["due_at"], condition=Q(status="scheduled"), name="nudge_due"),
            # /metrics: failed sends in the last day (referrals/nudges/monitoring.py).
            models.Index(
                fields=["updated_at"], condition=Q(status="failed"), name="nudge_failed_recent"
            ),
            # Sends interrupted by a dead worker or a lost broker message.
            models.Index(
                fields=["claimed_at"], condition=Q(status="sending"), name="nudge_stalled"
            ),
            models.Index(fields=["service_user", "-due_at"], name="nudge_by_service_user"),
            models.Index(fields=["referral", "status"], name="nudge_by_referral"),
            # Notify's delivery callback for a message sent again under a new reference.
            models.Index(
                fields=["send_reference"],
                condition=Q(send_reference__isnull=False),
                name="nudge_send_reference",
            ),
            models.Index(fields=["service", "status", "template"], name="nudge_by_service"),
            # The messages page: a service's messages due in the last n days, by template,
            # status and answered (an index-only scan).
            models.Index(
                fields=["service", "due_at"],
                include=["template", "status", "answered"],
                name="nudge_by_service_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(skip_reason=""),
                name="nudge_skip_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "scheduled",
                        "sending",
                        "sent",
                        "delivered",
                        "failed",
                        "skipped",
                        "cancelled",
                    ]
                ),
                name="nudge_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.template} ({self.get_status_display()})"

    @property
    def owning_organisation_id(self):
        return self.service_id

    @property
    def gateway_reference(self) -> str:
        """The idempotency key of the current send: the id, until a failed message is sent
        again as a new one."""
        return str(self.send_reference or self.pk)


class NudgeResponse(models.Model):
    """What a service user answered through a message's link."""

    Answer = Answer

    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="responses")
    answer = models.CharField(max_length=16, choices=Answer.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            # A second click on the same answer changes nothing.
            models.UniqueConstraint(fields=["nudge", "answer"], name="one_answer_per_nudge")
        ]

    def __str__(self):
        return self.get_answer_display()


class NotYetAnswer(models.Model):
    """After "Not yet" or "I can't make it": what got in the way and what would help."""

    response = models.OneToOneField(NudgeResponse, on_delete=models.CASCADE, related_name="not_yet")
    # NotYetReason and NotYetHelp values (talkingmoves.vocabulary.answers).
    reasons = models.JSONField(default=list, blank=True)
    helps = models.JSONField(default=list, blank=True)
    # "Something else", in the person's words: shown to their clinician only.
    other = models.CharField(max_length=200, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Not yet: {', '.join(self.reasons) or 'no reason given'}"


class NudgeSetting(models.Model):
    """A service's change to one message's default: on or off, day, channel."""

    service = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    template = models.CharField(max_length=40)
    enabled = models.BooleanField()
    offset_days = models.PositiveSmallIntegerField()
    # Blank: the service user's preferred channel.
    channel = models.CharField(max_length=8, choices=Nudge.Channel.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "template"], name="one_setting_per_template")
        ]

    def __str__(self):
        return f"{self.template} for {self.service}"


class CallRequest(models.Model):
    """A service user asked for a call through a message link: a task for their clinician."""

    service_user = models.ForeignKey(
        "referrals.ServiceUser", on_delete=models.CASCADE, related_name="call_requests"
    )
    nudge = models.OneToOneField(Nudge, on_delete=models.CASCADE, related_name="call_request")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Not marked done by then: the duty contact and the leads are told, and again each
    # working day until it is (referrals/nudges/call_requests.py).
    escalate_at = models.DateTimeField(null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["service_user"], condition=Q(done_at__isnull=True), name="open_call_request"
            ),
            # The escalation check's one question: which open requests are past their time?
            models.Index(
                fields=["escalate_at"],
                condition=Q(done_at__isnull=True, escalate_at__isnull=False),
                name="call_request_escalation_due",
            ),
        ]

    def __str__(self):
        return f"Call request for {self.service_user}"


class TextReply(models.Model):
    """A text message a service user sent back (GOV.UK Notify's received-text-message
    callback). The words are for the assigned clinician only; logs never hold them."""

    Kind = ReplyKind

    service_user = models.ForeignKey(
        "referrals.ServiceUser", on_delete=models.CASCADE, related_name="text_replies"
    )
    # The message the reply answers: the last one that asked a question, when there is one.
    nudge = models.ForeignKey(
        Nudge, on_delete=models.SET_NULL, null=True, blank=True, related_name="text_replies"
    )
    # Notify's id for the received message: the same callback twice records one reply.
    notify_id = models.CharField(max_length=100, unique=True)
    received_at = models.DateTimeField()
    text = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    answer = models.CharField(max_length=16, choices=Answer.choices, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The record's unread replies.
            models.Index(
                fields=["service_user", "-received_at"],
                condition=Q(read_at__isnull=True),
                name="text_reply_unread",
            ),
        ]

    def __str__(self):
        return f"Text reply ({self.get_kind_display()})"

    @property
    def owning_organisation_id(self):
        return self.service_user.service_id


class MessagesConsentEvent(models.Model):
    """Messages to a service user stopped or started again: who, when, how, and for a
    restart the consent the clinician recorded. Never edited."""

    Change = MessagesChange
    Source = MessagesChangeSource

    service_user = models.ForeignKey(
        "referrals.ServiceUser", on_delete=models.CASCADE, related_name="messages_changes"
    )
    change = models.CharField(max_length=16, choices=Change.choices)
    source = models.CharField(max_length=16, choices=Source.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["service_user", "-at"], name="messages_change_by_person")]
        constraints = [
            # A restart is only ever recorded with the consent that allowed it.
            models.CheckConstraint(
                condition=~Q(change="restarted") | (~Q(consent_note="") & Q(by__isnull=False)),
                name="messages_restart_has_consent",
            )
        ]

    def __str__(self):
        return self.get_change_display()
