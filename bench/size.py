"""The bench data set's size: BENCH_SIZE=large (or BENCH_SCALE=N) for a bigger copy in its
own database, so the same table can be printed at both sizes.

Scale 1 (the default): 20,000 activities, 100,000 service users, 300,000 referrals,
1,000,000 measures. Scale N: N times the people and everything that hangs off them, and
10,000 x (N + 1) activities, so BENCH_SIZE=large (scale 10) is 110,000 activities and
1,000,000 service users. What a page shows stays the same size at every scale (a clinician
still has ~500 people: there are N times as many clinicians); what grows is the history
around it, which is what the second table is for.
"""

import os

_NAMED = {"default": 1, "small": 1, "large": 10}


def scale() -> int:
    if os.environ.get("BENCH_SCALE"):
        return max(1, int(os.environ["BENCH_SCALE"]))
    size = os.environ.get("BENCH_SIZE", "default")
    if size not in _NAMED:
        raise SystemExit(f"BENCH_SIZE is one of {', '.join(_NAMED)}, not {size!r}")
    return _NAMED[size]


SCALE = scale()
ACTIVITIES = 10_000 * (SCALE + 1)
VENUES = ACTIVITIES // 5
SERVICE_USERS = 100_000 * SCALE
REFERRALS = 3 * SERVICE_USERS
CLINICIANS = 200 * SCALE  # ~500 people each
NUDGES = 150_000 * SCALE


def database_name() -> str:
    return "talkingmoves_bench" if SCALE == 1 else f"talkingmoves_bench_x{SCALE}"


def label() -> str:
    return f"scale {SCALE}: {ACTIVITIES:,} activities, {SERVICE_USERS:,} service users"
