"""Which of our activity types an item is: the OpenActive Activity List's concept id first,
then its preferred labels, then its alternative labels (synonyms); otherwise "Other", keeping
the publisher's own label so the listing still says what it is."""

from dataclasses import dataclass

from providers.models import ActivityType
from providers.openactive.values import ItemProblem, as_list, read_concept
from providers.reference_data import OTHER_ACTIVITY

ACTIVITY_LIST = "https://openactive.io/activity-list"


@dataclass(frozen=True)
class FoundActivity:
    activity_type: ActivityType
    # The publisher's label when it matched nothing of ours ("" when it did).
    label: str = ""


class ActivityList:
    """The OpenActive Activity List, held in memory for one harvest."""

    def __init__(self, types):
        self.by_identifier: dict[str, ActivityType] = {}
        self.by_label: dict[str, ActivityType] = {}
        alt_labels: dict[str, ActivityType] = {}
        self.other: ActivityType | None = None
        for activity_type in types:
            if activity_type.identifier == OTHER_ACTIVITY:
                self.other = activity_type
                continue
            self.by_identifier[activity_type.identifier.lower()] = activity_type
            self.by_label[activity_type.label.casefold()] = activity_type
            for alt in activity_type.alt_labels or []:
                alt_labels.setdefault(str(alt).casefold(), activity_type)
        # A preferred label wins over another concept's alternative label.
        self.by_label = alt_labels | self.by_label

    @classmethod
    def load(cls) -> "ActivityList":
        return cls(ActivityType.objects.only("identifier", "label", "alt_labels"))

    def find(self, concept) -> ActivityType | None:
        uri, label = read_concept(concept)
        if uri.startswith(ACTIVITY_LIST) and "#" in uri:
            found = self.by_identifier.get(uri.rsplit("#", 1)[1].lower())
            if found:
                return found
        return self.by_label.get(label.casefold().replace("™", "").strip()) if label else None

    def otherwise(self, label: str) -> FoundActivity:
        if self.other is None:  # the migration that adds it has not run
            raise ItemProblem(f"Unknown activity '{label}'")
        return FoundActivity(self.other, label[:200])


def activity_of(data: dict, activities: ActivityList) -> FoundActivity:
    """A session's or course's activity; "Other" with the publisher's label (or, with no
    activity at all, the item's name) when nothing of ours matches."""
    concepts = as_list(data.get("activity"))
    for concept in concepts:
        found = activities.find(concept)
        if found:
            return FoundActivity(found)
    labels = [label or uri for uri, label in map(read_concept, concepts)]
    named = next((label for label in labels if label), "")
    return activities.otherwise(named or str(data.get("name") or ""))


def facility_activity(data: dict, activities: ActivityList) -> FoundActivity:
    """A facility's activity, from its `activity` or else its facility type ("Squash Court"
    is Squash); "Other" with the publisher's label when neither matches."""
    for concept in as_list(data.get("activity")):
        found = activities.find(concept)
        if found:
            return FoundActivity(found)
    facility_types = as_list(data.get("facilityType"))
    for concept in facility_types:
        # "Squash Court" -> "Squash", "Table Tennis Table" -> "Table Tennis".
        words = read_concept(concept)[1].split()
        for length in range(len(words), 0, -1):
            found = activities.by_label.get(" ".join(words[:length]).casefold())
            if found:
                return FoundActivity(found)
    named = [
        label for _, label in map(read_concept, as_list(data.get("activity")) + facility_types)
    ]
    return activities.otherwise(next((label for label in named if label), "") or "Facility hire")
