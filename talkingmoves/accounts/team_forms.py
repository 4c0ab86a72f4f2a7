from django import forms

from talkingmoves.forms.base import NHSForm
from talkingmoves.forms.layout import Field, Layout

from .forms import NHSSetPasswordForm
from .models import Organisation
from .team_selectors import email_has_account
from .team_services import ACCOUNT_EXISTS


class InviteForm(NHSForm):
    submit_text = "Send invitation"

    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their work email address. The invitation link is sent here",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person's role",
            "invalid_choice": "Select the person's role",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Provider",
        queryset=None,
        empty_label="Select a provider",
        error_messages={
            "required": "Select the provider the person works for",
            "invalid_choice": "Select the provider the person works for",
        },
    )

    def __init__(self, *args, roles, organisations, choose_organisation, **kwargs):
        """`roles`: those the inviter may grant; `organisations`: those they manage. A lead
        invites into their own service, so has no organisation to choose."""
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.organisations = organisations
        layout = [Field("full_name", autocomplete="off"), Field("email", spellcheck="false")]
        if len(roles) > 1:
            self.fields["role"].choices = [(role.value, role.label) for role in roles]
            layout.append(Field("role"))
        else:
            del self.fields["role"]
        if choose_organisation:
            self.fields["organisation"].queryset = organisations
            layout.append(Field("organisation"))
        else:
            del self.fields["organisation"]
        self.helper.layout = Layout(*layout)

    def invite_role(self) -> str:
        return self.cleaned_data.get("role") or self.roles[0].value

    def invite_organisation(self) -> Organisation:
        return self.cleaned_data.get("organisation") or self.organisations.get()

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email_has_account(email):
            raise forms.ValidationError(ACCOUNT_EXISTS)
        return email


class RoleForm(NHSForm):
    submit_text = "Change role"

    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the person's new role",
            "invalid_choice": "Select one of the roles shown",
        },
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class InvitationPasswordForm(NHSSetPasswordForm):
    submit_text = "Set password and continue"
