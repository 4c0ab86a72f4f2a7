import factory
from django.utils import timezone

from talkingmoves.jobs.models import Job
from tests.factories import PartnershipStaffFactory


class JobFactory(factory.django.DjangoModelFactory):
    """A job as job_enqueue leaves it (no task is sent); traits for how it ended."""

    class Meta:
        model = Job

    kind = "tests.count"
    created_by = factory.SubFactory(PartnershipStaffFactory)
    organisation = factory.SelfAttribute("created_by.organisation")
    payload = factory.Dict({"n": 3})
    total = 3

    class Params:
        succeeded = factory.Trait(
            state=Job.State.SUCCEEDED,
            done=3,
            result={"added": 3},
            finished_at=factory.LazyFunction(timezone.now),
        )
        failed = factory.Trait(
            state=Job.State.FAILED,
            message="Row refused, so nothing was changed",
            errors=[{"row": 2, "field": "name", "message": "=Row refused"}],
            finished_at=factory.LazyFunction(timezone.now),
        )
