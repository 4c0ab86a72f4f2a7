"""Applying: valid records go through the one measure service (outcomes.services), so an
imported PHQ-9 with item 9 above 0 raises the risk flag and alerts the assigned clinician and
the duty contact; a file with errors applies nothing unless its valid rows are chosen."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from outcomes.measures_import import read_upload
from outcomes.measures_import.applying import apply_checked, records_import
from outcomes.measures_import.checking import check_records
from outcomes.models import Measure, RiskAlert, RiskFlag
from talkingmoves.audit.models import AccessLog
from tests.outcomes.factories import measure, phq9_items
from tests.outcomes.measures_import.conftest import DUTY
from tests.outcomes.measures_import.support import (
    ALAN,
    as_json,
    bundle,
    iaptus,
    questionnaire_response,
    row,
)
from tests.outcomes.risk_alert_support import deliver_all, emails_to, recipients

R = RiskAlert.Reason
PHQ9_FLAGGED = ["1", "1", "1", "1", "1", "1", "1", "1", "2"]


def checked_file(service, data, filename="scores.csv"):
    read = read_upload(data, filename=filename)
    return check_records(read.records, service=service, found=read.errors)


def test_an_imported_phq9_with_item_9_alerts_the_assigned_clinician_and_duty_contact(
    service, lead, clinician, grace, grace_episode, duty
):
    checked = checked_file(service, iaptus([row(phq9=PHQ9_FLAGGED, gad7=["0"] * 7)]))
    applied = apply_checked(checked, by=lead)
    assert (applied.measures, applied.risk_flags, applied.refused) == (2, 1, False)
    phq9 = Measure.objects.get(kind="phq9")
    assert (phq9.source, phq9.recorded_by, phq9.item_9, phq9.total) == ("imported", lead, 2, 10)
    flag = RiskFlag.objects.get()
    assert flag.measure == phq9 and flag.service_user == grace
    assert recipients(flag) == {
        (clinician.pk, "", R.ASSIGNED_CLINICIAN),
        (None, DUTY, R.DUTY_CONTACT),
    }
    assert set(deliver_all().values()) == {"sent"}
    for address in (clinician.email, DUTY):
        [message] = emails_to(address)
        assert message.personalisation["subject"] == "A questionnaire needs your review"
        assert grace.family_name not in message.personalisation["body"]


def test_a_fhir_bundle_imports_and_recomputes_the_episode(service, lead, grace_episode, duty):
    first = questionnaire_response(answers=(3, 3, 3, 3, 3, 0, 0, 0, 0), total=15)
    first["authored"] = "2026-01-05"
    last = questionnaire_response(answers=(1, 1, 1, 0, 0, 0, 0, 0, 0), total=3)
    checked = checked_file(service, as_json(bundle(first, last)), "bundle.json")
    applied = apply_checked(checked, by=lead)
    assert (applied.measures, applied.risk_flags) == (2, 0)
    grace_episode.refresh_from_db()
    assert grace_episode.first_phq9 == 15 and grace_episode.last_phq9 == 3


def test_a_file_with_errors_applies_nothing(service, lead, grace_episode, alan_episode, duty):
    data = iaptus([row(phq9=["1"] * 9), row(nhs=ALAN, on="03/02/2026", phq9=["1"] * 9)])
    applied = apply_checked(checked_file(service, data), by=lead)
    assert applied.refused and applied.measures == 0
    assert [e.row for e in applied.errors] == ["3"]
    assert not Measure.objects.exists()


def test_the_valid_rows_only_when_chosen(service, lead, grace_episode, alan_episode, duty):
    data = iaptus([row(phq9=PHQ9_FLAGGED), row(nhs=ALAN, on="03/02/2026", phq9=["1"] * 9)])
    applied = apply_checked(checked_file(service, data), by=lead, apply_valid_rows=True)
    assert (applied.measures, applied.risk_flags, applied.refused) == (1, 1, False)
    assert [e.row for e in applied.errors] == ["3"]
    assert Measure.objects.get().episode == grace_episode


def test_recorded_since_the_check_refuses_the_whole_file(service, lead, grace_episode, duty):
    checked = checked_file(
        service, iaptus([row(on="28/02/2026", phq9=["1"] * 9), row(gad7=["1"] * 7)])
    )
    measure(grace_episode, "phq9", phq9_items(5), on=date(2026, 2, 28))
    applied = apply_checked(checked, by=lead)
    assert applied.refused
    assert [str(e) for e in applied.errors] == [
        "Row 2, PHQ-9: PHQ-9 is already recorded for 28 February 2026. Check the date, or "
        "replace the answers recorded for that date"
    ]
    assert Measure.objects.count() == 1  # the GAD-7 was rolled back with it


def test_recorded_since_the_check_with_valid_rows_chosen(service, lead, grace_episode, duty):
    data = iaptus([row(on="28/02/2026", phq9=["1"] * 9), row(gad7=["1"] * 7)])
    checked = checked_file(service, data)
    measure(grace_episode, "phq9", phq9_items(5), on=date(2026, 2, 28))
    applied = apply_checked(checked, by=lead, apply_valid_rows=True)
    assert applied.measures == 1 and [e.row for e in applied.errors] == ["2"]


def test_records_import_checks_again_before_applying(service, lead, grace_episode, duty):
    read = read_upload(iaptus([row(phq9=["1"] * 9)]), filename="scores.csv")
    measure(grace_episode, "phq9", phq9_items(5), on=date(2026, 3, 1))
    checked, applied = records_import(read.records, service=service, by=lead)
    assert applied.refused and "Already recorded" in str(checked.errors[0])


def test_the_access_log_names_the_importer(service, lead, grace_episode, duty):
    apply_checked(checked_file(service, iaptus([row(phq9=["1"] * 9)])), by=lead, path="/x/")
    assert AccessLog.objects.filter(actor=lead, path="/x/", action="create").count() == 1


def test_someone_who_may_not_see_the_person_imports_nothing(
    service, other_clinician, grace_episode, duty
):
    checked = checked_file(service, iaptus([row(phq9=["1"] * 9)]))
    with pytest.raises(PermissionDenied):
        apply_checked(checked, by=other_clinician)
    assert not Measure.objects.exists()


def test_progress_is_reported(service, lead, grace_episode, alan_episode, duty):
    data = iaptus(
        [row(phq9=["1"] * 9, gad7=["0"] * 7), row(nhs=ALAN, on="01/02/2026", gad7=["0"] * 7)]
    )
    seen = []
    apply_checked(checked_file(service, data), by=lead, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 3), (3, 3)]  # Grace's PHQ-9 and GAD-7 arrive together
