"""The reference for "a user gets the same HTML": the form pack as it was at 859ef1b.

``reference_pack()`` makes ``{% crispy %}`` render the way it did then: crispy's own
FormHelper.render_layout (a template per layout object and per field) with frozen copies of
that commit's field_html.py, nhsuk_forms.py and renderer.py (the renderer of forms made
inside it). Tests make and render a form or a page inside it and outside it and compare.
"""

from contextlib import contextmanager
from unittest import mock

from crispy_forms.helper import FormHelper

from talkingmoves.forms.helper import NHSFormHelper
from talkingmoves.forms.templatetags import nhsuk_forms as pack_tags

# Not named nhsuk_forms here: importing the copy of that name binds it in this package.
from . import field_html, renderer

_RENDERER = renderer.NHSFormRenderer()


@contextmanager
def reference_pack():
    with (
        mock.patch.object(NHSFormHelper, "render_layout", FormHelper.render_layout),
        mock.patch.object(pack_tags, "render_field", field_html.render_field),
        mock.patch("django.forms.forms.get_default_renderer", lambda: _RENDERER),
        mock.patch("django.forms.formsets.get_default_renderer", lambda: _RENDERER),
        mock.patch("django.forms.utils.get_default_renderer", lambda: _RENDERER),
    ):
        yield
