"""The forms the template-pack tests render, and what they look for in the result."""

from django import forms

from talkingmoves.forms import NHSDateField, NHSForm

CONTACT = [("email", "Email"), ("phone", "Phone"), ("text", "Text message")]
DAYS = [("mon", "Monday"), ("tue", "Tuesday"), ("wed", "Wednesday")]
REGIONS = [("", "Choose a region"), ("north", "North"), ("south", "South")]


class ReferralForm(NHSForm):
    name = forms.CharField(
        label="Full name",
        help_text="As it appears on letters from your GP",
        error_messages={"required": "Enter your full name"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    age = forms.IntegerField(label="Age", required=False)
    password = forms.CharField(
        label="Password",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    search = forms.CharField(label="Search", required=False, widget=forms.SearchInput)
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "text"}),
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)
    region = forms.ChoiceField(
        label="Region", choices=REGIONS, error_messages={"required": "Select a region"}
    )
    contact = forms.ChoiceField(
        label="How should we contact you?",
        choices=CONTACT,
        widget=forms.RadioSelect,
        help_text="Select one option",
        error_messages={"required": "Select how we should contact you"},
    )
    days = forms.MultipleChoiceField(
        label="Which days suit you?",
        choices=DAYS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the days that suit you"},
    )
    agree = forms.BooleanField(
        label="I agree to be contacted",
        help_text="We will only contact you about your referral",
        error_messages={"required": "Agree to be contacted to continue"},
    )
    dob = NHSDateField(label="Date of birth", help_text="For example, 31 3 1980")


VALID = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "age": "36",
    "password": "correct horse",
    "search": "physio",
    "postcode": "LS1 1AB",
    "notes": "Prefers mornings",
    "region": "south",
    "contact": "phone",
    "days": ["mon", "wed"],
    "agree": "on",
    "dob-day": "10",
    "dob-month": "12",
    "dob-year": "1985",
}

TEXT_LIKE = ["name", "email", "age", "password", "search", "postcode", "notes", "region"]


def invalid(**changes):
    data = {**VALID, **changes}
    form = ReferralForm(data={k: v for k, v in data.items() if v is not None})
    assert not form.is_valid()
    return form


def group_of(node):
    return node.closest("div", "nhsuk-form-group")


def summary_links(doc):
    summary = doc.one("div", "nhsuk-error-summary")
    return [(a.attrs["href"], a.text) for a in summary.select("a")]


class ItemForm(forms.Form):
    item = forms.CharField(label="Item", error_messages={"required": "Enter the item"})
    quantity = forms.IntegerField(label="Quantity")


ItemFormSet = forms.formset_factory(ItemForm, extra=0)


def formset_data(*rows):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for index, (item, quantity) in enumerate(rows):
        data[f"form-{index}-item"] = item
        data[f"form-{index}-quantity"] = quantity
    return data
