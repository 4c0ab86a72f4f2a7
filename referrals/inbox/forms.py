"""Provider answers: accept with a first session, decline with a reason, attendance."""

from collections.abc import Sequence
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


ANOTHER_TIME = "another"


class AcceptForm(_ActionForm):
    """The first session: one of the activity's next sessions from its schedule, or another
    date and time (the only question when the schedule lists none)."""

    button_text = "Accept referral"

    first_session = forms.ChoiceField(
        label="When is their first session?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select when their first session is",
            "invalid_choice": "That session is no longer listed: select when their first "
            "session is",
        },
    )
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

    def __init__(self, *args, next_sessions: Sequence[datetime] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.next_sessions = {f"{start:%Y-%m-%dT%H:%M}": start for start in next_sessions}
        fields = [Field("first_session_date"), Field("first_session_time", width=5)]
        if self.next_sessions:
            self.fields["first_session"].choices = [
                *(
                    (key, f"{start:%A %-d %B %Y at %H:%M}")
                    for key, start in self.next_sessions.items()
                ),
                (ANOTHER_TIME, "Another date and time"),
            ]
            # A date and time typed in without choosing "another" count as another (see clean).
            self.fields["first_session"].required = False
            self.fields["first_session_date"].required = False
            self.fields["first_session_time"].required = False
            fields.insert(0, Field("first_session"))
        else:
            del self.fields["first_session"]
        self.helper.layout = Layout(*fields)

    def _another_time(self) -> bool:
        chosen = self.cleaned_data.get("first_session")
        return not self.next_sessions or chosen in (ANOTHER_TIME, "")

    def _typed_a_time(self) -> bool:
        return any(
            self.data.get(self.add_prefix(name), "").strip()
            for name in (
                "first_session_date-day",
                "first_session_date-month",
                "first_session_date-year",
                "first_session_time",
            )
        )

    def clean_first_session_date(self):
        value = self.cleaned_data["first_session_date"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(
                "Date of their first session must be today or in the future"
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if "first_session" in self.errors:
            return cleaned
        if self.next_sessions and not cleaned.get("first_session") and not self._typed_a_time():
            self.add_error("first_session", "Select when their first session is")
            return cleaned
        if self.next_sessions and self._another_time():
            if not cleaned.get("first_session_date") and "first_session_date" not in self.errors:
                self.add_error("first_session_date", "Enter the date of their first session")
            if not cleaned.get("first_session_time") and "first_session_time" not in self.errors:
                self.add_error("first_session_time", "Enter the start time")
        return cleaned

    def first_session_at(self) -> datetime:
        data = self.cleaned_data
        if not self._another_time():
            return self.next_sessions[data["first_session"]]
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
