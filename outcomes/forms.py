"""Forms for episodes, appointments, measures, risk-flag reviews and self-completion. Forms
parse what was typed; the services in services.py hold the rules and say what is wrong."""

from django import forms
from django.utils import timezone

from outcomes.models import Appointment, EndingReason, Episode, Measure, ReferralSource
from talkingmoves.forms import NHSDateField, NHSForm
from talkingmoves.forms.layout import Field, Fieldset, Layout
from talkingmoves.vocabulary import questionnaires as q
from talkingmoves.vocabulary.message_words import SENDER_NAME_MAX_LENGTH

K = Measure.Kind


def _today():
    return timezone.localdate()


class PastDateField(NHSDateField):
    """A date that cannot be in the future; the services check the episode's own dates."""

    def to_date(self, entered):
        day = super().to_date(entered)
        if day and day > timezone.localdate():
            raise self._error(
                f"{self.error_name} must be today or in the past",
                "future",
                ("day", "month", "year"),
            )
        return day


def _date(label: str, error_name: str) -> NHSDateField:
    return PastDateField(
        label=label, help_text="For example, 27 3 2026", initial=_today, error_name=error_name
    )


def _radios(label, choices, error, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": error, "invalid_choice": error},
        **kwargs,
    )


class EpisodeOpenForm(NHSForm):
    submit_text = "Start episode"

    referral_received_on = _date("When was the referral received?", "Referral date")
    referral_source = forms.ChoiceField(
        label="Source of referral",
        choices=[("", "Select a source"), *ReferralSource.choices],
        error_messages={"required": "Select where the referral came from"},
    )
    step = forms.TypedChoiceField(
        label="Step of care",
        choices=Episode.Step.choices,
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
    )


class EpisodeEndForm(NHSForm):
    submit_text = "End episode"

    ended_on = _date("When did the episode end?", "Ending date")
    ending_reason = forms.ChoiceField(
        label="Ending reason",
        choices=[("", "Select a reason"), *EndingReason.choices],
        error_messages={"required": "Select why the episode ended"},
    )


class AppointmentForm(NHSForm):
    submit_text = "Save appointment"

    on = _date("Date of the appointment", "Appointment date")
    kind = _radios(
        "Type of appointment", Appointment.Kind.choices, "Select the type of appointment"
    )
    attendance = _radios(
        "Did they attend?", Appointment.Attendance.choices, "Select whether they attended"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field("on"), Field("kind"), Field("attendance", inline=True))


def _item_error(n: int) -> str:
    return f"Select an answer to question {n}"


class ReplaceOffer:
    """A box to replace answers already recorded for the date, offered only once the service
    has refused a second questionnaire of the same kind on one day."""

    replace_label = "Replace the answers already recorded for this date"

    def _add_replace(self) -> None:
        self.fields["replace"] = forms.BooleanField(label=self.replace_label, required=False)
        # Keep the box on screen once it has been offered, even if other errors remain.
        if self.is_bound and "replace" in self.data:
            self.offer_replace()

    def offer_replace(self) -> None:
        fields = self.helper.layout.fields
        if not any(getattr(f, "fields", None) == ["replace"] for f in fields):
            fields.insert(1, Field("replace"))

    @property
    def replace(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("replace"))


