"""Small validating readers for settings that come from the environment.

Each reader names the variable in its error, so a misconfigured deployment fails at start
with a message that says what to fix (docs/configuration.md lists every variable).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default=_REQUIRED) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _REQUIRED:
            raise ImproperlyConfigured(
                f"Set the {name} environment variable (see docs/configuration.md)."
            )
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
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
