"""The activity type on the activity form: a choice from the OpenActive activity list (769
types). The page sends a plain <select>, which static/js/activity-type.mjs turns into an
accessible autocomplete where scripts run; without them the select still works. Either way
the server takes only an identifier from the list."""

from django import forms

from providers.models import ActivityType

# The attribute static/js/activity-type.mjs looks for.
AUTOCOMPLETE_ATTRS = {"data-module": "app-activity-type"}


class ActivityTypeField(forms.ModelChoiceField):
    default_error_messages = {
        "required": "Select the type of activity",
        "invalid_choice": "Select a type of activity from the list",
    }

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("empty_label", "")
        kwargs["widget"] = forms.Select(attrs=AUTOCOMPLETE_ATTRS)
        super().__init__(queryset if queryset is not None else ActivityType.objects.all(), **kwargs)
        # The list's order, whatever queryset the model form passes in.
        self.queryset = self.queryset.order_by("label")
