"""Dated sessions: those a SessionSeries lists (subEvent) and ScheduledSessions published in
their own feed, which join the series' activity in any feed of the same partnership."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from providers.models import Activity, ListingChange, OneOffSession, OpenActiveFeed, Source
from providers.services import listing_change_record

from .mapping import MappedSession
from .rpde import Outcome
from .schedules import SessionFields
from .values import ItemProblem, problem_text, short_key


def series_sessions_sync(
    *,
    activity: Activity,
    current: dict[str, OneOffSession],
    sessions: tuple[SessionFields, ...],
    actor: str,
    record: bool,
) -> None:
    wanted = {session.key: session for session in sessions}
    stale = {
        key
        for key, session in current.items()
        if key not in wanted
        or (session.starts_at, session.ends_at) != (wanted[key].starts_at, wanted[key].ends_at)
    }
    missing = [session for key, session in wanted.items() if key not in current or key in stale]
    OneOffSession.objects.filter(pk__in=[current[key].pk for key in stale]).delete()
    OneOffSession.objects.bulk_create(
        OneOffSession(
            activity=activity,
            external_id=session.key,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
        )
        for session in missing
    )
    if record and (stale or missing):
        listing_change_record(
            listing=activity,
            action=ListingChange.Action.UPDATED,
            system_actor=actor,
            changes={"Dated sessions": [_sessions_text(len(current)), _sessions_text(len(wanted))]},
        )


def standalone_session_key(*, feed: OpenActiveFeed, item_id: str) -> str:
    # Sessions have no feed column, so the key carries the feed to keep publishers apart.
    return short_key(f"feed:{feed.pk}:{item_id}")


def standalone_session_save(
    *, feed: OpenActiveFeed, actor: str, item_id: str, mapped: MappedSession
) -> Outcome:
    key = standalone_session_key(feed=feed, item_id=item_id)
    current = OneOffSession.objects.filter(external_id=key).select_related("activity").first()
    if not mapped.is_happening:
        return session_remove(session=current, actor=actor) if current else Outcome.UNCHANGED
    activity = _parent(feed, mapped.series_keys)
    if activity is None:
        raise ItemProblem(
            f"{mapped.what} belongs to a {mapped.parent_kind} that has not been imported "
            f"('{mapped.series_label}')"
        )
    when = (mapped.starts_at, mapped.ends_at)
    if (
        current
        and current.activity_id == activity.pk
        and (current.starts_at, current.ends_at) == when
    ):
        return Outcome.UNCHANGED
    before = _session_text(current) if current else ""
    session = current or OneOffSession(external_id=key)
    session.activity = activity
    session.starts_at, session.ends_at = when
    try:
        session.full_clean()
    except ValidationError as error:
        raise ItemProblem(problem_text(error, "ScheduledSession")) from None
    session.save()
    listing_change_record(
        listing=activity,
        action=ListingChange.Action.UPDATED,
        system_actor=actor,
        changes={"Dated session": [before, _session_text(session)]},
    )
    return Outcome.UPDATED if current else Outcome.ADDED


def _parent(feed: OpenActiveFeed, keys: tuple[str, ...]) -> Activity | None:
    """The listing a session or slot belongs to, in any feed of the partnership: by its @id
    first, then by its id in its feed."""
    found = Activity.objects.filter(
        Q(external_id__in=keys) | Q(feed_item_uri__in=keys),
        feed__partnership_id=feed.partnership_id,
        source=Source.OPENACTIVE,
    )
    by_uri, by_id = {}, {}
    for activity in found:
        by_uri.setdefault(activity.feed_item_uri, activity)
        by_id.setdefault(activity.external_id, activity)
    return next((by_uri.get(k) or by_id[k] for k in keys if k in by_uri or k in by_id), None)


def standalone_session_delete(*, feed: OpenActiveFeed, actor: str, item_id: str) -> Outcome:
    session = (
        OneOffSession.objects.filter(external_id=standalone_session_key(feed=feed, item_id=item_id))
        .select_related("activity")
        .first()
    )
    return session_remove(session=session, actor=actor) if session else Outcome.UNCHANGED


def session_remove(*, session: OneOffSession, actor: str) -> Outcome:
    listing_change_record(
        listing=session.activity,
        action=ListingChange.Action.UPDATED,
        system_actor=actor,
        changes={"Dated session": [_session_text(session), ""]},
    )
    session.delete()
    return Outcome.REMOVED


def _sessions_text(count: int) -> str:
    return "None" if count == 0 else f"{count} dated session{'s' if count != 1 else ''}"


def _session_text(session: OneOffSession) -> str:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return f"{starts:%a} {starts.day} {starts:%b %Y, %H:%M} to {ends:%H:%M}"
