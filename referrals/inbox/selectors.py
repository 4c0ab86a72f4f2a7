"""Read side of the provider inbox: which referrals, and only the minimum necessary about the
person (name, contact, what they would enjoy, goal, needs). Nothing clinical leaves here."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone

from referrals.models import Referral
from referrals.pathway import transitions
from referrals.scopes import referrals_for_inbox
from referrals.tasks import AUTO_DECLINE_AFTER
from talkingmoves.accounts.scoping import get_for_user_or_404, visible_to
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write_many
from talkingmoves.core import keyset
from talkingmoves.vocabulary.contact import ContactChannel
from talkingmoves.vocabulary.referral import NO_LONGER_NEEDED

S = Referral.Status

# The tab lists are also the conditions of the partial indexes `referral_inbox_<tab>` in
# referrals/models.py: change one, change the other (tests/referrals/inbox/test_paging.py).
TABS = {
    "new": ("New", [S.SENT]),
    "current": ("Accepted or attending", [S.ACCEPTED, S.ATTENDING]),
    "closed": ("Closed", [S.DECLINED, S.COMPLETED, S.DROPPED_OUT, S.WITHDRAWN]),
}
DEFAULT_TAB = "new"

# The moves a provider makes with one button; accepting, declining and attendance have forms.
BUTTON_MOVES: dict[str, str] = {S.COMPLETED: "Mark completed", S.DROPPED_OUT: "Mark dropped out"}


@dataclass(frozen=True)
class ProviderView:
    """What a provider may see of a referral. Built field by field, never from the whole
    record, so a new clinical field on ServiceUser cannot leak into provider pages."""

    public_id: object
    name: str
    contact_channel: str
    contact: str
    other_contact: str
    what_they_would_enjoy: str
    goal: str
    needs_for_provider: str
    accompanied_first_visit: bool
    activity_name: str
    status: str
    status_label: str
    sent_at: datetime | None
    answer_by: datetime | None  # after this the referral is declined for them
    first_session_at: datetime | None
    decline_reason: str

    @property
    def overdue(self) -> bool:
        """Unanswered past its answer-by date (the auto-decline is about to close it)."""
        return self.answer_by is not None and self.answer_by <= timezone.now()


def provider_view(referral: Referral) -> ProviderView:
    if referral.status == S.WITHDRAWN:
        return _no_longer_needed(referral)
    person = referral.service_user
    channel = referral.preferred_contact or person.preferred_contact
    if channel == ContactChannel.EMAIL:
        contact, other = person.email, person.mobile
    else:
        contact, other = person.mobile, person.email
    return ProviderView(
        public_id=referral.public_id,
        name=person.full_name,
        contact_channel=ContactChannel(channel).label if channel else "",
        contact=contact,
        other_contact=other,
        what_they_would_enjoy=referral.what_they_would_enjoy,
        goal=referral.goal,
        needs_for_provider=referral.needs_for_provider,
        accompanied_first_visit=referral.accompanied_first_visit,
        activity_name=referral.activity.name,
        status=referral.status,
        status_label=referral.get_status_display(),
        sent_at=referral.sent_at,
        answer_by=(
            referral.sent_at + AUTO_DECLINE_AFTER
            if referral.status == S.SENT and referral.sent_at
            else None
        ),
        first_session_at=referral.first_session_at,
        decline_reason=referral.get_decline_reason_display() if referral.decline_reason else "",
    )


def _no_longer_needed(referral: Referral) -> ProviderView:
    """A referral the service closed (withdrawn, consent to share withdrawn, record erased):
    the provider keeps the fact and the activity, never the person or the reason."""
    return ProviderView(
        public_id=referral.public_id,
        name=NO_LONGER_NEEDED,
        contact_channel="",
        contact="",
        other_contact="",
        what_they_would_enjoy="",
        goal="",
        needs_for_provider="",
        accompanied_first_visit=False,
        activity_name=referral.activity.name,
        status=referral.status,
        status_label=NO_LONGER_NEEDED,
        sent_at=referral.sent_at,
        answer_by=None,
        first_session_at=None,
        decline_reason="",
    )


def _with_related(queryset: QuerySet) -> QuerySet:
    # Only the columns a provider page shows: the clinical ones are never fetched.
    return queryset.select_related("service_user", "activity").only(
        "public_id",
        "status",
        "kind",
        "what_they_would_enjoy",
        "goal",
        "needs_for_provider",
        "accompanied_first_visit",
        "preferred_contact",
        "sent_at",
        "first_session_at",
        "decline_reason",
        "activity__name",
        "activity__provider_id",
        "service_user__given_name",
        "service_user__family_name",
        "service_user__email",
        "service_user__mobile",
        "service_user__preferred_contact",
        "service_user__service_id",
    )


# Newest sent first; the public id breaks ties, so every referral has one place in the order.
INBOX_ORDER = [
    keyset.datetime_key("sent_at", Referral._meta.get_field("sent_at")),
    keyset.uuid_key("public_id", Referral._meta.get_field("public_id")),
]
# Tab counts stop here: "1,000+" says enough, and counting 30,000 rows to say it would not.
COUNT_CAP = 1000


def _tab_referrals(referrals: QuerySet, tab: str) -> QuerySet:
    statuses = TABS.get(tab, TABS[DEFAULT_TAB])[1]
    # A referral withdrawn before it was sent never reached the provider: not in the inbox.
    return referrals.filter(status__in=statuses, sent_at__isnull=False)


def inbox_page(user, tab: str, *, params, per_page: int) -> keyset.Page:
    """One page of a tab, newest first, read by seeking to the cursor in the tab's index
    rather than counting past the pages before it."""
    # Not by activity ids (tab_counts): at scale 10 the plan was the same and cost a query more.
    return keyset.paginate(
        _with_related(_tab_referrals(visible_to(user, Referral), tab)),
        INBOX_ORDER,
        per_page=per_page,
        params=params,
        descending=True,
        row_values=lambda referral: (referral.sent_at, referral.public_id),
        extra={"tab": tab},
    )


def tab_counts(user) -> dict[str, int | None]:
    """Referrals in each tab; None where there are more than COUNT_CAP. Two statements: the
    organisation's activity ids, then the three capped counts in one SELECT."""
    referrals = referrals_for_inbox(user)
    # Ordered by activity, so each count reads the organisation's referrals by the activity
    # indexes: unordered, PostgreSQL may walk the whole tab's index hoping to meet 1,001 soon
    # (390 ms at scale 10 for an organisation with a few hundred referrals).
    capped = {
        key: _tab_referrals(referrals, key).order_by("activity_id").values("pk")[: COUNT_CAP + 1]
        for key in TABS
    }
    parts: list[str] = []
    params: list = []
    try:
        for queryset in capped.values():
            sql, sql_params = queryset.query.sql_with_params()
            # Django's own SQL for each capped count; every value stays a parameter.
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608
            params.extend(sql_params)
    except EmptyResultSet:  # no activities (or no scope): nothing to count
        return dict.fromkeys(TABS, 0)
    with connections[referrals.db].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        found = dict(zip(capped, cursor.fetchone(), strict=True))
    return {key: count if count <= COUNT_CAP else None for key, count in found.items()}


def count_text(count: int | None) -> str:
    return f"{count:,}" if count is not None else f"{COUNT_CAP:,}+"


def referral_for_provider(user, public_id) -> Referral:
    return get_for_user_or_404(user, _with_related(Referral.objects.all()), public_id=public_id)


def attendance_register(referral: Referral) -> list:
    return list(referral.attendances.order_by("-session_date"))


def provider_moves(referral: Referral) -> list[dict]:
    return [
        {"to": to, "label": BUTTON_MOVES[to]}
        for to in transitions.next_statuses(referral.status, transitions.PROVIDER)
        if to in BUTTON_MOVES
    ]


def log_views(*, user, referrals, path: str) -> None:
    """One access-log row per referral a provider saw (the inbox list), in one insert."""
    access_log_write_many(action=AccessAction.VIEW, objects=referrals, actor=user, path=path)
