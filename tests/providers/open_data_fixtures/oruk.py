"""Where the Open Referral UK API answers, and what its lists contain."""

from django.urls import reverse

ROOT = reverse("open_data:oruk_root")
SERVICES = reverse("open_data:oruk_services")


def detail_url(activity_or_id) -> str:
    public_id = getattr(activity_or_id, "public_id", activity_or_id)
    return reverse("open_data:oruk_service", args=[public_id])


def ids(response) -> list[str]:
    return [item["id"] for item in response.json()["contents"]]
