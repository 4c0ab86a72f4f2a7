"""An existing database upgrades in place when the outbox becomes its own app.

The database is taken back to where the previous release left it (the four outbox tables
in `referrals`, `nudges` not migrated), filled through the historical models, and migrated
forward: every row, relation and permission must come through, and the current code must be
able to send a nudge that fell due across the upgrade. Then back again, for a rollback.

Each test leaves the database fully migrated, whatever happens, before pytest-django
flushes it: other tests run after these on the same database (one per xdist worker).
"""

import uuid
from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from referrals.nudges import delivery
from referrals.nudges.models import CallRequest, Nudge, NudgeResponse, NudgeSetting
from talkingmoves.accounts.models import User
from talkingmoves.notify.models import StoredMessage
from tests.factories import with_duty_contact

pytestmark = pytest.mark.django_db(transaction=True)

# Where the previous release left a database: referrals 0007 applied, no nudges app yet.
BEFORE_THE_MOVE = [("referrals", "0007_referral_service_required"), ("nudges", None)]

OUTBOX_MODELS = ["Nudge", "NudgeResponse", "NudgeSetting", "CallRequest"]
OLD_TABLES = {
    "referrals_nudge",
    "referrals_nudgeresponse",
    "referrals_nudgesetting",
    "referrals_callrequest",
}
NEW_TABLES = {"nudges_nudge", "nudges_nudgeresponse", "nudges_nudgesetting", "nudges_callrequest"}
CURRENT = {
    "Nudge": Nudge,
    "NudgeResponse": NudgeResponse,
    "NudgeSetting": NudgeSetting,
    "CallRequest": CallRequest,
}


def migrate(targets):
    """Migrate to `targets` and return the historical apps for what is now applied.

    Django's backwards plan also unapplies any other app's migrations that depend on the
    ones undone, so the state is built from what the database records as applied rather
    than from the targets alone."""
    MigrationExecutor(connection).migrate(targets)
    executor = MigrationExecutor(connection)  # a fresh loader reads the new applied set
    ContentType.objects.clear_cache()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def tables() -> set:
    return set(connection.introspection.table_names())


def rows(model) -> dict:
    """Every column of every row, by primary key."""
    return {row["id"]: row for row in model.objects.order_by("pk").values()}


# Columns later migrations added (nudges 0004: call request escalation; 0006: each send's
# gateway reference; 0011: answered, kept by triggers). The move must keep every column the
# previous release had; these did not exist then.
ADDED_SINCE_THE_MOVE = {
    "CallRequest": {"escalate_at", "escalations"},
    "Nudge": {"send_reference", "answered"},
}


def snapshot(models: dict) -> dict:
    taken = {name: rows(model) for name, model in models.items()}
    for name, added in ADDED_SINCE_THE_MOVE.items():
        for row in taken.get(name, {}).values():
            for column in added:
                row.pop(column, None)
    return taken


@pytest.fixture
def old_database(transactional_db):
    """The database as the previous release left it; fully migrated again afterwards."""
    try:
        yield migrate(BEFORE_THE_MOVE)
    finally:
        migrate(latest())
        executor = MigrationExecutor(connection)
        assert not executor.migration_plan(executor.loader.graph.leaf_nodes())


