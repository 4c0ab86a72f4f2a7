"""How many people each service has on its books, kept by the database.

A lead's whole-service caseload pages through everyone not erased: at a million people the
exact COUNT(*) for its page numbers was an index-only scan of the whole service, 77 ms, the
largest part of the page. Statement-level triggers on referrals_serviceuser (migration
0020) add the people a statement inserted or un-erased and take away those it deleted or
erased, as one upsert per service, in the same transaction, whoever writes them. The
nightly reconcile (referrals/records/people_counts.py) puts a count right that differs
from the people (a restore, changes with the triggers off). PostgreSQL only: elsewhere the
caseload counts its query."""

from django.db import models

from talkingmoves.accounts.models import Organisation


class ServicePeopleCount(models.Model):
    """People of one service not erased. Every new person of a service updates its row, so
    two transactions that each add one take turns at commit (adding people is occasional
    and quick; a bulk import is one statement)."""

    service = models.OneToOneField(
        Organisation,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    people = models.BigIntegerField()

    def __str__(self):
        return f"{self.people} people"
