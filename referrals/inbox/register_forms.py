"""The session register: attended, missed or cancelled for each person expected."""

from datetime import date

from django import forms

from referrals.inbox.register_selectors import RegisterRow
from referrals.models import Referral
from talkingmoves.forms import NHSForm
from talkingmoves.forms.layout import Field, Layout
from talkingmoves.vocabulary.attendance import SessionAttendance


class RegisterForm(NHSForm):
    submit_text = "Save the register"

    def __init__(self, *args, rows: list[RegisterRow], session_date: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.session_date = session_date
        for row in rows:
            self.fields[row.field_name] = forms.ChoiceField(
                label=row.name,
                choices=SessionAttendance.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row.status or None,
                help_text=self._first_session_hint(row),
                error_messages={
                    "invalid_choice": f"Select attended, missed or cancelled for {row.name}"
                },
            )
        self.helper.layout = Layout(*(Field(row.field_name, inline=True, size="s") for row in rows))

    def _first_session_hint(self, row: RegisterRow) -> str:
        if row.first_session_on and row.first_session_on > self.session_date:
            return f"First session on {row.first_session_on:%-d %B %Y}"
        return ""

    def clean(self):
        cleaned = super().clean()
        marked = False
        for row in self.rows:
            value = cleaned.get(row.field_name)
            if not value:
                continue
            marked = True
            if row.first_session_on and self.session_date < row.first_session_on:
                self.add_error(
                    row.field_name,
                    f"{row.name}'s first session is on {row.first_session_on:%-d %B %Y}: "
                    "attendance cannot be recorded before it",
                )
        if self.rows and not marked and not self.errors:
            self.add_error(
                self.rows[0].field_name,
                "Select attended, missed or cancelled for at least one person",
            )
        return cleaned

    def marks(self) -> list[tuple[Referral, str]]:
        """What changed: a mark chosen that differs from what is recorded."""
        return [
            (row.referral, self.cleaned_data[row.field_name])
            for row in self.rows
            if self.cleaned_data.get(row.field_name)
            and self.cleaned_data[row.field_name] != row.status
        ]
