"""What an activity is like: how it is delivered, how hard it is, group or one-to-one, whom it
suits; and the types of activity people most often say they would enjoy."""

from enum import StrEnum

from django.db import models


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    BOTH = "both", "In person and online"


class Intensity(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    MODERATE = "moderate", "Moderate"
    VIGOROUS = "vigorous", "Vigorous"


class Format(models.TextChoices):
    GROUP = "group", "Group"
    ONE_TO_ONE = "one_to_one", "One-to-one"


class SuitableFor(models.TextChoices):
    BEGINNERS = "beginners", "Beginners"
    LONG_TERM_CONDITIONS = "long_term_conditions", "People with long-term conditions"
    MENTAL_HEALTH_AWARE = "mental_health_aware", "Mental-health aware staff"
    WOMEN_ONLY = "women_only", "Women only"
    MEN_ONLY = "men_only", "Men only"
    AGE_18_25 = "age_18_25", "18 to 25 year olds"
    OVER_50S = "over_50s", "Over 50s"
    DISABLED_PEOPLE = "disabled_people", "Disabled people"
    QUIET_SESSION = "quiet_session", "Quiet session"
    ACCOMPANIED_FIRST_VISIT = "accompanied_first_visit", "Accompanied first visit welcome"


class Interest(StrEnum):
    """The interests most asked about (the source research: walking, yoga, swimming, exercise
    classes and cycling first), in this order. Each value is the type's label on the OpenActive
    Activity List, which is how the list's rows are found (their ids are the list's UUIDs)."""

    WALKING = "Walking"
    YOGA = "Yoga"
    SWIMMING = "Swimming"
    GROUP_EXERCISE = "Group Exercise"
    CYCLING = "Cycling"
    RUNNING = "Running"
    DANCE = "Dance"
    PILATES = "Pilates"
    TAI_CHI = "Tai Chi"
    GYM_WORKOUT = "Gym Workout"
    CHAIR_BASED_EXERCISE = "Chair Based Exercise"
    GENERAL_FITNESS_FOR_OLDER_ADULTS = "General Fitness for Older Adults"
    GARDENING = "Gardening"
    FOOTBALL = "Football"
    BADMINTON = "Badminton"
    TABLE_TENNIS = "Table Tennis"
    BOWLS = "Bowls"
