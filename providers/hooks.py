"""Where referrals takes part in the directory's clinician pages without providers importing
it. See talkingmoves/core/hooks.py."""

from talkingmoves.core.hooks import Hook

search_subject = Hook(
    "search_subject",
    "receiver(request, public_id) -> the person a search is for, or None; 404 if not theirs.",
)
provider_replies = Hook(
    "provider_replies",
    "receiver(user, provider_ids) -> dict[provider_id, summary]: how each provider answers "
    "referrals, for users who refer.",
)
