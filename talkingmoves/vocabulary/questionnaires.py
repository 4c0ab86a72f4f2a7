"""The questions as asked: official PHQ-9 and GAD-7 wording (clinical-definitions.md sections
1-2), WSAS items (3.9) and the single-item activity question (4.2); and the severity bands
each total falls in (outcomes.rules finds the band)."""

from enum import StrEnum

PHQ9_STEM = (
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)
PHQ9_ITEMS = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — "
    "being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
]

GAD7_STEM = "Over the last 2 weeks, how often have you been bothered by the following problems?"
GAD7_ITEMS = [
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
]

FREQUENCY_CHOICES = [
    ("0", "Not at all"),
    ("1", "Several days"),
    ("2", "More than half the days"),
    ("3", "Nearly every day"),
]

WSAS_STEM = "Because of my problem, my ability to do these things is impaired"
WSAS_ITEMS = [
    "Ability to work",
    "Home management (cleaning, tidying, shopping, cooking, looking after home or children, "
    "paying bills)",
    "Social leisure activities (with other people, such as parties, pubs, outings, visits, "
    "dating, home entertaining)",
    "Private leisure activities (done alone, such as reading, gardening, sewing, hobbies, "
    "walking alone)",
    "Ability to form and maintain close relationships with others, including those I live with",
]
WSAS_CHOICES = [
    ("0", "0: Not at all"),
    ("1", "1"),
    ("2", "2: Slightly"),
    ("3", "3"),
    ("4", "4: Definitely"),
    ("5", "5"),
    ("6", "6: Markedly"),
    ("7", "7"),
    ("8", "8: Very severely"),
]
WSAS_NOT_WORKING = "not_applicable"

ACTIVITY_DAYS_QUESTION = (
    "In the past week, on how many days have you done a total of 30 minutes or more of "
    "physical activity, which was enough to raise your breathing rate?"
)
ACTIVITY_DAYS_HINT = (
    "This may include sport, exercise and brisk walking or cycling, for recreation or to get "
    "to and from places, but not housework or physical activity that is part of your job"
)
ACTIVITY_DAYS_CHOICES = [(str(n), f"{n} day{'s' if n != 1 else ''}") for n in range(8)]


class Severity(StrEnum):
    MINIMAL = "Minimal"
    MILD = "Mild"
    MODERATE = "Moderate"
    MODERATELY_SEVERE = "Moderately severe"
    SEVERE = "Severe"


# Severity bands by their upper bound (Kroenke 2001; Spitzer 2006), as NHS England's own
# Talking Therapies code groups them.
PHQ9_BANDS = (
    (4, Severity.MINIMAL),
    (9, Severity.MILD),
    (14, Severity.MODERATE),
    (19, Severity.MODERATELY_SEVERE),
    (27, Severity.SEVERE),
)
GAD7_BANDS = (
    (4, Severity.MINIMAL),
    (9, Severity.MILD),
    (14, Severity.MODERATE),
    (21, Severity.SEVERE),
)
WSAS_BANDS = (
    (9, "Subclinical"),
    (20, "Significant functional impairment"),
    (40, "Moderately severe impairment or worse"),
)
