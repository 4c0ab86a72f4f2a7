"""FHIR R4 QuestionnaireResponse resources, alone or in a Bundle, read with fhir.resources.

fhir.resources 8 provides R5 at its top level and R4B in `fhir.resources.R4B`; R4B did not
change QuestionnaireResponse or Bundle from R4, so R4 resources validate against it. Each
Bundle entry is validated on its own, so one bad entry is a row error, not a lost file.
"""

import json
from datetime import date, datetime

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from outcomes.measures_import.csv_reading import Read
from outcomes.measures_import.records import (
    GAD7,
    PHQ9,
    ImportFileError,
    MeasureRecord,
    RowError,
)

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
# LOINC panels and their item codes in questionnaire order, then the total score's code.
PANELS = {
    PHQ9: "44249-1",
    GAD7: "69737-5",
}
ITEM_CODES = {
    PHQ9: [
        "44250-9",  # little interest or pleasure in doing things
        "44255-8",  # feeling down, depressed, or hopeless
        "44259-0",  # trouble falling or staying asleep, or sleeping too much
        "44254-1",  # feeling tired or having little energy
        "44251-7",  # poor appetite or overeating
        "44258-2",  # feeling bad about yourself
        "44252-5",  # trouble concentrating
        "44253-3",  # moving or speaking slowly, or fidgety
        "44260-8",  # thoughts that you would be better off dead (item 9)
    ],
    GAD7: [
        "69725-0",  # feeling nervous, anxious, or on edge
        "68509-9",  # not being able to stop or control worrying
        "69733-4",  # worrying too much about different things
        "69734-2",  # trouble relaxing
        "69735-9",  # being so restless that it is hard to sit still
        "69689-8",  # becoming easily annoyed or irritable
        "69736-7",  # feeling afraid as if something awful might happen
    ],
}
TOTAL_CODES = {PHQ9: "44261-6", GAD7: "70274-6"}
# LOINC answer list LL358-3: not at all, several days, more than half the days, nearly every day.
ANSWER_CODES = {"LA6568-5": 0, "LA6569-3": 1, "LA6570-1": 2, "LA6571-9": 3}
ORDINAL_EXTENSIONS = {
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/itemWeight",
}
ACCEPTED_STATUSES = {"completed", "amended"}


def looks_like_json(text: str) -> bool:
    return text.lstrip().startswith("{")


def read_fhir(text: str) -> Read:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ImportFileError("The file is not valid JSON") from None
    kind = data.get("resourceType") if isinstance(data, dict) else None
    if kind == "QuestionnaireResponse":
        resources, patients = [("1", data)], {}
    elif kind == "Bundle":
        resources, patients = _bundle_entries(data)
    else:
        raise ImportFileError("The file must be a FHIR QuestionnaireResponse or a Bundle of them")
    read = Read(layout="fhir", records=[])
    for label, resource in resources:
        try:
            response = QuestionnaireResponse.model_validate(resource)
        except ValidationError:
            read.errors.append(RowError(label, "", "Not a valid FHIR R4 QuestionnaireResponse"))
            continue
        record, problem = _record(label, response, patients)
        if problem:
            read.errors.append(RowError(label, "", problem))
        elif record:
            read.records.append(record)
    if not read.records and not read.errors:
        raise ImportFileError("The Bundle has no QuestionnaireResponse in it")
    return read


def _bundle_entries(data: dict):
    try:
        bundle = Bundle.model_validate({**data, "entry": []})
    except ValidationError:
        raise ImportFileError("The file is not a valid FHIR R4 Bundle") from None
    del bundle  # validated for its own fields; entries are checked one by one below
    resources, patients = [], {}
    for n, entry in enumerate(data.get("entry") or [], start=1):
        resource = (entry or {}).get("resource") or {}
        if resource.get("resourceType") == "QuestionnaireResponse":
            resources.append((f"entry {n}", resource))
        elif resource.get("resourceType") == "Patient":
            try:
                patient = Patient.model_validate(resource)
            except ValidationError:
                continue
            number = _nhs_number(patient.identifier or [])
            for key in (entry.get("fullUrl"), f"Patient/{patient.id}" if patient.id else None):
                if key:
                    patients[key] = number
    return resources, patients


