"""Episodes and appointments, and the outcome columns stored on each episode."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db import IntegrityError, transaction

from outcomes import rules, uptake
from outcomes.models import (
    Appointment,
    Episode,
    Measure,
)
from outcomes.services.appointment_facts import (
    appointment_facts_refresh,
    episodes_appointment_facts_refresh,
)
from outcomes.services.common import (
    K,
    OutcomeError,
    log_access,
    refuse_future,
    refuse_outside_episode,
    require_access,
)
from outcomes.services.episode_activities import episode_activities_refresh
from outcomes.services.facts import episode_facts_refresh, episodes_facts_refresh
from outcomes.services.uptake import offers_for
from referrals.models import ServiceUser
from talkingmoves.audit.actions import AccessAction


def outcome_columns(
    episode: Episode,
    measures: Iterable[Measure],
    appointments: Iterable[Appointment],
    offers: Iterable[uptake.Offer],
) -> dict:
    """The derived columns for an episode from its loaded rows (no queries), so seeding and
    the live services compute them the same way. `offers` are the person's referrals and
    signposting with their attended days (services.uptake.offers_for)."""
    end = episode.ended_on
    pairs = uptake.score_pairs(measures, end)
    firsts = {kind: pair.first.total if pair.first else None for kind, pair in pairs.items()}
    lasts = {kind: pair.last.total if pair.last else None for kind, pair in pairs.items()}
    appointments = list(appointments)
    sessions = sum(
        1 for a in appointments if a.counts_as_treatment and (end is None or a.on <= end)
    )
    treated = sorted(a.on for a in appointments if a.counts_as_treatment)
    columns = {
        "first_phq9": firsts[K.PHQ9],
        "first_gad7": firsts[K.GAD7],
        "last_phq9": lasts[K.PHQ9],
        "last_gad7": lasts[K.GAD7],
        "treatment_sessions": sessions,
        "first_treatment_on": treated[0] if treated else None,
        "second_treatment_on": treated[1] if len(treated) > 1 else None,
        "activity_group": episode_group(
            received_on=episode.referral_received_on, ended_on=end, pairs=pairs, offers=offers
        ),
    }
    assessment = rules.assess(
        first_phq9=firsts[K.PHQ9],
        first_gad7=firsts[K.GAD7],
        last_phq9=lasts[K.PHQ9],
        last_gad7=lasts[K.GAD7],
        treatment_sessions=sessions,
    )
    flags = (
        "caseness_at_start",
        "caseness_at_end",
        "recovered",
        "reliably_improved",
        "reliably_recovered",
        "reliably_deteriorated",
        "no_reliable_change",
    )
    columns["phq9_change"] = assessment.phq9_change
    columns["gad7_change"] = assessment.gad7_change
    if end is None:
        # Outcomes belong to ended episodes; until then only the start is known.
        columns["finished_treatment"] = None
        columns.update(dict.fromkeys(flags))
        phq9, gad7 = firsts[K.PHQ9], firsts[K.GAD7]
        columns["caseness_at_start"] = (
            rules.at_caseness(phq9, gad7) if phq9 is not None and gad7 is not None else None
        )
        return columns
    columns["finished_treatment"] = assessment.finished_treatment
    columns.update({flag: getattr(assessment, flag) for flag in flags})
    return columns


def episode_group(*, received_on: date, ended_on: date | None, pairs, offers) -> str:
    """The episode's activity group (outcomes/uptake.py), from its score pairs and offers."""
    paired_on = uptake.pair_closed_on(pairs)
    return uptake.activity_group(
        start=received_on,
        end=uptake.window_end(ended_on=ended_on, paired_on=paired_on),
        offers=offers,
    ).value


OUTCOME_FIELDS = [
    "first_phq9",
    "first_gad7",
    "last_phq9",
    "last_gad7",
    "treatment_sessions",
    "first_treatment_on",
    "second_treatment_on",
    "finished_treatment",
    "caseness_at_start",
    "caseness_at_end",
    "recovered",
    "reliably_improved",
    "reliably_recovered",
    "reliably_deteriorated",
    "no_reliable_change",
    "phq9_change",
    "gad7_change",
    "activity_group",
]


