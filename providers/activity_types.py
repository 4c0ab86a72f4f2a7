"""Activity types as clinicians and service users talk about them."""

from functools import lru_cache

from providers.models import ActivityType
from talkingmoves.vocabulary.activities import Interest


def common_interest_choices() -> list[tuple[str, str]]:
    """(Activity List identifier, label) for each of the common interests, in their order."""
    labels = [interest.value for interest in Interest]
    by_label = dict(
        ActivityType.objects.filter(label__in=labels).values_list("label", "identifier")
    )
    return [(by_label[label], label) for label in labels if label in by_label]


@lru_cache(maxsize=1)
def _children() -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    links = ActivityType.broader.through.objects.values_list(
        "to_activitytype_id", "from_activitytype_id"
    )
    for parent, child in links:
        children.setdefault(parent, []).append(child)
    return children


def with_narrower(identifiers) -> set[str]:
    """The given types and everything under them: 'Walking' finds 'Nordic Walking' too."""
    children = _children()
    found, stack = set(), list(identifiers)
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, ()))
    return found


def matching_labels(text: str) -> list[str]:
    """Identifiers whose label or alternative label contains the text."""
    text = text.strip()
    if not text:
        return []
    return list(
        ActivityType.objects.filter(label__icontains=text).values_list("identifier", flat=True)[:50]
    )
