"""The service lead's dashboard, computed from recorded data: a small cast of service users
whose every figure is worked out by hand below."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from outcomes.dashboards.lead import comparison as cmp
from outcomes.dashboards.lead import equity as equity_sel
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.periods import Period
from outcomes.models import Episode, OutcomeSettings
from outcomes.services import episode_recompute, episodes_recompute
from referrals.models import Attendance, Referral, ReferralEvent
from referrals.nudges.models import Nudge, NudgeResponse
from referrals.pathway.services import first_attended_refresh
from talkingmoves.audit.models import AccessLog
from tests.outcomes.factories import (
    AppointmentFactory,
    EpisodeFactory,
    gad7_items,
    measure,
    phq9_items,
)
from tests.providers.factories import ActivityFactory, activity_type
from tests.referrals.factories import ServiceUserFactory

LONDON = ZoneInfo("Europe/London")
YEAR_2025 = Period(start=date(2025, 1, 1), end=date(2025, 12, 31))
QUERY_2025 = {
    "start-day": "1", "start-month": "1", "start-year": "2025",
    "end-day": "31", "end-month": "12", "end-year": "2025",
}  # fmt: skip


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-03-02 10:00Z", tick=False):
        yield


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def episode_with(person, *, first, last, sessions, ended_on, received=date(2025, 1, 6)):
    """An ended episode with paired PHQ-9 / GAD-7 scores and `sessions` attended treatment
    appointments; the derived columns come from the recording half's recompute."""
    episode = EpisodeFactory(
        service_user=person, referral_received_on=received, ended_on=ended_on, ending_reason="46"
    )
    measure(episode, "phq9", phq9_items(first[0]), on=received)
    measure(episode, "gad7", gad7_items(first[1]), on=received)
    measure(episode, "phq9", phq9_items(last[0]), on=ended_on)
    measure(episode, "gad7", gad7_items(last[1]), on=ended_on)
    for n in range(sessions):
        AppointmentFactory(episode=episode, on=date(2025, 2, 1 + n))
    return episode_recompute(episode=episode)


def referral(person, activity, *, status, sent, answered_days=None, kind="refer", by=None):
    sent_at = at(sent)
    row = Referral.objects.create(
        service_user=person,
        activity=activity,
        kind=kind,
        status=status,
        created_by=by or person.assigned_clinician,
        created_at=sent_at,
        sent_at=sent_at if kind == "refer" and status != "draft" else None,
        answered_at=(
            at(sent.replace(day=sent.day + answered_days)) if answered_days is not None else None
        ),
    )
    if status in ACCEPTED_OR_LATER:
        Referral.objects.filter(pk=row.pk).update(accepted_at=row.answered_at or sent_at)
    return row


# What the referral services would have stamped accepted_at on (rows here skip them).
ACCEPTED_OR_LATER = {"accepted", "attending", "completed", "dropped_out"}


def attended(referral_row, day: date):
    Attendance.objects.create(referral=referral_row, session_date=day, status="attended")
    first_attended_refresh(referral_row)


