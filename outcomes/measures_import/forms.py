"""The upload page's forms: the file, the column mapping for other layouts, the choice to
apply only the valid rows. The reading and checking are in the services."""

from django import forms
from django.core.exceptions import ValidationError

from outcomes.measures_import import layouts
from outcomes.measures_import.csv_reading import MAX_BYTES
from talkingmoves.forms import NHSForm


class UploadForm(NHSForm):
    submit_text = ""  # the page has its own button, after the NHS.UK file upload component
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Select a CSV or FHIR JSON file",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:  # before reading it into memory
            raise ValidationError("The selected file must be smaller than 10MB")
        self.cleaned_data["data"] = upload.read()
        return upload


class ColumnsForm(NHSForm):
    submit_text = "Check the file"

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", "Not in the file"), *[(h, h) for h in headers if h]]
        for name in layouts.FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=layouts.FIELD_LABELS[name], choices=choices, required=False
            )
            guess = [h for h in headers if layouts.header_key(h) == layouts.header_key(name)]
            if guess:
                self.fields[name].initial = guess[0]

    def clean(self):
        mapping = {name: self.cleaned_data.get(name) or "" for name in layouts.FIELDS}
        for name, message in layouts.mapping_problems(mapping, self.headers).items():
            self.add_error(name, message)
        self.cleaned_data["mapping"] = {k: v for k, v in mapping.items() if v}
        return self.cleaned_data


class ApplyForm(NHSForm):
    submit_text = ""
    apply_valid_rows = forms.BooleanField(
        required=False,
        label="Import the questionnaires without errors and leave out the rest",
    )
