"""The clinician's referral: a few plain-language details for the provider, nothing clinical."""

from django import forms

from referrals.models import Referral
from talkingmoves.forms import NHSForm
from talkingmoves.forms.layout import Field, Layout
from talkingmoves.vocabulary.activities import Format
from talkingmoves.vocabulary.contact import ContactChannel
from talkingmoves.vocabulary.preferences import COST_LIMITS, DeliveryPreference

YES_NO = [("yes", "Yes"), ("no", "No")]


class ReferralForm(NHSForm):
    submit_text = "Send referral"

    what_they_would_enjoy = forms.CharField(
        label="What would they enjoy about it?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In their words, for example 'being outdoors with other people'",
        error_messages={"required": "Enter what they would enjoy"},
    )
    goal = forms.CharField(
        label="What is their goal?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, 'walk for 30 minutes twice a week'",
        error_messages={"required": "Enter their goal"},
    )
    needs_for_provider = forms.CharField(
        label="Anything the provider needs to know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Only the minimum they need to welcome the person, such as access needs. "
            "Do not include anything clinical: no diagnosis, scores or treatment"
        ),
    )
    accompanied_first_visit = forms.ChoiceField(
        label="Would they like someone to meet them on their first visit?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if they would like to be met on their first visit"},
    )
    preferred_contact = forms.ChoiceField(
        label="How should the provider contact them?",
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the provider should contact them"},
    )

    def __init__(self, *args, service_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_user = service_user
        self.fields["preferred_contact"].initial = service_user.preferred_contact
        self.helper.layout = Layout(
            Field("what_they_would_enjoy"),
            Field("goal"),
            Field("needs_for_provider"),
            Field("accompanied_first_visit", inline=True),
            Field("preferred_contact"),
        )

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("preferred_contact")
        person = self.service_user
        if channel == ContactChannel.EMAIL and not person.email:
            self.add_error(
                "preferred_contact", "There is no email address on their record: choose another"
            )
        elif channel in (ContactChannel.SMS, ContactChannel.PHONE) and not person.mobile:
            self.add_error(
                "preferred_contact", "There is no mobile number on their record: choose another"
            )
        return cleaned

    def details(self) -> dict:
        data = self.cleaned_data
        return {
            "what_they_would_enjoy": data["what_they_would_enjoy"],
            "goal": data["goal"],
            "needs_for_provider": data["needs_for_provider"],
            "accompanied_first_visit": data["accompanied_first_visit"] == "yes",
            "preferred_contact": data["preferred_contact"],
        }


CLINICIAN_MOVE_LABELS = {
    Referral.Status.WITHDRAWN: "Withdraw referral",
    Referral.Status.COMPLETED: "Mark completed",
    Referral.Status.DROPPED_OUT: "Mark dropped out",
    Referral.Status.TAKEN_UP: "Mark taken up",
    Referral.Status.NOT_TAKEN_UP: "Mark not taken up",
}


# What search_params_for reads of a person.
SEARCH_PARAM_FIELDS = (
    "public_id", "prefers_delivery", "postcode", "max_travel_km", "interests", "prefers_format",
    "prefers_cost", "preferred_days", "preferred_times", "accessibility_needs",
)  # fmt: skip


def search_params_for(service_user) -> list[tuple[str, str]]:
    """The directory search's GET parameters, filled from the person's record, so nothing is
    typed twice. `for` tells the search whom the results are for (Refer / Signpost buttons)."""
    from providers.search_forms import DISTANCES

    person = service_user
    # From a record, rank by fit: the person's preferences order the results, not exclude them.
    params: list[tuple[str, str]] = [("for", str(person.public_id)), ("rank", "on")]
    delivery = person.prefers_delivery
    if delivery not in DeliveryPreference.values:
        delivery = DeliveryPreference.IN_PERSON
    params.append(("delivery", str(delivery)))
    if person.postcode:
        params.append(("postcode", person.postcode))
    if person.max_travel_km:
        allowed = [km for km, _label in DISTANCES]
        # The nearest allowed distance; on a tie the wider one, so nothing suitable is missed.
        nearest = min(allowed, key=lambda km: (abs(km - person.max_travel_km), -km))
        params.append(("distance_km", str(nearest)))
    params += [("interests", str(value)) for value in person.interests or []]
    if person.prefers_format in Format.values:
        params.append(("format", person.prefers_format))
    if person.prefers_cost in COST_LIMITS:
        params.append(("cost", person.prefers_cost))
    params += [("days", str(day)) for day in person.preferred_days or []]
    params += [("times", str(band)) for band in person.preferred_times or []]
    params += [("accessibility", str(need)) for need in person.accessibility_needs or []]
    return params
