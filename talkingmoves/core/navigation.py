"""Role-aware navigation. Later issues add their pages here (caseload, listings, inbox,
dashboard); an entry appears only when its page exists and the role may use it."""

from dataclasses import dataclass

from talkingmoves.accounts.roles import Role
from talkingmoves.core.links import url


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # The part of the site the item stands for, when wider than its page (a URL name).
    area_name: str = ""

    @property
    def url(self) -> str:
        return url(self.url_name)

    @property
    def area(self) -> str:
        return url(self.area_name) if self.area_name else self.url


ROLE_NAVIGATION: dict[str, tuple[NavItem, ...]] = {
    Role.CLINICIAN: (
        NavItem("Home", "core:home"),
        NavItem("Service users", "referrals:caseload"),
        NavItem("Find activities", "providers:search"),
    ),
    Role.SERVICE_LEAD: (
        NavItem("Home", "core:home"),
        NavItem("Service users", "referrals:caseload"),
        NavItem("Find activities", "providers:search"),
        NavItem("In-house offers", "providers:list"),
        NavItem("Dashboard", "dashboards:lead_summary", "dashboards:lead_dashboard"),
        NavItem("Messages", "nudges:messages"),
        NavItem("Import scores", "outcomes:measures_import_upload"),
        NavItem("Team", "accounts:team"),
    ),
    Role.PARTNERSHIP_STAFF: (
        NavItem("Home", "core:home"),
        NavItem("Listings", "providers:list"),
        NavItem("Providers", "providers:provider_list"),
        NavItem("Import", "providers:csv_upload"),
        NavItem("OpenActive feeds", "providers:feed_list"),
        NavItem("Dashboard", "dashboards:partnership_dashboard"),
        NavItem("Provider accounts", "accounts:provider_accounts"),
    ),
    Role.PROVIDER_STAFF: (
        NavItem("Home", "core:home"),
        NavItem("Referral inbox", "referrals:inbox"),
        NavItem("Register", "referrals:inbox_register"),
        NavItem("Your listings", "providers:list"),
    ),
}
ADMIN_NAVIGATION = (
    NavItem("Home", "core:home"),
    NavItem("Messages", "nudges:messages"),
    NavItem("Admin", "admin:index"),
)


def navigation_for(user) -> tuple[NavItem, ...]:
    if not user.is_authenticated:
        return ()
    if user.is_superuser:
        return ADMIN_NAVIGATION
    return ROLE_NAVIGATION.get(user.role, ())
