"""One token bucket in Redis, shared by every worker that sends through one gateway API key.

GOV.UK Notify allows 3,000 messages a minute per API key, itself as a token bucket (refilled
at 50 a second, bursts of about 1,000). Our bucket is a little smaller and slower than
Notify's (NUDGE_SEND_RATE_PER_MINUTE, NUDGE_SEND_BURST), so however many workers share it,
whatever they send together stays under the gateway's limit and a 429 is the exception.

Taking a token is one Lua script, atomic in Redis: refill for the time since the last take,
then take one or say how long until one is there. The clock is Redis's own (`TIME`), so the
workers' clocks do not need to agree; a simulation can pass its own clock instead.
"""

import logging
import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

# KEYS[1]: the bucket. ARGV: rate (tokens a second), capacity, tokens wanted, now in
# microseconds (negative: Redis's clock). Returns microseconds to wait: 0 when taken.
TAKE = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate / 1000000)
  at = now
end
local wait = 0
if tokens >= wanted then
  tokens = tokens - wanted
else
  wait = math.ceil((wanted - tokens) * 1000000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 60000)
return wait
"""

# KEYS[1]: the bucket. ARGV: rate, capacity, most wanted, now (as TAKE). Returns {granted,
# microseconds until the next token}: as many whole tokens as are there, up to the most
# wanted, so a worker sending a batch asks once per batch rather than once per message.
TAKE_UP_TO = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
if now > at then
  tokens = math.min(capacity, tokens + (now - at) * rate / 1000000)
  at = now
end
local granted = math.min(wanted, math.floor(tokens))
if granted < 0 then
  granted = 0
end
tokens = tokens - granted
local wait = 0
if tokens < 1 then
  wait = math.ceil((1 - tokens) * 1000000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 60000)
return {granted, wait}
"""

# Empties the bucket: the gateway said 429, so every worker waits for the refill.
EMPTY = """
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
redis.call('HSET', KEYS[1], 'tokens', '0', 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 120000)
return 1
"""


class BucketUnavailable(Exception):
    """Redis could not be asked: the caller must not send as if a token had been given."""


@dataclass
class TokenBucket:
    client: Any  # a redis.Redis
    key: str
    per_minute: int
    burst: int

    def __post_init__(self):
        self._take = self.client.register_script(TAKE)
        self._empty = self.client.register_script(EMPTY)
        self._take_up_to = self.client.register_script(TAKE_UP_TO)

    @property
    def rate(self) -> float:
        return self.per_minute / 60

    def take(self, wanted: int = 1, *, now_us: int | None = None) -> float:
        """Take `wanted` tokens, or take none and return the seconds until they are there."""
        from redis.exceptions import RedisError

        now = -1 if now_us is None else int(now_us)
        try:
            wait_us = self._take(keys=[self.key], args=[self.rate, self.burst, wanted, now])
        except RedisError as error:
            raise BucketUnavailable(str(error)) from error
        return int(wait_us) / 1_000_000

    def take_up_to(self, most: int, *, now_us: int | None = None) -> tuple[int, float]:
        """Take as many tokens as are there, up to `most`. Returns how many were granted and
        the seconds until the next one (0 while more are left)."""
        from redis.exceptions import RedisError

        now = -1 if now_us is None else int(now_us)
        try:
            granted, wait_us = self._take_up_to(
                keys=[self.key], args=[self.rate, self.burst, max(0, int(most)), now]
            )
        except RedisError as error:
            raise BucketUnavailable(str(error)) from error
        return int(granted), int(wait_us) / 1_000_000

    def empty(self, *, now_us: int | None = None) -> None:
        from redis.exceptions import RedisError

        try:
            self._empty(keys=[self.key], args=[-1 if now_us is None else int(now_us)])
        except RedisError as error:
            raise BucketUnavailable(str(error)) from error

    def reset(self) -> None:
        self.client.delete(self.key)


_local = threading.local()


def send_bucket() -> TokenBucket | None:
    """The bucket every sending worker shares, or None when the limit is lifted
    (NUDGE_SEND_RATE_PER_MINUTE = 0) or there is no Redis (development without a broker)."""
    per_minute = settings.NUDGE_SEND_RATE_PER_MINUTE
    url = settings.NUDGE_RATE_LIMIT_REDIS_URL
    if not per_minute or not url:
        return None
    key = (url, per_minute, settings.NUDGE_SEND_BURST, settings.NUDGE_SEND_BUCKET_KEY)
    cached = getattr(_local, "bucket", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    bucket = TokenBucket(
        client=client,
        key=settings.NUDGE_SEND_BUCKET_KEY,
        per_minute=per_minute,
        burst=max(1, settings.NUDGE_SEND_BURST),
    )
    _local.bucket = (key, bucket)
    return bucket
