"""No message to a service user says what the service treats: not in the texts, not in the
names of the service, provider, venue or activity that go into them."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from outcomes.models import OutcomeSettings
from outcomes.plans.links import PLAN_PAGE
from outcomes.plans.models import ActivityPlan
from providers.models import Activity
from referrals.models import Referral
from referrals.nudges.delivery import message_context
from referrals.nudges.messages import AUDIENCE_SERVICE_USER, TEMPLATES
from referrals.nudges.models import Nudge
from talkingmoves.notify.models import StoredMessage
from talkingmoves.vocabulary.message_words import says_something_clinical
from tests.providers.factories import ActivityFactory, ProviderFactory, VenueFactory
from tests.referrals.factories import ReferralFactory

# A link's signed token is random letters, not words anyone reads.
LINK = re.compile(r"https?://\S+")
SERVICE_USER_TEMPLATES = [k for k, t in TEMPLATES.items() if t.audience == AUDIENCE_SERVICE_USER]


def rendered(referral, key):
    nudge = Nudge(
        service_id=referral.service_user.service_id,
        audience=AUDIENCE_SERVICE_USER,
        template=key,
        service_user=referral.service_user,
        referral=referral,
        due_at=timezone.now(),
    )
    context = message_context(nudge)
    for channel in ("sms", "email"):
        subject, body = TEMPLATES[key].render(channel, context)
        yield channel, LINK.sub("", f"{subject}\n{body}")


def test_the_word_list():
    for text in ("Talking Therapies", "PHQ-9", "GAD-7", "anxious", "IAPT", "Psychological"):
        assert says_something_clinical(text), text
    for text in ("Riverside Leisure Centre", "gadget club", "Beginners' walking group"):
        assert not says_something_clinical(text), text


@pytest.mark.django_db
def test_every_message_for_every_demo_referral_is_free_of_clinical_words():
    call_command("seed_demo")
    referrals = list(
        Referral.objects.select_related(
            "service_user", "activity__provider", "activity__venue"
        ).prefetch_related("activity__weekly_slots")
    )
    assert referrals
    # And as if each demo activity had been referred to: the demo lists names that would
    # give the service away ("Riverside Talking Therapies: active therapy"), so the check
    # is not idle.
    activities = Activity.objects.select_related("provider", "venue")
    assert any(says_something_clinical(f"{a.provider.name} {a.name}") for a in activities)
    someone = referrals[0].service_user
    referrals += [Referral(service_user=someone, activity=a) for a in activities]
    for referral in referrals:
        for key in SERVICE_USER_TEMPLATES:
            for channel, text in rendered(referral, key):
                assert not says_something_clinical(text), (referral.pk, key, channel, text)


@pytest.mark.django_db
def test_names_that_give_the_service_away_are_replaced(person):
    provider = ProviderFactory(name="Riverside Talking Therapies")
    venue = VenueFactory(provider=provider, name="Riverside Leisure Centre")
    activity = ActivityFactory(
        provider=provider,
        venue=venue,
        name="Active therapy",
        takes_referrals=True,
        referral_email="referrals@riverside.example",
    )
    referral = ReferralFactory(sent=True, service_user=person, activity=activity)
    context = message_context(referral.nudges.get(template="did_you_go"))
    assert context["activity"] == "your activity at Riverside Leisure Centre"
    assert context["provider"] == "the organisers"
    # Staff are told the names as they are.
    staff = message_context(referral.nudges.get(template="provider_new_referral"))
    assert staff["activity"] == "Active therapy"


@pytest.mark.django_db
def test_texts_open_with_the_services_sender_name(sent_referral):
    nudge = sent_referral.nudges.get(template="did_you_go")
    _, text = TEMPLATES["did_you_go"].render("sms", message_context(nudge))
    assert text.startswith("Your NHS wellbeing team: Hello")
    OutcomeSettings.objects.filter(service_id=nudge.service_id).update(
        message_sender_name="Riverside wellbeing"
    )
    _, text = TEMPLATES["did_you_go"].render("sms", message_context(nudge))
    assert text.startswith("Riverside wellbeing: Hello")
    _subject, body = TEMPLATES["referral_details"].render("email", message_context(nudge))
    assert "sent by Riverside wellbeing" in body
    # A name that slipped past the lead's check (the list grew since) is not used.
    OutcomeSettings.objects.filter(service_id=nudge.service_id).update(
        message_sender_name="Riverside therapies"
    )
    _, text = TEMPLATES["did_you_go"].render("sms", message_context(nudge))
    assert text.startswith("Your NHS wellbeing team:")


@pytest.mark.django_db
def test_the_demo_plan_its_message_and_its_pages_are_free_of_clinical_words(client):
    """The personal plan (issue 17): the message as the gateway got it, and the person's
    page and easy-read page its link opens, for the demo's six-week walking plan."""
    call_command("seed_demo")
    # The plan in its third week (the other demo plan is six weeks on).
    plan = ActivityPlan.objects.filter(status="sent").order_by("-starts_on").first()
    assert plan.steps.count() == 6 and plan.check_ins.count() == 2
    nudge = Nudge.objects.get(template="personal_plan", service_user=plan.service_user)
    assert nudge.status in ("sent", "delivered")
    sent = StoredMessage.objects.get(reference=str(nudge.pk)).personalisation
    text = "\n".join(str(value) for value in sent.values())
    assert not says_something_clinical(LINK.sub("", text))
    # The link in the message opens the plan (a token carries its own time, so read it).
    link = re.search(r"/outcomes/my-plan/([^/\s]+)/", text)
    assert PLAN_PAGE.value(link.group(1)) == str(plan.public_id)
    for path in (link.group(0), link.group(0) + "easy-read/"):
        page = client.get(path)
        assert page.status_code == 200
        assert not says_something_clinical(re.sub(r"<[^>]+>", " ", page.content.decode()))
    # Its weekly check-ins as the gateway got them: nothing clinical either.
    check_ins = Nudge.objects.filter(
        template="plan_check_in", service_user=plan.service_user, status__in=("sent", "delivered")
    )
    assert check_ins.count() == 2
    for sent in StoredMessage.objects.filter(reference__in=[str(n.pk) for n in check_ins]):
        text = "\n".join(str(value) for value in sent.personalisation.values())
        assert "How did your week go?" in text
        assert not says_something_clinical(LINK.sub("", text))
