"""Words no message to a service user may contain: on a lock screen anyone can read it, so a
message must not say what the service treats. Checked on every name that goes into a
message (referrals/nudges/safe_names.py) and on every template (tests/nudges)."""

import re

# Stems, matched anywhere in a word: "Therapies", "physiotherapy", "anxious".
CLINICAL_STEMS = ("therap", "mental health", "depress", "anxi", "psycholog", "iapt")
# Short words, matched only as whole words: "PHQ-9", "GAD-7", never "gadget".
CLINICAL_WORDS = ("phq", "gad")

CLINICAL = re.compile(
    "|".join(
        [re.escape(stem) for stem in CLINICAL_STEMS]
        + [rf"\b{re.escape(word)}\b" for word in CLINICAL_WORDS]
    ),
    re.IGNORECASE,
)

# Who messages come from, until a service lead names it (kept neutral for the same reason).
DEFAULT_SENDER_NAME = "your NHS wellbeing team"
SENDER_NAME_MAX_LENGTH = 60
# Said instead of a name that would give the service away.
NEUTRAL_ACTIVITY = "your activity"
NEUTRAL_PROVIDER = "the organisers"


def says_something_clinical(text: str) -> bool:
    return bool(CLINICAL.search(text or ""))
