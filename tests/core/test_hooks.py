import pytest

from talkingmoves.core.hooks import Hook


def test_receivers_run_in_order_and_a_second_registration_is_ignored():
    hook = Hook("example")
    calls = []
    first = hook.register(lambda *, n: calls.append(("first", n)) or {"a": 1, "b": 1})
    hook.register(lambda *, n: calls.append(("second", n)) or {"b": 2})
    hook.register(first)
    assert hook.merged(n=7) == {"a": 1, "b": 2}
    assert calls == [("first", 7), ("second", 7)]


def test_a_receivers_error_is_the_callers_error():
    """So a failing receiver rolls back the transaction that called the hook."""
    hook = Hook("example")

    @hook.register
    def broken():
        raise RuntimeError("receiver failed")

    with pytest.raises(RuntimeError, match="receiver failed"):
        hook()


def test_no_receivers_means_nothing_to_merge():
    assert Hook("empty").merged() == {}
