"""Display values for the caseload and the record page, so templates hold no logic."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from providers.activity_types import common_interest_choices
from referrals.models import Attendance, Referral, Screening, ServiceUser
from referrals.records.services import CONSENT_LABELS, PARQ_WORDING, Consent
from talkingmoves.core.choices import label
from talkingmoves.core.links import url
from talkingmoves.vocabulary.access_needs import Accessibility
from talkingmoves.vocabulary.barriers import Barrier
from talkingmoves.vocabulary.preferences import (
    CostPreference,
    DeliveryPreference,
    FormatPreference,
)
from talkingmoves.vocabulary.times import TimeOfDay, Weekday

S = Referral.Status

# NHS.UK tag colours by referral status.
STATUS_TAG = {
    S.DRAFT: "nhsuk-tag--grey",
    S.SENT: "nhsuk-tag--blue",
    S.ACCEPTED: "nhsuk-tag--aqua-green",
    S.ATTENDING: "nhsuk-tag--green",
    S.COMPLETED: "nhsuk-tag--green",
    S.DECLINED: "nhsuk-tag--red",
    S.WITHDRAWN: "nhsuk-tag--grey",
    S.DROPPED_OUT: "nhsuk-tag--orange",
    S.SIGNPOSTED: "nhsuk-tag--purple",
    S.TAKEN_UP: "nhsuk-tag--green",
    S.NOT_TAKEN_UP: "nhsuk-tag--grey",
}


def optional_url(name: str, *args) -> str:
    """The URL, or "" while the page it names does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def days_since(moment: datetime | None) -> int | None:
    if moment is None:
        return None
    return (timezone.localdate() - timezone.localtime(moment).date()).days


def days_text(days: int | None) -> str:
    if days is None:
        return ""
    if days == 0:
        return "sent today"
    return f"sent {days} day{'s' if days != 1 else ''} ago"


@dataclass(frozen=True)
class Tag:
    text: str
    css: str


def status_tag(status: str | None) -> Tag | None:
    if not status:
        return None
    return Tag(S(status).label, STATUS_TAG.get(status, "nhsuk-tag--grey"))


def caseload_row(person: ServiceUser) -> dict:
    """One row of the caseload; `person` carries the caseload selector's annotations."""
    return {
        "person": person,
        "record_url": url("referrals:record", person.public_id),
        "tasks_url": f"{url('referrals:tasks')}?person={person.public_id}",
        "nhs_number": person.nhs_number_display,
        "status": status_tag(person.latest_status),
        "sent": days_text(days_since(person.latest_sent_at)),
        "needs_attention": person.needs_attention,
        "risk_flag": person.has_open_risk_flag,
        "open_tasks": person.open_task_count or 0,
        "last_event": last_event_text(person),
    }


def last_event_text(person: ServiceUser) -> str:
    """The newest change to any of the person's referrals, in words: "Declined: Swimming,
    3 days ago"."""
    if person.last_event_at is None:
        return ""
    status = Referral.Status(person.last_event_status).label
    days = days_since(person.last_event_at)
    when = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
    return f"{status}: {person.last_event_activity}, {when}"


def _labels(values, choices) -> str:
    names = {str(value): label for value, label in choices}
    return ", ".join(str(names.get(str(v), v)) for v in values)


def _label(value, choices, empty="Not recorded") -> str:
    return str(dict(choices).get(value, "")) or empty


def details(person: ServiceUser, names: dict[int, str]) -> list[tuple[str, str]]:
    """The summary list of a person's details, in the order of the form; `names`: the users
    it names, by id (selectors.record_user_names)."""
    disability = {True: "Yes", False: "No", None: "Not asked"}[person.has_disability_or_ltc]
    if person.has_disability_or_ltc and person.disability_or_ltc_details:
        disability = f"Yes: {person.disability_or_ltc_details}"
    dob = person.date_of_birth.strftime("%-d %B %Y") if person.date_of_birth else "Not recorded"
    # The interests' names are read (a query) only for a person who has some.
    interests = _labels(person.interests, common_interest_choices()) if person.interests else ""
    return [
        ("NHS number", person.nhs_number_display or "Not recorded"),
        ("Date of birth", dob),
        ("Postcode", person.postcode or "Not recorded"),
        ("Email", person.email or "Not recorded"),
        ("Mobile", f"{person.mobile[:5]} {person.mobile[5:]}" if person.mobile else "Not recorded"),
        ("Preferred contact", person.get_preferred_contact_display()),
        ("Gender", person.get_gender_display() or "Not recorded"),
        ("Ethnic category", person.get_ethnic_category_display() or "Not recorded"),
        ("Disability or long-term condition", disability),
        ("Presenting problem", person.presenting_problem or "Not recorded"),
        ("Step", person.get_step_display() or "Not recorded"),
        ("Assigned clinician", names.get(person.assigned_clinician_id, "Not assigned")),
        ("Interests", interests or "None recorded"),
        ("Barriers", _labels(person.barriers, Barrier.choices) or "None recorded"),
        (
            "Preferences",
            "; ".join(
                filter(
                    None,
                    [
                        _label(person.prefers_delivery, DeliveryPreference.choices, ""),
                        _label(person.prefers_format, FormatPreference.choices, ""),
                        _label(person.prefers_cost, CostPreference.choices, "")
                        if person.prefers_cost
                        else "",
                        f"up to {person.max_travel_km} km"
                        if person.max_travel_km is not None
                        else "",
                        _labels(person.preferred_days, Weekday.choices),
                        _labels(person.preferred_times, TimeOfDay.choices),
                    ],
                )
            )
            or "None recorded",
        ),
        (
            "Accessibility needs",
            _labels(person.accessibility_needs, Accessibility.choices) or "None recorded",
        ),
    ]


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%-d %B %Y at %H:%M")


