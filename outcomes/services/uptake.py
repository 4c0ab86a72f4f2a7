"""The referrals, signposting and attended sessions that decide an episode's activity group
(the definition is in outcomes/uptake.py), loaded for many people in three queries."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from outcomes.uptake import Offer
from referrals.models import Attendance, Referral, ReferralEvent
from talkingmoves.core.compiled_query import CompiledValues, an_id

ATTENDED = Attendance.Status.ATTENDED
PROVIDER = Attendance.SOURCE_PROVIDER


def offers_for(
    service_user_ids: Iterable[int],
    *,
    referral_model: Any = Referral,
    attendance_model: Any = Attendance,
    event_model: Any = ReferralEvent,
) -> dict[int, list[Offer]]:
    """{service user id: their referrals and signposting, each with its attended days}.

    A referral counts from when it was made (its created_at, in local time) once it has
    been sent; a signposting from when it was recorded. The models can be passed in, so a
    data migration reads its own historical ones."""
    ids = list(service_user_ids)
    if not ids:
        return {}
    referrals = list(
        referral_model.objects.filter(service_user_id__in=ids)
        .filter(Q(kind=Referral.Kind.SIGNPOST) | Q(sent_at__isnull=False))
        .values_list("pk", "service_user_id", "created_at")
    )
    referral_ids = [pk for pk, _, _ in referrals]
    sessions = attendance_model.objects.filter(
        referral_id__in=referral_ids, status=ATTENDED
    ).values_list("referral_id", "session_date", "source")
    taken_up = event_model.objects.filter(
        referral_id__in=referral_ids, to_status=Referral.Status.TAKEN_UP
    ).values_list("referral_id", "at")
    return _offers(referrals, sessions, taken_up)


def _offers(referrals, sessions, taken_up) -> dict[int, list[Offer]]:
    """From (pk, service user id, created_at) of the referrals, (referral id, day, source)
    of their attended sessions and (referral id, at) of their "taken up" moves."""
    provider: defaultdict[int, list] = defaultdict(list)
    own_word: defaultdict[int, list] = defaultdict(list)
    for referral_id, day, source in sessions:
        (provider if source == PROVIDER else own_word)[referral_id].append(day)
    # A signposting marked "taken up" is the person's word too (when a message link marked
    # it, a self-reported session was also recorded that day).
    for referral_id, at in taken_up:
        own_word[referral_id].append(timezone.localdate(at))
    offers: defaultdict[int, list[Offer]] = defaultdict(list)
    for pk, service_user_id, created_at in referrals:
        offers[service_user_id].append(
            Offer(
                made_on=timezone.localdate(created_at),
                provider_sessions=tuple(provider[pk]),
                self_reported=tuple(own_word[pk]),
            )
        )
    return dict(offers)


# One person's offers, each statement compiled once (talkingmoves/core/compiled_query.py):
# their episodes are regrouped inside every send of a referral, and building and compiling
# these statements took longer than running them.
def _offered(person) -> QuerySet:
    return Referral.objects.filter(
        Q(kind=Referral.Kind.SIGNPOST) | Q(sent_at__isnull=False), service_user_id=person
    )


_REFERRALS = CompiledValues(
    lambda _shape, *, person: _offered(person).values("pk", "created_at"), person=an_id()
)
_SESSIONS = CompiledValues(
    lambda _shape, *, person: Attendance.objects.filter(
        referral__in=_offered(person).values("pk"), status=ATTENDED
    ).values("referral_id", "session_date", "source"),
    person=an_id(),
)
_TAKEN_UP = CompiledValues(
    lambda _shape, *, person: ReferralEvent.objects.filter(
        referral__in=_offered(person).values("pk"), to_status=Referral.Status.TAKEN_UP
    ).values("referral_id", "at"),
    person=an_id(),
)


def offers_of(service_user_id: int) -> list[Offer]:
    """offers_for one person, in three statements compiled once."""
    referrals = [
        (row["pk"], service_user_id, row["created_at"])
        for row in _REFERRALS.rows(person=service_user_id)
    ]
    if not referrals:
        return []
    sessions = [
        (row["referral_id"], row["session_date"], row["source"])
        for row in _SESSIONS.rows(person=service_user_id)
    ]
    taken_up = [(row["referral_id"], row["at"]) for row in _TAKEN_UP.rows(person=service_user_id)]
    return _offers(referrals, sessions, taken_up).get(service_user_id, [])
