"""Read queries for the caseload and the service-user record."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone

from referrals import hooks
from referrals.models import (
    DEFAULT_RED_FLAG_GUIDANCE,
    Attendance,
    Referral,
    ReferralEvent,
    Screening,
    ServiceContent,
    ServiceUser,
)
from referrals.records.services import Consent
from referrals.worklist import selectors as worklist
from talkingmoves.accounts.roles import Role
from talkingmoves.accounts.scoping import get_for_user_or_404, visible_to
from talkingmoves.audit.models import AccessLog
from talkingmoves.core.compiled_query import CompiledInstances, CompiledValues, an_id

# An accepted referral with no attendance this long after the provider answered needs a call.
NO_ATTENDANCE_AFTER = timedelta(days=21)


class CaseloadFilter:
    ALL = ""
    NEEDS_ATTENTION = "attention"
    NO_REFERRAL = "no_referral"
    WAITING = "waiting"

    CHOICES = [
        (ALL, "Everyone"),
        (NEEDS_ATTENTION, "Needs attention"),
        (NO_REFERRAL, "No referral yet"),
        (WAITING, "Referral waiting for an answer"),
    ]


def service_user_for(user, public_id) -> ServiceUser:
    """The one way in to a service user's record: 404 unless the user's service holds it."""
    return get_for_user_or_404(user, ServiceUser, public_id=public_id)


def colleagues(service_id) -> QuerySet:
    """Clinicians and leads of one service: who a person may be assigned to."""
    return (
        get_user_model()
        .objects.filter(
            organisation_id=service_id,
            role__in=[Role.CLINICIAN, Role.SERVICE_LEAD],
            is_active=True,
        )
        .order_by("full_name", "email")
    )


def nhs_number_duplicates(*, service_id, nhs_number: str, exclude_pk=None) -> list[ServiceUser]:
    if not nhs_number:
        return []
    found = ServiceUser.objects.filter(
        service_id=service_id, nhs_number=nhs_number, erased_at__isnull=True
    )
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return list(found.order_by("created_at")[:5])


def _with_caseload_annotations(queryset: QuerySet, *, select: bool = True) -> QuerySet:
    """The caseload row's columns and needs_attention; without select, only named for
    filters (alias) and left out of the SELECT unless a filter uses one."""
    add = queryset.annotate if select else queryset.alias
    with_columns = add(**caseload_columns())
    add = with_columns.annotate if select else with_columns.alias
    return add(needs_attention=ExpressionWrapper(_attention(), output_field=BooleanField()))


def caseload_columns(no_show_cutoff: datetime | None = None) -> dict:
    """The row's columns, by name. An accepted referral answered before `no_show_cutoff`
    (default: NO_ATTENDANCE_AFTER ago) with no attendance needs attention."""
    latest_referral = Referral.objects.filter(service_user=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    latest_screening = Screening.objects.filter(service_user=OuterRef("pk")).order_by(
        "-taken_at", "-pk"
    )
    cutoff = no_show_cutoff or timezone.now() - NO_ATTENDANCE_AFTER
    accepted_no_show = Referral.objects.filter(
        service_user=OuterRef("pk"),
        status=Referral.Status.ACCEPTED,
        answered_at__lte=cutoff,
    ).exclude(
        Exists(
            Attendance.objects.filter(referral=OuterRef("pk"), status=Attendance.Status.ATTENDED)
        )
    )
    # Open risk flags (outcomes) and open call requests (nudges) add their own flags.
    flags = hooks.caseload_flags.merged()
    return {
        "latest_status": Subquery(latest_referral.values("status")[:1]),
        "latest_sent_at": Subquery(latest_referral.values("sent_at")[:1]),
        "latest_screening_outcome": Subquery(latest_screening.values("outcome")[:1]),
        "latest_screening_resolution": Subquery(latest_screening.values("resolution")[:1]),
        "has_referral": Exists(Referral.objects.filter(service_user=OuterRef("pk"))),
        "has_waiting": Exists(
            Referral.objects.filter(service_user=OuterRef("pk"), status=Referral.Status.SENT)
        ),
        "has_no_show": Exists(accepted_no_show),
        **{name: expression for name, (expression, _needs_attention) in flags.items()},
        **worklist.caseload_annotations(),
    }


def attention_flags() -> list[str]:
    """The caseload flags a higher app marks as needing attention, by name."""
    return [name for name, (_, needs) in hooks.caseload_flags.merged().items() if needs]


def _attention() -> Q:
    """Needs attention: the latest referral declined (a newer one means someone has acted
    on it), an accepted referral with no attendance after 21 days, PAR-Q+ advice still
    open, or a flag a higher app marks as needing attention. Over the caseload's columns;
    row_needs_attention is the same rule over a row's values."""
    attention = (
        Q(latest_status=Referral.Status.DECLINED)
        | Q(has_no_show=True)
        | Q(
            latest_screening_outcome=Screening.Outcome.ADVICE_NEEDED, latest_screening_resolution=""
        )
    )
    for name in attention_flags():
        attention |= Q(**{name: True})
    return attention


