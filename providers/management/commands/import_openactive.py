"""python manage.py import_openactive URL [--partnership NAME_OR_ID] [--name NAME]

Harvests the feed registered at URL now, from where its last harvest stopped, whichever
partnership registered it (--partnership chooses when two have). A URL nobody has registered is
registered only when --partnership names who for; otherwise the command says how to register
it. Exits non-zero when the harvest fails.
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
        feed = _registered_feed(url, partnership)
        if feed is None:
            if partnership is None:
                raise CommandError(
                    f"No feed is registered at {url}. Partnership staff register feeds on the "
                    "OpenActive feeds page (Directory, then OpenActive feeds, then Register a "
                    "feed); or run this again with --partnership NAME_OR_ID to register it for "
                    "that partnership now."
                )
            organisation = _partnership(partnership)
            try:
                feed = feed_register(partnership=organisation, name=name or url[:200], url=url)
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
            self.stdout.write(f"Registered {feed.name} for {organisation.name}")
        else:
            self.stdout.write(f"Using {feed.name}, already registered for {feed.partnership.name}")
            if not feed.is_active:
                self.stdout.write("The feed is paused: harvesting it this once, as asked")
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


def _registered_feed(url: str, partnership: str | None) -> OpenActiveFeed | None:
    feeds = OpenActiveFeed.objects.filter(url=url).select_related("partnership")
    if partnership is not None:
        feeds = feeds.filter(partnership=_partnership(partnership))
    found = list(feeds[:2])
    if len(found) > 1:
        names = " and ".join(sorted(feed.partnership.name for feed in found))
        raise CommandError(
            f"{names} have both registered {url}: say which with --partnership NAME_OR_ID"
        )
    if found and found[0].removed_at is not None:
        raise CommandError(
            f"{found[0].name} was removed by {found[0].partnership.name}, so it is not "
            "harvested. Register it again on the OpenActive feeds page to bring it back."
        )
    return found[0] if found else None


def _partnership(name_or_id: str) -> Organisation:
    partnerships = Organisation.objects.filter(kind=Organisation.Kind.ACTIVE_PARTNERSHIP)
    match = (
        partnerships.filter(pk=int(name_or_id)).first()
        if name_or_id.isdigit()
        else partnerships.filter(name__iexact=name_or_id.strip()).first()
    )
    if match is None:
        raise CommandError(f"No Active Partnership called {name_or_id!r}")
    return match
