"""Extension points: how a lower app lets a higher one take part without importing it.

The lower app declares a `Hook` in its `hooks.py` and calls it; a higher app registers a
receiver in its `AppConfig.ready()`. Calls are synchronous and in registration order
(INSTALLED_APPS order), so a receiver runs inside the caller's transaction: what it writes
commits or rolls back with the change that caused it. Unlike Django's signals, receivers
are held strongly, a hook's callers get every receiver's result, and a receiver's error is
the caller's error.
"""

from collections.abc import Callable
from typing import Any


class Hook:
    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc
        self._receivers: list[Callable[..., Any]] = []

    def register(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        """Add a receiver (usable as a decorator). Registering one twice keeps one."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def __call__(self, **kwargs: Any) -> list[Any]:
        return [receiver(**kwargs) for receiver in self._receivers]

    def merged(self, **kwargs: Any) -> dict[str, Any]:
        """Call every receiver and merge the dicts they return, in order."""
        merged: dict[str, Any] = {}
        for result in self(**kwargs):
            merged.update(result or {})
        return merged

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"


home_page = Hook(
    "home_page",
    "receiver(user) -> dict: extra context for the signed-in home page of a user's role.",
)

on_call_figures = Hook(
    "on_call_figures",
    "receiver() -> dict[name, (help, value)]: numbers an on-call person watches, read at each "
    "/metrics scrape as gauges named talkingmoves_<name>. Cheap queries only; no personal data.",
)
