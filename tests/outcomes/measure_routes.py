"""The ways a measure arrives (a clinician's form, an import, a service user's link), as
the measure-entry tests drive them."""

from outcomes import services
from outcomes.services import MeasureEntry
from tests.factories import with_duty_contact
from tests.outcomes.factories import phq9_items
from tests.outcomes.safety_fixtures import TODAY


def phq9_answers(item_9=0):
    return phq9_items(8 + item_9, item_9=item_9)


def by_clinician(episode, clinician, answers, on):
    return services.measure_record(
        episode=episode, kind="phq9", taken_on=on, answers=answers, by=clinician
    )


def by_import(episode, clinician, answers, on):
    measures, _ = services.measures_import(
        episode=episode, taken_on=on, entries=[MeasureEntry("phq9", answers)], by=clinician
    )
    return measures[0]


def by_link(episode, clinician, answers, on):
    """A service user's questionnaire link (always today's date)."""
    assert on == TODAY
    with_duty_contact(episode.service)
    request = services.measure_request_create(episode=episode, by=clinician, kinds=["phq9"])
    measures, _ = services.measure_request_complete(request=request, answers={"phq9": answers})
    return measures[0]


ROUTES = {"clinician": by_clinician, "import": by_import, "link": by_link}
