"""Forms for the service-user record, PAR-Q+ screening and the caseload filters."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone

from providers import geography
from providers.activity_types import common_interest_choices
from referrals.models import Screening, ServiceUser
from referrals.records import selectors as record_selectors
from referrals.records.services import PARQ_HINTS, PARQ_QUESTIONS, PARQ_WORDING
from referrals.validators import clean_nhs_number, clean_uk_mobile, validate_nhs_number
from talkingmoves.forms import NHSDateField, NHSForm, NHSModelForm
from talkingmoves.forms.choices import Choices, ManyOptionsSelect
from talkingmoves.forms.layout import Field, Fieldset, Layout
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.barriers import Barrier
from talkingmoves.vocabulary.contact import ContactChannel
from talkingmoves.vocabulary.preferences import (
    CostPreference,
    DeliveryPreference,
    FormatPreference,
)
from talkingmoves.vocabulary.times import TimeOfDay, Weekday

MINIMUM_AGE = 16

# The pack skips radios whose value is "", so these choices stand for a blank field.
BLANK_MEANS = {"prefers_format": FormatPreference.EITHER, "prefers_cost": CostPreference.ANY}
DAY_CHOICES = [(str(day.value), day.label) for day in Weekday]
DISABILITY_CHOICES = [("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")]


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _checkboxes(label, choices, help_text="Select all that apply"):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def _radios(label, choices, **kwargs):
    return forms.ChoiceField(
        label=label, choices=choices, required=False, widget=forms.RadioSelect, **kwargs
    )


class ServiceUserForm(NHSModelForm):
    submit_text = "Save details"

    nhs_number = forms.CharField(
        label="NHS number",
        help_text="For example, 485 777 3456",
        error_messages={"required": "Enter the service user's NHS number"},
    )
    date_of_birth = NHSDateField(
        label="Date of birth",
        help_text="For example, 31 3 1980",
    )
    # Longer than the stored value: spaces typed in are allowed, and cleaned away.
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=20)
    mobile = forms.CharField(label="UK mobile number (optional)", required=False, max_length=30)
    confirm_duplicate = forms.BooleanField(
        label="This is a different person: save anyway",
        required=False,
    )
    has_disability_or_ltc = _radios(
        "Do they have a disability or long-term physical health condition?", DISABILITY_CHOICES
    )
    interests = _checkboxes("Activities they are interested in", [])
    barriers = _checkboxes("What might get in the way?", Barrier.choices)
    prefers_delivery = _radios("In person or online?", DeliveryPreference.choices)
    prefers_format = _radios("In a group or one-to-one?", FormatPreference.choices)
    prefers_cost = _radios("Cost", CostPreference.choices)
    preferred_days = _checkboxes("Days that suit them", DAY_CHOICES)
    preferred_times = _checkboxes("Times that suit them", TimeOfDay.choices)
    accessibility_needs = _checkboxes("Accessibility needs", Accessibility.choices)

    class Meta:
        model = ServiceUser
        fields = [
            "nhs_number",
            "given_name",
            "family_name",
            "date_of_birth",
            "postcode",
            "email",
            "mobile",
            "preferred_contact",
            "gender",
            "ethnic_category",
            "has_disability_or_ltc",
            "disability_or_ltc_details",
            "presenting_problem",
            "step",
            "interests",
            "barriers",
            "prefers_delivery",
            "prefers_format",
            "prefers_cost",
            "max_travel_km",
            "preferred_days",
            "preferred_times",
            "accessibility_needs",
            "assigned_clinician",
        ]
        labels = {
            "given_name": "First name",
            "family_name": "Last name",
            "postcode": "Postcode (optional)",
            "email": "Email address (optional)",
            "mobile": "UK mobile number (optional)",
            "preferred_contact": "How would they like to be contacted?",
            "gender": "Gender (optional)",
            "ethnic_category": "Ethnic category (optional)",
            "disability_or_ltc_details": "Details of the disability or condition (optional)",
            "presenting_problem": "Presenting problem (optional)",
            "step": "Step of care",
            "max_travel_km": "How far will they travel, in kilometres? (optional)",
            "assigned_clinician": "Assigned clinician",
        }
        help_texts = {
            "disability_or_ltc_details": "Only what a provider might need to know to help",
            "max_travel_km": "For example, 5",
        }
        error_messages = {
            "given_name": {
                "required": "Enter the service user's first name",
                "max_length": "First name must be 100 characters or fewer",
            },
            "family_name": {
                "required": "Enter the service user's last name",
                "max_length": "Last name must be 100 characters or fewer",
            },
            "email": {
                "invalid": "Enter an email address in the correct format, like name@example.com"
            },
            "preferred_contact": {"required": "Select how they would like to be contacted"},
            "assigned_clinician": {
                "invalid_choice": "Select a clinician from your service",
            },
            "max_travel_km": {
                "invalid": "Distance must be a whole number of kilometres, like 5",
                "max_value": "Distance must be 100 kilometres or less",
                "min_value": "Distance must be 0 kilometres or more",
            },
        }
        widgets = {
            "preferred_contact": forms.RadioSelect,
            "step": forms.RadioSelect,
            "disability_or_ltc_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.duplicates: list[ServiceUser] = []
        self.fields["date_of_birth"].error_name = "Date of birth"
        self.fields["interests"].choices = common_interest_choices()
        self.fields["assigned_clinician"].queryset = record_selectors.colleagues(service.pk)
        self.fields["assigned_clinician"].empty_label = "Not assigned yet"
        self.fields["assigned_clinician"].required = False
        self.fields["step"].choices = ServiceUser.Step.choices
        self.fields["step"].required = False
        self.fields["max_travel_km"].validators.append(MaxValueValidator(100))
        if self.instance.pk and not self.is_bound:
            self.initial["nhs_number"] = self.instance.nhs_number_display
            self.initial["has_disability_or_ltc"] = {True: "yes", False: "no"}.get(
                self.instance.has_disability_or_ltc, "not_asked"
            )
            self.initial["preferred_days"] = [str(d) for d in self.instance.preferred_days]
            for name, blank in BLANK_MEANS.items():
                self.initial[name] = getattr(self.instance, name) or blank
        self.helper.layout = Layout(
            Fieldset(
                "Who they are",
                Field("nhs_number", width=10, inputmode="numeric", spellcheck="false"),
                Field("given_name", width="one-half", spellcheck="false"),
                Field("family_name", width="one-half", spellcheck="false"),
                Field("date_of_birth"),
                Field("gender"),
                Field("ethnic_category"),
                size="m",
            ),
            Fieldset(
                "Contact",
                Field("postcode", width=10, autocomplete="off"),
                Field("email", spellcheck="false", autocomplete="off"),
                Field("mobile", width=20, autocomplete="off"),
                Field("preferred_contact"),
                size="m",
            ),
            Fieldset(
                "Health and treatment",
                Field("has_disability_or_ltc"),
                Field("disability_or_ltc_details"),
                Field("presenting_problem"),
                Field("step"),
                Field("assigned_clinician"),
                size="m",
            ),
            Fieldset(
                "What they would enjoy",
                Field("interests"),
                Field("barriers"),
                Field("prefers_delivery", inline=True),
                Field("prefers_format"),
                Field("prefers_cost"),
                Field("max_travel_km", width=3, inputmode="numeric"),
                Field("preferred_days"),
                Field("preferred_times"),
                Field("accessibility_needs"),
                size="m",
            ),
        )
        # Keep the box on screen once it has been offered, even if other errors remain.
        if self.is_bound and "confirm_duplicate" in self.data:
            self._offer_duplicate_confirm()

    def clean_nhs_number(self):
        raw = self.cleaned_data["nhs_number"]
        validate_nhs_number(raw)
        return clean_nhs_number(raw)

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is None:
            return None
        today = timezone.localdate()
        if born > today:
            raise ValidationError("Date of birth must be today or in the past")
        if age_on(born, today) < MINIMUM_AGE:
            raise ValidationError(
                f"The service user must be {MINIMUM_AGE} or older. "
                "Check the date of birth, or refer them to a young people's service"
            )
        return born

    def clean_postcode(self):
        raw = self.cleaned_data.get("postcode", "")
        if not raw.strip():
            return ""
        try:
            return geography.normalise_postcode(raw)
        except geography.PostcodeError as error:
            raise ValidationError(str(error)) from None

    def clean_mobile(self):
        raw = self.cleaned_data.get("mobile", "")
        return clean_uk_mobile(raw) if raw.strip() else ""

    def clean_has_disability_or_ltc(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("has_disability_or_ltc"))

    def clean_prefers_format(self):
        value = self.cleaned_data.get("prefers_format", "")
        return "" if value == BLANK_MEANS["prefers_format"] else value

    def clean_prefers_cost(self):
        value = self.cleaned_data.get("prefers_cost", "")
        return "" if value == BLANK_MEANS["prefers_cost"] else value

    def clean_preferred_days(self):
        return [int(day) for day in self.cleaned_data.get("preferred_days", [])]

    def clean(self):
        cleaned = super().clean()
        contact = cleaned.get("preferred_contact")
        needs = {
            ContactChannel.EMAIL: "email",
            ContactChannel.SMS: "mobile",
            ContactChannel.PHONE: "mobile",
        }.get(contact)
        if needs and not cleaned.get(needs) and needs not in self.errors:
            what = "an email address" if needs == "email" else "a mobile number"
            self.add_error(needs, f"Enter {what}, or choose another way to contact them")
        nhs_number = cleaned.get("nhs_number")
        if nhs_number:
            self.duplicates = record_selectors.nhs_number_duplicates(
                service_id=self.service.pk, nhs_number=nhs_number, exclude_pk=self.instance.pk
            )
            if self.duplicates and not cleaned.get("confirm_duplicate"):
                self.add_error(
                    "nhs_number",
                    "Your service already has a record with this NHS number. Check the number, "
                    "or confirm this is a different person",
                )
                self._offer_duplicate_confirm()
        return cleaned

    def _offer_duplicate_confirm(self):
        fields = self.helper.layout[0].fields
        if not any(getattr(f, "fields", None) == ["confirm_duplicate"] for f in fields):
            fields.insert(1, Field("confirm_duplicate"))

    def record_data(self) -> dict:
        """The cleaned values the services take (the form's own helper fields left out)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _yes_no(question: str, error: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=question,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": error},
    )


