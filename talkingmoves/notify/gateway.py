"""The message gateway: GOV.UK Notify in production, a database-backed stand-in elsewhere.

Callers pass a template key, personalisation and a reference (their idempotency key). The
gateway never logs personalisation: it may hold names or links.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from .models import StoredMessage

logger = logging.getLogger(__name__)


class GatewayError(Exception):
    """A send failed. `temporary` says whether retrying later may succeed."""

    def __init__(self, message: str, *, temporary: bool, rate_limited: bool = False):
        super().__init__(message)
        self.temporary = temporary
        # The gateway's rate limit (HTTP 429): nothing was sent; try again shortly.
        self.rate_limited = rate_limited


# Notify statuses of a message that will never arrive: a lookup that finds one must not
# count the message as sent.
FAILED_STATUSES = frozenset(
    {
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "validation-failed",
        "virus-scan-failed",
        "cancelled",
    }
)


@dataclass(frozen=True)
class SentMessage:
    gateway_id: str
    reference: str
    status: str = "created"

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES


class LocalGateway:
    """Stores each message in the database instead of sending it."""

    name = "local"

    def send_email(self, *, to: str, template: str, personalisation: dict, reference: str):
        return self._store(StoredMessage.Channel.EMAIL, to, template, personalisation, reference)

    def send_sms(self, *, to: str, template: str, personalisation: dict, reference: str):
        return self._store(StoredMessage.Channel.SMS, to, template, personalisation, reference)

    def find_by_reference(self, reference: str) -> SentMessage | None:
        stored = StoredMessage.objects.filter(reference=reference).first()
        if stored is None:
            return None
        return SentMessage(gateway_id=str(stored.id), reference=reference, status=stored.status)

    def _store(self, channel, to, template, personalisation, reference) -> SentMessage:
        stored = StoredMessage.objects.create(
            channel=channel,
            recipient=to,
            template=template,
            personalisation=personalisation,
            reference=reference,
        )
        logger.info("Stored %s message %s (template %s)", channel, stored.id, template)
        return SentMessage(gateway_id=str(stored.id), reference=reference)


class NotifyGateway:
    """GOV.UK Notify. Template keys map to Notify template ids in settings."""

    name = "notify"

    def __init__(self, api_key: str):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)

    def find_by_reference(self, reference: str) -> SentMessage | None:
        """Whether Notify already has a message with this reference (our idempotency key)."""
        from notifications_python_client.errors import HTTPError

        try:
            found = self.client.get_all_notifications(reference=reference)
        except (HTTPError, OSError) as error:
            raise GatewayError(
                "Could not ask Notify about the reference", temporary=True
            ) from error
        notifications = found.get("notifications") or []
        if not notifications:
            return None
        newest = notifications[0]
        return SentMessage(
            gateway_id=newest["id"], reference=reference, status=newest.get("status", "created")
        )

    def _template_id(self, template: str) -> str:
        template_ids = getattr(settings, "NOTIFY_TEMPLATE_IDS", {})
        fallback = (
            settings.NOTIFY_SMS_TEMPLATE_ID
            if template.endswith("_sms")
            else settings.NOTIFY_EMAIL_TEMPLATE_ID
        )
        template_id = template_ids.get(template) or fallback
        if not template_id:
            raise GatewayError(f"No Notify template id configured for {template}", temporary=False)
        return template_id

    def send_email(self, *, to, template, personalisation, reference):
        return self._send(
            self.client.send_email_notification,
            email_address=to,
            template_id=self._template_id(template),
            personalisation=personalisation,
            reference=reference,
        )

    def send_sms(self, *, to, template, personalisation, reference):
        return self._send(
            self.client.send_sms_notification,
            phone_number=to,
            template_id=self._template_id(template),
            personalisation=personalisation,
            reference=reference,
        )

    def _send(self, method, **kwargs) -> SentMessage:
        from notifications_python_client.errors import HTTPError

        try:
            response = method(**kwargs)
        except HTTPError as error:
            # Notify: 4xx are our fault and will not succeed on retry, except 429 (rate limit).
            status = getattr(error, "status_code", 500)
            raise GatewayError(
                f"Notify refused the message ({status})",
                temporary=status == 429 or status >= 500,
                # Notify's per-minute limit; its daily limit (TooManyRequestsError) is
                # retried with the usual back-off instead.
                rate_limited=status == 429
                and "TooManyRequestsError" not in str(getattr(error, "message", "")),
            ) from error
        except OSError as error:
            raise GatewayError("Could not reach Notify", temporary=True) from error
        return SentMessage(gateway_id=response["id"], reference=kwargs["reference"])


def get_gateway():
    if settings.MESSAGE_GATEWAY:
        # A dotted path to another gateway class (tests use a slow one to interrupt sends).
        return import_string(settings.MESSAGE_GATEWAY)()
    if settings.NOTIFY_API_KEY:
        return NotifyGateway(settings.NOTIFY_API_KEY)
    return LocalGateway()