def row_needs_attention(person: Any, flags: list[str]) -> bool:
    """_attention over a row's own columns (caseload_rows), so the page's statement does not
    evaluate each of them a second time; flags: attention_flags(). `person`: a ServiceUser
    with caseload_columns' annotations, which its type does not know."""
    return bool(
        person.latest_status == Referral.Status.DECLINED
        or person.has_no_show
        or (
            person.latest_screening_outcome == Screening.Outcome.ADVICE_NEEDED
            and person.latest_screening_resolution == ""
        )
        or any(getattr(person, name) for name in flags)
    )


def attention_reasons(referrals: list[dict], screenings: list[Screening]) -> list[str]:
    """The caseload's "needs attention" rule, over a record's loaded rows (newest first;
    referrals_for_record)."""
    reasons = []
    if referrals and referrals[0]["status"] == Referral.Status.DECLINED:
        reasons.append(f"The referral to {referrals[0]['activity__name']} was declined")
    cutoff = timezone.now() - NO_ATTENDANCE_AFTER
    for referral in referrals:
        if referral["status"] != Referral.Status.ACCEPTED or not referral["answered_at"]:
            continue
        went = any(a["status"] == Attendance.Status.ATTENDED for a in referral["attendances"])
        if referral["answered_at"] <= cutoff and not went:
            reasons.append(
                f"No attendance at {referral['activity__name']} "
                f"{NO_ATTENDANCE_AFTER.days} days after it was accepted"
            )
    if screenings and screenings[0].needs_resolution:
        reasons.append("The PAR-Q+ screening needs what was agreed recording")
    return reasons


def _search(queryset: QuerySet, q: str) -> QuerySet:
    q = q.strip()
    if not q:
        return queryset
    digits = re.sub(r"[\s-]", "", q)
    if digits.isascii() and digits.isdigit():
        return queryset.filter(nhs_number__startswith=digits)
    condition = Q()
    for word in q.split():
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return queryset.filter(condition)


# Only the columns a row shows (name, NHS number, clinician): a person has some sixty, each
# fetched and converted for every row otherwise.
CASELOAD_COLUMNS = (
    "public_id",
    "service_id",
    "given_name",
    "family_name",
    "nhs_number",
    "assigned_clinician__full_name",
    "assigned_clinician__email",
)


def caseload(user, *, clinician=None, show: str = "", q: str = "") -> QuerySet:
    """People the user may see, narrowed to one clinician's caseload (a user or their id)
    when given, each with the row's columns, in the caseload's order."""
    people = caseload_people(user, clinician=clinician, show=show, q=q, columns=True)
    first = [F(name).desc() for name in caseload_first_conditions()]
    return people.order_by(*first, *CASELOAD_NAME_ORDER)


def caseload_people(
    user, *, clinician=None, show: str = "", q: str = "", columns: bool = False
) -> QuerySet:
    """The caseload's people, filtered, unordered. Without columns, a person carries nothing
    of the row: what a page reads first (caseload_pages), before caseload_rows."""
    people = visible_to(user, ServiceUser)
    if columns:
        people = people.select_related("assigned_clinician").only(*CASELOAD_COLUMNS)
    if clinician is not None:
        people = people.filter(assigned_clinician=clinician)
    if columns or show:
        people = _with_caseload_annotations(people, select=columns)
    people = _search(people, q)
    if show == CaseloadFilter.NEEDS_ATTENTION:
        people = people.filter(needs_attention=True)
    elif show == CaseloadFilter.NO_REFERRAL:
        people = people.filter(has_referral=False)
    elif show == CaseloadFilter.WAITING:
        people = people.filter(has_waiting=True)
    return people


CASELOAD_NAME_ORDER = ("family_name", "given_name", "pk")


def caseload_first_conditions() -> dict:
    """What puts a person before the name order, most urgent first: whatever a higher app
    marks so (an open risk flag), then something for their clinician to do. Each is one of
    the caseload's annotations, by name."""
    flags = hooks.caseload_flags.merged()
    first = {name: flags[name][0] for name in hooks.caseload_first.merged()}
    return {**first, "has_open_task": worklist.open_task_exists()}


# The users a record names: the assigned clinician and who recorded each consent.
RECORD_USERS = ("assigned_clinician_id", *(f"consent_{kind}_by_id" for kind in Consent))


def record_user_names(person: ServiceUser, viewer, screenings: list[Screening]) -> dict[int, str]:
    """Each user the record names, by id: the person's clinician, who recorded each consent,
    and who recorded and resolved each screening. The viewer is most often all of them: only
    the others are read, names only, in one query, instead of a join of every user column
    for each of them."""
    ids = {getattr(person, column) for column in RECORD_USERS}
    for screening in screenings:
        ids |= {screening.recorded_by_id, screening.resolved_by_id}
    ids.discard(None)
    names = {viewer.pk: str(viewer)} if viewer.pk in ids else {}
    if ids - names.keys():
        others = get_user_model().objects.filter(pk__in=ids - names.keys())
        names.update((user.pk, str(user)) for user in others.only("full_name", "email"))
    return names


