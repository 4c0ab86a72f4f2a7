"""Small validating readers for settings that come from the environment.

Each reader names the variable in its error, so a misconfigured deployment fails at start
with a message that says what to fix (docs/configuration.md lists every variable).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default=_REQUIRED, *, otherwise: str = "") -> str:
    """`otherwise` tells what to do instead of setting a required variable."""
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _REQUIRED:
            raise ImproperlyConfigured(
                f"Set the {name} environment variable (see docs/configuration.md)"
                + (f", {otherwise}." if otherwise else ".")
            )
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    # Empty is unset, not false: `SECURE_SSL_REDIRECT=` must not switch the redirect off.
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default=_REQUIRED) -> list[str]:
    raw = env_str(name, default=None)
    if raw is None:
        if default is _REQUIRED:
            raise ImproperlyConfigured(
                f"Set the {name} environment variable to a comma-separated list "
                "(see docs/configuration.md)."
            )
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env_str(name, default=default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value
