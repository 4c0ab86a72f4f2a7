"""`manage.py check --deploy` (the release step) warns while a public notice is incomplete:
the site still starts, but the trust sees what to fill in before go-live."""

from django.core.checks import Warning, register

from . import notices


@register("notices", deploy=True)
def public_notices_complete(app_configs, **kwargs):
    details = [
        notices.accessibility_statement()["contact_email"],
        *(
            value
            for value in notices.privacy_notice().values()
            if isinstance(value, notices.Detail)
        ),
    ]
    return [
        Warning(
            f"{detail.variable} is not set: the public page shows a placeholder for "
            f"{detail.to_complete}.",
            hint="Set it before go-live (docs/configuration.md).",
            id="core.W001",
        )
        for detail in details
        if detail.missing
    ]
