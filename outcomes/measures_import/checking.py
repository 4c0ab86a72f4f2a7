"""Every check a record must pass before it is applied, for one service, writing nothing.

Row errors: NHS number not valid or not known to the service, date missing, unreadable or in
the future, no episode covering the date, an item missing or outside 0-3, a stated total
that disagrees with the items (both totals named: the items are what counts), and the same
person, questionnaire and date twice in the file or already recorded. The service checks
duplicates and ranges again when it stores a measure; checking first lets a whole file be
reported before anything is written.
"""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from outcomes.measures_import.records import (
    ITEM_COUNTS,
    NAMES,
    Checked,
    MeasureRecord,
    RowError,
    ValidRecord,
)
from outcomes.models import Episode, Measure
from referrals.models import ServiceUser
from referrals.validators import clean_nhs_number, validate_nhs_number
from talkingmoves.accounts.models import Organisation

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
HIGHEST_ANSWER = 3


def parse_date(text: str) -> date | None:
    day = text.strip().replace("T", " ").split(" ", 1)[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(day, pattern).date()
        except ValueError:
            continue
    return None


def _whole_number(text: str) -> int | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else None


def _answers(record: MeasureRecord, errors: list[RowError]) -> list[int] | None:
    name = NAMES[record.kind]
    missing = [n for n, cell in enumerate(record.items, start=1) if not cell.strip()]
    if len(record.items) != ITEM_COUNTS[record.kind] or missing:
        which = ", ".join(map(str, missing)) or "some"
        errors.append(
            RowError(
                record.row,
                name,
                f"Answers missing for question {which}. Each answer is needed; a total "
                "alone cannot be imported",
            )
        )
        return None
    answers, bad = [], False
    for n, cell in enumerate(record.items, start=1):
        value = _whole_number(cell)
        if value is None or not 0 <= value <= HIGHEST_ANSWER:
            errors.append(RowError(record.row, name, f"Answer to question {n} must be from 0 to 3"))
            bad = True
        answers.append(value or 0)
    if bad:
        return None
    total = sum(answers)
    if record.stated_total.strip():
        stated = _whole_number(record.stated_total)
        if stated is None:
            errors.append(RowError(record.row, name, "Total must be a whole number"))
            return None
        if stated != total:
            errors.append(
                RowError(
                    record.row,
                    name,
                    f"Stated total {stated} does not match the answers, which add up to "
                    f"{total}. Nothing is imported from a total that disagrees",
                )
            )
            return None
    return answers


def _row_basics(record: MeasureRecord, today: date, errors: list[RowError]):
    number, taken_on = clean_nhs_number(record.nhs_number), None
    try:
        validate_nhs_number(number)
    except ValidationError as error:
        errors.append(RowError(record.row, "", error.messages[0]))
        number = ""
    if not record.taken_on.strip():
        errors.append(RowError(record.row, "", "Enter the date the questionnaire was completed"))
    else:
        taken_on = parse_date(record.taken_on)
        if taken_on is None:
            errors.append(RowError(record.row, "", "Date must be a real date, like 31/01/2026"))
        elif taken_on > today:
            errors.append(RowError(record.row, "", "Date must be today or in the past"))
            taken_on = None
    return number, taken_on


def _where(row: str) -> str:
    return f"row {row}" if row[:1].isdigit() else row


def _covering_episode(episodes: list[Episode], day: date) -> Episode | None:
    covering = [
        e
        for e in episodes
        if e.referral_received_on <= day and (e.ended_on is None or day <= e.ended_on)
    ]
    return max(covering, key=lambda e: e.referral_received_on, default=None)


def check_records(
    records: Iterable[MeasureRecord], *, service: Organisation, found: Iterable[RowError] = ()
) -> Checked:
    """Match each record to the service's service users and episodes and list every error.
    `found` are errors reading already found (they count against the file too)."""
    records = list(records)
    today = timezone.localdate()
    checked = Checked(errors=list(found))
    reported = set(checked.errors)
    prepared = []
    for record in records:
        errors: list[RowError] = []
        number, taken_on = _row_basics(record, today, errors)
        answers = _answers(record, errors) if record.kind in NAMES else None
        if record.kind not in NAMES:
            errors.append(RowError(record.row, "", "Only PHQ-9 and GAD-7 can be imported"))
        prepared.append((record, number, taken_on, answers, errors))

    numbers = {number for _, number, *_ in prepared if number}
    people = {
        p.nhs_number: p
        for p in ServiceUser.objects.filter(
            service=service, nhs_number__in=numbers, erased_at__isnull=True
        )
    }
    episodes: dict[int, list[Episode]] = {}
    for found_episode in Episode.objects.filter(service_user__in=people.values()):
        episodes.setdefault(found_episode.service_user_id, []).append(found_episode)
    dates = {taken_on for _, _, taken_on, *_ in prepared if taken_on}
    stored = set(
        Measure.objects.filter(
            episode__service_user__in=people.values(),
            kind__in=list(NAMES),
            taken_on__in=dates,
        ).values_list("episode__service_user_id", "kind", "taken_on")
    )

    # The same person, questionnaire and date twice in one file: which is right is not
    # known, so every copy is refused.
    rows_by_key: dict[tuple, list[str]] = {}
    for record, number, taken_on, *_ in prepared:
        if number in people and taken_on is not None:
            key = (people[number].pk, record.kind, taken_on)
            rows_by_key.setdefault(key, []).append(record.row)

    for record, number, taken_on, answers, errors in prepared:
        person = people.get(number) if number else None
        if number and person is None:
            errors.append(
                RowError(record.row, "", "No service user of this service has this NHS number")
            )
        episode: Episode | None = None
        if person is not None and taken_on is not None:
            episode = _covering_episode(episodes.get(person.pk, []), taken_on)
            if episode is None:
                errors.append(
                    RowError(
                        record.row,
                        "",
                        f"No episode of care covers {taken_on:%-d %B %Y}. Open or reopen "
                        "the episode first",
                    )
                )
            key = (person.pk, record.kind, taken_on)
            name = NAMES.get(record.kind, "")
            if key in stored:
                errors.append(
                    RowError(record.row, name, f"Already recorded for {taken_on:%-d %B %Y}")
                )
            others = [row for row in rows_by_key.get(key, []) if row != record.row]
            if others:
                errors.append(
                    RowError(
                        record.row,
                        name,
                        "The same person, questionnaire and date is also in "
                        + ", ".join(_where(row) for row in others),
                    )
                )
        for error in errors:
            if error not in reported:  # a row's NHS number is wrong once, not twice
                reported.add(error)
                checked.errors.append(error)
        if not errors and episode is not None and answers is not None and taken_on is not None:
            checked.valid.append(ValidRecord(record, episode.pk, taken_on, answers))
    return checked