def episode_recompute(*, episode: Episode) -> Episode:
    columns = outcome_columns(
        episode,
        episode.measures.filter(kind__in=[K.PHQ9, K.GAD7]),
        episode.appointments.all(),
        offers_for([episode.service_user_id]).get(episode.service_user_id, []),
    )
    for name, value in columns.items():
        setattr(episode, name, value)
    Episode.objects.filter(pk=episode.pk).update(**columns)
    # The dashboards' facts for the days this episode counts on, in the same transaction.
    episode_facts_refresh(
        service_id=episode.service_id, days=[episode.referral_received_on, episode.ended_on]
    )
    # After the facts: their per-service lock (held to commit) orders concurrent refreshes.
    episode_activities_refresh([episode.pk])
    return episode


# Episodes whose measures changed inside `episodes_recompute_once()`, or None outside it.
_recompute_pending: ContextVar[set[int] | None] = ContextVar("recompute_pending", default=None)


def episode_recompute_after_change(*, episode: Episode) -> None:
    """Recompute now, or, inside `episodes_recompute_once()`, once at the end of the block."""
    pending = _recompute_pending.get()
    if pending is None:
        episode_recompute(episode=episode)
    else:
        pending.add(episode.pk)


@contextmanager
def episodes_recompute_once() -> Iterator[None]:
    """For an import of many questionnaires: each changed episode is recomputed once, in
    batches, when the block ends without an error, instead of after every measure. Use it
    inside the transaction that stores the measures, so the outcome columns commit with
    them (an error rolls both back)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("episodes_recompute_once() must run inside a transaction")
    pending: set[int] = set()
    token = _recompute_pending.set(pending)
    try:
        yield
    finally:
        _recompute_pending.reset(token)
    episodes_recompute(Episode.objects.filter(pk__in=pending).only("pk"))


RECOMPUTE_BATCH = 500


def episodes_recompute(episodes: Iterable[Episode], *, appointments_changed: bool = True) -> int:
    """Recompute many episodes in a few queries a batch (demo seeding, benchmarks, repairs,
    and a person's episodes when their referrals or attendance change). The appointment
    facts of the episodes' days are recounted too, unless no appointment changed: they count
    only appointments, and a day's recount reads the service's whole day."""
    ids = [e.pk for e in episodes]
    changed = 0
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        batch = list(
            Episode.objects.filter(pk__in=ids[start : start + RECOMPUTE_BATCH]).prefetch_related(
                "measures", "appointments"
            )
        )
        offers = offers_for({e.service_user_id for e in batch})
        for episode in batch:
            columns = outcome_columns(
                episode,
                episode.measures.all(),
                episode.appointments.all(),
                offers.get(episode.service_user_id, []),
            )
            for name, value in columns.items():
                setattr(episode, name, value)
        Episode.objects.bulk_update(batch, OUTCOME_FIELDS, batch_size=RECOMPUTE_BATCH)
        episodes_facts_refresh((e.service_id, e.referral_received_on, e.ended_on) for e in batch)
        episode_activities_refresh(e.pk for e in batch)
        if appointments_changed:
            episodes_appointment_facts_refresh(batch)
        changed += len(batch)
    return changed


def service_user_episodes_recompute(*, service_user_id: int) -> int:
    """Recompute every episode of one person: their referrals or attendance changed, which
    can move an episode between activity groups. Their appointments did not change."""
    episodes = Episode.objects.filter(service_user_id=service_user_id).only("pk")
    return episodes_recompute(episodes, appointments_changed=False)


# --- Episodes and appointments ----------------------------------------------------------


@transaction.atomic
def episode_open(
    *,
    service_user: ServiceUser,
    referral_received_on: date,
    referral_source: str,
    step: int | None,
    by,
    path: str = "",
) -> Episode:
    require_access(by, service_user)
    refuse_future(referral_received_on, "Referral date", "referral_received_on")
    if service_user.episodes.filter(ended_on__isnull=True).exists():
        raise OutcomeError("This service user already has an open episode. End it first")
    episode = Episode(
        service_user=service_user,
        service_id=service_user.service_id,
        referral_received_on=referral_received_on,
        referral_source=referral_source,
        step=step,
        created_by=by,
    )
    episode.full_clean()
    try:
        with transaction.atomic():
            episode.save()
    except IntegrityError:
        raise OutcomeError("This service user already has an open episode. End it first") from None
    # A referral made on the day the episode starts already counts towards its group.
    episode_recompute(episode=episode)
    log_access(by=by, action=AccessAction.CREATE, obj=episode, path=path)
    return episode


@transaction.atomic
def episode_end(
    *, episode: Episode, ended_on: date, ending_reason: str, by, path: str = ""
) -> Episode:
    episode = Episode.objects.select_for_update().select_related("service_user").get(pk=episode.pk)
    require_access(by, episode.service_user)
    if episode.ended_on is not None:
        raise OutcomeError("This episode has already ended")
    refuse_future(ended_on, "Ending date", "ended_on")
    if ended_on < episode.referral_received_on:
        raise OutcomeError(
            "Ending date must be on or after the referral date, "
            f"{episode.referral_received_on:%-d %B %Y}",
            "ended_on",
        )
    last = episode.appointments.order_by("-on").values_list("on", flat=True).first()
    if last and ended_on < last:
        raise OutcomeError(
            f"Ending date must be on or after the last appointment, {last:%-d %B %Y}",
            "ended_on",
        )
    # A measure after the end would be left out of the outcome without anyone noticing.
    measure = episode.measures.order_by("-taken_on", "-recorded_at").first()
    if measure and ended_on < measure.taken_on:
        raise OutcomeError(
            "Ending date must be on or after the last questionnaire, "
            f"{measure.get_kind_display()} on {measure.taken_on:%-d %B %Y}",
            "ended_on",
        )
    episode.ended_on = ended_on
    episode.ending_reason = ending_reason
    episode.full_clean()
    episode.save(update_fields=["ended_on", "ending_reason"])
    episode_recompute(episode=episode)
    log_access(by=by, action=AccessAction.UPDATE, obj=episode, path=path)
    return episode


@transaction.atomic
def episode_reopen(*, episode: Episode, by, path: str = "") -> Episode:
    """Undo an ending, so that later appointments and measures can be recorded. Its outcome
    columns go back to "not yet known" until it ends again."""
    episode = Episode.objects.select_for_update().select_related("service_user").get(pk=episode.pk)
    require_access(by, episode.service_user)
    if episode.ended_on is None:
        raise OutcomeError("This episode is already open")
    other = episode.service_user.episodes.filter(ended_on__isnull=True).exclude(pk=episode.pk)
    if other.exists():
        raise OutcomeError("This service user has another open episode. End it first")
    ended_was = episode.ended_on
    episode.ended_on = None
    episode.ending_reason = ""
    try:
        with transaction.atomic():
            episode.save(update_fields=["ended_on", "ending_reason"])
    except IntegrityError:  # another episode opened meanwhile (one open per person)
        raise OutcomeError("This service user has another open episode. End it first") from None
    episode_recompute(episode=episode)
    episode_facts_refresh(service_id=episode.service_id, days=[ended_was])  # no longer ends then
    log_access(by=by, action=AccessAction.UPDATE, obj=episode, path=path)
    return episode


@transaction.atomic
def appointment_record(
    *, episode: Episode, on: date, kind: str, attendance: str, by, path: str = ""
) -> Appointment:
    episode = Episode.objects.select_for_update().select_related("service_user").get(pk=episode.pk)
    require_access(by, episode.service_user)
    refuse_outside_episode(episode, on, "Appointment date", "on")
    # A second identical entry is a double submission (the episode row is locked above), and
    # would count as a second treatment session.
    if episode.appointments.filter(on=on, kind=kind).exists():
        raise OutcomeError(
            f"{Appointment.Kind(kind).label} appointment on {on:%-d %B %Y} is already recorded",
            "on",
        )
    appointment = Appointment(
        episode=episode, on=on, kind=kind, attendance=attendance, recorded_by=by
    )
    appointment.full_clean()
    appointment.save()
    episode_recompute(episode=episode)
    # The one place appointments are recorded: the dashboards' count of that day, here only.
    appointment_facts_refresh(service_id=episode.service_id, days=[on])
    log_access(by=by, action=AccessAction.CREATE, obj=episode, path=path)
    return appointment


# --- Measures and risk flags ------------------------------------------------------------
