"""Episodes: one Talking Therapies referral (course of care) each, with the NHS codes for
where it came from and how it ended, and its outcome columns."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from referrals.models import ServiceUser
from talkingmoves.accounts.models import Organisation
from talkingmoves.vocabulary.care import Step
from talkingmoves.vocabulary.uptake import ActivityGroup


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


# What services.facts counts for an episode on the day it ended (index episode_service_ended).
ENDED_RECOUNT_COLUMNS = [
    "activity_group", "step", "finished_treatment", "caseness_at_start", "recovered",
    "reliably_recovered", "reliably_improved", "reliably_deteriorated", "phq9_change",
    "gad7_change", "last_phq9", "last_gad7",
]  # fmt: skip


class Episode(models.Model):
    """One Talking Therapies referral (course of care) for a service user."""

    Step = Step  # also ServiceUser.Step: the step a person is treated at

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
    # The first and second attended treatment appointments (any date, as the waits measure
    # them): the wait to treatment and "more than 90 days between first and second" are
    # then counts over episodes, not a search of every appointment (ADR 016).
    first_treatment_on = models.DateField(null=True, blank=True, editable=False)
    second_treatment_on = models.DateField(null=True, blank=True, editable=False)
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
    # Whether the person took up activity during the episode (outcomes/uptake.py); kept in
    # step by the services and the referrals hooks (outcomes/receivers.py).
    activity_group = models.CharField(
        max_length=16,
        choices=ActivityGroup.choices,
        default=ActivityGroup.NOT_REFERRED,
        editable=False,
    )

    class Meta:
        ordering = ["-referral_received_on", "-pk"]
        indexes = [
            # Dashboards: one service's episodes that ended in a period. services.facts: the
            # same on given days, carrying every column its recount reads, so that recount
            # (inside each send of a referral) reads the index, not a heap page an episode.
            models.Index(
                fields=["service", "ended_on"],
                include=ENDED_RECOUNT_COLUMNS,
                name="episode_service_ended",
            ),
            # services.facts: one service's episodes received on given days, by group and step.
            models.Index(
                fields=["service", "referral_received_on"],
                include=["activity_group", "step"],
                name="episode_service_received",
            ),
            models.Index(
                fields=["service_user", "-referral_received_on"], name="episode_by_service_user"
            ),
            # Dashboards: one service's episodes whose first treatment was in a period.
            models.Index(
                fields=["service", "first_treatment_on"], name="episode_service_first_treated"
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
                condition=Q(step__isnull=True) | Q(step__in=Step.values),
                name="episode_step_valid",
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
            models.CheckConstraint(
                condition=Q(activity_group__in=ActivityGroup.values),
                name="episode_activity_group_valid",
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