def _nhs_number(identifiers) -> str:
    for identifier in identifiers:
        if identifier and identifier.system == NHS_NUMBER_SYSTEM and identifier.value:
            return identifier.value
    return ""


def _code(link: str | None) -> str:
    """ "/44250-9", "http://loinc.org/44250-9" and "44250-9" name the same item."""
    return (link or "").rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


KNOWN_CODES = {code for codes in ITEM_CODES.values() for code in codes} | set(TOTAL_CODES.values())


def _item_code(item) -> str:
    """The LOINC code an item answers: its linkId, or else its definition (an item of a
    questionnaire whose linkIds are its own, like "q1", may point at the LOINC code there)."""
    code = _code(item.linkId)
    if code not in KNOWN_CODES and item.definition:
        return _code(item.definition)
    return code


def _walk(items):
    for item in items or []:
        yield item
        yield from _walk(item.item)
        for answer in item.answer or []:
            yield from _walk(answer.item)


def _answer_text(item) -> str:
    for answer in item.answer or []:
        if answer.valueInteger is not None:
            return str(answer.valueInteger)
        if answer.valueDecimal is not None:
            return str(answer.valueDecimal)
        if answer.valueQuantity is not None and answer.valueQuantity.value is not None:
            return str(answer.valueQuantity.value)
        coding = answer.valueCoding
        if coding is not None:
            if coding.code in ANSWER_CODES:
                return str(ANSWER_CODES[coding.code])
            for extension in coding.extension or []:
                if extension.url in ORDINAL_EXTENSIONS and extension.valueDecimal is not None:
                    return str(extension.valueDecimal)
            return coding.code or ""
        if answer.valueString is not None:
            return answer.valueString
    return ""


def _kind(response: QuestionnaireResponse, codes: set[str]) -> str | None:
    canonical = response.questionnaire or ""
    for kind, panel in PANELS.items():
        if panel in canonical:
            return kind
    for kind, item_codes in ITEM_CODES.items():
        if codes & {*item_codes, TOTAL_CODES[kind]}:
            return kind
    return None


def _taken_on(response: QuestionnaireResponse) -> str:
    authored = response.authored
    if isinstance(authored, datetime):
        local = timezone.localtime(authored) if timezone.is_aware(authored) else authored
        return local.date().isoformat()
    if isinstance(authored, date):
        return authored.isoformat()
    return str(authored or "")


def _subject_nhs_number(response: QuestionnaireResponse, patients: dict) -> str:
    subject = response.subject
    if subject is None:
        return ""
    if subject.identifier is not None and subject.identifier.system == NHS_NUMBER_SYSTEM:
        return subject.identifier.value or ""
    return patients.get(subject.reference or "", "")


def _record(label: str, response: QuestionnaireResponse, patients: dict):
    if response.status not in ACCEPTED_STATUSES:
        return None, f"The questionnaire is {response.status}, not completed"
    answers = {_item_code(item): _answer_text(item) for item in _walk(response.item)}
    kind = _kind(response, set(answers))
    if kind is None:
        return None, "Not a PHQ-9 (LOINC 44249-1) or GAD-7 (LOINC 69737-5) questionnaire"
    nhs_number = _subject_nhs_number(response, patients)
    if not nhs_number:
        return None, "The questionnaire's subject has no NHS number"
    items = [answers.get(code, "") for code in ITEM_CODES[kind]]
    return (
        MeasureRecord(
            row=label,
            kind=kind,
            nhs_number=nhs_number,
            taken_on=_taken_on(response),
            items=items,
            stated_total=answers.get(TOTAL_CODES[kind], ""),
        ),
        "",
    )
