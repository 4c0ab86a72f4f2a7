"""Patterns of personal data that must never leave the service in logs or error reports:
NHS numbers, email addresses and UK phone numbers. A last line of defence (an exception's
message can quote a row); the first is never putting them in a message at all."""

import re

REDACTED = "[redacted]"

_PATTERNS = [
    re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    # UK phone numbers: 07700 900123, +44 7700 900123, 020 7946 0000.
    re.compile(r"(?<![\w+])(?:\+44\s?|0)\d(?:[\s-]?\d){8,9}(?![\d])"),
    # NHS numbers: ten digits, perhaps as 3 3 4.
    re.compile(r"(?<![\w-])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?![\w-])"),
]


def scrub_text(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def scrub(value):
    """Every string inside dicts, lists and tuples, scrubbed; other values as they are."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(item) for item in value)
    return value
