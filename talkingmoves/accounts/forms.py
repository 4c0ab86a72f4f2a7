from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from talkingmoves.forms.base import NHSFormMixin


class EmailAuthenticationForm(NHSFormMixin, AuthenticationForm):
    submit_text = "Sign in"

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed. Contact your service administrator",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"] = forms.EmailField(
            label="Email address",
            max_length=254,
            error_messages={
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
            },
            widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class NHSPasswordResetForm(NHSFormMixin, PasswordResetForm):
    submit_text = "Send reset link"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "The email address you use to sign in to TalkingMoves"
        self.fields["email"].error_messages = {
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
        }


class NHSSetPasswordForm(NHSFormMixin, SetPasswordForm):
    submit_text = "Save new password"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.error_messages["password_mismatch"] = "The passwords do not match"


class TokenForm(NHSFormMixin, forms.Form):
    submit_text = "Continue"

    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app",
        max_length=6,
        min_length=6,
        error_messages={
            "required": "Enter the security code from your authenticator app",
            "min_length": "Security code must be 6 digits",
            "max_length": "Security code must be 6 digits",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("Security code must only include numbers")
        return token


class VerifyForm(NHSFormMixin, forms.Form):
    submit_text = "Continue"

    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes",
        max_length=16,
        error_messages={"required": "Enter the security code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()
