from django.db import models


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    SERVICE_LEAD = "service_lead", "Service lead"
    PARTNERSHIP_STAFF = "partnership_staff", "Active Partnership staff"
    PROVIDER_STAFF = "provider_staff", "Provider staff"
