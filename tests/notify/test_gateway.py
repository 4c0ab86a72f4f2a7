import pytest
from django.core import mail
from notifications_python_client.errors import HTTPError

from talkingmoves.notify.gateway import GatewayError, LocalGateway, NotifyGateway, get_gateway
from talkingmoves.notify.models import StoredMessage


def test_without_an_api_key_messages_are_stored_not_sent(db, settings):
    settings.NOTIFY_API_KEY = ""
    gateway = get_gateway()
    assert isinstance(gateway, LocalGateway)
    sent = gateway.send_sms(
        to="07700900123", template="nudge_day_7", personalisation={"name": "Sam"}, reference="n-1"
    )
    stored = StoredMessage.objects.get()
    assert (stored.channel, stored.recipient, stored.reference) == ("sms", "07700900123", "n-1")
    assert sent.gateway_id == str(stored.id)


def test_django_email_goes_through_the_gateway(db, settings):
    settings.NOTIFY_API_KEY = ""
    mail.send_mail("Subject line", "Body text", None, ["someone@example.nhs.uk"])
    stored = StoredMessage.objects.get()
    assert stored.personalisation == {"subject": "Subject line", "body": "Body text"}
    assert stored.template == "generic_email"


class _FakeResponse:
    def __init__(self, status_code):
        self.status_code = status_code

    def json(self):
        return {"errors": [{"error": "x", "message": "y"}]}


@pytest.mark.parametrize(
    ("status", "temporary"), [(400, False), (403, False), (429, True), (500, True)]
)
def test_notify_errors_are_sorted_into_temporary_and_permanent(settings, status, temporary):
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "template-id"
    gateway = NotifyGateway(
        "test_key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000"
    )

    def refuse(**kwargs):
        raise HTTPError(response=_FakeResponse(status))

    gateway.client.send_email_notification = refuse
    with pytest.raises(GatewayError) as error:
        gateway.send_email(to="a@example.com", template="x", personalisation={}, reference="r")
    assert error.value.temporary is temporary


def test_notify_receives_the_reference_as_idempotency_key(settings):
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "template-id"
    gateway = NotifyGateway(
        "test_key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000"
    )
    calls = []

    def record(**kwargs):
        calls.append(kwargs)
        return {"id": "notify-id"}

    gateway.client.send_email_notification = record
    sent = gateway.send_email(
        to="a@example.com", template="x", personalisation={"a": 1}, reference="nudge-9"
    )
    assert calls[0]["reference"] == "nudge-9"
    assert calls[0]["template_id"] == "template-id"
    assert sent.gateway_id == "notify-id"


def test_missing_template_id_is_a_permanent_error(settings):
    settings.NOTIFY_EMAIL_TEMPLATE_ID = ""
    gateway = NotifyGateway(
        "test_key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000"
    )
    with pytest.raises(GatewayError) as error:
        gateway.send_sms(to="07700900123", template="x", personalisation={}, reference="r")
    assert error.value.temporary is False
