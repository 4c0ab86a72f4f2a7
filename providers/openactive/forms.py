from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from providers.models import OpenActiveFeed
from talkingmoves.forms import NHSForm

URL_MAX_LENGTH = OpenActiveFeed._meta.get_field("url").max_length
_check_https = URLValidator(schemes=["https"])


class FeedForm(NHSForm):
    submit_text = "Register feed"

    name = forms.CharField(
        label="Name",
        help_text="So you can recognise it, for example 'Riverside Leisure sessions'",
        max_length=200,
        error_messages={
            "required": "Enter a name for the feed",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    url = forms.CharField(
        label="Feed web address",
        help_text="The address of the RPDE feed, starting https://. The provider or their "
        "booking system can tell you it, or find it on the OpenActive status page.",
        error_messages={"required": "Enter the feed's web address, starting https://"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "url"}),
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        if not url.lower().startswith("https://"):
            raise ValidationError("Enter the feed's web address, starting https://")
        if len(url) > URL_MAX_LENGTH:
            raise ValidationError(
                f"Feed web address must be {URL_MAX_LENGTH:,} characters or fewer"
            )
        try:
            _check_https(url)
        except ValidationError:
            raise ValidationError(
                "Enter the feed's web address in the right format, like "
                "https://example.org/feeds/session-series"
            ) from None
        if OpenActiveFeed.objects.filter(partnership=self.partnership, url=url).exists():
            raise ValidationError("Your partnership has already registered this feed")
        return url
