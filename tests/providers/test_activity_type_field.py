"""The activity type field: a validated choice from the activity list, sent as a select the
browser enhances into an autocomplete (static/js/activity-type.mjs)."""

import pytest
from django import forms
from django.urls import reverse

from providers.activity_type_field import ActivityTypeField
from providers.forms import ActivityForm
from providers.models import Activity, ActivityType
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory, activity_type

pytestmark = pytest.mark.django_db


class TypeForm(forms.Form):
    activity_type = ActivityTypeField()


def test_takes_an_identifier_from_the_list():
    swimming = activity_type("Swimming")
    form = TypeForm({"activity_type": swimming.pk})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["activity_type"] == swimming


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Select the type of activity"),
        ("Swimming", "Select a type of activity from the list"),  # a label, not an identifier
        ("00000000-0000-0000-0000-000000000000", "Select a type of activity from the list"),
    ],
)
def test_refuses_anything_else(value, message):
    form = TypeForm({"activity_type": value})
    assert not form.is_valid()
    assert form.errors["activity_type"] == [message]


def test_offers_the_whole_list_in_label_order_after_a_blank_option():
    choices = list(TypeForm().fields["activity_type"].choices)
    assert choices[0][0] == "" and choices[0][1] == ""
    labels = [label for _, label in choices[1:]]
    assert len(labels) == ActivityType.objects.count() > 700
    assert labels == list(ActivityType.objects.order_by("label").values_list("label", flat=True))


def test_the_activity_form_marks_its_select_for_the_autocomplete(partnership):
    provider = ProviderFactory(partnership=partnership)
    form = ActivityForm(instance=Activity(provider=provider), venues=provider.venues.all())
    assert isinstance(form.fields["activity_type"], ActivityTypeField)
    html = str(form["activity_type"])
    assert html.startswith("<select") and 'data-module="app-activity-type"' in html


def test_the_activity_page_loads_the_autocomplete_and_keeps_the_select(
    client_for, partnership_staff
):
    activity = ActivityFactory(
        venue=VenueFactory(provider=ProviderFactory(partnership=partnership_staff.organisation)),
        activity_type=activity_type("Swimming"),
    )
    response = client_for(partnership_staff).get(
        reverse("providers:activity_edit", args=[activity.public_id])
    )
    content = response.content.decode()
    assert "js/activity-type" in content and "accessible-autocomplete.min" in content
    assert f'<option value="{activity.activity_type_id}" selected>Swimming</option>' in content


def test_an_unknown_type_is_explained_and_what_was_typed_kept(client_for, partnership_staff):
    activity = ActivityFactory(
        venue=VenueFactory(provider=ProviderFactory(partnership=partnership_staff.organisation)),
        name="Lane swim",
    )
    before = activity.activity_type_id
    response = client_for(partnership_staff).post(
        reverse("providers:activity_edit", args=[activity.public_id]),
        {
            "name": "Lane swim (mornings)",
            "activity_type": "not-a-type",
            "delivery_mode": "in_person",
            "venue": activity.venue_id,
            "intensity": activity.intensity,
            "format": activity.format,
            "is_free": "on",
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content and 'href="#id_activity_type"' in content
    assert "Select a type of activity from the list" in content
    assert "Lane swim (mornings)" in content
    activity.refresh_from_db()
    assert activity.activity_type_id == before and activity.name == "Lane swim"
