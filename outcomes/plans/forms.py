"""The conversation, the plan and the weekly answer. Forms parse what was typed; the rules
(steps only go up, a gentle target after PAR-Q+ advice) are in rules.py and services.py."""

from django import forms

from outcomes.plans.models import MAX_MINUTES_A_DAY, MAX_WEEKS, PlanActivity, Readiness, Support
from outcomes.plans.rules import PLAN_WEEKS_AT_LEAST, Step
from outcomes.plans.services import DAYS_OUT_OF_RANGE, MINUTES_OUT_OF_RANGE
from providers.activity_types import common_interest_choices
from talkingmoves.forms import NHSForm
from talkingmoves.forms.layout import Field, Fieldset, Layout
from talkingmoves.vocabulary.barriers import Barrier


def _radios(label, choices, error, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
        **kwargs,
    )


def _whole_number(label, low, high, message, **kwargs):
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        **kwargs,
    )


class ConversationForm(NHSForm):
    submit_text = "Save the conversation"

    enjoys = forms.MultipleChoiceField(
        label="What do they enjoy, or used to enjoy?",
        help_text="Select all that apply",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    enjoys_note = forms.CharField(
        label="Anything else they enjoy (optional)", max_length=200, required=False
    )
    barriers = forms.MultipleChoiceField(
        label="What has got in the way?",
        help_text="Select all that apply",
        choices=Barrier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confidence = _whole_number(
        "How confident do they feel about being more active?",
        0,
        10,
        "Enter how confident they feel, from 0 to 10",
        help_text="0 means no confidence, 10 means very confident",
    )
    readiness = _radios("How ready do they feel?", Readiness.choices, "Select how ready they feel")
    support = _radios(
        "How would they like to do it?", Support.choices, "Select how they would like to do it"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enjoys"].choices = common_interest_choices()
        self.helper.layout = Layout(
            Field("enjoys", small=True),
            Field("enjoys_note"),
            Field("barriers", small=True),
            Field("confidence", width=2, inputmode="numeric"),
            Field("readiness", small=True),
            Field("support", small=True),
        )


class PlanForm(NHSForm):
    submit_text = "Save the plan"

    activity = _radios("What will they do?", PlanActivity.choices, "Select what they will do")
    description = forms.CharField(
        label="In their words (optional)",
        help_text='Shown on their page. For example, "a walk round the park with the dog"',
        max_length=120,
        required=False,
    )
    referral = forms.ChoiceField(
        label="Linked to an activity they were referred to", required=False
    )
    target_minutes = _whole_number(
        "Their goal: minutes of activity a week",
        1,
        7 * MAX_MINUTES_A_DAY,
        f"Enter a weekly goal from 1 to {7 * MAX_MINUTES_A_DAY} minutes",
        help_text="The UK guideline is 150 minutes a week. A smaller goal is a good start",
    )

    def __init__(self, *args, referral_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [("", "Not linked"), *referral_choices]
        week_sets = []
        for week in range(1, MAX_WEEKS + 1):
            required = week <= PLAN_WEEKS_AT_LEAST
            self.fields[f"week_{week}_minutes"] = _whole_number(
                "Minutes each time",
                1,
                MAX_MINUTES_A_DAY,
                f"Enter minutes for week {week}, from 1 to {MAX_MINUTES_A_DAY}",
                required=required,
            )
            self.fields[f"week_{week}_days"] = _whole_number(
                "Days in the week",
                1,
                7,
                f"Enter days for week {week}, from 1 to 7",
                required=required,
            )
            week_sets.append(
                Fieldset(
                    f"Week {week}" + ("" if required else " (optional)"),
                    Field(f"week_{week}_minutes", width=3, inputmode="numeric"),
                    Field(f"week_{week}_days", width=2, inputmode="numeric"),
                    size="s",
                )
            )
        self.helper.layout = Layout(
            Field("activity", small=True),
            Field("description"),
            Field("referral"),
            Field("target_minutes", width=4, inputmode="numeric"),
            *week_sets,
        )

    def clean(self):
        cleaned = super().clean()
        for week in range(PLAN_WEEKS_AT_LEAST + 1, MAX_WEEKS + 1):
            minutes, days = cleaned.get(f"week_{week}_minutes"), cleaned.get(f"week_{week}_days")
            if (minutes is None) != (days is None):
                self.add_error(
                    f"week_{week}_minutes",
                    f"Enter both minutes and days for week {week}, or neither",
                )
        return cleaned

    def steps(self) -> list[Step]:
        steps = []
        for week in range(1, MAX_WEEKS + 1):
            minutes = self.cleaned_data.get(f"week_{week}_minutes")
            days = self.cleaned_data.get(f"week_{week}_days")
            if minutes is None or days is None:
                break
            steps.append(Step(week=week, minutes_a_day=minutes, days=days))
        return steps

    @staticmethod
    def initial_from(steps: list[Step], **values) -> dict:
        initial = dict(values)
        for step in steps:
            initial[f"week_{step.week}_minutes"] = step.minutes_a_day
            initial[f"week_{step.week}_days"] = step.days
        return initial


class CheckInForm(NHSForm):
    submit_text = "Save my week"

    week = forms.TypedChoiceField(
        label="Which week?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a week", "invalid_choice": "Select a week"},
    )
    days_done = _whole_number(
        "How many days did you manage?", 0, 7, DAYS_OUT_OF_RANGE, help_text="From 0 to 7"
    )
    minutes_a_day = _whole_number(
        "About how many minutes each time?",
        0,
        MAX_MINUTES_A_DAY,
        MINUTES_OUT_OF_RANGE,
        help_text="Your best guess is fine",
    )

    def __init__(self, *args, weeks: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [(n, f"Week {n}") for n in range(1, weeks + 1)]
        self.helper.layout = Layout(
            Field("week", inline=True),
            Field("days_done", width=2, inputmode="numeric"),
            Field("minutes_a_day", width=3, inputmode="numeric"),
        )