class ScreeningForm(NHSForm):
    submit_text = "Save screening"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in PARQ_QUESTIONS:
            wording, error = PARQ_WORDING[question]
            self.fields[question] = _yes_no(wording, error)
            self.fields[question].help_text = PARQ_HINTS.get(question, "")
        self.helper.layout = Layout(*(Field(q, inline=True) for q in PARQ_QUESTIONS))

    def answers(self) -> dict[str, bool]:
        return {q: self.cleaned_data[q] for q in PARQ_QUESTIONS}


class ScreeningResolveForm(NHSForm):
    submit_text = "Save what was agreed"

    resolution = forms.ChoiceField(
        label="What was agreed?",
        choices=Screening.Resolution.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what was agreed about the screening answers"},
    )
    note = forms.CharField(
        label="Note",
        help_text="What was discussed, and any advice given",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter a note of what was discussed"},
    )


class CaseloadFilterForm(NHSForm):
    """GET filters: unbound defaults come from the view (a clinician sees their own people)."""

    submit_text = "Apply filters"
    EVERYONE = "all"

    q = forms.CharField(label="Search by name or NHS number", required=False, max_length=100)
    show = forms.ChoiceField(
        label="Show",
        choices=record_selectors.CaseloadFilter.CHOICES,
        required=False,
    )
    clinician = forms.ChoiceField(label="Clinician", required=False, widget=ManyOptionsSelect)

    def __init__(self, *args, service_id, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain rows, not users: one option per colleague, so this grows with the service.
        rows = [
            (pk, str(public_id), full_name or email)  # what str(user) gives
            for pk, public_id, full_name, email in record_selectors.colleagues(
                service_id
            ).values_list("pk", "public_id", "full_name", "email")
        ]
        self.colleagues = {public_id: pk for pk, public_id, _name in rows}
        self.fields["clinician"].choices = Choices(
            [(self.EVERYONE, "Everyone in the service")]
            + [(public_id, name) for _pk, public_id, name in rows]
        )
        self.fields["q"].widget.input_type = "search"
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field("q", spellcheck="false"), Field("show"), Field("clinician")
        )

    def chosen_clinician_id(self, default_id: int | None) -> int | None:
        """The chosen colleague's id; None for everyone."""
        value = self.cleaned_data.get("clinician") or ""
        if value == self.EVERYONE:
            return None
        return self.colleagues.get(value, default_id)
