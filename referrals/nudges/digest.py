"""The clinicians' weekly digest: one email each, only to those with someone needing
attention, counting people without naming them."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from referrals import hooks
from referrals.nudges.models import Nudge
from referrals.nudges.schedule import effective_settings
from referrals.nudges.services import nudge_to_staff
from referrals.records.selectors import CaseloadFilter, caseload
from talkingmoves.accounts.roles import Role

TEMPLATE = "clinician_weekly_digest"


def attention_count(clinician) -> int:
    return caseload(clinician, clinician=clinician, show=CaseloadFilter.NEEDS_ATTENTION).count()


def urgent_text(clinician) -> str:
    """The digest's first line: how many of the clinician's people have what a higher app
    marks as most urgent (an open risk flag), counted and never named; "" when none."""
    people = caseload(clinician, clinician=clinician)
    parts = []
    for name, words in hooks.caseload_first.merged().items():
        count = people.filter(**{name: True}).count()
        if count:
            parts.append(f"{count} with {words}")
    return f"Most urgent: {'; '.join(parts)}.\n\n" if parts else ""


def clinician_digests_schedule() -> int:
    """Queue this week's digest for each clinician with someone needing attention. Runs from
    beat; a second run in the same week adds nothing."""
    today = timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    already = Nudge.objects.filter(template=TEMPLATE, created_at__date__gte=week_start).values_list(
        "recipient_user_id", flat=True
    )
    clinicians = (
        get_user_model()
        .objects.filter(role__in=[Role.CLINICIAN, Role.SERVICE_LEAD], is_active=True)
        .exclude(pk__in=already)
        .select_related("organisation")
    )
    queued = 0
    enabled_by_service = {}
    for clinician in clinicians.iterator():
        service_id = clinician.organisation_id
        if service_id not in enabled_by_service:
            enabled_by_service[service_id] = effective_settings(service_id)[TEMPLATE][0]
        if not enabled_by_service[service_id] or attention_count(clinician) == 0:
            continue
        nudge_to_staff(
            template=TEMPLATE,
            user=clinician,
            service=clinician.organisation,
            link_path=reverse("referrals:caseload") + f"?show={CaseloadFilter.NEEDS_ATTENTION}",
        )
        queued += 1
    return queued
