"""Where a page's time goes outside its SQL: `python -m bench.profile ROLE PATH [RUNS]`
(ROLE one of clinician, lead, officer, provider, anonymous; PATH with its query string),
on the bench database and settings `python -m bench` uses. Prints cProfile's top functions
by own time and by cumulative time over RUNS requests (default 20), after a warm-up.
PROFILE_CLOCK=cpu times this process's CPU instead of the wall clock: on a loaded machine
the wall clock is mostly waiting for the database and for a core."""

import cProfile
import gc
import io
import os
import pstats
import sys
import time

from bench import size

os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{size.database_name()}")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.bench")

ROLES = {
    "clinician": "bench.clinician@example.nhs.uk",
    "lead": "bench.lead@example.nhs.uk",
    "officer": "bench.officer@example.org.uk",
    "provider": "bench.provider@example.org.uk",
}


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.test import Client

    from bench.pages import _client, _ok

    role, path = argv[1], argv[2]
    runs = int(argv[3]) if len(argv) > 3 else 20
    client = Client(HTTP_HOST="localhost") if role == "anonymous" else _client(ROLES[role])
    _ok(client.get(path, follow=True))
    gc.collect()
    gc.freeze()  # as talkingmoves/wsgi.py does after startup
    clock = time.process_time if os.environ.get("PROFILE_CLOCK") == "cpu" else time.perf_counter
    profile = cProfile.Profile(clock)
    profile.enable()
    for _ in range(runs):
        _ok(client.get(path, follow=True))
    profile.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(
            int(os.environ.get("PROFILE_LINES", "30"))
        )
        print(f"--- {path} as {role}, {runs} requests, by {order}")
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