def consents(
    person: ServiceUser, names: dict[int, str], *, withdrawn: dict[str, datetime] | None = None
) -> list[dict]:
    withdrawn = withdrawn or {}
    rows = []
    for consent in Consent:
        at = getattr(person, f"consent_{consent}_at")
        by_id = getattr(person, f"consent_{consent}_by_id")
        if at is not None:
            by = "a former user" if by_id is None else names[by_id]
            state = f"Given, recorded by {by} on {_when(at)}"
        elif by_id is not None:
            state = f"Withdrawn, recorded by {names[by_id]}"
            if consent in withdrawn:
                state += f" on {_when(withdrawn[consent])}"
        else:
            state = "Not recorded"
        rows.append(
            {
                "consent": consent.value,
                "label": CONSENT_LABELS[consent],
                "given": at is not None,
                "state": state,
            }
        )
    return rows


def screening_summary(screening: Screening, names: dict[int, str] | None = None) -> dict:
    """`names`: the users it names, by id (the record's selectors.record_user_names), else
    each is read."""

    def name(user_id, user_field: str) -> str:
        return names[user_id] if names is not None else str(getattr(screening, user_field))

    yes = [PARQ_WORDING[q][0] for q, answer in sorted(screening.answers.items()) if answer]
    resolution = ""
    if screening.resolution:
        resolution = (
            f"{screening.get_resolution_display()}, recorded by "
            f"{name(screening.resolved_by_id, 'resolved_by')} on {_when(screening.resolved_at)}"
        )
    return {
        "screening": screening,
        "when": _when(screening.taken_at),
        "by": name(screening.recorded_by_id, "recorded_by"),
        "outcome": screening.get_outcome_display(),
        "outcome_css": "nhsuk-tag--green"
        if screening.outcome == Screening.Outcome.CLEAR
        else "nhsuk-tag--orange",
        "yes_answers": yes,
        "needs_resolution": screening.needs_resolution,
        "resolution": resolution,
    }


def _event_text(event: dict) -> str:
    # A user as str(user) writes them: their name, else their email.
    if event["actor_id"]:
        who = event["actor__full_name"] or event["actor__email"]
    else:
        who = event["system_actor"]
    move = S(event["to_status"]).label
    text = f"{move} by {who}" if who else move
    return f"{text}: {event['note']}" if event["note"] else text


def _attendance_text(attendance: dict) -> str:
    text = f"Session: {label(Attendance, 'status', attendance['status']).lower()}"
    if attendance["source"] == Attendance.SOURCE_SELF_REPORTED:
        return f"{text} (self-reported by message)"
    return text


def referral_timeline(referral: dict) -> dict:
    """A referral of selectors.referrals_for_record as its card: its history newest first."""
    events = referral["events"]  # newest first
    entries = [{"at": e["at"], "when": _when(e["at"]), "text": _event_text(e)} for e in events]
    for attendance in referral["attendances"]:
        session_date = attendance["session_date"]
        entries.append(
            {
                "at": timezone.make_aware(datetime.combine(session_date, datetime.min.time())),
                "when": session_date.strftime("%-d %B %Y"),
                "text": _attendance_text(attendance),
            }
        )
    entries.sort(key=lambda entry: entry["at"], reverse=True)
    return {
        "referral": referral,
        "title": f"{label(Referral, 'kind', referral['kind'])}: {referral['activity__name']}",
        "provider": referral["activity__provider__name"],
        "status": status_tag(referral["status"]),
        "sent": days_text(days_since(referral["sent_at"])),
        "last_event": _event_text(events[0]) if events else "",
        "entries": entries,
    }


# The record's sections, in page order, for its "On this page" list.
RECORD_SECTIONS = [
    ("referrals", "Referrals"),
    ("shortlist", "Shortlist"),
    ("outcomes", "Outcomes"),
    ("being-active", "Being active"),
    ("messages", "Messages"),
    ("consent", "Consent"),
    ("screening", "PAR-Q+ health screening"),
    ("details", "Details"),
]

NEXT_STEP = {
    S.DRAFT: "Send the referral to {activity}",
    S.SENT: "Wait for {provider} to answer about {activity}",
    S.ACCEPTED: "Their first session at {activity}",
    S.ATTENDING: "Ask how {activity} is going",
    S.SIGNPOSTED: "Ask whether they went to {activity}",
}


def record_summary(timeline: list[dict], attention: list[str]) -> dict:
    """The record's first lines: the newest thing that happened and what comes next (what
    needs attention first, else the newest open referral's next step)."""
    newest = None
    for item in timeline:
        if item["entries"] and (newest is None or item["entries"][0]["at"] > newest[1]["at"]):
            newest = (item, item["entries"][0])
    last_event = ""
    if newest is not None:
        item, entry = newest
        last_event = f"{entry['text']} ({item['title']}), {entry['when']}"
    next_step = attention[0] if attention else ""
    for item in timeline:
        if next_step:
            break
        referral = item["referral"]
        if referral["status"] in NEXT_STEP:
            next_step = NEXT_STEP[referral["status"]].format(
                activity=referral["activity__name"], provider=item["provider"]
            )
    return {
        "last_event": last_event or "Nothing yet",
        "next_step": next_step or "Find an activity with them",
    }
