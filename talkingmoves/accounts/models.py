import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from talkingmoves.accounts.roles import Role


class Organisation(models.Model):
    class Kind(models.TextChoices):
        TALKING_THERAPIES = "talking_therapies", "NHS Talking Therapies service"
        ACTIVE_PARTNERSHIP = "active_partnership", "Active Partnership"
        PROVIDER = "provider", "Activity provider"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # ODS code for NHS organisations (e.g. a trust's Talking Therapies service); optional.
    ods_code = models.CharField("ODS code", max_length=10, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "kind", name="organisation_name_kind_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["talking_therapies", "active_partnership", "provider"]
                ),
                name="organisation_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def owning_organisation_id(self):
        return self.pk


# Which kind of organisation each role belongs to.
ROLE_ORGANISATION_KIND = {
    Role.CLINICIAN: Organisation.Kind.TALKING_THERAPIES,
    Role.SERVICE_LEAD: Organisation.Kind.TALKING_THERAPIES,
    Role.PARTNERSHIP_STAFF: Organisation.Kind.ACTIVE_PARTNERSHIP,
    Role.PROVIDER_STAFF: Organisation.Kind.PROVIDER,
}

# Roles that can see clinical data, and so must use two-factor authentication.
CLINICAL_ROLES = frozenset({Role.CLINICIAN, Role.SERVICE_LEAD})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Users need an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            # A role always comes with an organisation; only admins may have neither.
            models.CheckConstraint(
                condition=(
                    models.Q(role="", organisation__isnull=True)
                    | (~models.Q(role="") & models.Q(organisation__isnull=False))
                ),
                name="user_role_has_organisation",
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").lower()
        if self.role and not self.organisation_id:
            raise ValidationError({"organisation": "Select the organisation this person works for"})
        if self.organisation_id and not self.role:
            raise ValidationError({"role": "Select this person's role"})
        if self.role and self.organisation_id:
            expected = ROLE_ORGANISATION_KIND[Role(self.role)]
            if self.organisation.kind != expected:
                raise ValidationError(
                    {
                        "organisation": f"A {self.get_role_display().lower()} must belong to "
                        f"an organisation of kind “{expected.label}”"
                    }
                )

    @property
    def needs_two_factor(self) -> bool:
        return self.role in CLINICAL_ROLES or self.is_superuser

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Invitation(models.Model):
    """An invitation to an account, sent by a service lead or partnership staff.

    The link carries a random token; only its SHA-256 hash is stored, so the table cannot be
    used to sign in. An invitation works once (`accepted_at`) and until `expires_at`; inviting
    the same person again ends the earlier invitation.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address")
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invitations"
    )
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invitations_sent")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    account = models.OneToOneField(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="invitation"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(role=""), name="invitation_has_role"),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True, account__isnull=True)
                | models.Q(accepted_at__isnull=False, account__isnull=False),
                name="invitation_accepted_has_account",
            ),
        ]
        indexes = [
            # The team pages list the invitations still waiting in one organisation.
            models.Index(
                fields=["organisation", "-created_at"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_pending_idx",
            )
        ]

    def __str__(self):
        return f"Invitation {self.public_id}"

    @property
    def owning_organisation_id(self):
        return self.organisation_id

    def is_pending(self, now=None) -> bool:
        return self.accepted_at is None and (now or timezone.now()) < self.expires_at
