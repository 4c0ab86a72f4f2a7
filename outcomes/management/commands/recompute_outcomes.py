"""Recompute every episode's derived columns (outcome flags, score changes, activity group)
from its measures, appointments and the person's referrals and attendance.

The services keep these in step as rows change; this is for reconciliation: after a bulk
import, a fix to the data by hand, or a change to the definitions. Safe to run at any time;
`--service` limits it to one Talking Therapies service (its id)."""

from django.core.management.base import BaseCommand

from outcomes.models import Episode
from outcomes.services import episodes_recompute


class Command(BaseCommand):
    help = "Recompute every episode's outcome columns and activity group."

    def add_arguments(self, parser):
        parser.add_argument("--service", type=int, help="Only this service's episodes (its id)")

    def handle(self, *args, service=None, **options):
        episodes = Episode.objects.order_by("pk")
        if service is not None:
            episodes = episodes.filter(service_id=service)
        count = episodes_recompute(episodes.only("pk"))
        self.stdout.write(f"Recomputed {count} episode{'s' if count != 1 else ''}.")
