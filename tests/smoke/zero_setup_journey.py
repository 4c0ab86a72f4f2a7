"""Run by test_zero_setup.py in a subprocess with the zero-setup default (no DATABASE_URL,
no CELERY_BROKER_URL): sign in as each demo login, through the real forms, and load home."""

import os
import sys
from base64 import b32decode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")
django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp.oath import TOTP  # noqa: E402

PASSWORD = "TalkingMoves-demo-1"
LOGINS = {
    "clinician@demo.test": "Help people get moving",
    "clinician@other.demo.test": "Help people get moving",
    "lead@demo.test": "Riverside NHS Talking Therapies",
    "partnership@demo.test": "Active Riverside Partnership",
    "provider@demo.test": "Riverside Leisure Centre",
    "admin@demo.test": "Administration",
}


def main() -> int:
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CELERY_BROKER_URL == "filesystem://"
    failures = []
    for email, heading in LOGINS.items():
        client = Client(HTTP_HOST="localhost")
        response = client.post("/account/sign-in/", {"username": email, "password": PASSWORD})
        if response.status_code != 302:
            failures.append(f"{email}: sign-in answered {response.status_code}")
            continue
        response = client.get("/", follow=True)
        if response.redirect_chain and "/account/two-factor/" in response.redirect_chain[-1][0]:
            code = f"{TOTP(b32decode('JBSWY3DPEHPK3PXP')).token():06d}"
            response = client.post(
                "/account/two-factor/", {"token": code, "next": "/"}, follow=True
            )
        content = response.content.decode()
        if response.status_code != 200 or f"<h1>{heading}</h1>" not in content:
            failures.append(f"{email}: home page did not load ({response.status_code})")
        else:
            print(f"ok {email}")
    failures += _open_data_feed()
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


def _open_data_feed() -> list[str]:
    """The OpenActive feed's first page and the page after it: on SQLite its statements are
    built each time, not compiled once (talkingmoves/core/compiled_query.py)."""
    client = Client(HTTP_HOST="localhost")
    first = client.get("/openactive/session-series")
    if first.status_code != 200 or not first.json()["items"]:
        return [f"OpenActive feed: first page answered {first.status_code} or was empty"]
    after = client.get(first.json()["next"])
    if after.status_code != 200 or after.json()["items"][:1] == first.json()["items"][:1]:
        return [f"OpenActive feed: the next page answered {after.status_code} or did not move on"]
    print("ok OpenActive feed")
    return []


if __name__ == "__main__":
    sys.exit(main())
