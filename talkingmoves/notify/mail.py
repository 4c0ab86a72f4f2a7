"""A Django email backend that sends through the message gateway, so Django's own emails
(password reset) use GOV.UK Notify in production and are stored locally elsewhere."""

import uuid

from django.core.mail.backends.base import BaseEmailBackend

from .gateway import GatewayError, get_gateway

GENERIC_EMAIL_TEMPLATE = "generic_email"


class GatewayEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        gateway = get_gateway()
        sent = 0
        for message in email_messages:
            for recipient in message.recipients():
                try:
                    gateway.send_email(
                        to=recipient,
                        template=GENERIC_EMAIL_TEMPLATE,
                        personalisation={"subject": message.subject, "body": message.body},
                        reference=str(uuid.uuid4()),
                    )
                except GatewayError:
                    if not self.fail_silently:
                        raise
                    continue
                sent += 1
        return sent
