"""Identifiers and vocabularies shared by the Open Referral UK and OpenActive outputs."""

import json
import uuid
from dataclasses import dataclass
from functools import cache

from providers.reference_data import DATA_DIR
from talkingmoves.vocabulary.access_needs import OPENACTIVE_ACCESSIBILITY, Accessibility
from talkingmoves.vocabulary.activities import SuitableFor
from talkingmoves.vocabulary.times import Weekday

# Open Referral gives every nested object (schedule, address, cost option...) a UUID; ours
# have integer keys, which never leave the building, so derive stable UUIDs from them.
NAMESPACE = uuid.UUID("4431afc9-5857-4fee-b56e-748d9a03e88d")


def derived_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


ACTIVITY_LIST = "https://openactive.io/activity-list"
ACCESSIBILITY_SUPPORT = "https://openactive.io/accessibility-support"

SCHEMA_DAYS = [f"https://schema.org/{day.label}" for day in Weekday]

OPENACTIVE_ACCESSIBILITY_URI = {code: uri for uri, code in OPENACTIVE_ACCESSIBILITY.items()}


@cache
def openactive_accessibility_labels() -> dict[str, str]:
    """Concept URI -> prefLabel from the shipped accessibility-support list."""
    text = (DATA_DIR / "accessibility-support.jsonld").read_text(encoding="utf-8")
    return {concept["id"]: concept["prefLabel"] for concept in json.loads(text)["concept"]}


# The lists' orders, once: `Choices.values` builds a new list on every call, and a feed page
# asked for them 2,000 times (a quarter of building its 500 items).
SUITABLE_FOR_ORDER = tuple(SuitableFor.values)
ACCESSIBILITY_ORDER = tuple(Accessibility.values)


def rows_of(instance, relation: str) -> list:
    """A to-many relation's rows: the list providers.open_data.selectors prefetched into
    `<relation>_rows` (a prefetch without to_attr builds a queryset per row, and `.all()`
    another each time it is read), or the related manager's."""
    rows = getattr(instance, f"{relation}_rows", None)
    return rows if rows is not None else list(getattr(instance, relation).all())


def tags_of(activity) -> list[str]:
    """The activity's suitable-for codes, in the list's own order (the rows have none)."""
    found = {item.tag for item in rows_of(activity, "suitability")}
    return [tag for tag in SUITABLE_FOR_ORDER if tag in found]


def features_of(listing) -> list[str]:
    """An activity's or venue's accessibility codes, in the list's own order."""
    found = {item.feature for item in rows_of(listing, "accessibility")}
    return [feature for feature in ACCESSIBILITY_ORDER if feature in found]


@dataclass(frozen=True)
class Term:
    """A taxonomy term as Open Referral publishes it."""

    id: str
    name: str
    taxonomy: str
    link_type: str
    description: str = ""
    uri: str = ""

    @property
    def taxonomy_id(self) -> str:
        return derived_id("taxonomy", self.taxonomy)


# Women/men only restrict who may come; the other tags say who a session suits.
_ELIGIBILITY_TAGS = {SuitableFor.WOMEN_ONLY, SuitableFor.MEN_ONLY}


def suitable_for_term(tag: str) -> Term:
    return Term(
        id=derived_id("suitable-for", tag),
        name=SuitableFor(tag).label,
        taxonomy="TalkingMoves suitable for",
        link_type="eligibility" if tag in _ELIGIBILITY_TAGS else "audience",
    )


def accessibility_term(feature: str) -> Term:
    uri = OPENACTIVE_ACCESSIBILITY_URI.get(feature)
    if uri:
        # OpenActive's concept ids are UUIDs already: reuse them so the terms line up.
        return Term(
            id=uri.rsplit("#", 1)[1],
            name=openactive_accessibility_labels()[uri],
            description=Accessibility(feature).label,
            taxonomy="OpenActive Accessibility Support",
            link_type="accessibility",
            uri=uri,
        )
    return Term(
        id=derived_id("accessibility", feature),
        name=Accessibility(feature).label,
        taxonomy="TalkingMoves accessibility",
        link_type="accessibility",
    )


def activity_type_term(activity_type) -> Term:
    return Term(
        id=activity_type.identifier,
        name=activity_type.label,
        description=activity_type.definition,
        taxonomy="OpenActive Activity List",
        link_type="activity_type",
        uri=activity_type.uri,
    )


AGE_BOUNDS = {SuitableFor.AGE_18_25: (18, 25), SuitableFor.OVER_50S: (50, None)}


def age_range(tags) -> tuple[int | None, int | None]:
    """(minimum, maximum) age implied by an activity's suitable-for tags; None where open."""
    bounds = [AGE_BOUNDS[tag] for tag in tags if tag in AGE_BOUNDS]
    if not bounds:
        return None, None
    maximums = [high for _, high in bounds]
    return min(low for low, _ in bounds), None if None in maximums else max(maximums)


@cache
def terms_by_id() -> dict[str, tuple[str, str]]:
    """Our own term ids -> (kind, code), for filtering services by taxonomy term."""
    found = {suitable_for_term(tag).id: ("suitability", tag) for tag in SuitableFor.values}
    found |= {
        accessibility_term(feature).id: ("accessibility", feature)
        for feature in Accessibility.values
    }
    return found
