"""Provider answers: accept with a first session, decline with a reason, attendance."""

from datetime import datetime

from django import forms
from django.utils import timezone

from referrals.models import Attendance, Referral
from talkingmoves.forms import NHSDateField, NHSForm
from talkingmoves.forms.layout import Field, Layout, Submit

DECLINE_CHOICES = [
    (value, label)
    for value, label in Referral.DeclineReason.choices
    if value != Referral.DeclineReason.NO_RESPONSE  # only the 14-day job uses it
]


class _ActionForm(NHSForm):
    """A form posted to its own URL, with one labelled submit button."""

    submit_text = ""
    button_text = "Continue"
    button_variant = None

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = action
        self.helper.add_input(
            Submit(
                self.button_text,
                name="decision",
                value=self.prefix or "",
                variant=self.button_variant,
                prevent_double_click=True,
            )
        )


class AcceptForm(_ActionForm):
    button_text = "Accept referral"

    first_session_date = NHSDateField(
        label="Date of their first session", help_text="For example, 15 3 2027"
    )
    first_session_time = forms.TimeField(
        label="Start time",
        help_text="For example, 10:00 or 18:30",
        input_formats=["%H:%M", "%H.%M", "%H:%M:%S"],
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time as hours and minutes, like 10:00",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("first_session_date"), Field("first_session_time", width=5)
        )

    def clean_first_session_date(self):
        value = self.cleaned_data["first_session_date"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(
                "Date of their first session must be today or in the future"
            )
        return value

    def first_session_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(
            datetime.combine(data["first_session_date"], data["first_session_time"])
        )


class DeclineForm(_ActionForm):
    button_text = "Decline referral"
    button_variant = "secondary"

    reason = forms.ChoiceField(
        label="Why can you not take this referral?",
        choices=DECLINE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you cannot take this referral"},
    )
    note = forms.CharField(
        label="Anything the clinician should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Do not include anything the person told you in confidence",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == Referral.DeclineReason.OTHER and not cleaned.get("note"):
            self.add_error("note", "Enter the reason you cannot take this referral")
        return cleaned


class AttendanceForm(_ActionForm):
    button_text = "Record attendance"
    button_variant = "secondary"

    session_date = NHSDateField(label="Session date", help_text="For example, 15 3 2027")
    status = forms.ChoiceField(
        label="Did they come?",
        choices=Attendance.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they came to the session"},
    )

    def clean_session_date(self):
        value = self.cleaned_data["session_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("Session date must be today or in the past")
        return value


class MoveForm(forms.Form):
    """Moves with no details (complete, drop out, withdraw); `expected_from` is the status the
    person saw, so a move made on a stale page is refused."""

    to = forms.ChoiceField(choices=Referral.Status.choices)
    expected_from = forms.ChoiceField(choices=Referral.Status.choices)
    note = forms.CharField(required=False, max_length=1000)
