"""What a person's PAR-Q+ screening lets us suggest to them unprompted: the "local options"
page's reading of the screening that send_blockers reads for a referral."""

from referrals.models import Screening, ServiceUser
from referrals.pathway.services import latest_screening
from talkingmoves.vocabulary.activities import Intensity


class ScreeningFit:
    """What a person's PAR-Q+ lets us suggest to them unprompted (the "local options" page):
    a filter for activities and, when it leaves nothing, what to tell them."""

    ALL = "all"
    GENTLE = "gentle_only"
    SPECIALIST = "specialist_only"
    NONE = "none"


SCREENING_ADVICE_FIRST = (
    "Talk to your practitioner before you start a new activity. They will help you find "
    "something that is right for you."
)


def screening_fit(service_user: ServiceUser) -> str:
    """Cleared: anything. Not screened yet: gentle activities only ("start gradually").
    Advice needed and not yet agreed, or GP advice first: nothing until it is discussed.
    Specialist or supervised only: specialist providers only. The same reading of the
    screening as send_blockers, for suggestions rather than referrals."""
    screening = latest_screening(service_user)
    if screening is None:
        return ScreeningFit.GENTLE
    if screening.needs_resolution or screening.resolution == Screening.Resolution.SEEK_ADVICE_FIRST:
        return ScreeningFit.NONE
    if screening.resolution == Screening.Resolution.SPECIALIST_ONLY:
        return ScreeningFit.SPECIALIST
    return ScreeningFit.ALL


def activities_screening_allows(activities, fit: str):
    """Narrow an Activity queryset to what `fit` (screening_fit) allows."""
    if fit == ScreeningFit.NONE:
        return activities.none()
    if fit == ScreeningFit.GENTLE:
        return activities.filter(intensity=Intensity.GENTLE)
    if fit == ScreeningFit.SPECIALIST:
        return activities.filter(provider__is_specialist=True)
    return activities
