"""manage.py import_measures: the service by ODS code or name, --dry-run, --by,
--apply-valid-rows and --map."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from outcomes.models import Measure, RiskFlag
from tests.outcomes.measures_import.support import (
    ALAN,
    as_json,
    iaptus,
    pcmis,
    questionnaire_response,
    row,
)

PHQ9 = ["1"] * 8 + ["1"]


@pytest.fixture
def ods_service(service):
    service.ods_code = "RXX01"
    service.save()
    return service


def run(tmp_path, data, *args, name="scores.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = StringIO()
    call_command("import_measures", str(path), *args, stdout=out)
    return out.getvalue()


def test_imports_a_pcmis_export_by_ods_code(tmp_path, ods_service, lead, grace_episode, duty):
    out = run(
        tmp_path, pcmis([row(phq9=PHQ9, gad7=["0"] * 7)]), "--service", "rxx01", "--by", lead.email
    )
    assert "scores.csv (PCMIS): 2 questionnaires ready, 0 rows with errors" in out
    assert "Imported 2 questionnaires; 1 raised a risk flag" in out
    assert Measure.objects.filter(source="imported", recorded_by=lead).count() == 2
    assert RiskFlag.objects.get().alerts.count() == 2


def test_dry_run_checks_and_writes_nothing(tmp_path, service, grace_episode, alan_episode):
    data = iaptus([row(phq9=PHQ9), row(nhs=ALAN, on="03/02/2026", gad7=["1"] * 7)])
    out = run(tmp_path, data, "--service", service.name, "--dry-run")
    assert "(iaptus): 1 questionnaire ready, 1 row with errors" in out
    assert "Row 3: No episode of care covers 3 February 2026" in out
    assert "Dry run: nothing imported" in out
    assert not Measure.objects.exists()


def test_a_file_with_errors_imports_nothing_unless_valid_rows_are_chosen(
    tmp_path, service, lead, grace_episode, alan_episode, duty
):
    data = iaptus([row(phq9=PHQ9), row(nhs=ALAN, on="03/02/2026", gad7=["1"] * 7)])
    with pytest.raises(CommandError, match=r"Nothing imported: 1 error\. Fix"):
        run(tmp_path, data, "--service", service.name, "--by", lead.email)
    assert not Measure.objects.exists()
    out = run(tmp_path, data, "--service", service.name, "--by", lead.email, "--apply-valid-rows")
    assert "Imported 1 questionnaire;" in out
    assert Measure.objects.count() == 1


def test_a_fhir_phq9_whose_total_disagrees_is_reported(tmp_path, service, lead, grace_episode):
    resource = questionnaire_response(answers=(2,) * 9, total=9)
    with pytest.raises(CommandError, match="Nothing imported"):
        run(
            tmp_path,
            as_json(resource),
            "--service",
            service.name,
            "--by",
            lead.email,
            name="q.json",
        )
    out = run(tmp_path, as_json(resource), "--service", service.name, "--dry-run", name="q.json")
    assert "Row 1, PHQ-9: Stated total 9 does not match the answers, which add up to 18" in out


def test_other_layouts_with_map(tmp_path, service, lead, grace_episode, duty):
    data = b"Patient,Seen,Score\n9434765919,01/03/2026,5\n"
    with pytest.raises(CommandError, match=r"Choose which column holds what.*Patient, Seen, Score"):
        run(tmp_path, data, "--service", service.name, "--dry-run")
    out = run(
        tmp_path,
        data,
        "--service",
        service.name,
        "--dry-run",
        "--map",
        "nhs_number=Patient",
        "--map",
        "taken_on=Seen",
        "--map",
        "phq9_total=Score",
    )
    assert "(your column mapping)" in out and "Answers missing for question 1" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--service", "Nowhere"], "No single Talking Therapies service"),
        (["--service", "Riverside NHS Talking Therapies"], "Give --by EMAIL"),
        (["--service", "Riverside NHS Talking Therapies", "--by", "x@example.org"], "No active"),
        (["--service", "Riverside NHS Talking Therapies", "--dry-run", "--map", "bad"], "--map"),
    ],
)
def test_bad_arguments(tmp_path, service, lead, args, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, iaptus([row(phq9=PHQ9)]), *args)


def test_a_member_of_another_service_cannot_import(tmp_path, service, other_clinician):
    with pytest.raises(CommandError, match="No active member"):
        run(
            tmp_path,
            iaptus([row(phq9=PHQ9)]),
            "--service",
            service.name,
            "--by",
            other_clinician.email,
        )


def test_unusable_file(tmp_path, service):
    with pytest.raises(CommandError, match="The selected file is empty"):
        run(tmp_path, b"", "--service", service.name, "--dry-run")
    with pytest.raises(CommandError, match="No file at"):
        call_command(
            "import_measures", str(tmp_path / "missing.csv"), "--service", service.name, "--dry-run"
        )
