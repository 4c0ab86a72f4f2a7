"""NHS Talking Therapies care: the step a person is treated at."""

from django.db import models


class Step(models.IntegerChoices):
    LOW_INTENSITY = 2, "Step 2: low intensity"
    HIGH_INTENSITY = 3, "Step 3: high intensity"
