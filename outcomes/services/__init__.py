"""Operations on episodes, appointments, measures, risk flags and self-completion requests.

Each runs in one transaction, checks that the actor may see the service user (clinicians and
leads of the service), refuses bad input with an `OutcomeError` naming the form field, and
recomputes the episode's derived outcome columns through `rules.assess`.
"""

from outcomes.services.alerts import (  # noqa: F401
    duty_contact_missing,
    risk_alert_acknowledge,
    risk_alerts_raise,
    risk_alerts_reroute,
    risk_flags_escalate,
    risk_settings_save,
)
from outcomes.services.common import (  # noqa: F401
    K,
    OutcomeError,
)
from outcomes.services.episodes import (  # noqa: F401
    OUTCOME_FIELDS,
    appointment_record,
    episode_end,
    episode_open,
    episode_recompute,
    episode_reopen,
    episodes_recompute,
    episodes_recompute_once,
    outcome_columns,
)
from outcomes.services.measures import (  # noqa: F401
    ITEM_RANGES,
    MEASURE_NAMES,
    DuplicateMeasure,
    MeasureEntry,
    activity_record,
    measure_record,
    measures_accept,
    measures_import,
    risk_flag_review,
)
from outcomes.services.self_completion import (  # noqa: F401
    SELF_COMPLETION_ACTOR,
    SELF_COMPLETION_KINDS,
    measure_request_complete,
    measure_request_create,
    measure_request_refusal,
    self_completion_path,
)
