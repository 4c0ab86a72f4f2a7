"""The lead dashboard's views alone, on an already seeded bench database:
`DATABASE_URL=... BENCH_DASHBOARD_SECTIONS=all python -m bench.dashboards_only`."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talkingmoves.settings.local")

import django

django.setup()

from bench import dashboard_views  # noqa: E402

dashboard_views.run()
