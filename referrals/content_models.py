"""Clinical text a service signs off itself."""

from django.db import models

from talkingmoves.accounts.models import Organisation

DEFAULT_RED_FLAG_GUIDANCE = (
    "Interim guidance, to be signed off by the service's clinical safety officer.\n"
    "Stop activity and seek urgent medical review for new or worsening chest pain, pressure or "
    "tightness; palpitations or an irregular heartbeat; fainting, near-fainting or marked "
    "dizziness; breathlessness out of proportion to effort; or new neurological symptoms.\n"
    "Chest pain that does not settle with rest: call 999."
)


class ServiceContent(models.Model):
    """Clinical text a service signs off itself (through the Django admin), not code."""

    service = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="content",
        limit_choices_to={"kind": Organisation.Kind.TALKING_THERAPIES},
    )
    red_flag_guidance = models.TextField(
        "Stop and seek medical review if…",
        default=DEFAULT_RED_FLAG_GUIDANCE,
        help_text="Shown with every PAR-Q+ screening outcome. One point per line.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "service content"
        verbose_name_plural = "service content"

    def __str__(self):
        return f"Content for {self.service}"
