"""The search result cards' links, reversed once a page instead of three or four times a
card: each URL is reversed with a placeholder id and the activity's id put in its place."""

import uuid

from django.urls import reverse

PLACEHOLDER = uuid.UUID(int=0)


class ResultLinks:
    def __init__(self, for_person=None):
        self._detail = reverse("providers:activity_detail", args=[PLACEHOLDER])
        if for_person is not None:
            person = for_person.public_id
            self._refer = reverse("referrals:refer", args=[person, PLACEHOLDER])
            self._shortlist = reverse("referrals:shortlist_add", args=[person, PLACEHOLDER])
        else:
            self._refer = ""
            self._shortlist = reverse("providers:shortlist_add", args=[PLACEHOLDER])

    @staticmethod
    def _for(pattern: str, activity) -> str:
        return pattern.replace(str(PLACEHOLDER), str(activity.public_id)) if pattern else ""

    def of(self, activity) -> dict[str, str]:
        return {
            "detail_url": self._for(self._detail, activity),
            "refer_url": self._for(self._refer, activity),
            "shortlist_url": self._for(self._shortlist, activity),
        }