@pytest.fixture
def cast_of_people(clinician, other_clinician):
    """A-H in the lead's service, one person in another service, as the docstrings say."""
    service = clinician.organisation
    walk = ActivityFactory(
        name="Park walk", takes_referrals=True, referral_email="walk@example.org.uk"
    )
    walk.provider.name = "Riverside Walks"
    walk.provider.save()
    swim = ActivityFactory(
        name="Quiet swim",
        activity_type=activity_type("Swimming"),
        takes_referrals=True,
        referral_email="swim@example.org.uk",
    )
    swim.provider.name = "Hillside Pool"
    swim.provider.save()

    names = iter(range(100))

    def person(**kwargs):
        # Distinctive names, so "no one is named" cannot pass or fail by accident ("Day").
        return ServiceUserFactory(
            service=service,
            assigned_clinician=clinician,
            family_name=f"Zedfamily{next(names)}",
            **kwargs,
        )

    # A: took up; recovered and reliably improved (15/12 -> 5/4, 3 sessions). Replied in 2
    # days, first session 7 days after sending.
    a = person(gender="2", date_of_birth=date(1990, 6, 1), ethnic_category="A", step=2)
    episode_with(a, first=(15, 12), last=(5, 4), sessions=3, ended_on=date(2025, 6, 30))
    ref = referral(a, walk, status="attending", sent=date(2025, 3, 1), answered_days=2)
    attended(ref, date(2025, 3, 8))
    referral(a, swim, status="declined", sent=date(2024, 12, 1), answered_days=1)  # too early
    # B: took up and completed; still at caseness (12/9 -> 11/9, 2 sessions). Replied in 1 day,
    # first session after 3 days.
    b = person(gender="2", ethnic_category="H", step=3, has_disability_or_ltc=True)
    episode_with(b, first=(12, 9), last=(11, 9), sessions=2, ended_on=date(2025, 7, 31))
    ref = referral(b, walk, status="completed", sent=date(2025, 4, 1), answered_days=1)
    attended(ref, date(2025, 4, 4))
    attended(ref, date(2025, 4, 11))
    # C: referred, declined by the pool in 2 days; recovered (16/10 -> 8/6).
    c = person(gender="1", step=2, has_disability_or_ltc=False)
    episode_with(c, first=(16, 10), last=(8, 6), sessions=4, ended_on=date(2025, 9, 30))
    referral(c, swim, status="declined", sent=date(2025, 5, 1), answered_days=2)
    # D: not referred; reliably deteriorated (10/8 -> 16/12).
    d = person(step=3)
    episode_with(d, first=(10, 8), last=(16, 12), sessions=2, ended_on=date(2025, 10, 31))
    # E: not referred; one session only, so in no outcome denominator.
    e = person()
    episode_with(e, first=(18, 14), last=(6, 3), sessions=1, ended_on=date(2025, 11, 30))
    # F: signposted and took it up; no episode.
    f = person()
    referral(f, walk, status="taken_up", sent=date(2025, 6, 1), kind="signpost")
    # G: accepted, then withdrawn (the history says it was accepted); replied in 4 days.
    g = person()
    ref = referral(g, walk, status="withdrawn", sent=date(2025, 7, 1), answered_days=4)
    Referral.objects.filter(pk=ref.pk).update(accepted_at=ref.answered_at)
    ReferralEvent.objects.create(
        referral=ref, from_status="sent", to_status="accepted", actor=clinician
    )
    # H: an open episode and a draft referral (never sent, so not referred).
    h = person()
    EpisodeFactory(service_user=h, referral_received_on=date(2025, 9, 1))
    referral(h, swim, status="draft", sent=date(2025, 9, 2))
    # I: an episode that ended before the period; J: one that ended after it.
    i = person()
    episode_with(i, first=(20, 15), last=(2, 2), sessions=5, ended_on=date(2024, 12, 20),
                 received=date(2024, 10, 1))  # fmt: skip
    j = person()
    episode_with(j, first=(20, 15), last=(2, 2), sessions=5, ended_on=date(2026, 1, 20))
    # Another service's person, referred and recovered: never counted.
    outsider = ServiceUserFactory(
        service=other_clinician.organisation,
        assigned_clinician=other_clinician,
        family_name="Zedoutsider",
    )
    episode_with(outsider, first=(20, 15), last=(2, 2), sessions=5, ended_on=date(2025, 5, 1))
    ref = referral(outsider, walk, status="attending", sent=date(2025, 3, 1), answered_days=2)
    attended(ref, date(2025, 3, 2))

    # Follow-up messages to A: three sent or delivered in 2025 (one answered "went"), one
    # failed, one to the provider: 1 answered of 3.
    def nudge(status, audience="service_user", sent=date(2025, 3, 2), person=a):
        return Nudge.objects.create(
            service=service, audience=audience, template="did_you_go", service_user=person,
            due_at=at(sent), status=status, sent_at=at(sent) if status != "failed" else None,
        )  # fmt: skip

    NudgeResponse.objects.create(nudge=nudge("delivered"), answer="went")
    nudge("sent")
    nudge("delivered", sent=date(2025, 4, 2))
    nudge("failed")
    nudge("sent", audience="provider")
    other = Nudge.objects.create(
        service=other_clinician.organisation, audience="service_user", template="did_you_go",
        service_user=outsider, due_at=at(date(2025, 3, 2)), status="sent",
        sent_at=at(date(2025, 3, 2)),
    )  # fmt: skip
    NudgeResponse.objects.create(nudge=other, answer="stop")
    # The rows above skip the referral services (and so their hooks): recompute every
    # episode's activity group, as the services and `recompute_outcomes` would.
    episodes_recompute(Episode.objects.all())
    return service


