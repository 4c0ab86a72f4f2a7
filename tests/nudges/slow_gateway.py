"""Gateways for the reliability tests, named to a worker by MESSAGE_GATEWAY (a dotted path)."""

import os
import time

from talkingmoves.notify.gateway import GatewayError, LocalGateway


class SlowGateway(LocalGateway):
    """The local gateway with a pause either side of storing, like a call over the network:
    long enough for a killed worker to die before, during or after a send."""

    pause = float(os.environ.get("SLOW_GATEWAY_SECONDS", "0.05"))

    def _store(self, *args, **kwargs):
        time.sleep(self.pause)
        sent = super()._store(*args, **kwargs)
        time.sleep(self.pause)
        return sent


class UnsureGateway(LocalGateway):
    """Sends, but cannot say whether it already has a reference (Notify's search is down)."""

    def find_by_reference(self, reference: str):
        raise GatewayError("Could not ask the gateway about the reference", temporary=True)


class RateLimitedOnceGateway(LocalGateway):
    """Says 429 to the first message it is given (per process), then sends as usual."""

    refused: set = set()

    def _store(self, channel, to, template, personalisation, reference):
        if reference not in self.refused:
            self.refused.add(reference)
            raise GatewayError(
                "Notify refused the message (429)", temporary=True, rate_limited=True
            )
        return super()._store(channel, to, template, personalisation, reference)


class RateLimitedOnceOverallGateway(LocalGateway):
    """Sends `after` messages, says 429 to the next one, then sends as usual (per process):
    one 429 in the middle of a batch."""

    after = 3  # messages sent before the 429
    seen: list = []

    def _store(self, channel, to, template, personalisation, reference):
        self.seen.append(reference)
        if len(self.seen) == self.after + 1:
            raise GatewayError(
                "Notify refused the message (429)", temporary=True, rate_limited=True
            )
        return super()._store(channel, to, template, personalisation, reference)
