"""Episodes of Talking Therapies care, their appointments and measures (item by item), risk
flags from PHQ-9 item 9, per-service outcome settings and self-completion requests.

Derived columns (totals, episode outcomes) are never typed: services compute them through
`outcomes.rules`, and the database constraints keep every range honest.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from referrals.models import ServiceUser
from talkingmoves.accounts.models import Organisation


class ReferralSource(models.TextChoices):
    """NHS data dictionary: source of referral (IAPT/MH), the codes most used."""

    GP = "A1", "GP"
    HEALTH_VISITOR = "A2", "Health visitor"
    OTHER_PRIMARY_CARE = "A3", "Other primary health care"
    MATERNITY = "A4", "Maternity service"
    SELF = "B1", "Self-referral"
    CARER = "B2", "Carer or relative"
    SOCIAL_SERVICES = "C1", "Social services"
    EDUCATION = "C2", "Education service"
    HOUSING = "C3", "Housing service"
    EMPLOYER = "D1", "Employer"
    OCCUPATIONAL_HEALTH = "D2", "Occupational health"
    VOLUNTARY_SECTOR = "G3", "Voluntary sector"
    EMERGENCY_DEPARTMENT = "H1", "Emergency department"
    OTHER_SECONDARY_CARE = "H2", "Other secondary care specialty"
    JOBCENTRE_PLUS = "M5", "Jobcentre Plus"
    OTHER_SERVICE = "M6", "Other service or agency"
    STEPPED_UP = "N1", "Stepped up from low intensity"
    STEPPED_DOWN = "N2", "Stepped down from high intensity"
    OTHER_TALKING_THERAPIES = "N4", "Other NHS Talking Therapies service"
    INTERNAL = "P1", "Internal referral"


class EndingReason(models.TextChoices):
    """NHS data dictionary: Talking Therapies ending (discharge) codes (EndCode)."""

    NOT_ASSESSED = "50", "Referred but not seen: not assessed"
    NOT_SUITABLE = "10", "Seen, not suitable: no action or back to referrer"
    NOT_SUITABLE_SIGNPOSTED = "11", "Seen, not suitable: signposted elsewhere"
    ADVICE_AND_SUPPORT = "12", "Seen: discharged by agreement after advice and support"
    OTHER_THERAPY_SERVICE = "13", "Seen: referred to another therapy service"
    DECLINED_TREATMENT = "14", "Seen: suitable but declined treatment offered"
    INCOMPLETE_ASSESSMENT = "16", "Seen: incomplete assessment (dropped out)"
    DECEASED_BEFORE_TREATMENT = "17", "Seen: deceased"
    NOT_KNOWN_SEEN = "95", "Seen: not known"
    COMPLETED = "46", "Treated: mutually agreed completion of treatment"
    ENDED_EARLY_BY_CLINICIAN = "47", "Treated: ended earlier than the care professional planned"
    ENDED_EARLY_BY_PATIENT = "48", "Treated: ended earlier than the patient requested"
    DECEASED = "49", "Treated: deceased"
    NOT_KNOWN_TREATED = "96", "Treated: not known"


class Episode(models.Model):
    """One Talking Therapies referral (course of care) for a service user."""

    class Step(models.IntegerChoices):
        LOW_INTENSITY = 2, "Step 2: low intensity"
        HIGH_INTENSITY = 3, "Step 3: high intensity"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(ServiceUser, on_delete=models.CASCADE, related_name="episodes")
    # Denormalised from the service user so dashboards scope and group without a join.
    service = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="episodes",
        limit_choices_to={"kind": Organisation.Kind.TALKING_THERAPIES},
    )
    referral_received_on = models.DateField()
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices)
    step = models.PositiveSmallIntegerField(choices=Step.choices, null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    ending_reason = models.CharField(max_length=2, choices=EndingReason.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Derived by services.episode_recompute through rules.assess; never typed.
    first_phq9 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    first_gad7 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    last_phq9 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    last_gad7 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    treatment_sessions = models.PositiveIntegerField(default=0, editable=False)
    finished_treatment = models.BooleanField(null=True, blank=True, editable=False)
    caseness_at_start = models.BooleanField(null=True, blank=True, editable=False)
    caseness_at_end = models.BooleanField(null=True, blank=True, editable=False)
    recovered = models.BooleanField(null=True, blank=True, editable=False)
    reliably_improved = models.BooleanField(null=True, blank=True, editable=False)
    reliably_recovered = models.BooleanField(null=True, blank=True, editable=False)
    reliably_deteriorated = models.BooleanField(null=True, blank=True, editable=False)
    no_reliable_change = models.BooleanField(null=True, blank=True, editable=False)
    phq9_change = models.SmallIntegerField(null=True, blank=True, editable=False)
    gad7_change = models.SmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-referral_received_on", "-pk"]
        indexes = [
            # Dashboards: one service's episodes that ended in a period.
            models.Index(fields=["service", "ended_on"], name="episode_service_ended"),
            models.Index(
                fields=["service_user", "-referral_received_on"], name="episode_by_service_user"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["service_user"],
                condition=Q(ended_on__isnull=True),
                name="episode_one_open_per_service_user",
                violation_error_message="This service user already has an open episode",
            ),
            models.CheckConstraint(
                condition=Q(step__isnull=True) | Q(step__in=[2, 3]), name="episode_step_valid"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("referral_received_on")),
                name="episode_ends_after_referral",
                violation_error_message="The ending date must be on or after the referral date",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=False) | Q(ending_reason=""),
                name="episode_reason_only_when_ended",
            ),
            models.CheckConstraint(
                condition=Q(referral_source__in=ReferralSource.values),
                name="episode_referral_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(ending_reason="") | Q(ending_reason__in=EndingReason.values),
                name="episode_ending_reason_valid",
            ),
            models.CheckConstraint(
                condition=(Q(first_phq9__isnull=True) | Q(first_phq9__lte=27))
                & (Q(last_phq9__isnull=True) | Q(last_phq9__lte=27))
                & (Q(first_gad7__isnull=True) | Q(first_gad7__lte=21))
                & (Q(last_gad7__isnull=True) | Q(last_gad7__lte=21)),
                name="episode_scores_in_range",
            ),
        ]

    def __str__(self):
        return f"Episode from {self.referral_received_on:%Y-%m-%d} for {self.service_user}"

    @property
    def owning_organisation_id(self):
        return self.service_id

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


APPOINTMENT_KINDS = ["assessment", "treatment", "assessment_and_treatment", "review_and_treatment"]
ATTENDANCE_VALUES = ["attended", "did_not_attend", "cancelled"]
MEASURE_KINDS = ["phq9", "gad7", "wsas", "activity_days", "activity_minutes"]
MEASURE_SOURCES = ["clinician", "self_completed"]


class Appointment(models.Model):
    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment"
        TREATMENT = "treatment", "Treatment"
        ASSESSMENT_AND_TREATMENT = "assessment_and_treatment", "Assessment and treatment"
        REVIEW_AND_TREATMENT = "review_and_treatment", "Review and treatment"

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CANCELLED = "cancelled", "Cancelled"

    # Data set AppType and AttendOrDNACode for each choice (clinical-definitions.md section 7).
    APP_TYPE_CODES = {
        Kind.ASSESSMENT: "01",
        Kind.TREATMENT: "02",
        Kind.ASSESSMENT_AND_TREATMENT: "03",
        Kind.REVIEW_AND_TREATMENT: "05",
    }
    ATTEND_CODES = {
        Attendance.ATTENDED: "5",
        Attendance.DID_NOT_ATTEND: "3",
        Attendance.CANCELLED: "2",
    }
    # Appointments that count towards "finished treatment" when attended (AppType 02, 03, 05).
    TREATMENT_KINDS = (
        Kind.TREATMENT,
        Kind.ASSESSMENT_AND_TREATMENT,
        Kind.REVIEW_AND_TREATMENT,
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="appointments")
    on = models.DateField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    attendance = models.CharField(max_length=16, choices=Attendance.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["episode", "on"], name="appointment_episode_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=APPOINTMENT_KINDS), name="appointment_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=ATTENDANCE_VALUES),
                name="appointment_attendance_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.on:%Y-%m-%d}: {self.get_attendance_display()}"

    @property
    def counts_as_treatment(self) -> bool:
        return self.attendance == self.Attendance.ATTENDED and self.kind in self.TREATMENT_KINDS


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


class RiskFlag(models.Model):
    """PHQ-9 item 9 answered above "not at all": open until a clinician records a review."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_user = models.ForeignKey(
        ServiceUser, on_delete=models.CASCADE, related_name="risk_flags"
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="risk_flags")
    raised_at = models.DateTimeField(default=timezone.now)
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
            )
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


class OutcomeSettings(models.Model):
    """Per-service settings for outcomes: who hears about risk, what service users are told,
    and the targets shown on the lead's dashboard."""

    service = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="outcome_settings",
        limit_choices_to={"kind": Organisation.Kind.TALKING_THERAPIES},
    )
    duty_contact_email = models.EmailField(
        blank=True, help_text="Alerted when a self-completed questionnaire needs review"
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
            )
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


MEASURE_REQUEST_LIFETIME = timedelta(days=14)
DEFAULT_REQUEST_KINDS = ["phq9", "gad7", "activity_days"]


def _default_request_kinds():
    return list(DEFAULT_REQUEST_KINDS)


def _request_expiry():
    return timezone.now() + MEASURE_REQUEST_LIFETIME


class MeasureRequest(models.Model):
    """A signed, expiring, single-use link for a service user to complete measures."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="measure_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_request_expiry)
    completed_at = models.DateTimeField(null=True, blank=True)
    kinds = models.JSONField(default=_default_request_kinds)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="measurerequest_expires_later"
            )
        ]

    def __str__(self):
        return f"Questionnaire link sent {self.created_at:%Y-%m-%d}"

    @property
    def owning_organisation_id(self):
        return self.episode.service_id
