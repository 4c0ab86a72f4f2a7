from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from providers import geography
from providers.activity_type_field import ActivityTypeField
from providers.models import Activity, Provider, Venue
from providers.openactive import feed_fields
from providers.openactive.feed_fields import lock_feed_fields
from providers.schedule import (
    ScheduleError,
    format_dated_sessions,
    format_weekly_times,
    parse_dated_sessions,
    parse_weekly_times,
)
from providers.selectors import upcoming_dated_sessions
from talkingmoves.forms.base import NHSForm, NHSModelForm
from talkingmoves.forms.layout import Field, Fieldset, Layout
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import DeliveryMode, SuitableFor


def https_url_formfield(model_field, **kwargs):
    # Django 6's default: "www.example.org" typed without a scheme means https.
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class ProviderForm(NHSModelForm):
    submit_text = "Save provider"

    class Meta:
        model = Provider
        formfield_callback = https_url_formfield
        fields = ["name", "description", "website", "email", "phone", "is_specialist"]
        labels = {
            "name": "Provider name",
            "is_specialist": "This provider offers specialist or supervised activity",
        }
        help_texts = {
            "description": "What the organisation does, in a sentence or two",
            "is_specialist": "For example cardiac rehabilitation or exercise on referral",
        }
        error_messages = {
            "name": {"required": "Enter the provider's name"},
            "website": {"invalid": "Enter a web address, like https://www.example.org.uk"},
            "email": {
                "invalid": "Enter an email address in the correct format, like name@example.org.uk"
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("name"),
            Field("description", rows=3),
            Field("website", autocomplete="url", spellcheck="false"),
            Field("email", autocomplete="email", spellcheck="false"),
            Field("phone", width=20, autocomplete="tel"),
            Field("is_specialist"),
        )


class VenueForm(NHSModelForm):
    submit_text = "Save venue"
    accessibility = forms.MultipleChoiceField(
        label="Accessibility at this venue",
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )

    class Meta:
        model = Venue
        fields = ["name", "address_line_1", "address_line_2", "town", "postcode", "access_notes"]
        labels = {
            "name": "Venue name",
            "address_line_1": "Address line 1",
            "address_line_2": "Address line 2 (optional)",
            "town": "Town or city",
            "access_notes": "Getting there and getting in (optional)",
        }
        help_texts = {"access_notes": "Parking, buses, which entrance to use, lifts"}
        error_messages = {"name": {"required": "Enter the venue's name"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["postcode"].required = True
        self.fields["postcode"].error_messages["required"] = "Enter the venue's postcode"
        if self.instance.pk and not self.is_bound:
            self.initial["accessibility"] = list(
                self.instance.accessibility.values_list("feature", flat=True)
            )
        lock_feed_fields(self, feed_fields.VENUE_FIELDS)
        self.helper.layout = Layout(
            Field("name"),
            Fieldset(
                "Address",
                Field("address_line_1", autocomplete="address-line1"),
                Field("address_line_2", autocomplete="address-line2"),
                Field("town", width="two-thirds", autocomplete="address-level2"),
                Field("postcode", width=10, autocomplete="postal-code"),
                size="m",
            ),
            Field("accessibility"),
            Field("access_notes", rows=3),
        )

    def clean_postcode(self):
        try:
            return geography.normalise_postcode(self.cleaned_data["postcode"])
        except geography.PostcodeError as error:
            raise ValidationError(str(error)) from None


class ActivityForm(NHSModelForm):
    submit_text = "Save activity"
    suitable_for = forms.MultipleChoiceField(
        label="Who is it suitable for?",
        choices=SuitableFor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    accessibility = forms.MultipleChoiceField(
        label="Accessibility support at the session",
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    weekly_times = forms.CharField(
        label="When does it happen each week? (optional)",
        help_text="One time on each line, for example Tuesday 10:00 to 11:00",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    dated_sessions = forms.CharField(
        label="Dated sessions, such as a course or a taster day (optional)",
        help_text="One on each line, for example 14/03/2027 10:00 to 11:00",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Activity
        formfield_callback = https_url_formfield
        field_classes = {"activity_type": ActivityTypeField}
        fields = [
            "name",
            "activity_type",
            "description",
            "venue",
            "delivery_mode",
            "online_url",
            "is_free",
            "price_full",
            "price_concession",
            "intensity",
            "format",
            "group_size",
            "capacity",
            "booking_required",
            "takes_referrals",
            "referral_email",
            "referral_phone",
        ]
        labels = {
            "name": "Activity name",
            "activity_type": "Type of activity",
            "venue": "Venue",
            "delivery_mode": "How is it delivered?",
            "online_url": "Link to join online (optional)",
            "is_free": "It is free",
            "price_full": "Full price per session, in pounds (optional)",
            "price_concession": "Concession price per session, in pounds (optional)",
            "intensity": "How intense is it?",
            "format": "Is it a group or one-to-one?",
            "group_size": "Largest group size (optional)",
            "capacity": "Places per session (optional)",
            "booking_required": "People need to book",
            "takes_referrals": "Takes referrals from NHS Talking Therapies",
            "referral_email": "Email address for referrals",
            "referral_phone": "Phone number for referrals",
        }
        help_texts = {
            "activity_type": (
                "From the OpenActive activity list, so other activity finders understand it"
            ),
            "takes_referrals": "If not, clinicians can still tell people about it (signposting)",
            "referral_email": (
                "Where new referrals are sent. Needed if it takes referrals, "
                "unless you give a phone number"
            ),
        }
        widgets = {
            "delivery_mode": forms.RadioSelect,
            "intensity": forms.RadioSelect,
            "format": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "name": {"required": "Enter the activity's name"},
            "price_full": {"invalid": "Full price must be a number, like 4.50"},
            "price_concession": {"invalid": "Concession price must be a number, like 2.50"},
            "group_size": {"invalid": "Largest group size must be a whole number"},
            "capacity": {"invalid": "Places per session must be a whole number"},
        }

    def __init__(self, *args, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues if venues is not None else Venue.objects.none()
        self.fields["venue"].required = False
        self.fields["venue"].empty_label = "No venue (online only)"
        for name in ("price_full", "price_concession"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})
            self.fields[name].localize = False
        if self.instance.pk and not self.is_bound:
            self.initial["suitable_for"] = list(
                self.instance.suitability.values_list("tag", flat=True)
            )
            self.initial["accessibility"] = list(
                self.instance.accessibility.values_list("feature", flat=True)
            )
            self.initial["weekly_times"] = format_weekly_times(
                (s.weekday, s.start_time, s.end_time) for s in self.instance.weekly_slots.all()
            )
            self.initial["dated_sessions"] = format_dated_sessions(
                upcoming_dated_sessions(self.instance)
            )
        if self.instance.pk and self.instance.feed_id:
            times = format_weekly_times(
                (s.weekday, s.start_time, s.end_time) for s in self.instance.weekly_slots.all()
            )
            lock_feed_fields(self, feed_fields.ACTIVITY_FIELDS, initial={"weekly_times": times})
        self.helper.layout = Layout(
            Field("name"),
            Field("activity_type"),
            Field("description"),
            Field("delivery_mode"),
            Field("venue"),
            Field("online_url", spellcheck="false"),
            Field("weekly_times"),
            Field("dated_sessions"),
            Fieldset(
                "Cost",
                Field("is_free"),
                Field("price_full", width=5),
                Field("price_concession", width=5),
                size="m",
            ),
            Field("intensity", inline=True),
            Field("format", inline=True),
            Field("group_size", width=3),
            Field("capacity", width=3),
            Field("booking_required"),
            Field("suitable_for"),
            Field("accessibility"),
            Fieldset(
                "Referrals",
                Field("takes_referrals"),
                Field("referral_email", spellcheck="false"),
                Field("referral_phone", width=20),
                size="m",
            ),
        )

    def clean_dated_sessions(self):
        try:
            sessions = parse_dated_sessions(self.cleaned_data["dated_sessions"])
        except ScheduleError as error:
            raise ValidationError(str(error)) from None
        today = timezone.localdate()
        past = [day for day, _start, _end in sessions if day < today]
        if past:
            raise ValidationError(f"{past[0]:%d/%m/%Y} has passed. Enter dates from today on")
        return sessions

    def clean_weekly_times(self):
        try:
            return parse_weekly_times(self.cleaned_data["weekly_times"])
        except ScheduleError as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("delivery_mode")
        if mode in (DeliveryMode.IN_PERSON, DeliveryMode.BOTH) and not cleaned.get("venue"):
            self.add_error(
                "venue", "Select the venue, or choose online for an activity with no venue"
            )
        for name in ("price_full", "price_concession"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, "Price cannot be less than £0")
        if cleaned.get("is_free") and cleaned.get("price_full"):
            self.add_error("price_full", "Leave the full price empty for a free activity")
        if cleaned.get("takes_referrals") and not (
            cleaned.get("referral_email") or cleaned.get("referral_phone")
        ):
            self.add_error(
                "referral_email",
                "Enter an email address or phone number for referrals, "
                "or say it does not take referrals",
            )
        return cleaned


class ListingFilterForm(NHSForm):
    """Search and filters on a partnership's listings (GET)."""

    submit_text = "Apply filters"

    q = forms.CharField(
        label="Search", required=False, help_text="Activity, provider, venue or postcode"
    )
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "All live listings"),
            ("needs_checking", "Only listings that need checking"),
            ("archived", "Archived listings"),
        ],
    )
    source = forms.ChoiceField(label="Source", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from providers.models import Source

        self.fields["source"].choices = [("", "Any source"), *Source.choices]
        self.helper.form_method = "get"
        self.helper.layout = Layout(Field("q", type="search"), Field("status"), Field("source"))
