"""Rough timing of an OpenActive harvest (run by hand; not a test).

    python -m providers.openactive.bench_feed [--items 5000] [--page-size 500]

Writes a feed of SessionSeries items to a temporary folder, serves it on 127.0.0.1, and
harvests it into a throwaway partnership four ways: first import, resume (nothing new), the
whole feed again unchanged, and the whole feed again with every item changed. Everything it
creates is deleted afterwards. `run_bench()` returns the timings for bench/ to report.
"""

import argparse
import functools
import json
import os
import random
import tempfile
import threading
import time
import uuid
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from talkingmoves.vocabulary.times import Weekday

POSTCODES = ["LS1 4AP", "M1 1AE", "B1 1BB", "NE1 4ST", "BS1 5TR", "S1 2HE", "L1 8JQ", "NG1 5FS"]


def _item(
    number: int, modified: int, activity_ids: list[str], rng: random.Random, edition: int
) -> dict:
    organiser = number % 50
    place = number % 400
    start = 7 + number % 12
    return {
        "state": "updated",
        "kind": "SessionSeries",
        "id": f"series-{number}",
        "modified": modified,
        "data": {
            "@context": "https://openactive.io/",
            "@type": "SessionSeries",
            "@id": f"https://bench.example.org/session-series/{number}",
            "name": f"Bench session {number}" + (f" (edition {edition})" if edition > 1 else ""),
            "description": "A friendly session for all abilities. " * 3,
            "activity": [
                {
                    "@type": "Concept",
                    "@id": f"https://openactive.io/activity-list#{rng.choice(activity_ids)}",
                }
            ],
            "organizer": {
                "@type": "Organization",
                "@id": f"https://bench.example.org/organisers/{organiser}",
                "name": f"Bench organiser {organiser}",
                "url": f"https://bench.example.org/organisers/{organiser}",
                "telephone": "0113 496 0000",
            },
            "location": {
                "@type": "Place",
                "@id": f"https://bench.example.org/places/{place}",
                "name": f"Bench venue {place}",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": f"{place} High Street",
                    "addressLocality": "Leeds",
                    "postalCode": POSTCODES[place % len(POSTCODES)],
                },
                "geo": {"latitude": 53.8 + place / 10000, "longitude": -1.55 + place / 10000},
            },
            "eventSchedule": [
                {
                    "@type": "PartialSchedule",
                    "repeatFrequency": "P1W",
                    "byDay": [f"https://schema.org/{Weekday(number % 7).label}"],
                    "startTime": f"{start:02d}:00",
                    "endTime": f"{start:02d}:45",
                }
            ],
            "offers": [{"@type": "Offer", "price": (number % 5) * 1.5, "priceCurrency": "GBP"}],
            "level": ["Beginner"] if number % 3 == 0 else [],
            "genderRestriction": "https://openactive.io/FemaleOnly" if number % 10 == 0 else "",
        },
    }


def write_feed(
    folder: Path, base_url: str, *, items: int, page_size: int, modified_base: int, edition=1
):
    """Write pages page-1.json… plus an empty last page; returns the first page's URL."""
    from providers.models import ActivityType

    activity_ids = list(ActivityType.objects.values_list("identifier", flat=True)[:200])
    rng = random.Random(1)  # noqa: S311 -- made-up test data, the same feed every time
    pages = [range(start, min(start + page_size, items)) for start in range(0, items, page_size)]
    for number, page in enumerate(pages, start=1):
        body = {
            "next": f"{base_url}/page-{number + 1}.json",
            "items": [_item(n, modified_base + n, activity_ids, rng, edition) for n in page],
        }
        (folder / f"page-{number}.json").write_text(json.dumps(body), encoding="utf-8")
    last = len(pages) + 1
    (folder / f"page-{last}.json").write_text(
        json.dumps({"next": f"{base_url}/page-{last}.json", "items": []}), encoding="utf-8"
    )
    return f"{base_url}/page-1.json"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def run_bench(*, items: int = 5000, page_size: int = 500) -> dict[str, float]:
    from providers.models import OpenActiveFeed
    from providers.openactive.harvest import feed_harvest
    from talkingmoves.accounts.models import Organisation

    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        handler = functools.partial(_Quiet, directory=str(folder))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        partnership = Organisation.objects.create(
            name=f"Bench partnership {uuid.uuid4()}", kind=Organisation.Kind.ACTIVE_PARTNERSHIP
        )
        try:
            url = write_feed(folder, base, items=items, page_size=page_size, modified_base=1000)
            feed = OpenActiveFeed.objects.create(partnership=partnership, name="Bench", url=url)

            def timed(label):
                started = time.perf_counter()
                run = feed_harvest(feed=feed, allow_private_hosts=True, timeout=60)
                timings[label] = time.perf_counter() - started
                if run.status != "ok":
                    raise RuntimeError(run.error)
                print(
                    f"{label:<34} {timings[label]:6.1f} s  pages={run.pages} added={run.added} "
                    f"updated={run.updated} removed={run.removed} rejected={run.rejected}"
                )

            timed(f"first import of {items:,} items")
            timed("resume: nothing new")
            feed.next_url = ""
            feed.save(update_fields=["next_url"])
            timed("whole feed again, unchanged")
            write_feed(
                folder, base, items=items, page_size=page_size, modified_base=10**6, edition=2
            )
            feed.next_url = ""
            feed.save(update_fields=["next_url"])
            timed("whole feed again, every name changed")
        finally:
            httpd.shutdown()
            httpd.server_close()
            _clean_up(partnership)
    return timings


def _clean_up(partnership) -> None:
    from providers.models import Activity, ListingChange, OpenActiveFeed, Provider, Venue

    public_ids = []
    for model in (Activity, Venue, Provider):
        listings = model.objects.filter(feed__partnership=partnership)
        public_ids += list(listings.values_list("public_id", flat=True))
        listings.delete()
    ListingChange.objects.filter(listing_public_id__in=public_ids).delete()
    OpenActiveFeed.objects.filter(partnership=partnership).delete()
    partnership.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")
    import django

    django.setup()
    run_bench(items=args.items, page_size=args.page_size)


if __name__ == "__main__":
    main()
