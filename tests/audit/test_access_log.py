import pytest
from django.contrib.auth.models import AnonymousUser

from talkingmoves.audit.models import AccessLog
from talkingmoves.audit.services import MissingActorError, access_log_write


def test_writes_who_did_what_to_which_record(clinician, service):
    entry = access_log_write(actor=clinician, action=AccessLog.Action.VIEW, obj=service)
    assert entry.actor == clinician
    assert entry.object_type == "accounts.organisation"
    assert entry.object_id == str(service.public_id)
    assert entry.at is not None


@pytest.mark.parametrize("actor", [None, AnonymousUser()])
def test_refuses_to_write_without_an_actor(service, actor):
    with pytest.raises(MissingActorError):
        access_log_write(actor=actor, action=AccessLog.Action.VIEW, obj=service)
    assert AccessLog.objects.count() == 0


def test_a_named_system_job_can_act(service):
    entry = access_log_write(
        system_actor="nudge dispatcher", action=AccessLog.Action.VIEW, obj=service
    )
    assert entry.actor is None and entry.system_actor == "nudge dispatcher"


def test_database_refuses_a_row_without_an_actor(service):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.create(action="view", object_type="x", object_id="1")


def test_admin_cannot_edit_or_delete_entries(client_for, admin_user, clinician, service):
    entry = access_log_write(actor=clinician, action=AccessLog.Action.VIEW, obj=service)
    client = client_for(admin_user)
    change_url = f"/admin/audit/accesslog/{entry.pk}/delete/"
    assert client.post(change_url, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=entry.pk).exists()


def test_many_records_seen_at_once_are_logged_in_one_go(clinician, service, other_service):
    from talkingmoves.audit.services import access_log_write_many

    access_log_write_many(
        action=AccessLog.Action.VIEW, objects=[service, other_service], actor=clinician
    )
    assert AccessLog.objects.filter(actor=clinician).count() == 2
    with pytest.raises(MissingActorError):
        access_log_write_many(action=AccessLog.Action.VIEW, objects=[service], actor=None)
