"""What each nudge says, to whom, and when by default.

Texts hold no clinical detail: no scores, no diagnosis, and never "therapy" or "mental
health", because a message preview can be read over someone's shoulder. Service leads can
turn each message on or off and change its day and channel (NudgeSetting); the texts
themselves are fixed here so they stay reviewed.
"""

from dataclasses import dataclass

from talkingmoves.vocabulary.answers import Answer
from talkingmoves.vocabulary.contact import MessageChannel
from talkingmoves.vocabulary.message_words import CLINICAL_STEMS, CLINICAL_WORDS

AUDIENCE_SERVICE_USER = "service_user"
AUDIENCE_PROVIDER = "provider"
AUDIENCE_CLINICIAN = "clinician"

# What a message's day counts from.
FROM_REFERRAL_SENT = "referral_sent"
FROM_ACCEPTED = "accepted"
FROM_FIRST_SESSION = "first_session"  # offset is days *before* the first session
FROM_RECORD_CREATED = "record_created"
FROM_PLAN_START = "plan_start"  # weekly, the day after each week of a plan (outcomes/plans)
ON_EVENT = "event"  # sent when something happens, not on a day


@dataclass(frozen=True)
class MessageTemplate:
    key: str
    audience: str
    title: str  # how a service lead sees it in the schedule settings
    subject: str
    body: str
    sms: str = ""  # service users only; short and neutral
    counts_from: str = ON_EVENT
    offset_days: int = 0
    enabled: bool = True
    working_days: bool = False
    answerable: bool = False  # carries the "I went / Not yet / Call me / Stop" link
    # Its text message offers REPLY_ANSWERS by number (replies.py reads them back).
    sms_replies: bool = False
    configurable: bool = True

    def render(self, channel: str, context: dict) -> tuple[str, str]:
        """(subject, body) with the context filled in; SMS has no subject. A text to a
        service user opens with who it is from (the service's sender name)."""
        if channel == MessageChannel.SMS:
            text = self.sms.format(**context)
            if self.audience == AUDIENCE_SERVICE_USER and context.get("sender"):
                sender = context["sender"]
                text = f"{sender[:1].upper()}{sender[1:]}: {text}"
            return "", text
        return self.subject.format(**context), self.body.format(**context)


# What a reply of 1, 2 or 3 to a message with sms_replies means: stated in the message
# itself (REPLY_CHOICES), so the mapping and the words cannot drift apart.
REPLY_ANSWERS = {"1": Answer.WENT, "2": Answer.NOT_YET, "3": Answer.CALL_ME}
REPLY_CHOICES = " Or reply 1 if you went, 2 if not yet, 3 for a call. Reply STOP to stop these."

SIGN_OFF = "\n\nThis message was sent by {sender} through TalkingMoves."
ANSWER_LINK = "\n\nTell us how it went (takes a few seconds):\n{link}"

