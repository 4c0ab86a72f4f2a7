"""Files as the clinical record systems write them, for the measures import tests."""

import csv
import io
import json

from outcomes.measures_import import layouts
from outcomes.measures_import.fhir_reading import ITEM_CODES, NHS_NUMBER_SYSTEM, TOTAL_CODES

GRACE = "9434765919"  # open episode from 5 January 2026, assigned to the cast's clinician
ALAN = "4000000101"  # episode 5 January to 2 February 2026
NOBODY = "4000000128"  # valid, but nobody in the service has it
ANSWER_CODES = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"]


def csv_bytes(layout: dict[str, str], rows: list[dict]) -> bytes:
    """A CSV with the layout's column names; each row maps our field names to cells, and a
    `phq9`/`gad7` list fills the items."""
    fields = list(layout)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([layout[f] for f in fields])
    for row in rows:
        cells = dict(row)
        for kind, count in (("phq9", 9), ("gad7", 7)):
            for n, value in enumerate(cells.pop(kind, None) or [""] * count, start=1):
                cells.setdefault(f"{kind}_{n}", value)
        writer.writerow([cells.get(f, "") for f in fields])
    return out.getvalue().encode()


def iaptus(rows) -> bytes:
    return csv_bytes(layouts.IAPTUS, rows)


def pcmis(rows) -> bytes:
    return csv_bytes(layouts.PCMIS, rows)


def row(nhs=GRACE, on="01/03/2026", phq9=None, gad7=None, **cells) -> dict:
    return {"nhs_number": nhs, "taken_on": on, "phq9": phq9, "gad7": gad7, **cells}


def questionnaire_response(
    kind="phq9",
    answers=(1, 1, 1, 1, 1, 1, 1, 1, 0),
    *,
    nhs=GRACE,
    authored="2026-03-01T10:00:00+00:00",
    total=None,
    subject=None,
    status="completed",
    coded=True,
) -> dict:
    """A QuestionnaireResponse with LOINC item linkIds; answers as LOINC answer codes
    (`coded`) or integers; `total` adds the stated total item."""
    panel = {"phq9": "44249-1", "gad7": "69737-5"}[kind]
    items = [
        {
            "linkId": f"/{code}",
            "answer": [
                {"valueCoding": {"system": "http://loinc.org", "code": ANSWER_CODES[value]}}
                if coded
                else {"valueInteger": value}
            ],
        }
        for code, value in zip(ITEM_CODES[kind], answers, strict=False)
    ]
    if total is not None:
        items.append({"linkId": TOTAL_CODES[kind], "answer": [{"valueInteger": total}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "status": status,
        "questionnaire": f"http://loinc.org/q/{panel}",
        "authored": authored,
        "subject": subject or {"identifier": {"system": NHS_NUMBER_SYSTEM, "value": nhs}},
        "item": items,
    }


def bundle(*responses, patients=()) -> dict:
    entries = [
        {
            "fullUrl": f"urn:uuid:patient-{n}",
            "resource": {
                "resourceType": "Patient",
                "identifier": [{"system": NHS_NUMBER_SYSTEM, "value": number}],
            },
        }
        for n, number in enumerate(patients, start=1)
    ]
    entries += [{"resource": response} for response in responses]
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def as_json(resource: dict) -> bytes:
    return json.dumps(resource).encode()
