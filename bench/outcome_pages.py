"""The service lead's pages, the record with 20 measures, the clinician's tasks and a
personal plan, and the service user's answer and plan pages: one line each
(bench/measure.py). The dashboard's every view with figures computed fresh
(bench/dashboard_views.py) is long: BENCH_DASHBOARDS=fresh adds it; by default one line
times the summary computed fresh, with BENCH_FRESH_RUNS runs (default 5)."""

import os

from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from bench.measure import measure, wanted
from bench.pages import CLINICIAN, _client, _ok, get
from bench.seed_outcomes import LEAD_EMAIL, record_person
from outcomes.dashboards.lead.figures import refresh_default_periods
from outcomes.dashboards.periods import default_period
from outcomes.plans.links import plan_page_path
from outcomes.plans.models import ActivityPlan
from outcomes.plans.rules import Step
from outcomes.plans.services import plan_create
from referrals.nudges.links import answer_path
from referrals.nudges.models import Nudge

FRESH_RUNS = int(os.environ.get("BENCH_FRESH_RUNS", "5"))


def run() -> None:
    lead = _client(LEAD_EMAIL)
    clinician = _client(CLINICIAN)
    period = default_period()
    dashboard = f"{reverse('dashboards:lead_summary')}?{period.query}"

    get("lead home", lead, reverse("core:home"))
    get("lead caseload (the whole service)", lead, reverse("referrals:caseload"))
    get("lead in-house offers (listings)", lead, reverse("providers:list"))
    # As a lead opens it: beat keeps the default period's figures ready.
    if wanted("lead dashboard summary, figures kept"):
        refresh_default_periods()
    get("lead dashboard summary, figures kept", lead, dashboard)
    with override_settings(DASHBOARD_CACHE_SECONDS=0):
        measure(
            "lead dashboard summary, figures computed",
            lambda: _ok(lead.get(dashboard)),
            runs=FRESH_RUNS,
        )
    get(
        "lead dashboard CSV: outcomes table",
        lead,
        reverse("dashboards:lead_dashboard_csv", args=["outcomes"]),
    )
    get("lead messages", lead, reverse("nudges:messages"))
    get("lead import scores (upload form)", lead, reverse("outcomes:measures_import_upload"))
    get(
        "service-user record with 20 measures",
        clinician,
        reverse("referrals:record", args=[record_person().public_id]),
    )
    plan = bench_plan()
    get("clinician's tasks", clinician, reverse("referrals:tasks"))
    get("personal activity plan (clinician)", clinician,
        reverse("outcomes:plan_detail", args=[plan.public_id]))  # fmt: skip
    get("service user's plan page (signed link)", Client(HTTP_HOST="localhost"),
        plan_page_path(plan))  # fmt: skip
    answerable = Nudge.objects.filter(
        audience="service_user", template="did_you_go", service_user__erased_at__isnull=True
    ).order_by("-sent_at")[0]
    get("service user's answer page (signed link)", Client(HTTP_HOST="localhost"),
        answer_path(answerable))  # fmt: skip
    if os.environ.get("BENCH_DASHBOARDS") == "fresh":
        from bench import dashboard_views

        dashboard_views.run()


def bench_plan():
    """The record person's sent six-week walking plan, made the first time. It is marked
    sent directly: the bench person's consents and screening are not what is measured."""
    person = record_person()
    plan = ActivityPlan.objects.filter(service_user=person, status=ActivityPlan.Status.SENT)
    if plan.exists():
        return plan.latest("sent_at")
    clinician = get_user_model().objects.get(email=CLINICIAN)
    weeks = [(10, 3), (15, 3), (15, 4), (20, 4), (25, 4), (30, 5)]  # minutes a day, days
    steps = [Step(week=n, minutes_a_day=m, days=d) for n, (m, d) in enumerate(weeks, start=1)]
    plan = plan_create(
        service_user=person, by=clinician, activity="walking", target_minutes=150, steps=steps
    )
    ActivityPlan.objects.filter(pk=plan.pk).update(
        status=ActivityPlan.Status.SENT, sent_at=timezone.now()
    )
    return plan
