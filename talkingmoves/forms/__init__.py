"""NHS.UK forms: the Python half of the ``nhsuk`` crispy template pack.

A form::

    class ReferralForm(NHSForm):
        submit_text = "Save and continue"
        name = forms.CharField(help_text="As on their GP record")  # help_text is the hint
        dob = NHSDateField(label="Date of birth", must_be_in_past=True)

A page::

    {% load crispy_forms_tags nhsuk_forms %}
    <title>{% page_title_prefix %}Refer a patient</title>
    ...
    {% include "nhsuk/error_summary.html" with form=form %}
    <h1>Refer a patient</h1>
    {% crispy form %}

{% crispy form %} puts an error summary above the form itself when the page has not
already shown one for that form, so the include is optional but gives the right place.
The templates are in templates/nhsuk/ and their tags in templatetags/nhsuk_forms.py, so
this package must be in INSTALLED_APPS.
"""

from .base import NHSForm, NHSFormMixin, NHSModelForm
from .fields import NHSDateField, NHSDateInput
from .helper import NHSFormHelper

__all__ = [
    "NHSDateField",
    "NHSDateInput",
    "NHSForm",
    "NHSFormHelper",
    "NHSFormMixin",
    "NHSModelForm",
]
