"""The task list's filter."""

from django import forms

from referrals.worklist.selectors import TaskFilter
from talkingmoves.forms import NHSForm
from talkingmoves.forms.layout import Field, Layout


class TaskFilterForm(NHSForm):
    submit_text = "Show"

    show = forms.ChoiceField(
        label="Whose tasks",
        choices=TaskFilter.CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select whose tasks to show"},
    )
    person = forms.UUIDField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "Choose a service user from the caseload"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field("show", size="s"), Field("person"))
