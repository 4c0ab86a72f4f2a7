"""What the public accessibility statement and privacy notice show from settings.

Both are templates a trust completes through its environment: a value left blank is shown
as a marked placeholder that names the variable to set, never silently left out."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Detail:
    value: str
    variable: str
    to_complete: str  # what belongs here, shown in the placeholder

    @property
    def missing(self) -> bool:
        return not self.value.strip()


def _detail(variable: str, to_complete: str) -> Detail:
    return Detail(value=getattr(settings, variable), variable=variable, to_complete=to_complete)


def accessibility_statement() -> dict:
    return {
        "contact_email": _detail(
            "ACCESSIBILITY_CONTACT_EMAIL", "the email address that takes accessibility reports"
        ),
        "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
        "prepared": settings.ACCESSIBILITY_STATEMENT_PREPARED,
        "reviewed": settings.ACCESSIBILITY_STATEMENT_REVIEWED,
    }


def privacy_notice() -> dict:
    details = {
        "controller_name": _detail(
            "PRIVACY_CONTROLLER_NAME", "the name of the NHS trust that is the data controller"
        ),
        "controller_address": _detail("PRIVACY_CONTROLLER_ADDRESS", "the trust's postal address"),
        "dpo_contact": _detail(
            "PRIVACY_DPO_CONTACT", "how to contact the trust's data protection officer"
        ),
        "retention": _detail(
            "PRIVACY_RETENTION",
            "how long records are kept, from the trust's records retention schedule",
        ),
        "updated": _detail("PRIVACY_NOTICE_UPDATED", "the date this notice was last updated"),
    }
    return {**details, "incomplete": any(detail.missing for detail in details.values())}
