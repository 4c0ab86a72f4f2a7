"""Appointments: each one's kind and attendance, as the data set codes them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from outcomes.models.episodes import Episode

APPOINTMENT_KINDS = ["assessment", "treatment", "assessment_and_treatment", "review_and_treatment"]
ATTENDANCE_VALUES = ["attended", "did_not_attend", "cancelled"]


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
        indexes = [
            models.Index(fields=["episode", "on"], name="appointment_episode_on"),
            # Dashboards: attended treatment by date (waits to first treatment in a period).
            models.Index(
                fields=["on", "episode"],
                name="appointment_treated_on",
                condition=Q(
                    attendance="attended",
                    kind__in=["treatment", "assessment_and_treatment", "review_and_treatment"],
                ),
            ),
            # Dashboards: one day's appointments, recounted into its AppointmentDayFact.
            models.Index(fields=["on", "episode"], name="appointment_on_day"),
        ]
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
