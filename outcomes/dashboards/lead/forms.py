"""The lead's national target lines, drawn on the outcome charts."""

from django import forms

from outcomes.models import OutcomeSettings
from talkingmoves.forms import NHSModelForm
from talkingmoves.forms.layout import Field, Layout


def _target_field(name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=f"{name} (%)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": f"Enter the {name.lower()}",
            "invalid": f"{name} must be a whole number",
            # These two are formatted with the limit as a parameter, so "%" is doubled.
            "min_value": f"{name} must be 0%% or more",
            "max_value": f"{name} must be 100%% or less",
        },
    )


class TargetsForm(NHSModelForm):
    """National targets change by planning year, so the service lead sets them."""

    submit_text = "Save targets"

    recovery_target = _target_field("Recovery target")
    reliable_recovery_target = _target_field("Reliable recovery target")
    reliable_improvement_target = _target_field("Reliable improvement target")

    class Meta:
        model = OutcomeSettings
        fields = ["recovery_target", "reliable_recovery_target", "reliable_improvement_target"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*(Field(name, width=3) for name in self.Meta.fields))
