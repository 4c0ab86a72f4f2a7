"""Send the nudges due by a moment, here and now, without the broker.

For demos and support: `--days-ahead 7` moves the clock on a week, so a day-7 "Did you
manage to go?" goes out today. Everything else (skip rules, quiet hours, one a day) applies
as it would at that moment. Higher apps' timed work registered on the `due_work` hook (an
activity plan's week-6 call task, say) is done as of the same moment."""

from collections import Counter
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from referrals.nudges import delivery
from referrals.nudges.hooks import due_work


class Command(BaseCommand):
    help = "Send nudges due now, or due by a later moment (to try the schedule out)."

    def add_arguments(self, parser):
        parser.add_argument("--days-ahead", type=int, default=0)
        parser.add_argument("--as-of", help="ISO date-time, e.g. 2026-12-08T10:30")

    def handle(self, *args, days_ahead, as_of, **options):
        if as_of:
            try:
                moment = datetime.fromisoformat(as_of)
            except ValueError:
                raise CommandError(
                    "Give --as-of as an ISO date-time, like 2026-12-08T10:30"
                ) from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        else:
            moment = timezone.now() + timedelta(days=days_ahead)
        outcomes = Counter()
        while ids := delivery.claim_due(now=moment):
            for nudge_id in ids:
                outcomes[delivery.deliver(nudge_id, now=moment)] += 1
        for done in due_work(now=moment):
            outcomes.update({what: count for what, count in (done or {}).items() if count})
        summary = ", ".join(f"{count} {what}" for what, count in sorted(outcomes.items()))
        self.stdout.write(f"As of {moment:%Y-%m-%d %H:%M}: {summary or 'nothing due'}")
