"""Creates demo organisations and logins. Idempotent; refuses to run in production.

Later issues extend this with their own demo data (listings, service users, referrals);
the logins below stay as they are, because the README, `make run` and the browser tests
rely on them.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from talkingmoves.accounts.models import Organisation, Role, User
from talkingmoves.demo.directory import seed_directory
from talkingmoves.demo.loop import seed_the_loop
from talkingmoves.demo.outcomes import seed_duty_contacts, seed_outcomes
from talkingmoves.demo.pathway import seed_service_users
from talkingmoves.demo.plans import seed_plan_history, seed_plans

DEMO_PASSWORD = "TalkingMoves-demo-1"
# Published demo TOTP secret (base32 JBSWY3DPEHPK3PXP), as hex for django-otp.
DEMO_TOTP_KEY_HEX = "48656c6c6f21deadbeef"

ORGANISATIONS = [
    ("Riverside NHS Talking Therapies", Organisation.Kind.TALKING_THERAPIES),
    ("Hillside NHS Talking Therapies", Organisation.Kind.TALKING_THERAPIES),
    ("Active Riverside Partnership", Organisation.Kind.ACTIVE_PARTNERSHIP),
    ("Active Hillside Partnership", Organisation.Kind.ACTIVE_PARTNERSHIP),
    ("Riverside Leisure Centre", Organisation.Kind.PROVIDER),
    ("Parkside Walking for Health", Organisation.Kind.PROVIDER),
    ("Calm Waters Swim Club", Organisation.Kind.PROVIDER),
    ("Hillside Community Yoga", Organisation.Kind.PROVIDER),
]

DEMO_USERS = [
    ("clinician@demo.test", "Sam Clinician", Role.CLINICIAN, "Riverside NHS Talking Therapies"),
    (
        "clinician@other.demo.test",
        "Alex Other-Clinician",
        Role.CLINICIAN,
        "Hillside NHS Talking Therapies",
    ),
    ("lead@demo.test", "Jordan Lead", Role.SERVICE_LEAD, "Riverside NHS Talking Therapies"),
    (
        "partnership@demo.test",
        "Priya Partnership",
        Role.PARTNERSHIP_STAFF,
        "Active Riverside Partnership",
    ),
    ("provider@demo.test", "Chris Provider", Role.PROVIDER_STAFF, "Riverside Leisure Centre"),
]
ADMIN_EMAIL = "admin@demo.test"


class Command(BaseCommand):
    help = "Create demo organisations and logins (never in production)."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "seed_demo refuses to run here: these settings do not allow demo data."
            )
        with transaction.atomic():
            organisations = self._organisations()
            for email, name, role, org_name in DEMO_USERS:
                self._user(email, name, role=role, organisation=organisations[org_name])
            self._user(ADMIN_EMAIL, "Ada Admin", role="", organisation=None, superuser=True)
            seed_duty_contacts()
            seed_directory()
            seed_service_users()
            seed_the_loop()
            seed_outcomes()
            seed_plans()
            seed_plan_history()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _organisations(self):
        organisations = {}
        for name, kind in ORGANISATIONS:
            organisations[name], _ = Organisation.objects.get_or_create(name=name, kind=kind)
        return organisations

    def _user(self, email, name, *, role, organisation, superuser=False):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email)
        user.full_name = name
        user.role = role
        user.organisation = organisation
        user.is_superuser = superuser
        user.is_staff = superuser
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.full_clean(exclude=["password"])
        user.save()
        if user.needs_two_factor:
            TOTPDevice.objects.update_or_create(
                user=user,
                name="Demo authenticator",
                defaults={"key": DEMO_TOTP_KEY_HEX, "confirmed": True, "step": 30, "digits": 6},
            )
        return user