def fill(apps) -> dict:
    """A service with one referral and an outbox in every state, made as the previous
    release made them (historical models, tables still named referrals_*)."""
    Organisation = apps.get_model("accounts", "Organisation")
    HistoricalUser = apps.get_model("accounts", "User")
    ActivityType = apps.get_model("providers", "ActivityType")
    Provider = apps.get_model("providers", "Provider")
    Venue = apps.get_model("providers", "Venue")
    Activity = apps.get_model("providers", "Activity")
    WeeklySlot = apps.get_model("providers", "WeeklySlot")
    ServiceUser = apps.get_model("referrals", "ServiceUser")
    Referral = apps.get_model("referrals", "Referral")
    OldNudge = apps.get_model("referrals", "Nudge")
    OldResponse = apps.get_model("referrals", "NudgeResponse")
    OldSetting = apps.get_model("referrals", "NudgeSetting")
    OldCallRequest = apps.get_model("referrals", "CallRequest")
    OldStoredMessage = apps.get_model("notify", "StoredMessage")
    OldContentType = apps.get_model("contenttypes", "ContentType")
    OldPermission = apps.get_model("auth", "Permission")

    now = timezone.now()
    service = Organisation.objects.create(
        name="Upgrade Test NHS Talking Therapies", kind="talking_therapies"
    )
    provider_org = Organisation.objects.create(name="Upgrade Test Leisure", kind="provider")
    clinician = HistoricalUser.objects.create(
        email="upgrade.clinician@example.nhs.uk",
        full_name="Casey Clinician",
        role="clinician",
        organisation=service,
        password="!",
    )
    lead = HistoricalUser.objects.create(
        email="upgrade.lead@example.nhs.uk",
        full_name="Lee Lead",
        role="service_lead",
        organisation=service,
        password="!",
    )
    walking = ActivityType.objects.create(identifier=str(uuid.uuid4()), label="Walking")
    provider = Provider.objects.create(
        name="Riverside Leisure", organisation=provider_org, email="hello@riverside.example"
    )
    venue = Venue.objects.create(provider=provider, name="Riverside Park", postcode="RV1 1AA")
    activity = Activity.objects.create(
        provider=provider,
        venue=venue,
        name="Beginners' walking group",
        activity_type=walking,
        takes_referrals=True,
        referral_email="referrals@riverside.example",
    )
    WeeklySlot.objects.create(activity=activity, weekday=2, start_time=time(10), end_time=time(11))
    person = ServiceUser.objects.create(
        service=service,
        assigned_clinician=clinician,
        given_name="Sam",
        family_name="Upgrade",
        email="sam.upgrade@example.com",
        mobile="07700900123",
        consent_share_at=now - timedelta(days=10),
        consent_share_by=clinician,
        consent_email_at=now - timedelta(days=10),
        consent_email_by=clinician,
    )
    referral = Referral.objects.create(
        service_user=person,
        service=service,
        activity=activity,
        kind="refer",
        status="sent",
        created_by=clinician,
        sent_at=now - timedelta(days=3),
    )

    def nudge(template, status, **fields):
        fields = {
            "audience": "service_user",
            "service_user": person,
            "referral": referral,
            **fields,
        }
        return OldNudge.objects.create(service=service, template=template, status=status, **fields)

    three_days_ago = now - timedelta(days=3)
    sent = nudge(
        "did_you_go",
        "sent",
        due_at=three_days_ago,
        channel="email",
        sent_to=person.email,
        attempts=1,
        claimed_at=three_days_ago,
        sent_at=three_days_ago,
        gateway_id=str(uuid.uuid4()),
    )
    OldStoredMessage.objects.create(
        channel="email",
        recipient=person.email,
        template="nudge_email",
        personalisation={"subject": "Did you manage to go?", "body": "..."},
        reference=str(sent.pk),
    )
    outbox = {
        "due": nudge("referral_details", "scheduled", due_at=now - timedelta(minutes=5)),
        "later": nudge("check_in", "scheduled", due_at=now + timedelta(days=25)),
        "deferred": nudge(
            "follow_up",
            "scheduled",
            due_at=now + timedelta(days=39),
            deferred_reason="Already sent a message today: moved to tomorrow",
        ),
        "sent": sent,
        "delivered": nudge(
            "provider_new_referral",
            "delivered",
            audience="provider",
            service_user=None,
            due_at=three_days_ago,
            channel="email",
            sent_to="referrals@riverside.example",
            attempts=2,
            possible_duplicate=True,
            sent_at=three_days_ago,
            delivered_at=three_days_ago + timedelta(minutes=1),
            gateway_id=str(uuid.uuid4()),
        ),
        "failed": nudge(
            "first_session_reminder",
            "failed",
            due_at=now - timedelta(days=1),
            attempts=6,
            last_error="Notify refused the message (400)",
        ),
        "skipped": nudge(
            "getting_active", "skipped", due_at=now - timedelta(days=2), skip_reason="no_consent"
        ),
        "cancelled": nudge("check_in", "cancelled", due_at=now + timedelta(days=30)),
        "for_clinician": nudge(
            "clinician_call_requested",
            "scheduled",
            audience="clinician",
            recipient_user=clinician,
            due_at=now + timedelta(hours=1),
        ),
    }
    response = OldResponse.objects.create(
        nudge=sent, answer="call_me", answered_at=now - timedelta(days=2)
    )
    call_request = OldCallRequest.objects.create(
        service_user=person,
        nudge=sent,
        created_at=now - timedelta(days=2),
        done_at=now - timedelta(days=1),
        done_by=clinician,
    )
    setting = OldSetting.objects.create(
        service=service,
        template="referral_details",
        enabled=True,
        offset_days=0,
        channel="email",
        updated_by=lead,
    )

    # The previous release's content type, with a permission attached and granted.
    content_type, _ = OldContentType.objects.get_or_create(app_label="referrals", model="nudge")
    permission = OldPermission.objects.create(
        codename="resend_nudge", name="Can resend a nudge", content_type=content_type
    )
    lead.user_permissions.add(permission)

    return {
        "outbox": {name: n.pk for name, n in outbox.items()},
        "response": response.pk,
        "call_request": call_request.pk,
        "setting": setting.pk,
        "referral": referral.pk,
        "person": person.pk,
        "lead": lead.pk,
        "content_type": content_type.pk,
        "permission": permission.pk,
        "rows": snapshot({name: apps.get_model("referrals", name) for name in OUTBOX_MODELS}),
    }