def test_referral_funnel(cast_of_people):
    funnel = sel.referral_funnel(cast_of_people.pk, YEAR_2025)
    assert (funnel.referred, funnel.accepted, funnel.started, funnel.completed) == (4, 3, 2, 1)
    assert (funnel.signposted, funnel.taken_up) == (1, 1)
    assert funnel.uptake.value == 0.5
    # First attended sessions 7 (A) and 3 (B) days after sending.
    assert funnel.median_days_to_first_session == 5.0
    assert funnel.first_sessions == 2


def test_nudge_answer_rate(cast_of_people):
    nudges = sel.nudge_answer_rates(cast_of_people.pk, YEAR_2025)
    assert (nudges.sent, nudges.answered) == (3, 1)
    assert nudges.by_answer["I went"] == 1
    assert nudges.by_answer["Stop these messages"] == 0


def test_outcomes_by_uptake_of_activity(cast_of_people):
    comparison = cmp.outcome_comparison(cast_of_people.pk, YEAR_2025)
    took_up, self_reported, not_taken_up, not_referred = comparison.groups
    assert (took_up.key, took_up.ended, took_up.finished) == ("took_up", 2, 2)
    assert took_up.label == "Took up activity (recorded by the provider)"
    assert took_up.rates["recovered"] == sel.Rate(1, 2)
    assert took_up.rates["reliably_recovered"] == sel.Rate(1, 2)
    assert took_up.rates["reliably_improved"] == sel.Rate(1, 2)
    assert took_up.rates["reliably_deteriorated"] == sel.Rate(0, 2)
    assert took_up.phq9_change.value == pytest.approx(-5.5)  # -10 and -1
    assert took_up.gad7_change.value == pytest.approx(-4.0)  # -8 and 0
    assert took_up.phq9_change.count == 2
    assert took_up.phq9_change.sd == pytest.approx(40.5**0.5)  # sample SD of -10 and -1
    assert took_up.left_out == {"fewer_sessions": 0, "no_pair": 0, "not_case": 0}
    assert took_up.still_in_treatment == 0

    assert (self_reported.key, self_reported.ended) == ("self_reported", 0)

    assert (not_taken_up.ended, not_taken_up.finished) == (1, 1)
    assert not_taken_up.rates["recovered"] == sel.Rate(1, 1)
    assert not_taken_up.rates["reliably_recovered"] == sel.Rate(1, 1)

    # D finished and deteriorated; E had one session, so is in no denominator. H (open, a
    # draft referral only) and J (ended in 2026) are still in treatment at the period's end.
    assert (not_referred.ended, not_referred.finished) == (2, 1)
    assert not_referred.rates["recovered"] == sel.Rate(0, 1)
    assert not_referred.rates["reliably_improved"] == sel.Rate(0, 1)
    assert not_referred.rates["reliably_deteriorated"] == sel.Rate(1, 1)
    assert not_referred.phq9_change.value == pytest.approx(6.0)
    assert not_referred.left_out == {"fewer_sessions": 1, "no_pair": 0, "not_case": 0}
    assert not_referred.still_in_treatment == 2
    assert all(group.rates["recovered"].too_few for group in (took_up, not_referred))

    # The comparison pools C and D: 1 of 2 recovered, as among those who took up.
    pooled = comparison.comparison
    assert (pooled.ended, pooled.finished, pooled.still_in_treatment) == (3, 2, 2)
    assert pooled.rates["recovered"] == sel.Rate(1, 2)
    assert pooled.phq9_change.value == pytest.approx((-8 + 6) / 2)  # C -8, D +6
    assert pooled.left_out["fewer_sessions"] == 1
    difference = comparison.difference("recovered")
    assert difference.value == 0.0
    low, high = difference.interval
    assert low == pytest.approx(-high)  # 1/2 against 1/2: symmetric about nothing


