from django import forms

from .helper import NHSFormHelper
from .layout import Submit


class NHSFormMixin:
    """Gives a form a ``helper`` so ``{% crispy form %}`` renders a whole NHS.UK form.

    The helper posts the form and ends it with a submit button labelled ``submit_text``.
    Hints come from each field's ``help_text``. To arrange the fields, set
    ``self.helper.layout`` in ``__init__`` with the objects in ``talkingmoves.forms.layout``.
    """

    submit_text = "Continue"
    # Errors are reported by the server in the NHS.UK style, not by the browser.
    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NHSFormHelper()
        if self.submit_text:
            self.helper.add_input(Submit(self.submit_text))


class NHSForm(NHSFormMixin, forms.Form):
    pass


class NHSModelForm(NHSFormMixin, forms.ModelForm):
    pass
