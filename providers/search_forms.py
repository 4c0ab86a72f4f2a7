from django import forms

from providers import activity_types, geography
from providers.search import Criteria
from talkingmoves.forms.base import NHSForm
from talkingmoves.forms.layout import Field, Fieldset, Layout
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.activities import Intensity, SuitableFor
from talkingmoves.vocabulary.preferences import (
    COST_FILTER_CHOICES,
    FORMAT_FILTER_CHOICES,
    DeliveryPreference,
)
from talkingmoves.vocabulary.times import TIME_BAND_CHOICES, Weekday

DISTANCES = [(1, "1 km"), (2, "2 km"), (5, "5 km"), (10, "10 km"), (20, "20 km"), (40, "40 km")]


class SearchForm(NHSForm):
    submit_text = "Search"

    delivery = forms.ChoiceField(
        label="In person or online?",
        choices=DeliveryPreference.choices,
        initial=DeliveryPreference.IN_PERSON,
        required=False,
        widget=forms.RadioSelect,
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        help_text="The service user's postcode, or just the first part, like LS6",
    )
    distance_km = forms.TypedChoiceField(
        label="Distance", choices=DISTANCES, coerce=int, initial=5, required=False
    )
    interests = forms.MultipleChoiceField(
        label="What would they enjoy?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Select all that apply. Each includes its kinds, so walking includes Nordic walking"
        ),
    )
    other_activity = forms.CharField(
        label="Another type of activity (optional)", required=False, max_length=100
    )
    days = forms.TypedMultipleChoiceField(
        label="Days",
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    times = forms.MultipleChoiceField(
        label="Time of day",
        choices=TIME_BAND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost = forms.ChoiceField(
        label="Cost",
        choices=COST_FILTER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    format = forms.ChoiceField(
        label="Group or one-to-one",
        choices=FORMAT_FILTER_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    intensities = forms.MultipleChoiceField(
        label="Intensity",
        choices=Intensity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    suitable_for = forms.MultipleChoiceField(
        label="Suitable for",
        choices=SuitableFor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rank = forms.BooleanField(
        label="Show the best matches first, not only exact matches",
        help_text="Place and delivery must fit; the other choices decide the order",
        required=False,
    )
    accessibility = forms.MultipleChoiceField(
        label="Access needs",
        help_text=(
            "Listings that do not mention a need still show, after the others, "
            "saying what they do not list"
        ),
        choices=Accessibility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("distance_km"):
            # Show the distance actually used (5 km) rather than the list's first option.
            data = data.copy()
            data["distance_km"] = "5"
        super().__init__(data, *args, **kwargs)
        self.fields["interests"].choices = activity_types.common_interest_choices()
        # Keeps "for=<service user>" (searching from a record) through a changed search.
        self.fields["for"] = forms.UUIDField(required=False, widget=forms.HiddenInput)
        self.helper.render_hidden_fields = True
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field("delivery", inline=True),
            Field("postcode", width=10, autocomplete="off"),
            Field("distance_km"),
            Field("interests"),
            Field("other_activity", width="two-thirds"),
            Fieldset(
                "When",
                Field("days", small=True),
                Field("times", small=True),
                size="s",
            ),
            Field("cost"),
            Field("format", inline=True),
            Field("intensities", small=True),
            Field("suitable_for", small=True),
            Field("accessibility", small=True),
            Field("rank"),
        )

    def clean(self):
        cleaned = super().clean()
        delivery = cleaned.get("delivery") or DeliveryPreference.IN_PERSON
        cleaned["delivery"] = delivery
        raw = cleaned.get("postcode", "")
        cleaned["centre"] = None
        if "postcode" in self.errors:
            pass
        elif delivery != DeliveryPreference.ONLINE and not raw:
            self.add_error("postcode", "Enter a postcode, or choose online")
        elif raw:
            try:
                postcode = geography.normalise_postcode(raw, allow_district=True)
            except geography.PostcodeError as error:
                self.add_error("postcode", str(error))
            else:
                cleaned["postcode"] = postcode
                cleaned["centre"] = geography.centroid_for(postcode)
                if cleaned["centre"] is None and delivery != DeliveryPreference.ONLINE:
                    self.add_error(
                        "postcode",
                        f"We cannot find where {geography.outcode_of(postcode)} is. "
                        "Check the postcode, or choose online",
                    )
        other = cleaned.get("other_activity", "")
        cleaned["other_activity_ids"] = activity_types.matching_labels(other) if other else []
        if other and not cleaned["other_activity_ids"]:
            self.add_error("other_activity", f"No type of activity matches '{other}'")
        return cleaned

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        return Criteria(
            postcode=data.get("postcode", ""),
            centre=data.get("centre"),
            distance_km=data.get("distance_km") or 5,
            delivery=data["delivery"],
            activity_type_ids=set(data.get("interests") or []) | set(data["other_activity_ids"]),
            days=set(data.get("days") or []),
            times=set(data.get("times") or []),
            cost=data.get("cost") or "",
            format=data.get("format") or "",
            intensities=set(data.get("intensities") or []),
            suitable_for=list(data.get("suitable_for") or []),
            accessibility=list(data.get("accessibility") or []),
            rank_by_fit=bool(data.get("rank")),
        )
