"""Operations on service users' referrals. Each runs in one transaction, checks who may act,
and appends a ReferralEvent; a stale or illegal move is refused and changes nothing."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from referrals import hooks
from referrals.models import Attendance, Referral, ReferralEvent, Screening, ServiceUser
from referrals.pathway import transitions
from talkingmoves.accounts.roles import Role

S = Referral.Status


class ReferralError(Exception):
    """A move that cannot be made, with a message fit to show."""


@dataclass(frozen=True)
class Blocker:
    """Something that must be done before a referral can be sent, and where to do it."""

    message: str
    fix: str  # "consent" or "screening": the record page section that fixes it


class SendBlocked(ReferralError):
    """A send refused for what must be done first (send_blockers), all of it."""

    def __init__(self, blockers: list[Blocker]):
        super().__init__(blockers[0].message)
        self.blockers = blockers


def actor_kind(user, referral: Referral) -> str | None:
    """How `user` relates to this referral, for the transition table; None if not at all."""
    in_service = user.organisation_id == referral.service_user.service_id
    if user.role in (Role.CLINICIAN, Role.SERVICE_LEAD) and in_service:
        return transitions.CLINICIAN
    runs_activity = user.organisation_id == referral.activity.provider.organisation_id
    if user.role == Role.PROVIDER_STAFF and runs_activity:
        return transitions.PROVIDER
    return None


def latest_screening(service_user: ServiceUser) -> Screening | None:
    return service_user.screenings.order_by("-taken_at").first()


def screening_blockers(screening: Screening, activity) -> list[Blocker]:
    """What a recorded PAR-Q+ rules out for an in-person activity (online is never ruled out
    once the person is screened)."""
    if activity.delivery_mode == activity.DeliveryMode.ONLINE:
        return []
    if screening.needs_resolution:
        return [
            Blocker(
                "Record what was agreed about the screening answers that need advice", "screening"
            )
        ]
    if screening.resolution == Screening.Resolution.SEEK_ADVICE_FIRST:
        return [
            Blocker("The screening outcome says to get GP or specialist advice first", "screening")
        ]
    if (
        screening.resolution == Screening.Resolution.SPECIALIST_ONLY
        and not activity.provider.is_specialist
    ):
        return [
            Blocker(
                "The screening outcome allows only specialist or supervised activity, "
                "and this provider is not marked as specialist",
                "screening",
            )
        ]
    return []


def send_blockers(*, service_user: ServiceUser, activity) -> list[Blocker]:
    blockers = []
    if not service_user.has_consent_to_share:
        blockers.append(
            Blocker(
                "Record the service user's consent to share their details with a provider",
                "consent",
            )
        )
    screening = latest_screening(service_user)
    if screening is None:
        blockers.append(Blocker("Complete the PAR-Q+ health screening questions", "screening"))
    else:
        blockers += screening_blockers(screening, activity)
    return blockers


def _event(referral, *, from_status, to_status, actor=None, system_actor="", note=""):
    return ReferralEvent.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        system_actor=system_actor,
        note=note,
    )


@transaction.atomic
def referral_create(
    *,
    service_user: ServiceUser,
    activity,
    kind: str,
    by,
    what_they_would_enjoy: str = "",
    goal: str = "",
    needs_for_provider: str = "",
    accompanied_first_visit: bool = False,
    preferred_contact: str = "",
) -> Referral:
    """A draft referral, or a signposting record (no details are shared with anyone)."""
    if activity.archived_at is not None:
        raise ReferralError("This activity is no longer listed. Choose another")
    if kind == Referral.Kind.REFER and not activity.takes_referrals:
        raise ReferralError("This activity does not take referrals: signpost the person to it")
    screening = latest_screening(service_user) if kind == Referral.Kind.SIGNPOST else None
    if screening is not None:
        # Signposting shares nothing, but the person may still go: what their screening
        # rules out for a referral is ruled out here too.
        refused = screening_blockers(screening, activity)
        if refused:
            reason = refused[0].message
            raise ReferralError(f"Not signposted: {reason[0].lower()}{reason[1:]}")
    status = S.DRAFT if kind == Referral.Kind.REFER else S.SIGNPOSTED
    referral = Referral(
        service_user=service_user,
        service_id=service_user.service_id,
        activity=activity,
        kind=kind,
        status=status,
        what_they_would_enjoy=what_they_would_enjoy,
        goal=goal,
        needs_for_provider=needs_for_provider,
        accompanied_first_visit=accompanied_first_visit,
        preferred_contact=preferred_contact,
        created_by=by,
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:
        raise ReferralError("This person already has an open referral to this activity") from None
    _event(referral, from_status="", to_status=status, actor=by)
    hooks.referral_changed(referral=referral, to_status=status)
    return referral


def _transition(
    referral: Referral,
    *,
    to: str,
    actor=None,
    system_actor: str = "",
    expected_from: str | None = None,
    note: str = "",
    # For signed links, where nobody is signed in: whose rights the link carries.
    acting_as: str | None = None,
    # Made in this transaction, so nobody else can see it, let alone change it: not read again.
    held: bool = False,
    **changes,
) -> Referral:
    """Lock the row, check the move against the table and the state the person saw."""
    locked = (
        referral
        if held
        else Referral.objects.select_related("service_user", "activity__provider")
        .select_for_update(of=("self",))
        .get(pk=referral.pk)
    )
    kind: str | None
    if acting_as is not None:
        kind = acting_as
    elif system_actor:
        kind = transitions.SYSTEM
    else:
        kind = actor_kind(actor, locked)
        if kind is None:
            raise ReferralError("You cannot change this referral")
    if expected_from is not None and locked.status != expected_from:
        raise ReferralError(
            f"This referral is now {locked.get_status_display().lower()}: someone else changed it. "
            "Nothing was changed"
        )
    if not transitions.allowed(locked.status, to, kind):
        raise ReferralError(
            f"A referral that is {locked.get_status_display().lower()} cannot be marked "
            f"{S(to).label.lower()}"
        )
    from_status = locked.status
    now = timezone.now()
    if to == S.ACCEPTED:
        changes.setdefault("accepted_at", now)
    changes.update(status=to, updated_at=now)
    Referral.objects.filter(pk=locked.pk).update(**changes)
    _event(
        locked,
        from_status=from_status,
        to_status=to,
        actor=actor,
        system_actor=system_actor,
        note=note,
    )
    # The locked row plus what was just written is the row: no need to read it again.
    for name, value in changes.items():
        setattr(locked, name, value)
    hooks.referral_changed(referral=locked, to_status=to)
    return locked


def _send(referral: Referral, *, by, held: bool = False) -> Referral:
    blockers = send_blockers(service_user=referral.service_user, activity=referral.activity)
    if blockers:
        raise SendBlocked(blockers)
    if referral.activity.archived_at is not None:
        raise ReferralError("This activity is no longer listed. Choose another")
    return _transition(
        referral, to=S.SENT, actor=by, expected_from=S.DRAFT, held=held, sent_at=timezone.now()
    )


@transaction.atomic
def referral_send(*, referral: Referral, by) -> Referral:
    return _send(referral, by=by)


@transaction.atomic
def referral_create_and_send(*, service_user: ServiceUser, activity, by, **details) -> Referral:
    """Refer in one step: the draft and its sending in one transaction, so a send that is
    refused leaves no draft behind. Both moves are in its history."""
    referral = referral_create(
        service_user=service_user, activity=activity, kind=Referral.Kind.REFER, by=by, **details
    )
    return _send(referral, by=by, held=True)


@transaction.atomic
def referral_accept(*, referral: Referral, by, first_session_at: datetime | None) -> Referral:
    return _transition(
        referral,
        to=S.ACCEPTED,
        actor=by,
        expected_from=S.SENT,
        first_session_at=first_session_at,
        answered_at=timezone.now(),
    )


@transaction.atomic
def referral_decline(
    *, referral: Referral, by=None, reason: str, note: str = "", system_actor: str = ""
) -> Referral:
    return _transition(
        referral,
        to=S.DECLINED,
        actor=by,
        system_actor=system_actor,
        expected_from=S.SENT,
        note=note,
        decline_reason=reason,
        answered_at=timezone.now(),
    )


@transaction.atomic
def referral_answer_by_link(
    *, referral: Referral, to: str, link_actor: str, note: str = "", **changes
) -> Referral:
    """Accept or decline through the provider's signed link: the provider's rights, with the
    link named as the actor on the event."""
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if current.status != S.SENT:
        raise ReferralError("This referral has already been answered")
    return _transition(
        current,
        to=to,
        system_actor=link_actor,
        acting_as=transitions.PROVIDER,
        expected_from=S.SENT,
        note=note,
        answered_at=timezone.now(),
        **changes,
    )


@transaction.atomic
def referral_move_by_service_user(
    *, referral: Referral, to: str, link_actor: str, note: str = ""
) -> Referral:
    """A move the service user makes through a message link ("I went"): their rights in the
    transition table, with the link named as the actor on the event."""
    return _transition(
        referral,
        to=to,
        system_actor=link_actor,
        acting_as=transitions.SERVICE_USER,
        expected_from=referral.status,
        note=note,
    )


@transaction.atomic
def referral_move(
    *, referral: Referral, to: str, by, expected_from: str, note: str = ""
) -> Referral:
    """Withdraw, complete, drop out, taken up / not taken up: the moves with no extra data."""
    return _transition(referral, to=to, actor=by, expected_from=expected_from, note=note)


def first_attended_refresh(referral: Referral) -> None:
    """Keep the referral's first-attended date in step with its attendance (a session can
    be recorded late, or corrected to "did not attend")."""
    attended = Attendance.objects.filter(
        referral=referral, status=Attendance.Status.ATTENDED
    ).order_by("session_date")
    first = attended.values_list("session_date", flat=True).first()
    on_register = (
        attended.filter(source=Attendance.SOURCE_PROVIDER)
        .values_list("session_date", flat=True)
        .first()
    )
    Referral.objects.filter(pk=referral.pk).update(
        first_attended_on=first, provider_attended_on=on_register
    )


@transaction.atomic
def attendance_record(*, referral: Referral, session_date: date, status: str, by) -> Attendance:
    """Record a session; the first attended session moves an accepted referral to attending."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status not in (S.ACCEPTED, S.ATTENDING):
        raise ReferralError("Attendance can only be recorded for an accepted referral")
    if session_date > timezone.localdate():
        raise ReferralError("Session date must be today or in the past")
    first = timezone.localdate(locked.first_session_at) if locked.first_session_at else None
    if first and session_date < first:
        raise ReferralError(
            f"Attendance cannot be recorded before their first session on {first:%-d %B %Y}"
        )
    on_register = Attendance.objects.filter(source=Attendance.SOURCE_PROVIDER)
    was = (
        on_register.filter(referral=locked, session_date=session_date)
        .values_list("status", flat=True)
        .first()
    )
    attendance, _ = on_register.update_or_create(
        referral=locked,
        session_date=session_date,
        source=Attendance.SOURCE_PROVIDER,
        defaults={"status": status, "recorded_by": by, "recorded_at": timezone.now()},
    )
    if status == Attendance.Status.MISSED and was != status:
        hooks.session_missed(referral=locked, session_date=session_date)  # once per session
    first_attended_refresh(locked)
    if status == Attendance.Status.ATTENDED and locked.status == S.ACCEPTED:
        _transition(
            locked,
            to=S.ATTENDING,
            actor=by,
            expected_from=S.ACCEPTED,
            note="First session attended",
        )
    # Outcomes keeps each episode's activity group in step (a session can be recorded late).
    hooks.attendance_changed(service_user_id=locked.service_user_id)
    return attendance
