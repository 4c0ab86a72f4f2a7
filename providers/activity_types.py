"""Activity types as clinicians and service users talk about them."""

from functools import lru_cache

from .models import ActivityType

# The interests most asked about (the source research: walking, yoga, swimming, exercise
# classes and cycling first), as OpenActive Activity List labels.
COMMON_INTERESTS = [
    "Walking",
    "Yoga",
    "Swimming",
    "Group Exercise",
    "Cycling",
    "Running",
    "Dance",
    "Pilates",
    "Tai Chi",
    "Gym Workout",
    "Chair Based Exercise",
    "General Fitness for Older Adults",
    "Gardening",
    "Football",
    "Badminton",
    "Table Tennis",
    "Bowls",
]


def common_interest_choices() -> list[tuple[str, str]]:
    by_label = dict(
        ActivityType.objects.filter(label__in=COMMON_INTERESTS).values_list("label", "identifier")
    )
    return [(by_label[label], label) for label in COMMON_INTERESTS if label in by_label]


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
