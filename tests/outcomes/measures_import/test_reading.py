"""Reading: iaptus and PCMIS CSV exports, a mapped layout, and FHIR R4 QuestionnaireResponses
alone or in a Bundle, each to one record per questionnaire; files that cannot be used."""

import pytest

from outcomes.measures_import import ImportFileError, UnknownLayout, read_upload
from tests.outcomes.measures_import.support import (
    ALAN,
    GRACE,
    as_json,
    bundle,
    iaptus,
    pcmis,
    questionnaire_response,
    row,
)

PHQ9 = ["1", "2", "0", "1", "3", "0", "1", "2", "1"]
GAD7 = ["2", "2", "1", "0", "1", "3", "0"]


@pytest.mark.parametrize("export", [iaptus, pcmis])
def test_known_csv_layouts_give_a_record_per_questionnaire(export):
    data = export(
        [
            row(nhs="943 476 5919", on="01/02/2026", phq9=PHQ9, gad7=GAD7, phq9_total="11"),
            row(nhs=ALAN, on="2026-02-01", gad7=GAD7),
        ]
    )
    read = read_upload(data, filename="scores.csv")
    assert read.layout == export.__name__
    assert [(r.row, r.kind, r.nhs_number) for r in read.records] == [
        ("2", "phq9", "943 476 5919"),
        ("2", "gad7", "943 476 5919"),
        ("3", "gad7", ALAN),
    ]
    first = read.records[0]
    assert first.items == PHQ9 and first.stated_total == "11" and first.taken_on == "01/02/2026"
    assert read.records[1].stated_total == ""


def test_totals_only_are_read_with_blank_items_for_checking_to_refuse():
    read = read_upload(iaptus([row(phq9_total="14")]), filename="scores.csv")
    [record] = read.records
    assert record.items == [""] * 9 and record.stated_total == "14"


def test_a_row_without_scores_is_a_row_error():
    read = read_upload(iaptus([row(), row(phq9=PHQ9)]), filename="scores.csv")
    assert [str(e) for e in read.errors] == ["Row 2: Row has no PHQ-9 or GAD-7 answers"]
    assert len(read.records) == 1


def test_other_layouts_need_a_column_mapping():
    data = b"Patient NHS,When,D1,D2,D3,D4,D5,D6,D7,D8,D9\n9434765919,01/02/2026,1,1,1,1,1,1,1,1,1\n"
    with pytest.raises(UnknownLayout) as unknown:
        read_upload(data, filename="other.csv")
    assert unknown.value.headers[:2] == ["Patient NHS", "When"]
    mapping = {"nhs_number": "Patient NHS", "taken_on": "when"}
    mapping |= {f"phq9_{n}": f"D{n}" for n in range(1, 10)}
    read = read_upload(data, filename="other.csv", mapping=mapping)
    assert read.layout == "mapped"
    [record] = read.records
    assert (record.nhs_number, record.items) == (GRACE, ["1"] * 9)


def test_a_mapping_naming_a_missing_column_is_refused():
    data = b"Patient NHS,When,D1\n9434765919,01/02/2026,1\n"
    with pytest.raises(ImportFileError, match="no column called Score"):
        read_upload(
            data,
            filename="other.csv",
            mapping={"nhs_number": "Patient NHS", "taken_on": "When", "phq9_total": "Score"},
        )


def test_fhir_questionnaire_response_with_coded_answers_and_stated_total():
    resource = questionnaire_response(answers=(0, 1, 2, 3, 0, 1, 2, 3, 1), total=13)
    read = read_upload(as_json(resource), filename="phq9.json")
    assert read.layout == "fhir"
    [record] = read.records
    assert record.kind == "phq9" and record.nhs_number == GRACE
    assert record.items == ["0", "1", "2", "3", "0", "1", "2", "3", "1"]
    assert record.stated_total == "13" and record.taken_on == "2026-03-01"


def test_fhir_gad7_with_integer_answers_and_the_date_in_london():
    resource = questionnaire_response(
        "gad7", (1, 1, 1, 1, 1, 1, 1), coded=False, authored="2025-07-01T23:30:00+00:00"
    )
    [record] = read_upload(as_json(resource), filename="gad7.json").records
    assert record.kind == "gad7" and record.items == ["1"] * 7
    assert record.taken_on == "2025-07-02"  # 00:30 British Summer Time


def test_fhir_bundle_finds_the_nhs_number_on_the_referenced_patient():
    by_reference = questionnaire_response(subject={"reference": "urn:uuid:patient-1"})
    read = read_upload(
        as_json(
            bundle(
                by_reference,
                questionnaire_response("gad7", (0,) * 7, nhs=ALAN),
                {"resourceType": "QuestionnaireResponse"},  # no status: not valid
                questionnaire_response(status="in-progress"),
                patients=[GRACE],
            )
        ),
        filename="bundle.json",
    )
    assert [(r.row, r.kind, r.nhs_number) for r in read.records] == [
        ("entry 2", "phq9", GRACE),
        ("entry 3", "gad7", ALAN),
    ]
    assert [str(e) for e in read.errors] == [
        "Entry 4: Not a valid FHIR R4 QuestionnaireResponse",
        "Entry 5: The questionnaire is in-progress, not completed",
    ]


def test_fhir_response_to_another_questionnaire_is_a_row_error():
    resource = questionnaire_response()
    resource["questionnaire"] = "http://example.org/Questionnaire/wsas"
    resource["item"] = [{"linkId": "q1", "answer": [{"valueInteger": 1}]}]
    read = read_upload(as_json(resource), filename="wsas.json")
    assert not read.records
    assert "Not a PHQ-9 (LOINC 44249-1) or GAD-7" in str(read.errors[0])


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "scores.csv", "The selected file is empty"),
        (b"   \n", "scores.csv", "The selected file is empty"),
        (b"PK\x03\x04rest", "scores.csv", "must be a CSV or a FHIR JSON file"),
        (b"anything", "scores.xlsx", "must be a CSV or a FHIR JSON file"),
        (b"anything", "notes.pdf", "must be a CSV or a FHIR JSON file"),
        ("NHS Number".encode("utf-16-le"), "scores.csv", "CSV UTF-8"),
        (b"\xff\xfe\xfa", "scores.csv", "CSV UTF-8"),
        (b"NHS Number;Appointment Date\n", "scores.csv", "separated by commas"),
        (b"NHS Number,Appointment Date,PHQ9 Total\n", "scores.csv", "no rows"),
        (b"{not json", "scores.json", "not valid JSON"),
        (b'{"resourceType": "Patient"}', "p.json", "QuestionnaireResponse or a Bundle"),
        (b'{"resourceType": "Bundle", "type": "collection"}', "b.json", "no Questionnaire"),
    ],
)
def test_files_that_cannot_be_used(data, filename, message):
    with pytest.raises(ImportFileError, match=message):
        read_upload(data, filename=filename)


def test_fhir_items_with_their_own_link_ids_are_found_by_definition():
    resource = questionnaire_response("gad7", (2, 2, 2, 2, 2, 2, 2), total=14)
    for n, item in enumerate(resource["item"], start=1):
        item["definition"] = "http://loinc.org#" + item["linkId"].lstrip("/")
        item["linkId"] = f"q{n}"
    [record] = read_upload(as_json(resource), filename="gad7.json").records
    assert record.items == ["2"] * 7 and record.stated_total == "14"
