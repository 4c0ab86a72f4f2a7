"""The search result cards' links, from talkingmoves.core.links (reversed once a page,
not three or four times a card)."""

from talkingmoves.core.links import url


class ResultLinks:
    def __init__(self, for_person=None):
        self.person = for_person.public_id if for_person is not None else None

    def of(self, activity) -> dict[str, str]:
        if self.person is None:
            refer = ""
            shortlist = url("providers:shortlist_add", activity.public_id)
        else:
            refer = url("referrals:refer", self.person, activity.public_id)
            shortlist = url("referrals:shortlist_add", self.person, activity.public_id)
        return {
            "detail_url": url("providers:activity_detail", activity.public_id),
            "refer_url": refer,
            "shortlist_url": shortlist,
        }
