"""Referrals' part in the directory's search page, and its own tasks' part in referral changes
and erasure; registered from ReferralsConfig.ready()."""

from providers import hooks
from referrals import hooks as referral_hooks
from referrals.models import ServiceUser
from referrals.pathway import responsiveness
from referrals.shortlists import services as shortlists
from referrals.worklist import services as worklist
from talkingmoves.accounts.permissions import Action, can
from talkingmoves.accounts.scoping import get_for_user_or_404
from talkingmoves.audit.models import AccessLog
from talkingmoves.audit.services import access_log_write

# What the search reads of the person it is for: whom sessions are open to (gender, age),
# their name and their record's link.
SEARCH_SUBJECT_FIELDS = ("public_id", "given_name", "family_name", "gender", "date_of_birth")


def search_subject(*, request, public_id):
    """The person a clinician searches for; 404 unless they are in the clinician's service."""
    person = get_for_user_or_404(
        request.user, ServiceUser.objects.only(*SEARCH_SUBJECT_FIELDS), public_id=public_id
    )
    access_log_write(
        actor=request.user, action=AccessLog.Action.VIEW, obj=person, path=request.path
    )
    return person


def provider_replies(*, user, provider_ids):
    if not can(user, Action.MANAGE_REFERRALS):
        return {}
    return responsiveness.for_providers(provider_ids)


# The moves that change a provider's responsiveness: sent (counted), accepted or declined
# (answered, accepted, reply time).
_RESPONSIVENESS_MOVES = ("sent", "accepted", "declined")


def on_referral_changed(*, referral, to_status):
    if to_status in _RESPONSIVENESS_MOVES and referral.kind == "refer":
        responsiveness.responsiveness_refresh(provider_ids=[referral.activity.provider_id])


def register():
    referral_hooks.referral_changed.register(on_referral_changed)
    hooks.search_subject.register(search_subject)
    hooks.provider_replies.register(provider_replies)
    # Clinicians' tasks: a declined referral becomes one; erasure closes them.
    referral_hooks.referral_changed.register(worklist.on_referral_changed)
    referral_hooks.erasure.register(worklist.on_erasure)
    referral_hooks.subject_access.register(worklist.subject_access)
    referral_hooks.erasure.register(shortlists.on_erasure)
    referral_hooks.subject_access.register(shortlists.subject_access)
