"""The public pages a service user reaches from a message link: answer a question, or see
some local options. No sign-in; the signed link names one message to one person. Nothing
clinical is shown, and nothing personal beyond the activity they were referred to."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from referrals.nudges import answers, links, local_options
from referrals.nudges import not_yet as not_yet_answers
from referrals.nudges.forms import AnswerForm, NotYetForm
from referrals.nudges.hooks import crisis_support_lines
from referrals.shortlists.selectors import shortlist_for
from talkingmoves.audit.actions import AccessAction
from talkingmoves.audit.services import access_log_write
from talkingmoves.core.ratelimit import link_rate_limited
from talkingmoves.core.signed_links import LinkError
from talkingmoves.vocabulary.answers import Answer, NotYetHelp

A = Answer
RATE_LIMIT_WINDOW_SECONDS = 10 * 60

DONE = {
    A.WENT: ("Thank you", "We have let your practitioner know you went. Well done."),
    A.NOT_YET: (
        "Thank you for letting us know",
        "Getting started can take time. If something is getting in the way, your practitioner "
        "can help.",
    ),
    A.CALL_ME: (
        "Thank you",
        "We have let your practitioner know you would like a call. Someone from your service "
        "will phone you.",
    ),
    A.STOP: (
        "You will not get any more of these messages",
        "If you change your mind, tell your practitioner.",
    ),
}
# These answers lead on to "what got in the way?" (not_yet.py).
ASKS_WHAT_GOT_IN_THE_WAY = (A.NOT_YET, A.CANT_MAKE_IT)
NOT_YET_DONE = (
    "Thank you for telling us",
    "We have passed this on to your practitioner, who will be in touch if you asked them to.",
)


def _crisis(nudge) -> list[str]:
    return crisis_support_lines(nudge.service_user.service_id)


def _rate_limited(request, token: str) -> bool:
    return link_rate_limited(
        request, scope="nudges:link", token=token, limit=settings.NUDGE_LINK_RATE_LIMIT
    )


def _refused(request, message: str, status: int):
    return render(request, "nudges/answer_refused.html", {"message": message}, status=status)


def _too_many(request):
    return _refused(request, "You have tried this link too many times. Wait 10 minutes", 429)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    if _rate_limited(request, token):
        return _too_many(request)
    try:
        nudge = answers.nudge_for_answer_token(token)
    except LinkError as error:
        return _refused(request, str(error), error.status)
    activity = nudge.referral.activity.name if nudge.referral_id else ""
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        activity=activity,
        template=nudge.template,
    )
    if request.method == "POST" and form.is_valid():
        chosen = A(form.cleaned_data["answer"])
        answers.nudge_answer(nudge=nudge, answer=chosen)
        if chosen in ASKS_WHAT_GOT_IN_THE_WAY:
            return _not_yet_page(request, nudge, token, NotYetForm())
        title, text = DONE[chosen]
        return render(
            request,
            "nudges/answer_done.html",
            {"title": title, "text": text, "crisis": _crisis(nudge), "crisis_open": True},
        )
    if request.method == "GET":
        access_log_write(
            system_actor=answers.LINK_ACTOR,
            action=AccessAction.VIEW,
            obj=nudge.service_user,
            path="message link: answer",  # never the token itself
        )
    question = form.fields["answer"].label
    return render(
        request,
        "nudges/answer.html",
        {
            "form": form,
            "question": question,
            "crisis": _crisis(nudge),
            # Reopened after answering: say so, and let them answer again if it changed.
            "previous": nudge.responses.order_by("-answered_at").first(),
        },
    )


def _not_yet_page(request, nudge, token, form):
    form.helper.form_action = reverse("nudges:not_yet", kwargs={"token": token})
    return render(request, "nudges/not_yet.html", {"form": form, "crisis": _crisis(nudge)})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def not_yet(request, token):
    """What got in the way, after "Not yet": only for a message answered that way."""
    if _rate_limited(request, token):
        return _too_many(request)
    try:
        nudge = answers.nudge_for_answer_token(token)
    except LinkError as error:
        return _refused(request, str(error), error.status)
    if not_yet_answers.not_yet_response(nudge) is None:
        return _refused(request, "Answer the question in the message first", 404)
    form = NotYetForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        return _not_yet_page(request, nudge, token, form)
    data = form.cleaned_data
    recorded = not_yet_answers.nudge_not_yet_details(
        nudge=nudge, reasons=data["reasons"], helps=data["helps"], other=data["other"]
    )
    if recorded is None:
        title, text = "You have already told us", "Your practitioner has your answer."
    else:
        title, text = NOT_YET_DONE
    options = ""
    if NotYetHelp.SOMETHING_ELSE in data["helps"]:
        options = links.options_path(nudge)
    return render(
        request,
        "nudges/answer_done.html",
        {"title": title, "text": text, "options": options, "crisis": _crisis(nudge)},
    )


def _open_link(request, token, find_nudge, what: str):
    """A read-only message link: rate-limited, checked and access-logged. Returns the nudge,
    or the response that refuses it."""
    if _rate_limited(request, token):
        return None, _too_many(request)
    try:
        nudge = find_nudge(token)
    except LinkError as error:
        return None, _refused(request, str(error), error.status)
    access_log_write(
        system_actor=answers.LINK_ACTOR,
        action=AccessAction.VIEW,
        obj=nudge.service_user,
        path=f"message link: {what}",
    )
    return nudge, None


@login_not_required
@never_cache
@require_GET
def options(request, token):
    nudge, refused = _open_link(request, token, answers.nudge_for_options_token, "local options")
    if refused:
        return refused
    return render(
        request,
        "nudges/options.html",
        {
            "options": local_options.local_options(nudge.service_user),
            "advice": local_options.options_advice(nudge.service_user),
        },
    )


@login_not_required
@never_cache
@require_GET
def shortlist_page(request, token):
    """What a practitioner sent: the activities on the shortlist when it was sent (and still
    listed). First name and activities only: anyone holding the link may see it."""
    nudge, refused = _open_link(request, token, answers.nudge_for_shortlist_token, "shortlist")
    if refused:
        return refused
    return render(
        request,
        "nudges/shortlist.html",
        {"items": shortlist_for(nudge.service_user, saved_by=nudge.created_at)},
    )