# What the timeline, the summary and the attention rule read: no creator, and of the
# activity, its provider and each event's actor only the names.
RECORD_REFERRAL_COLUMNS = (
    "pk", "kind", "status", "sent_at", "answered_at", "activity__name",
    "activity__provider__name",
)  # fmt: skip
RECORD_EVENT_COLUMNS = (
    "referral_id", "to_status", "at", "system_actor", "note", "actor_id", "actor__full_name",
    "actor__email",
)  # fmt: skip
RECORD_ATTENDANCE_COLUMNS = ("referral_id", "session_date", "status", "source")


# Compiled once (talkingmoves/core/compiled_query.py): every record reads all three, and
# building and compiling them took longer than running them.
def _of_person(model, person_key: str, columns, order: tuple[str, ...]) -> CompiledValues:
    """`columns` of the model's rows whose `person_key` is the person's id, in `order`."""
    return CompiledValues(
        lambda _shape, *, person: (
            model.objects.filter(**{person_key: person}).order_by(*order).values(*columns)
        ),
        person=an_id(),
    )


_RECORD_REFERRALS = _of_person(
    Referral, "service_user_id", RECORD_REFERRAL_COLUMNS, ("-created_at", "-pk")
)
_RECORD_EVENTS = _of_person(
    ReferralEvent, "referral__service_user_id", RECORD_EVENT_COLUMNS, ("-at", "-id")
)
_RECORD_ATTENDANCES = _of_person(
    Attendance, "referral__service_user_id", RECORD_ATTENDANCE_COLUMNS, ("-session_date",)
)


def referrals_for_record(service_user: ServiceUser) -> list[dict]:
    """The person's referrals, newest first, each with its "events" (newest first) and
    "attendances" (newest session first): three queries of values, since the record shows
    them only as words (presenters.referral_timeline)."""
    referrals = _RECORD_REFERRALS.rows(person=service_user.pk)
    by_id = {referral["pk"]: referral | {"events": [], "attendances": []} for referral in referrals}
    if by_id:
        # Read by person, so a referral made between these reads brings rows of its own:
        # they wait for the next view, as the referral itself does.
        for event in _RECORD_EVENTS.rows(person=service_user.pk):
            if event["referral_id"] in by_id:
                by_id[event["referral_id"]]["events"].append(event)
        for attendance in _RECORD_ATTENDANCES.rows(person=service_user.pk):
            if attendance["referral_id"] in by_id:
                by_id[attendance["referral_id"]]["attendances"].append(attendance)
    return list(by_id.values())


_SCREENINGS = CompiledInstances(
    lambda _shape, *, person_id: Screening.objects.filter(service_user_id=person_id).order_by(
        "-taken_at", "-pk"
    ),
    person_id=an_id(),
)


def screenings_for_record(service_user: ServiceUser) -> list[Screening]:
    """Newest first. Of who recorded and who resolved each, the record shows the name:
    record_user_names reads those with the others it names. Compiled once, each knowing its
    person as service_user.screenings would."""
    screenings = _SCREENINGS.instances(person_id=service_user.pk)
    for screening in screenings:
        screening.service_user = service_user
    return screenings


def consent_withdrawals(service_user: ServiceUser) -> dict[str, datetime]:
    """When each consent was last withdrawn, from the access log (the record keeps only who)."""
    withdrawn = [
        kind
        for kind in Consent
        if getattr(service_user, f"consent_{kind}_at") is None
        and getattr(service_user, f"consent_{kind}_by_id") is not None
    ]
    if not withdrawn:
        return {}
    paths = {
        reverse(
            "referrals:consent",
            kwargs={"public_id": service_user.public_id, "consent": kind, "change": "withdraw"},
        ): kind
        for kind in withdrawn
    }
    latest = (
        AccessLog.objects.filter(
            object_type=service_user._meta.label_lower,
            object_id=str(service_user.public_id),
            action=AccessLog.Action.UPDATE,
            path__in=paths,
        )
        .values("path")
        .annotate(at=Max("at"))
    )
    return {paths[row["path"]]: row["at"] for row in latest}


@dataclass(frozen=True)
class Guidance:
    text: str
    points: list[str]


def red_flag_guidance(service_id) -> Guidance:
    text = (
        ServiceContent.objects.filter(service_id=service_id)
        .values_list("red_flag_guidance", flat=True)
        .first()
    ) or DEFAULT_RED_FLAG_GUIDANCE
    return Guidance(text=text, points=[line.strip() for line in text.splitlines() if line.strip()])