def test_an_existing_outbox_upgrades_in_place_with_nothing_lost(old_database):
    assert tables() >= OLD_TABLES
    assert not NEW_TABLES & tables()
    made = fill(old_database)
    assert len(made["rows"]["Nudge"]) == len(made["outbox"])
    stored_before = StoredMessage.objects.count()

    migrate(latest())

    # The tables moved: the old names are gone, the new ones hold the rows.
    assert not OLD_TABLES & tables()
    assert tables() >= NEW_TABLES
    # Every row, with the same id and every column the same.
    assert snapshot(CURRENT) == made["rows"]

    # The relations resolve through the current models.
    response = NudgeResponse.objects.select_related("nudge__referral").get(pk=made["response"])
    assert response.nudge_id == made["outbox"]["sent"]
    assert response.nudge.referral.pk == made["referral"]
    call_request = CallRequest.objects.get(pk=made["call_request"])
    assert call_request.nudge.pk == made["outbox"]["sent"]
    assert call_request.nudge.call_request == call_request
    assert call_request.service_user_id == made["person"]
    assert list(call_request.nudge.responses.all()) == [response]
    for nudge in Nudge.objects.exclude(audience="clinician"):
        assert nudge.referral.pk == made["referral"]
    assert {n.pk for n in response.nudge.referral.nudges.all()} == set(made["outbox"].values())

    # The content type moved with its permission, and the grant still works.
    content_type = ContentType.objects.get(pk=made["content_type"])
    assert (content_type.app_label, content_type.model) == ("nudges", "nudge")
    assert ContentType.objects.get_for_model(Nudge).pk == made["content_type"]
    assert not ContentType.objects.filter(app_label="referrals", model="nudge").exists()
    permission = Permission.objects.get(pk=made["permission"])
    assert permission.content_type_id == made["content_type"]
    assert User.objects.get(pk=made["lead"]).has_perm("nudges.resend_nudge")

    # New rows carry on from the old ones' ids (the identity sequences came with the tables).
    went = NudgeResponse.objects.create(nudge_id=made["outbox"]["sent"], answer="went")
    assert went.pk > made["response"]
    check_in = NudgeSetting.objects.create(
        service_id=response.nudge.service_id, template="check_in", enabled=False, offset_days=28
    )
    assert check_in.pk > made["setting"]

    # The nudge that fell due across the upgrade goes out once, through the current code, now
    # that the service has a duty contact for risk alerts (without one, it would be skipped).
    with_duty_contact(response.nudge.service)
    due = made["outbox"]["due"]
    claimed = delivery.claim_due()
    assert claimed == [due]
    assert delivery.deliver(claimed[0]) == "sent"
    nudge = Nudge.objects.get(pk=due)
    assert nudge.status == Nudge.Status.SENT
    assert (nudge.channel, nudge.sent_to) == ("email", "sam.upgrade@example.com")
    message = StoredMessage.objects.get(reference=str(due))
    assert nudge.gateway_id == str(message.id)
    assert "Beginners' walking group" in message.personalisation["body"]
    assert StoredMessage.objects.count() == stored_before + 1
    assert delivery.claim_due() == []
    # Nothing else in the outbox moved.
    untouched = snapshot(CURRENT)["Nudge"]
    del untouched[due]
    expected = dict(made["rows"]["Nudge"])
    del expected[due]
    assert untouched == expected


def test_rolling_back_restores_the_referrals_tables_with_every_row(old_database):
    made = fill(old_database)
    migrate(latest())
    # A row made by the current code after the upgrade must survive the rollback too.
    extra = Nudge.objects.create(
        service_id=Nudge.objects.get(pk=made["outbox"]["due"]).service_id,
        audience="service_user",
        template="measures_request",
        service_user_id=made["person"],
        due_at=timezone.now() + timedelta(days=1),
    )
    after_upgrade = snapshot(CURRENT)
    assert set(after_upgrade["Nudge"]) == {*made["outbox"].values(), extra.pk}

    apps = migrate(BEFORE_THE_MOVE)

    assert tables() >= OLD_TABLES
    assert not NEW_TABLES & tables()
    assert snapshot({name: apps.get_model("referrals", name) for name in OUTBOX_MODELS}) == (
        after_upgrade
    )
    OldContentType = apps.get_model("contenttypes", "ContentType")
    content_type = OldContentType.objects.get(pk=made["content_type"])
    assert (content_type.app_label, content_type.model) == ("referrals", "nudge")
    assert not OldContentType.objects.filter(app_label="nudges").exists()
    OldPermission = apps.get_model("auth", "Permission")
    assert OldPermission.objects.get(pk=made["permission"]).content_type_id == content_type.pk
    OldResponse = apps.get_model("referrals", "NudgeResponse")
    assert OldResponse.objects.get(pk=made["response"]).nudge.referral_id == made["referral"]