def test_the_comparison_reads_the_stored_group_in_one_query(cast_of_people):
    """No working out of uptake from referrals on each request: one grouped query over
    episodes, whatever the number of referrals."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cmp.outcome_comparison(cast_of_people.pk, YEAR_2025)
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "activity_group" in sql and "referrals_" not in sql


def test_equity_compares_referred_and_took_up_with_the_caseload(cast_of_people):
    equity = equity_sel.equity(cast_of_people.pk, YEAR_2025)
    # A-H (H through their open episode); not I (ended 2024), J is open during 2025.
    assert (equity.caseload, equity.referred, equity.took_up) == (9, 5, 3)
    gender = {row.label: row for row in equity.dimensions["gender"]}
    assert (gender["Female"].caseload, gender["Female"].referred, gender["Female"].took_up) == (
        2,
        2,
        2,
    )
    assert (gender["Male"].caseload, gender["Male"].referred, gender["Male"].took_up) == (1, 1, 0)
    assert gender["Not recorded"].caseload == 6
    assert gender["Female"].caseload_share == pytest.approx(2 / 9)
    assert gender["Female"].referred_share == pytest.approx(2 / 5)
    assert gender["Female"].took_up_share == pytest.approx(2 / 3)
    assert gender["Male"].uptake_rate == sel.Rate(0, 1)
    ages = {row.label: row.caseload for row in equity.dimensions["age_band"]}
    assert ages == {"35 to 44": 1, "Not recorded": 8}  # A is 35 on 31 December 2025
    ethnic = {row.label: row.caseload for row in equity.dimensions["ethnic_group"]}
    assert ethnic == {"White": 1, "Asian or Asian British": 1, "Not recorded": 7}
    disability = [(row.label, row.caseload) for row in equity.dimensions["disability"]]
    assert disability == [("Yes", 1), ("No", 1), ("Not recorded", 7)]
    steps = {row.label: row.caseload for row in equity.dimensions["step"]}
    assert steps["Step 2: low intensity"] == 2


def test_providers_and_activity_types(cast_of_people):
    providers = sel.referral_performance(cast_of_people.pk, YEAR_2025, by=sel.BY_PROVIDER)
    walks, pool = providers
    assert (walks.label, walks.referred, walks.accepted, walks.started, walks.completed) == (
        "Riverside Walks",
        3,
        3,
        2,
        1,
    )
    assert walks.median_reply_days == pytest.approx(2.0)  # 2, 1 and 4 days
    assert walks.completion == sel.Rate(1, 2)
    assert (pool.label, pool.referred, pool.accepted, pool.started) == ("Hillside Pool", 1, 0, 0)
    assert pool.acceptance.value == 0
    types = sel.referral_performance(cast_of_people.pk, YEAR_2025, by=sel.BY_ACTIVITY_TYPE)
    assert [(row.label, row.referred) for row in types] == [("Walking", 3), ("Swimming", 1)]


def test_page_shows_the_figures_with_denominators_and_warnings(
    cast_of_people, lead, client_for, django_assert_max_num_queries
):
    client = client_for(lead)
    # Session, user and device; a savepoint and three settings for the dashboard's queries;
    # eleven for the figures (funnel, its median, messages sent and answered, outcomes,
    # targets, equity, providers, activity types, the service's name).
    with django_assert_max_num_queries(21):
        response = client.get(reverse("dashboards:lead_dashboard"), QUERY_2025)
    page = response.content.decode()
    assert "1 January 2025 to 31 December 2025" in page
    assert "Anxiety outcomes use the GAD-7 only" in page
    assert "Exercise-referral schemes average about 57% uptake" in page
    assert "<strong>5.0 days</strong>" in page
    assert "Too few to compare" in page
    assert "50% (1 of 2)" in page  # the recovery bar for those who took up
    assert "Target 50%" in page
    assert page.count('<svg class="tm-chart"') == 7  # funnel, outcomes, 5 equity charts
    assert "<script" not in page.split("</head>")[1].replace('<script src="/static/js/', "")
    assert "Riverside Walks" in page
    # Nothing from the other service, and no one is named.
    assert "Zed" not in page  # every family name in the cast starts "Zed"


def test_targets_drawn_are_the_services_own(cast_of_people, lead, client_for):
    OutcomeSettings.objects.create(service=cast_of_people, recovery_target=55)
    page = client_for(lead).get(reverse("dashboards:lead_dashboard"), QUERY_2025)
    assert "Target 55%" in page.content.decode()


def test_csv_download_is_the_same_table_and_is_logged(cast_of_people, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["outcomes"])
    response = client_for(lead).get(url, QUERY_2025)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "outcomes-2025-01-01-to-2025-12-31.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The caveat first, then the table; its note and the privacy rule last.
    assert rows[0] == [cmp.CAVEAT]
    assert rows[1] == [
        "Outcome", "Group", "Number", "Denominator", "Rate (%)",
        "95% confidence interval low", "95% confidence interval high", "Note", "Target (%)",
    ]  # fmt: skip
    # 1 of 2 on the lead's page; leaving it, 1 and 2 are hidden, and the rate with them.
    hidden = "fewer than 8"
    assert rows[2] == [
        "Recovery", "Took up activity (recorded by the provider)", hidden, hidden, hidden,
        hidden, hidden, "Too few to compare", "50",
    ]  # fmt: skip
    assert rows[-1][0].startswith("To protect people's privacy, counts from 1 to 7")
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.actor, log.object_id) == (lead, "lead:outcomes")


def test_recovery_csv_rounds_counts_and_hides_rates_from_small_ones(
    cast_of_people, lead, client_for
):
    walk = Referral.objects.filter(activity__name="Park walk").first().activity
    clinician = Referral.objects.first().created_by
    for n in range(10):  # 10 more who took up: PHQ-9 15 -> 4 to 13, so 6 recover
        person = ServiceUserFactory(service=lead.organisation, assigned_clinician=clinician)
        episode_with(person, first=(15, 10), last=(4 + n, 3), sessions=3,
                     ended_on=date(2025, 8, 1))  # fmt: skip
        ref = referral(person, walk, status="attending", sent=date(2025, 5, 1), answered_days=1)
        attended(ref, date(2025, 5, 9))
    episodes_recompute(Episode.objects.all())
    url = reverse("dashboards:lead_dashboard_csv", args=["recovery"])
    rows = list(csv.reader(io.StringIO(client_for(lead).get(url, QUERY_2025).content.decode(
        "utf-8-sig"))))  # fmt: skip
    assert rows[0] == [cmp.CAVEAT]
    assert rows[1][:8] == [
        "Group", "Ended in the period", "Left out: fewer than 2 treatment sessions",
        "Left out: no paired PHQ-9 and GAD-7 scores", "Left out: not a clinical case at the start",
        "Recovered", "Counted for recovery", "Recovery (%)",
    ]  # fmt: skip
    hidden = "fewer than 8"
    # 12 ended and counted (10 to the nearest 5); 7 recovered, so the rate is hidden too.
    assert rows[2] == [
        "Took up activity (recorded by the provider)", "10", "0", "0", "0", hidden, "10",
        hidden, hidden, hidden, "0", "Too few to compare",
    ]  # fmt: skip
    # The page shows the lead every figure.
    page = client_for(lead).get(reverse("dashboards:lead_dashboard"), QUERY_2025)
    assert "<strong>58%</strong> (7 of 12 recovered)" in page.content.decode()


def test_funnel_csv(cast_of_people, lead, client_for):
    url = reverse("dashboards:lead_dashboard_csv", args=["funnel"])
    response = client_for(lead).get(url, QUERY_2025)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    hidden = "fewer than 8"  # 4 referred: every count and share is hidden once downloaded
    assert rows[:7] == [
        ["Stage", "People", "Of referred (%)"],
        ["Referred", hidden, hidden],
        ["Accepted by the provider", hidden, hidden],
        ["Attended at least once", hidden, hidden],
        ["Completed", hidden, hidden],
        ["Signposted", hidden, ""],
        ["Signposted and taken up", hidden, hidden],
    ]


def test_an_empty_period_says_so_plainly(cast_of_people, lead, client_for):
    query = {**QUERY_2025, "start-year": "2023", "end-year": "2023"}
    response = client_for(lead).get(reverse("dashboards:lead_dashboard"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is nothing to show for 1 January 2023 to 31 December 2023" in page
    assert "tm-chart" not in page


def test_an_empty_period_downloads_empty_tables(cast_of_people, lead, client_for):
    query = {**QUERY_2025, "start-year": "2023", "end-year": "2023"}
    for table in ["funnel", "uptake", "nudges", "outcomes", "score-change", "equity-age-band"]:
        response = client_for(lead).get(
            reverse("dashboards:lead_dashboard_csv", args=[table]), query
        )
        assert response.status_code == 200, table


def test_a_new_service_sees_an_empty_dashboard(lead, client_for):
    response = client_for(lead).get(reverse("dashboards:lead_dashboard"))
    assert "There is nothing to show for 3 March 2025 to 2 March 2026" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message", "anchor"),
    [
        ({"start-day": "31", "start-month": "2"}, "Start date must be a real date", "start-day"),
        ({"end-month": ""}, "End date must include a month", "end-month"),
        ({"end-year": "25"}, "Year must include 4 numbers", "end-year"),
        ({"end-year": "2024"}, "End date must be the same as or after the start date", "end-day"),
        ({"start-day": "x"}, "Start date must be a real date", "start-day"),
    ],
)
def test_bad_dates_are_explained_and_kept(lead, client_for, changes, message, anchor):
    query = {**QUERY_2025, **changes}
    response = client_for(lead).get(reverse("dashboards:lead_dashboard"), query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'<a href="#id_{anchor}">{message}</a>' in page
    assert "nhsuk-error-message" in page
    for name, value in changes.items():
        if value:
            assert f'name="{name}" type="text" value="{value}"' in page
    assert "Referrals and uptake" not in page  # no figures for a period that is not valid


def test_csv_with_bad_dates_goes_back_to_the_page(lead, client_for):
    query = {**QUERY_2025, "start-day": "32"}
    url = reverse("dashboards:lead_dashboard_csv", args=["funnel"])
    response = client_for(lead).get(url, query)
    assert response.status_code == 302
    assert response.url.startswith(reverse("dashboards:lead_dashboard") + "?")
    assert "start-day=32" in response.url
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_lead_sets_targets(lead, client_for):
    client = client_for(lead)
    response = client.post(
        reverse("dashboards:lead_targets"),
        {"recovery_target": "52", "reliable_recovery_target": "49",
         "reliable_improvement_target": "68"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = OutcomeSettings.objects.get(service=lead.organisation)
    assert (saved.recovery_target, saved.reliable_recovery_target) == (52, 49)
    assert saved.reliable_improvement_target == 68
    assert AccessLog.objects.filter(action=AccessLog.Action.UPDATE, actor=lead).exists()


def test_bad_targets_are_refused_and_kept(lead, client_for):
    response = client_for(lead).post(
        reverse("dashboards:lead_targets"),
        {"recovery_target": "150", "reliable_recovery_target": "",
         "reliable_improvement_target": "sixty"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Recovery target must be 100% or less" in page
    assert "Enter the reliable recovery target" in page
    assert "Reliable improvement target must be a whole number" in page
    assert 'value="150"' in page and 'value="sixty"' in page
    assert not OutcomeSettings.objects.filter(service=lead.organisation).exists()


def test_query_count_does_not_grow_with_data(
    cast_of_people, lead, client_for, django_assert_max_num_queries
):
    """The same number of queries for ten times the people."""
    client = client_for(lead)
    client.get(reverse("dashboards:lead_dashboard"), QUERY_2025)  # warm caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("dashboards:lead_dashboard"), QUERY_2025)
    walk = Referral.objects.filter(activity__name="Park walk").first().activity
    for n in range(10):
        person = ServiceUserFactory(
            service=lead.organisation, assigned_clinician=Referral.objects.first().created_by
        )
        episode_with(person, first=(15, 10), last=(4 + n, 3), sessions=3,
                     ended_on=date(2025, 8, 1))  # fmt: skip
        ref = referral(person, walk, status="attending", sent=date(2025, 5, 1), answered_days=1)
        attended(ref, date(2025, 5, 9))
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("dashboards:lead_dashboard"), QUERY_2025)
    assert len(after) == len(before)