TEMPLATES = {
    t.key: t
    for t in (
        MessageTemplate(
            key="referral_details",
            audience=AUDIENCE_SERVICE_USER,
            title="Referral details, when the referral is sent",
            subject="Your place at {activity}",
            body=(
                "Hello {first_name},\n\nWe have passed your details to {provider}, who run "
                "{activity}. They will be in touch to arrange your first session.\n\n"
                "Where: {venue}\nWhen it runs: {when}" + SIGN_OFF
            ),
            sms=(
                "Hello {first_name}, we have passed your details to {provider} for "
                "{activity}. They will contact you about your first session."
            ),
            counts_from=FROM_REFERRAL_SENT,
            offset_days=0,
        ),
        MessageTemplate(
            key="first_session_reminder",
            audience=AUDIENCE_SERVICE_USER,
            title="Reminder the day before the first session",
            subject="Reminder: {activity} tomorrow",
            body=(
                "Hello {first_name},\n\nA reminder that your first session of {activity} is "
                "tomorrow, {first_session}.\n\nWhere: {venue}" + SIGN_OFF
            ),
            sms="Reminder: {activity} is tomorrow, {first_session}. {venue}",
            counts_from=FROM_FIRST_SESSION,
            offset_days=1,
        ),
        MessageTemplate(
            key="did_you_go",
            audience=AUDIENCE_SERVICE_USER,
            title='"Did you manage to go?"',
            subject="Did you manage to go to {activity}?",
            body=(
                "Hello {first_name},\n\nDid you manage to go to {activity}? Getting started is "
                "often the hardest part." + ANSWER_LINK + SIGN_OFF
            ),
            sms=(
                "Hello {first_name}, did you manage to go to {activity}? Let us know: {link}"
                + REPLY_CHOICES
            ),
            counts_from=FROM_REFERRAL_SENT,
            offset_days=7,
            answerable=True,
            sms_replies=True,
        ),
        MessageTemplate(
            key="referral_accepted",
            audience=AUDIENCE_SERVICE_USER,
            title="Confirmation when the provider accepts",
            subject="You have a place at {activity}",
            body=(
                "Hello {first_name},\n\n{provider} can welcome you to {activity}.\n\n"
                "What: {activity}\nWhere: {venue}\nWhen: {start}.{accompanied}\n\n"
                "If you cannot make it, let us know here:\n{link}" + SIGN_OFF
            ),
            sms=(
                "Hello {first_name}, {provider} can welcome you to {activity}. {start}, "
                "{venue}.{accompanied} Can't make it? Tell us: {link}"
            ),
            counts_from=FROM_ACCEPTED,
            offset_days=0,
            answerable=True,
        ),
        MessageTemplate(
            key="session_missed",
            audience=AUDIENCE_SERVICE_USER,
            title="A gentle follow-up when the provider marks a session missed",
            subject="We missed you at {activity}",
            body=(
                "Hello {first_name},\n\nWe noticed you could not make a session of "
                "{activity}. That is fine: you are welcome at the next one. If something is "
                "getting in the way, we can help." + ANSWER_LINK + SIGN_OFF
            ),
            sms=(
                "Hello {first_name}, we noticed you could not make {activity}. You are welcome "
                "next time. Need a hand? {link}"
            ),
            answerable=True,
        ),
        MessageTemplate(
            key="check_in",
            audience=AUDIENCE_SERVICE_USER,
            title="Check-in",
            subject="How is {activity} going?",
            body=(
                "Hello {first_name},\n\nIt has been a few weeks since we put you in touch "
                "with {provider}. How is it going?" + ANSWER_LINK + SIGN_OFF
            ),
            sms="Hello {first_name}, how is {activity} going? Let us know: {link}",
            counts_from=FROM_REFERRAL_SENT,
            offset_days=28,
            answerable=True,
        ),
        MessageTemplate(
            key="follow_up",
            audience=AUDIENCE_SERVICE_USER,
            title="Follow-up",
            subject="Keeping going with {activity}",
            body=(
                "Hello {first_name},\n\nSix weeks on: are you still going to {activity}? "
                "If it has not worked out, your practitioner can help you find something "
                "else." + ANSWER_LINK + SIGN_OFF
            ),
            sms="Hello {first_name}, are you still going to {activity}? Let us know: {link}",
            counts_from=FROM_REFERRAL_SENT,
            offset_days=42,
            answerable=True,
        ),
        MessageTemplate(
            key="shortlist",
            audience=AUDIENCE_SERVICE_USER,
            title="A list of activities the practitioner sends (from the record)",
            subject="Activities near you",
            body=(
                "Hello {first_name},\n\nHere are the activities you talked about, with where "
                "and when they happen:\n{link}\n\nThe link works for 14 days." + SIGN_OFF
            ),
            sms="Hello {first_name}, here are the activities you talked about: {link}",
            configurable=False,
        ),
        MessageTemplate(
            key="personal_plan",
            audience=AUDIENCE_SERVICE_USER,
            title="The plan for being active the practitioner sends (from the record)",
            subject="Your plan for getting more active",
            body=(
                "Hello {first_name},\n\nHere is the plan you agreed, week by week. You can "
                "read it on your phone, print it, and tell us how each week went:\n{link}"
                "\n\nThe link works for 12 weeks." + SIGN_OFF
            ),
            sms="Hello {first_name}, here is the plan you agreed for getting more active: {link}",
            configurable=False,
        ),
        MessageTemplate(
            key="plan_check_in",
            audience=AUDIENCE_SERVICE_USER,
            title="Weekly check-in on the plan for being active (one a week of the plan)",
            subject="How did your week go?",
            body=(
                "Hello {first_name},\n\nHow did your week go? Tell us how many days you "
                "managed. It takes a minute, and a hard week is fine to tell us about too:"
                "\n{link}" + SIGN_OFF
            ),
            sms=(
                "Hello {first_name}, how did your week go? Tell us how many days you managed: "
                "{link}"
            ),
            counts_from=FROM_PLAN_START,
            configurable=False,
        ),
        MessageTemplate(
            key="getting_active",
            audience=AUDIENCE_SERVICE_USER,
            title="Getting active: an invitation to every new service user",
            subject="Getting active near you",
            body=(
                "Hello {first_name},\n\nBeing more active can help you feel better, and there "
                "is plenty on near you: walking groups, swimming, gentle exercise classes and "
                "more. Have a look at some local options:\n{link}\n\nIf one appeals, mention "
                "it to your practitioner and they can put you in touch." + SIGN_OFF
            ),
            sms="Hello {first_name}, there are activities near you that might suit you: {link}",
            counts_from=FROM_RECORD_CREATED,
            offset_days=3,
            enabled=False,
        ),
        MessageTemplate(
            key="measures_request",
            audience=AUDIENCE_SERVICE_USER,
            title="Questionnaire link before an appointment",
            subject="Your questionnaire before your next appointment",
            body=(
                "Hello {first_name},\n\nPlease fill in your short questionnaire before your "
                "next appointment. It takes about 5 minutes:\n{link}" + SIGN_OFF
            ),
            sms="Hello {first_name}, please fill in your short questionnaire: {link}",
        ),
        MessageTemplate(
            key="provider_new_referral",
            audience=AUDIENCE_PROVIDER,
            title="Provider: a new referral",
            subject="New referral for {activity}",
            body=(
                "You have a new referral for {activity}.\n\nAccept or decline it here (the "
                "link lasts 14 days):\n{link}\n\nOr sign in to TalkingMoves to see your "
                "referral inbox."
            ),
            counts_from=FROM_REFERRAL_SENT,
            offset_days=0,
            configurable=False,
        ),
        MessageTemplate(
            key="provider_reminder",
            audience=AUDIENCE_PROVIDER,
            title="Provider: reminder after 5 working days without an answer",
            subject="Reminder: a referral for {activity} is waiting",
            body=(
                "A referral for {activity} has not been answered yet. Please accept or "
                "decline it:\n{link}"
            ),
            counts_from=FROM_REFERRAL_SENT,
            offset_days=5,
            working_days=True,
        ),
        MessageTemplate(
            key="provider_final_reminder",
            audience=AUDIENCE_PROVIDER,
            title="Provider: final reminder before the 14-day auto-decline",
            subject="Final reminder: a referral for {activity} closes in 2 days",
            body=(
                "A referral for {activity} will be declined automatically in 2 days if it is "
                "not answered. Please accept or decline it:\n{link}"
            ),
            counts_from=FROM_REFERRAL_SENT,
            offset_days=12,
        ),
        MessageTemplate(
            key="clinician_provider_silent",
            audience=AUDIENCE_CLINICIAN,
            title="Clinician: provider has not answered in 7 days",
            subject="A provider has not answered a referral",
            body=(
                "{provider} has not answered a referral you sent 7 days ago. You may want to "
                "contact them or look for another activity:\n{link}"
            ),
            counts_from=FROM_REFERRAL_SENT,
            offset_days=7,
        ),
        MessageTemplate(
            key="clinician_new_task",
            audience=AUDIENCE_CLINICIAN,
            title="Clinician: a new task about one of their service users",
            subject="You have a new task in TalkingMoves",
            body=(
                "Something has happened that one of your service users may need you for. "
                "Sign in to TalkingMoves to see your tasks:\n{link}"
            ),
        ),
        MessageTemplate(
            key="clinician_call_requested",
            audience=AUDIENCE_CLINICIAN,
            title="Clinician: a service user asked for a call",
            subject="A service user asked for a call",
            body="One of your service users asked for someone to call them:\n{link}",
        ),
        MessageTemplate(
            key="call_request_overdue",
            audience=AUDIENCE_CLINICIAN,
            title="Duty contact and service leads: a request for a call is not done yet",
            subject="A request for a call has not been marked done",
            body=(
                "A service user asked for someone to call them more than a working day ago, "
                "and nobody has marked the call as done. Sign in to TalkingMoves to see it:"
                "\n{link}"
            ),
            configurable=False,
        ),
        MessageTemplate(
            key="clinician_no_attendance",
            audience=AUDIENCE_CLINICIAN,
            title="Clinician: no attendance 21 days after acceptance",
            subject="No attendance recorded yet",
            body=(
                "No attendance has been recorded for a referral to {activity}, 21 days after "
                "the provider accepted it:\n{link}"
            ),
            counts_from=FROM_ACCEPTED,
            offset_days=21,
        ),
        MessageTemplate(
            key="clinician_weekly_digest",
            audience=AUDIENCE_CLINICIAN,
            title="Clinician: weekly list of service users who need attention",
            subject="Service users needing your attention this week: {count}",
            body=(
                "{urgent}Service users needing your attention this week: {count}. They have a "
                "questionnaire that needs review, an unanswered or declined referral, a "
                "request for a call or no attendance yet. See them here, most urgent first:"
                "\n{link}"
            ),
        ),
        MessageTemplate(
            key="risk_alert",
            audience=AUDIENCE_CLINICIAN,
            title="Clinician and duty contact: a questionnaire needs review",
            subject="A questionnaire needs your review",
            body=(
                "A questionnaire needs your review today. Sign in to TalkingMoves to see it "
                "and to let your colleagues know you have it:\n{link}"
            ),
            configurable=False,
        ),
        MessageTemplate(
            key="risk_alert_escalation",
            audience=AUDIENCE_CLINICIAN,
            title="Service lead: nobody has acknowledged a questionnaire that needs review",
            subject="A questionnaire review has not been acknowledged",
            body=(
                "A questionnaire that needs review today has not been acknowledged by the "
                "people it was sent to. Sign in to TalkingMoves to see it:\n{link}"
            ),
            configurable=False,
        ),
        MessageTemplate(
            key="risk_review_overdue",
            audience=AUDIENCE_CLINICIAN,
            title="Service lead: a questionnaire review is overdue",
            subject="A questionnaire review is overdue",
            body=(
                "A questionnaire that needed review was acknowledged, but its review has not "
                "been recorded in time. Sign in to TalkingMoves to see it:\n{link}"
            ),
            configurable=False,
        ),
    )
}

# Clinicians' messages about one service user that go to their clinician as assigned when
# the message is sent, not when it was scheduled (decisions.follows_assignment).
TO_ASSIGNED_CLINICIAN = frozenset(
    {"clinician_provider_silent", "clinician_no_attendance", "clinician_new_task"}
)

# Kept for older tests; the list itself is talkingmoves/vocabulary/message_words.py.
WORDS_NEVER_IN_SMS = (*CLINICAL_STEMS, *CLINICAL_WORDS)
