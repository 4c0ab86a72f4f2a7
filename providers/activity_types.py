"""Activity types as clinicians and service users talk about them."""

from functools import lru_cache

from providers.models import ActivityType
from talkingmoves.vocabulary.activities import Interest

_interest_choices: list[tuple[str, str]] = []


def common_interest_choices() -> list[tuple[str, str]]:
    """(Activity List identifier, label) for each of the common interests, in their order.
    Read once per process, as _children(): the Activity List is reference data, loaded by a
    migration and never edited (the search form, the record's details and the plans' forms
    each read it); until every interest is found it is read again."""
    if len(_interest_choices) == len(Interest):
        return list(_interest_choices)
    labels = [interest.value for interest in Interest]
    by_label = dict(
        ActivityType.objects.filter(label__in=labels).values_list("label", "identifier")
    )
    choices = [(by_label[label], label) for label in labels if label in by_label]
    _interest_choices[:] = choices
    return list(choices)


@lru_cache(maxsize=1)
def _children() -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    links = ActivityType.broader.through.objects.values_list(
        "to_activitytype_id", "from_activitytype_id"
    )
    for parent, child in links:
        children.setdefault(parent, []).append(child)
    return children


_labels: dict[str, str] = {}


def label_of(identifier: str) -> str:
    """An activity type's label, from the whole list read once per process (reference data,
    as _children()); a type it has not seen has the list read again."""
    if identifier not in _labels:
        _labels.update(ActivityType.objects.values_list("identifier", "label"))
    return _labels.get(identifier, "")


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
