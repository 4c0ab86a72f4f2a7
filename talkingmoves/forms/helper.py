from crispy_forms.helper import FormHelper
from crispy_forms.utils import TEMPLATE_PACK

from . import layout_html


class NHSFormHelper(FormHelper):
    """A FormHelper that also controls the error summary at the top of ``{% crispy %}``.

    Set ``render_error_summary = False`` when the page includes
    ``nhsuk/error_summary.html`` itself (it belongs above the page's <h1>). Either way a
    form's summary is only rendered once, so a page cannot show two.
    """

    render_error_summary = True

    def get_attributes(self, template_pack=TEMPLATE_PACK):
        attributes = super().get_attributes(template_pack)
        attributes["render_error_summary"] = self.render_error_summary
        return attributes

    def render_layout(self, form, context, template_pack=TEMPLATE_PACK):
        if layout_html.can_render(self, template_pack):
            return layout_html.render_layout(self, form, context)
        return super().render_layout(form, context, template_pack)
