import factory

from talkingmoves.jobs.models import Job
from talkingmoves.jobs.services import job_run
from tests.factories import PartnershipStaffFactory
from tests.jobs import handlers  # noqa: F401 (the kinds these jobs are)


class JobFactory(factory.django.DjangoModelFactory):
    """A queued job, as job_enqueue leaves it (no task is sent). `succeeded` and `failed`
    run it through job_run, as a worker would: its handler (tests/jobs/handlers.py) adds
    three organisations, or refuses row 2 and adds none."""

    class Meta:
        model = Job

    kind = "tests.count"
    created_by = factory.SubFactory(PartnershipStaffFactory)
    organisation = factory.SelfAttribute("created_by.organisation")
    payload = factory.Dict({"n": 3})
    total = 3

    @classmethod
    def create(cls, *, succeeded: bool = False, failed: bool = False, **kwargs):
        if failed:
            kwargs.setdefault("payload", {"n": 3, "fail_at": 2})
        job = super().create(**kwargs)
        if succeeded or failed:
            job_run(job.pk)
            job.refresh_from_db()
        return job
