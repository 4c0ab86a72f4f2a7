"""Episodes of Talking Therapies care, their appointments and measures (item by item), risk
flags from PHQ-9 item 9, per-service outcome settings and self-completion requests.

Derived columns (totals, episode outcomes) are never typed: services compute them through
`outcomes.rules`, and the database constraints keep every range honest.

A package by responsibility; every model is imported here, as Django's app loading and the
rest of the code (`from outcomes.models import Episode`) expect.
"""

from outcomes.models.alerts import RiskAlert
from outcomes.models.appointments import Appointment
from outcomes.models.caseload import EndedEpisodeFact, PersonCaseloadFact
from outcomes.models.day_facts import NudgeDayFact, ReferralDayFact
from outcomes.models.episode_activities import EpisodeActivity
from outcomes.models.episodes import EndingReason, Episode, ReferralSource
from outcomes.models.facts import AppointmentDayFact, EpisodeDayFact
from outcomes.models.imports import MeasureImport
from outcomes.models.measures import ITEM_FIELDS, MINUTES_IN_A_WEEK, Measure
from outcomes.models.referral_facts import ReferralFact, ReferralMonthFact
from outcomes.models.risk import OutcomeSettings, RiskFlag
from outcomes.models.self_completion import (
    MEASURE_REQUEST_LIFETIME,
    MeasureRequest,
    _default_request_kinds,  # named by migration 0001
    _request_expiry,  # named by migration 0001
)
from outcomes.models.wait_facts import WaitDayFact

# Personal activity plans live in their own package (outcomes/plans/) but are outcomes models.
from outcomes.plans.models import (
    ActivityConversation,
    ActivityPlan,
    PlanCheckIn,
    PlanStep,
)

__all__ = [
    "ITEM_FIELDS",
    "MEASURE_REQUEST_LIFETIME",
    "MINUTES_IN_A_WEEK",
    "ActivityConversation",
    "ActivityPlan",
    "Appointment",
    "AppointmentDayFact",
    "EndedEpisodeFact",
    "EndingReason",
    "Episode",
    "EpisodeActivity",
    "EpisodeDayFact",
    "Measure",
    "MeasureImport",
    "MeasureRequest",
    "NudgeDayFact",
    "OutcomeSettings",
    "PersonCaseloadFact",
    "PlanCheckIn",
    "PlanStep",
    "ReferralDayFact",
    "ReferralFact",
    "ReferralMonthFact",
    "ReferralSource",
    "RiskAlert",
    "RiskFlag",
    "WaitDayFact",
    "_default_request_kinds",
    "_request_expiry",
]
