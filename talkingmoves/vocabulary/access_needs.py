"""Access needs: the support a person may need, and what an activity or venue offers."""

from django.db import models


class Accessibility(models.TextChoices):
    """OpenActive's accessibility-support list, plus the venue features clinicians ask about."""

    VISUAL_IMPAIRMENT = "visual_impairment", "Support for visual impairment"
    HEARING_IMPAIRMENT = "hearing_impairment", "Support for hearing impairment"
    PHYSICAL_IMPAIRMENT = "physical_impairment", "Support for physical impairment"
    LEARNING_IMPAIRMENT = "learning_impairment", "Support for learning disability"
    MENTAL_HEALTH = "mental_health", "Support for mental health issues"
    SOCIAL_BEHAVIOURAL = "social_behavioural", "Support for social or behavioural needs"
    STEP_FREE = "step_free", "Step-free access"
    ACCESSIBLE_TOILET = "accessible_toilet", "Accessible toilet"
    CHANGING_PLACES = "changing_places", "Changing Places toilet"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    BSL = "bsl", "British Sign Language"


# OpenActive accessibility-support concept URIs (providers/data/accessibility-support.jsonld)
# -> ours; read by the feed importer and written in the open data we publish.
_OA = "https://openactive.io/accessibility-support#"
OPENACTIVE_ACCESSIBILITY = {
    f"{_OA}1393f2dc-3fcc-4be9-a99f-f1e51f5ad277": Accessibility.VISUAL_IMPAIRMENT,
    f"{_OA}2bfb7228-5969-4927-8435-38b5005a8771": Accessibility.HEARING_IMPAIRMENT,
    f"{_OA}dd026873-6713-4ea1-af5a-08901f651d98": Accessibility.PHYSICAL_IMPAIRMENT,
    f"{_OA}67902468-fd49-4238-8650-20a22d7f0e40": Accessibility.LEARNING_IMPAIRMENT,
    f"{_OA}40b9b11f-bdd3-4aeb-8984-2ecf74a14c7a": Accessibility.MENTAL_HEALTH,
    f"{_OA}69b689d4-be04-4e6d-be56-4ac72ec82444": Accessibility.SOCIAL_BEHAVIOURAL,
}
