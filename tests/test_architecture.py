"""The layout's promises (docs/architecture.md): every module sits in a layer of the import
contracts, no product module grows past 400 lines, and the apps that take part in referrals'
work through hooks have registered for it."""

import tomllib
from pathlib import Path

import pytest

from providers import hooks as provider_hooks
from referrals import hooks as referral_hooks
from referrals.nudges import hooks as nudge_hooks
from talkingmoves.core import hooks as core_hooks

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ["providers", "referrals", "outcomes", "talkingmoves"]
MAX_LINES = 400


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["id"] == "layers")
    return [m.strip() for layer in contract["layers"] for m in layer.replace("|", ":").split(":")]


def _children(package: str, *, leave_out: set[str]) -> list[str]:
    folder = ROOT / package
    names = [p.stem for p in folder.glob("*.py") if p.stem != "__init__"]
    names += [p.name for p in folder.iterdir() if (p / "__init__.py").exists()]
    return [f"{package}.{n}" for n in sorted(names) if n not in leave_out]


@pytest.mark.parametrize(
    ("package", "leave_out"),
    [("referrals", {"nudges", "migrations"}), ("outcomes", {"dashboards", "migrations"})],
)
def test_every_module_of_a_split_app_is_in_a_layer(package, leave_out):
    """referrals and outcomes hold a higher app inside them, so their layer lists each
    module by name: a new module must join it, or the contract would not see it."""
    missing = set(_children(package, leave_out=leave_out)) - set(_layers())
    assert not missing, f"add to the layers contract in pyproject.toml: {sorted(missing)}"


def test_no_product_module_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for app in PRODUCT
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, f"split by responsibility: {too_long}"


def test_the_higher_apps_have_registered_their_part():
    """Without these receivers referrals would still work, silently without messages,
    outcomes on the record, or subject access to them."""
    receivers = {
        hook.name: {f"{r.__module__}.{r.__name__}" for r in hook._receivers}
        for hook in [
            referral_hooks.referral_changed,
            referral_hooks.attendance_changed,
            referral_hooks.service_user_created,
            referral_hooks.record_sections,
            referral_hooks.caseload_flags,
            referral_hooks.caseload_first,
            referral_hooks.subject_access,
            referral_hooks.erasure,
            provider_hooks.search_subject,
            provider_hooks.provider_replies,
            core_hooks.home_page,
            nudge_hooks.service_user_messages_blocked,
            nudge_hooks.due_work,
        ]
    }
    nudges, outcomes = "referrals.nudges.receivers", "outcomes.receivers"
    assert f"{nudges}.on_referral_changed" in receivers["referral_changed"]
    assert f"{nudges}.on_service_user_created" in receivers["service_user_created"]
    # Outcomes keeps each episode's activity group in step with referrals and attendance.
    assert f"{outcomes}.on_referral_changed" in receivers["referral_changed"]
    assert f"{outcomes}.on_attendance_changed" in receivers["attendance_changed"]
    for hook in ["record_sections", "caseload_flags", "subject_access", "erasure"]:
        assert any(r.startswith(nudges) for r in receivers[hook]), hook
        assert any(r.startswith(outcomes) for r in receivers[hook]), hook
    # Personal activity plans: the record's "Being active" section, and data rights.
    plans = "outcomes.plans.receivers"
    assert f"{plans}.record_section" in receivers["record_sections"]
    assert f"{plans}.subject_access" in receivers["subject_access"]
    assert f"{plans}.erase" in receivers["erasure"]
    # The week-6 call and missed check-ins tasks when send_due_nudges moves the clock on.
    assert f"{plans}.due_work" in receivers["due_work"]
    assert receivers["search_subject"] == {"referrals.receivers.search_subject"}
    assert receivers["provider_replies"] == {"referrals.receivers.provider_replies"}
    assert receivers["home_page"] == {
        "providers.receivers.home_page",
        f"{outcomes}.home_page",  # risk alerts
    }
    # Open risk flags first on the caseload; no messages to service users without a duty
    # contact to alert about risk.
    assert f"{outcomes}.caseload_first" in receivers["caseload_first"]
    assert f"{outcomes}.service_user_messages_blocked" in receivers["service_user_messages_blocked"]
