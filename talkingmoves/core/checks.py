"""`manage.py check --deploy` (the release step) warns while a public notice is incomplete:
the site still starts, but the trust sees what to fill in before go-live."""

from datetime import date

from django.core.checks import Warning, register

from . import bank_holidays, notices


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


# The bank holiday calendar (data/bank-holidays.json) must be extended before it runs out:
# past its last year, escalation counts bank holidays as working days again. A warning, not
# an error: refusing to start would stop risk alerts altogether.
@register("bank_holidays", deploy=True)
def bank_holiday_calendar_current(app_configs, **kwargs):
    today = date.today()
    message = bank_holidays.calendar_warning(today)
    if not message:
        return []
    ended = today > bank_holidays.calendar_ends()
    return [
        Warning(
            message,
            hint="Add the next years from GOV.UK (talkingmoves/core/data/README.md).",
            id="core.W003" if ended else "core.W002",
        )
    ]
