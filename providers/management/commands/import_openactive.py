"""python manage.py import_openactive URL [--partnership NAME_OR_ID] [--name NAME]

Registers the feed for the partnership (or reuses it when already registered) and harvests it
now, from where its last harvest stopped. Exits non-zero when the harvest fails.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from providers.models import OpenActiveFeed
from providers.openactive.harvest import DEFAULT_TIMEOUT, FeedBusy, feed_harvest
from providers.openactive.services import feed_register
from talkingmoves.accounts.models import Organisation

REJECTIONS_PRINTED = 20


class Command(BaseCommand):
    help = "Register an OpenActive RPDE feed for a partnership and harvest it now."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The feed's first page, e.g. https://…/session-series")
        parser.add_argument(
            "--partnership",
            help="Active Partnership name or id (needed when there is more than one)",
        )
        parser.add_argument("--name", help="Name for a new feed (default: the web address)")
        parser.add_argument(
            "--timeout", type=float, default=DEFAULT_TIMEOUT, help="Seconds to wait for a page"
        )

    def handle(self, *args, url, partnership=None, name=None, timeout=DEFAULT_TIMEOUT, **options):
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise CommandError(f"{url} is not a web address starting https:// or http://") from None
        organisation = _partnership(partnership)
        feed = OpenActiveFeed.objects.filter(partnership=organisation, url=url).first()
        if feed is None:
            try:
                feed = feed_register(partnership=organisation, name=name or url[:200], url=url)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            self.stdout.write(f"Registered {feed.name} for {organisation.name}")
        else:
            self.stdout.write(f"Using {feed.name}, already registered for {organisation.name}")
        try:
            # Run by someone on the server, so a feed on the local network is allowed here.
            run = feed_harvest(feed=feed, timeout=timeout, allow_private_hosts=True)
        except FeedBusy as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{run.pages} page{'s' if run.pages != 1 else ''}: {run.added} added, "
            f"{run.updated} updated, {run.removed} removed, {run.rejected} rejected"
        )
        for rejection in run.rejections[:REJECTIONS_PRINTED]:
            self.stdout.write(
                f"  rejected {rejection['kind']} {rejection['id']}: {rejection['problem']}"
            )
        if run.rejected > REJECTIONS_PRINTED:
            self.stdout.write(f"  … and {run.rejected - REJECTIONS_PRINTED} more")
        if run.error:
            raise CommandError(run.error)
        self.stdout.write(self.style.SUCCESS("Harvest finished"))


def _partnership(name_or_id: str | None) -> Organisation:
    partnerships = Organisation.objects.filter(kind=Organisation.Kind.ACTIVE_PARTNERSHIP)
    if name_or_id is None:
        found = list(partnerships[:2])
        if len(found) == 1:
            return found[0]
        raise CommandError(
            "Say which Active Partnership the feed is for with --partnership NAME_OR_ID"
            if found
            else "There are no Active Partnerships yet: create one first"
        )
    match = (
        partnerships.filter(pk=int(name_or_id)).first()
        if name_or_id.isdigit()
        else partnerships.filter(name__iexact=name_or_id.strip()).first()
    )
    if match is None:
        raise CommandError(f"No Active Partnership called {name_or_id!r}")
    return match
