"""A message's `answered` is kept by PostgreSQL's triggers (nudges migration 0011) from its
answers, whoever writes them, and the messages page's count of answered messages reads it."""

import pytest

from referrals.nudges.models import Nudge, NudgeResponse
from referrals.nudges.selectors import template_counts
from tests.nudges.factories import NudgeFactory

pytestmark = pytest.mark.django_db
N = Nudge.Status


def answered(nudge) -> bool:
    return Nudge.objects.values_list("answered", flat=True).get(pk=nudge.pk)


def test_answers_added_moved_and_removed_keep_it(person):
    first, second = (NudgeFactory(service_user=person, status=N.SENT) for _ in range(2))
    assert not answered(first)
    went = NudgeResponse.objects.create(nudge=first, answer="went")
    call_me = NudgeResponse.objects.create(nudge=first, answer="call_me")
    assert answered(first) and not answered(second)
    went.delete()
    assert answered(first)  # one answer is still there
    NudgeResponse.objects.filter(pk=call_me.pk).update(nudge=second)
    assert not answered(first) and answered(second)
    NudgeResponse.objects.filter(nudge=second).delete()
    assert not answered(second)


def test_a_message_saved_from_a_copy_read_before_its_answer_stays_answered(person):
    nudge = NudgeFactory(service_user=person, status=N.SENT)
    stale = Nudge.objects.get(pk=nudge.pk)
    NudgeResponse.objects.create(nudge=nudge, answer="went")
    stale.status = N.DELIVERED
    stale.save()
    assert answered(nudge)


def test_the_page_counts_what_the_answers_say(lead, person):
    for n in range(5):
        nudge = NudgeFactory(service_user=person, status=N.SENT)
        for answer in ("went", "call_me")[: n % 3]:
            NudgeResponse.objects.create(nudge=nudge, answer=answer)
    (row,) = template_counts(lead, days=30)
    with_answers = Nudge.objects.filter(responses__isnull=False).distinct().count()
    assert (row["total"], row["answered"]) == (5, with_answers) == (5, 3)