class QuestionnaireForm(ReplaceOffer, NHSForm):
    """PHQ-9 or GAD-7, item by item: the total is worked out, never typed."""

    submit_text = "Save questionnaire"
    QUESTIONS = {K.PHQ9: (q.PHQ9_STEM, q.PHQ9_ITEMS), K.GAD7: (q.GAD7_STEM, q.GAD7_ITEMS)}

    def __init__(self, *args, kind: str, with_date: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        stem, items = self.QUESTIONS[kind]
        self.stem = stem
        names = []
        if with_date:
            self.fields["taken_on"] = _date("Date completed", "Date completed")
            names.append(Field("taken_on"))
        for n, wording in enumerate(items, start=1):
            name = f"item_{n}"
            self.fields[name] = _radios(f"{n}. {wording}", q.FREQUENCY_CHOICES, _item_error(n))
            names.append(Field(name, small=True))
        self.helper.layout = Layout(*names)
        self._add_replace()

    def answers(self) -> list[int]:
        count = len(self.QUESTIONS[self.kind][1])
        return [int(self.cleaned_data[f"item_{n}"]) for n in range(1, count + 1)]


class WSASForm(ReplaceOffer, NHSForm):
    submit_text = "Save WSAS"

    taken_on = _date("Date completed", "Date completed")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = [Field("taken_on")]
        for n, wording in enumerate(q.WSAS_ITEMS, start=1):
            choices = list(q.WSAS_CHOICES)
            if n == 1:
                choices.append((q.WSAS_NOT_WORKING, "Not applicable: retired or not working"))
            self.fields[f"item_{n}"] = _radios(f"{n}. {wording}", choices, _item_error(n))
            names.append(Field(f"item_{n}", small=True))
        self.helper.layout = Layout(*names)
        self._add_replace()

    def answers(self) -> list[int | None]:
        values = [self.cleaned_data[f"item_{n}"] for n in range(1, 6)]
        return [None if v == q.WSAS_NOT_WORKING else int(v) for v in values]


class ActivityForm(ReplaceOffer, NHSForm):
    submit_text = "Save activity"

    taken_on = _date("Date completed", "Date completed")
    days = _radios(
        q.ACTIVITY_DAYS_QUESTION,
        q.ACTIVITY_DAYS_CHOICES,
        "Select how many days they were active",
        help_text=q.ACTIVITY_DAYS_HINT,
    )
    moderate_minutes = forms.IntegerField(
        label="Moderate activity, minutes a week (optional)",
        help_text="Enough to raise their breathing rate",
        required=False,
        error_messages={"invalid": "Moderate minutes must be a whole number, like 90"},
    )
    vigorous_minutes = forms.IntegerField(
        label="Vigorous activity, minutes a week (optional)",
        help_text="Out of breath or sweating. Counts double towards the Sport England level",
        required=False,
        error_messages={"invalid": "Vigorous minutes must be a whole number, like 30"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("taken_on"),
            Field("days", small=True),
            Fieldset(
                "Minutes a week by intensity",
                Field("moderate_minutes", width=5, inputmode="numeric"),
                Field("vigorous_minutes", width=5, inputmode="numeric"),
                size="s",
            ),
        )
        self._add_replace()

    def clean(self):
        cleaned = super().clean()
        moderate, vigorous = cleaned.get("moderate_minutes"), cleaned.get("vigorous_minutes")
        if (moderate is None) != (vigorous is None) and not self.errors:
            missing = "vigorous_minutes" if vigorous is None else "moderate_minutes"
            self.add_error(missing, "Enter minutes for both intensities, or leave both empty")
        return cleaned


class RiskFlagReviewForm(NHSForm):
    submit_text = "Mark as reviewed"

    note = forms.CharField(
        label="Review note",
        help_text="What was assessed and what was agreed",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a note of the review"},
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError("Enter a note of the review")
        return note


class SelfCompletionForm(NHSForm):
    """What a service user answers from their link: PHQ-9, GAD-7 and active days."""

    submit_text = "Send my answers"

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        layout = []
        sections = {
            K.PHQ9: ("phq9", q.PHQ9_STEM, q.PHQ9_ITEMS),
            K.GAD7: ("gad7", q.GAD7_STEM, q.GAD7_ITEMS),
        }
        for kind in kinds:
            if kind in sections:
                prefix, stem, items = sections[kind]
                fields = []
                for n, wording in enumerate(items, start=1):
                    name = f"{prefix}_{n}"
                    self.fields[name] = _radios(
                        wording, q.FREQUENCY_CHOICES, f"Select an answer to: {wording}"
                    )
                    fields.append(Field(name, small=True))
                layout.append(Fieldset(stem, *fields, size="m"))
            elif kind == K.ACTIVITY_DAYS:
                self.fields["activity_days"] = _radios(
                    q.ACTIVITY_DAYS_QUESTION,
                    q.ACTIVITY_DAYS_CHOICES,
                    "Select how many days you were active",
                    help_text=q.ACTIVITY_DAYS_HINT,
                )
                layout.append(Field("activity_days", small=True, size="m"))
        self.helper.layout = Layout(*layout)

    def answers(self) -> dict[str, list[int]]:
        result = {}
        for kind in self.kinds:
            if kind == K.ACTIVITY_DAYS:
                result[kind] = [int(self.cleaned_data["activity_days"])]
            else:
                count = len(q.PHQ9_ITEMS if kind == K.PHQ9 else q.GAD7_ITEMS)
                result[kind] = [int(self.cleaned_data[f"{kind}_{n}"]) for n in range(1, count + 1)]
        return result


class RiskSettingsForm(NHSForm):
    """Who is alerted with the assigned clinician, and when an alert goes to the leads."""

    submit_text = "Save risk alert settings"

    duty_contact_email = forms.EmailField(
        label="Duty contact email address",
        help_text=(
            "Alerted, with the assigned clinician, whenever a questionnaire needs review. A "
            "shared duty inbox that someone reads every working day is best"
        ),
        error_messages={
            "required": "Enter the duty contact's email address",
            "invalid": "Enter an email address in the correct format, like duty@nhs.net",
        },
    )
    escalation_working_hours = forms.IntegerField(
        label="Working hours before the service leads are alerted",
        help_text=(
            "If nobody has acknowledged an alert by then, and again each working day. Working "
            "hours are Monday to Friday, 09:00 to 17:00, not on bank holidays in England and "
            "Wales"
        ),
        min_value=1,
        max_value=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of working hours",
            "invalid": "Hours must be a whole number, like 4",
            "min_value": "Hours must be from 1 to 40",
            "max_value": "Hours must be from 1 to 40",
        },
    )

    message_sender_name = forms.CharField(
        label="Name messages to service users come from",
        help_text=(
            "Texts start with it and emails end with it. Anyone may see it on a locked phone, "
            "so it must not say what the service treats. For example: Riverside wellbeing"
        ),
        max_length=SENDER_NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter the name messages come from",
            "max_length": f"Name must be {SENDER_NAME_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("duty_contact_email", autocomplete="email"),
            Field("escalation_working_hours", width=3),
            Field("message_sender_name"),
        )
