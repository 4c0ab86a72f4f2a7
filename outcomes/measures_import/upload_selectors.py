"""Reads for the measures import pages."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from outcomes.models import MeasureImport
from talkingmoves.accounts.models import Organisation
from talkingmoves.accounts.permissions import Action, require


def measure_import_for(user, public_id) -> MeasureImport:
    """An import of the user's own service, or 404: other services' imports are not found."""
    require(user, Action.IMPORT_MEASURES)
    upload = (
        MeasureImport.objects.filter(public_id=public_id, service_id=user.organisation_id)
        .select_related("service")
        .first()
    )
    if upload is None:
        raise Http404
    return upload


def talking_therapies_service(name_or_ods_code: str) -> Organisation | None:
    """The service with this ODS code or name (either, ignoring case), or None."""
    text = name_or_ods_code.strip()
    matches = list(
        Organisation.objects.filter(kind=Organisation.Kind.TALKING_THERAPIES).filter(
            Q(ods_code__iexact=text) | Q(name__iexact=text)
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


def staff_member(email: str, service: Organisation):
    """An active member of the service's staff with this email address, or None."""
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), organisation=service, is_active=True)
        .first()
    )
