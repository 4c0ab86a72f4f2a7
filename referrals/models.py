"""Service users, their screening, and referrals to activities with their history."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from providers.geography import postcode_district
from providers.models import Activity
from referrals.validators import format_nhs_number
from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.attendance import SessionAttendance
from talkingmoves.vocabulary.care import Step
from talkingmoves.vocabulary.contact import ContactChannel
from talkingmoves.vocabulary.people import EthnicCategory, Gender
from talkingmoves.vocabulary.referral import DeclineReason


class ServiceUser(models.Model):
    """A person in treatment with a Talking Therapies service. Only that service sees them."""

    Step = Step  # also Episode.Step: the step a person is treated at

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_users",
        limit_choices_to={"kind": Organisation.Kind.TALKING_THERAPIES},
    )
    assigned_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=15, blank=True)
    preferred_contact = models.CharField(
        max_length=8, choices=ContactChannel.choices, default=ContactChannel.EMAIL
    )
    gender = models.CharField(max_length=2, choices=Gender.choices, blank=True)
    ethnic_category = models.CharField(max_length=2, choices=EthnicCategory.choices, blank=True)
    has_disability_or_ltc = models.BooleanField(
        "Disability or long-term condition", null=True, blank=True
    )
    disability_or_ltc_details = models.TextField(blank=True)
    presenting_problem = models.CharField(max_length=200, blank=True)
    step = models.PositiveSmallIntegerField(choices=Step.choices, null=True, blank=True)
    # OpenActive Activity List identifiers the person is interested in.
    interests = models.JSONField(default=list, blank=True)
    # The lists are in talkingmoves.vocabulary: Barrier codes; the preferences module's
    # values, blank for no preference; Weekday numbers; TimeOfDay; Accessibility codes.
    barriers = models.JSONField(default=list, blank=True)
    prefers_delivery = models.CharField(max_length=16, blank=True)
    prefers_format = models.CharField(max_length=16, blank=True)
    prefers_cost = models.CharField(max_length=8, blank=True)
    max_travel_km = models.PositiveSmallIntegerField(null=True, blank=True)
    preferred_days = models.JSONField(default=list, blank=True)
    preferred_times = models.JSONField(default=list, blank=True)
    accessibility_needs = models.JSONField(default=list, blank=True)

    # Consents: who recorded each, and when; withdrawing clears the time and records who.
    consent_share_at = models.DateTimeField(null=True, blank=True)
    consent_share_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_email_at = models.DateTimeField(null=True, blank=True)
    consent_email_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_sms_at = models.DateTimeField(null=True, blank=True)
    consent_sms_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set when the record is erased: personal data removed, counts kept for statistics.
    erased_at = models.DateTimeField(null=True, blank=True)
    # Set when the person answers "Stop these messages": no more nudges to them.
    nudges_stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            # Caseload: a clinician's live service users.
            models.Index(
                fields=["assigned_clinician", "family_name"],
                condition=Q(erased_at__isnull=True),
                name="serviceuser_caseload",
            ),
            # The whole service's caseload in name order, a page at a time (caseload_pages).
            models.Index(
                fields=["service", "family_name", "given_name", "id"],
                condition=Q(erased_at__isnull=True),
                name="serviceuser_service_by_name",
            ),
            # An Active Partnership's demand by postcode district, across services.
            models.Index(
                postcode_district("postcode"),
                condition=Q(erased_at__isnull=True),
                name="serviceuser_postcode_district",
            ),
            # Duplicate warning and search by NHS number within a service.
            models.Index(fields=["service", "nhs_number"], name="serviceuser_service_nhs"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nhs_number="") | Q(nhs_number__regex=r"^[0-9]{10}$"),
                name="serviceuser_nhs_number_digits",
                violation_error_message="NHS number must be 10 digits",
            ),
            models.CheckConstraint(
                condition=Q(step__isnull=True) | Q(step__in=Step.values),
                name="serviceuser_step_valid",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

    @property
    def owning_organisation_id(self):
        return self.service_id

    @property
    def has_consent_to_share(self) -> bool:
        return self.consent_share_at is not None


class Screening(models.Model):
    """PAR-Q+ general health questions: every answer stored, never only pass or fail."""

    class Outcome(models.TextChoices):
        CLEAR = "clear", "Cleared to start gradually"
        ADVICE_NEEDED = "advice_needed", "Advice needed"

    class Resolution(models.TextChoices):
        DISCUSSED_AND_CLEARED = "discussed_cleared", "Discussed and cleared to start gradually"
        SEEK_ADVICE_FIRST = "seek_advice", "Suggest GP or specialist advice first"
        SPECIALIST_ONLY = "specialist_only", "Specialist or supervised activity only"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="screenings"
    )
    # {"q1": true, ..., "q7": false}
    answers = models.JSONField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    taken_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-taken_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="advice_needed") | Q(resolution=""),
                name="screening_only_advice_is_resolved",
            ),
        ]

    def __str__(self):
        return f"PAR-Q+ {self.get_outcome_display()} ({self.taken_at:%Y-%m-%d})"

    @property
    def needs_resolution(self) -> bool:
        return self.outcome == self.Outcome.ADVICE_NEEDED and not self.resolution


class Referral(models.Model):
    class Kind(models.TextChoices):
        REFER = "refer", "Referral"
        SIGNPOST = "signpost", "Signposting"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        ATTENDING = "attending", "Attending"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"
        DROPPED_OUT = "dropped_out", "Dropped out"
        SIGNPOSTED = "signposted", "Signposted"
        TAKEN_UP = "taken_up", "Taken up"
        NOT_TAKEN_UP = "not_taken_up", "Not taken up"

    OPEN_STATUSES = ("draft", "sent", "accepted", "attending", "signposted")

    # Reached through the model too (Referral.DeclineReason.FULL), as Django choices often are.
    DeclineReason = DeclineReason

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.PROTECT, related_name="referrals"
    )
    # The service user's service, copied so a service's referrals are read without a join
    # (the lead's dashboard counts hundreds of thousands). Indexed with dates in Meta.
    service = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Minimum necessary for the provider: nothing clinical goes in these.
    what_they_would_enjoy = models.TextField(blank=True)
    goal = models.TextField(blank=True)
    needs_for_provider = models.TextField(blank=True)
    accompanied_first_visit = models.BooleanField(default=False)
    preferred_contact = models.CharField(max_length=8, choices=ContactChannel.choices, blank=True)
    first_session_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Milestones, set once by the services, so the funnel is counted from columns rather
    # than from the event history and attendance.
    accepted_at = models.DateTimeField(null=True, blank=True)
    first_attended_on = models.DateField(null=True, blank=True)  # any source
    # The first session on the provider's register: "took up". A session only the person
    # reported ("I went") is not uptake (issue 12), so dashboards count from this one.
    provider_attended_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user", "activity"],
                condition=Q(status__in=["draft", "sent", "accepted", "attending", "signposted"]),
                name="one_open_referral_per_person_and_activity",
                violation_error_message=(
                    "This person already has an open referral to this activity"
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="signpost", status__in=["signposted", "taken_up", "not_taken_up"])
                | Q(kind="refer") & ~Q(status__in=["signposted", "taken_up", "not_taken_up"]),
                name="referral_status_fits_kind",
            ),
        ]
        indexes = [
            # Provider inbox: one provider's referrals by tab (status), newest first, and
            # the tab counts; the status column lets PostgreSQL count from the index alone.
            models.Index(
                fields=["activity", "status", "-sent_at"], name="referral_inbox_by_activity"
            ),
            # Provider inbox pages, one per tab (referrals/inbox/selectors.py TABS): the
            # tab's referrals newest first, so a page seeks to its cursor and reads 26 rows.
            *(
                models.Index(
                    F("sent_at").desc(),
                    F("public_id").desc(),
                    F("activity"),  # so the count of a tab reads the index alone
                    condition=Q(kind="refer", status__in=statuses, sent_at__isnull=False),
                    name=f"referral_inbox_{tab}",
                )
                for tab, statuses in (
                    ("new", ["sent"]),
                    ("current", ["accepted", "attending"]),
                    ("closed", ["declined", "completed", "dropped_out", "withdrawn"]),
                )
            ),
            models.Index(fields=["service_user", "-created_at"], name="referral_by_service_user"),
            # Dashboards: a service's referrals sent (or signposting made) in a period.
            models.Index(fields=["service", "sent_at"], name="referral_service_sent"),
            models.Index(fields=["service", "created_at"], name="referral_service_created"),
            # Dashboards: first sessions on the provider's register in a period (waits).
            models.Index(
                fields=["service", "provider_attended_on"], name="referral_service_registered"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.service_user} to {self.activity}"

    def save(self, *args, **kwargs):
        if self.service_id is None and self.service_user_id is not None:
            self.service_id = self.service_user.service_id
        super().save(*args, **kwargs)

    @property
    def owning_organisation_id(self):
        return self.service_user.service_id

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReferralEvent(models.Model):
    """Append-only: every change of a referral's state, who made it and when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Referral.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A named system job (the auto-decline) or "service user (link)" when no account acted.
    system_actor = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor__isnull=False) | ~Q(system_actor=""),
                name="referralevent_has_actor",
            )
        ]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status} at {self.at:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    Status = SessionAttendance  # attended / missed / cancelled, from the vocabulary

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attendances")
    session_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    SOURCE_PROVIDER = "provider"
    SOURCE_SELF_REPORTED = "self_reported"  # the service user told us through a message link
    source = models.CharField(max_length=20, default=SOURCE_PROVIDER)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "session_date", "source"], name="one_attendance_per_session"
            )
        ]

    def __str__(self):
        return f"{self.session_date}: {self.get_status_display()}"


# Models kept in their own modules (service content, tasks, shortlists, stored
# responsiveness), imported here so Django registers them.
from referrals.content_models import DEFAULT_RED_FLAG_GUIDANCE, ServiceContent  # noqa: E402, F401
from referrals.count_models import ServicePeopleCount  # noqa: E402, F401
from referrals.responsiveness_models import ProviderResponsiveness  # noqa: E402, F401
from referrals.shortlists.models import ShortlistItem  # noqa: E402, F401
from referrals.worklist.models import Task  # noqa: E402, F401
