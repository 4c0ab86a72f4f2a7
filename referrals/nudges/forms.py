"""Forms for the nudge pages: a service user's answer, the period of the messages page and a
service's message schedule."""

from django import forms

from referrals.nudges.messages import (
    AUDIENCE_SERVICE_USER,
    FROM_ACCEPTED,
    FROM_FIRST_SESSION,
    FROM_RECORD_CREATED,
    FROM_REFERRAL_SENT,
    ON_EVENT,
    TEMPLATES,
)
from talkingmoves.forms import NHSForm
from talkingmoves.forms.layout import Field, Fieldset, Layout
from talkingmoves.vocabulary.answers import Answer, NotYetHelp, NotYetReason
from talkingmoves.vocabulary.contact import MessageChannel


class AnswerForm(NHSForm):
    submit_text = "Send answer"

    answer = forms.ChoiceField(
        label="Did you go?",
        choices=Answer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select an answer",
            "invalid_choice": "Select an answer",
        },
    )

    # The question each answerable message asks; the four answers are the same for all but
    # the acceptance confirmation, which asks before the first session.
    QUESTIONS = {
        "did_you_go": "Did you manage to go to {activity}?",
        "check_in": "Have you been going to {activity}?",
        "follow_up": "Are you still going to {activity}?",
        "session_missed": "Are you still going to {activity}?",
        "referral_accepted": "Can you make it to {activity}?",
    }
    ANSWERS = {
        "referral_accepted": (Answer.CANT_MAKE_IT, Answer.CALL_ME, Answer.STOP),
    }
    USUAL_ANSWERS = (Answer.WENT, Answer.NOT_YET, Answer.CALL_ME, Answer.STOP)

    def __init__(self, *args, activity: str = "", template: str = "did_you_go", **kwargs):
        super().__init__(*args, **kwargs)
        offered = self.ANSWERS.get(template, self.USUAL_ANSWERS)
        self.fields["answer"].choices = [(a.value, a.label) for a in offered]
        if activity:
            question = self.QUESTIONS.get(template, self.QUESTIONS["did_you_go"])
            self.fields["answer"].label = question.format(activity=activity)
        self.helper.layout = Layout(Field("answer", size="l", heading="h1"))


class NotYetForm(NHSForm):
    """What got in the way, and what would help: at least one answer to either."""

    submit_text = "Send"

    reasons = forms.MultipleChoiceField(
        label="What got in the way?",
        choices=NotYetReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select what got in the way from the list"},
    )
    other = forms.CharField(
        label="Tell us more (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Tell us more in 200 characters or fewer"},
    )
    helps = forms.MultipleChoiceField(
        label="What would help?",
        choices=NotYetHelp.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select what would help from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("reasons", size="m"),
            Field("other"),
            Field("helps", size="m"),
        )

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("reasons") and not data.get("helps"):
            self.add_error("reasons", "Select what got in the way, or what would help")
        return data


PERIODS = [("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days")]


class PeriodForm(NHSForm):
    submit_text = "Show"

    days = forms.ChoiceField(
        label="Period",
        choices=PERIODS,
        error_messages={"invalid_choice": "Select a period from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"


MAX_DAY = 90
CHANNELS = [("preferred", "The person's preferred channel"), *MessageChannel.choices]
ON_OFF = [("on", "On"), ("off", "Off")]
DAY_HINTS = {
    FROM_REFERRAL_SENT: "Days after the referral is sent (0 to 90)",
    FROM_ACCEPTED: "Days after the provider accepts the referral (0 to 90)",
    FROM_FIRST_SESSION: "Days before the first session (0 to 90)",
    FROM_RECORD_CREATED: "Days after the service user's record is added (0 to 90)",
}


def configurable_templates():
    return [template for template in TEMPLATES.values() if template.configurable]


class ScheduleForm(NHSForm):
    """One group of fields per message a service can change: on or off, its day, and for
    service users' messages the channel. Field names are "<template key>-<setting>"."""

    submit_text = "Save schedule"

    def __init__(self, *args, current: dict[str, tuple[bool, int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for template in configurable_templates():
            key = template.key
            enabled, offset_days, channel = current[key]
            name = template.title
            self.fields[f"{key}-enabled"] = forms.ChoiceField(
                label="Send this message?",
                choices=ON_OFF,
                widget=forms.RadioSelect,
                initial="on" if enabled else "off",
                error_messages={"required": f"Select whether to send: {name}"},
            )
            fields = [Field(f"{key}-enabled", inline=True)]
            if template.counts_from != ON_EVENT:
                self.fields[f"{key}-offset_days"] = forms.IntegerField(
                    label="Day",
                    help_text=(
                        f"Working d{DAY_HINTS[template.counts_from][1:]}"
                        if template.working_days
                        else DAY_HINTS[template.counts_from]
                    ),
                    initial=offset_days,
                    widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                    min_value=0,
                    max_value=MAX_DAY,
                    error_messages={
                        "required": f"Enter a day for: {name}",
                        "invalid": f"Day must be a whole number, for: {name}",
                        "min_value": f"Day must be between 0 and {MAX_DAY}, for: {name}",
                        "max_value": f"Day must be between 0 and {MAX_DAY}, for: {name}",
                    },
                )
                fields.append(Field(f"{key}-offset_days", width=3))
            if template.audience == AUDIENCE_SERVICE_USER:
                self.fields[f"{key}-channel"] = forms.ChoiceField(
                    label="Send by",
                    choices=CHANNELS,
                    widget=forms.RadioSelect,
                    initial=channel or "preferred",
                    error_messages={"required": f"Select how to send: {name}"},
                )
                fields.append(Field(f"{key}-channel"))
            layout.append(Fieldset(name, *fields, size="m", heading="h2"))
        self.helper.layout = Layout(*layout)

    def values(self) -> dict[str, tuple[bool, int | None, str]]:
        """{template key: (enabled, offset days or None to keep the default, channel)}"""
        data = self.cleaned_data
        result = {}
        for template in configurable_templates():
            key = template.key
            channel = data.get(f"{key}-channel", "preferred")
            result[key] = (
                data[f"{key}-enabled"] == "on",
                data.get(f"{key}-offset_days"),
                "" if channel == "preferred" else channel,
            )
        return result
