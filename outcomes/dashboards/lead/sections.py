"""The service lead's dashboard in sections, each a short page of its own: what each one
shows, and the figures it needs (and only those). Sections built on the figures the
dashboard keeps for a few minutes (figures.py) read them from there; the measures leads
are judged on are computed for the page from their selectors (lead/measures/)."""

from dataclasses import dataclass

from outcomes.dashboards.db import analytics
from outcomes.dashboards.lead import comparison as cmp
from outcomes.dashboards.lead import equity, plan_tables, presenters
from outcomes.dashboards.lead import figures as dashboard_figures
from outcomes.dashboards.lead import group_tables as groups
from outcomes.dashboards.lead import measure_tables as measures
from outcomes.dashboards.lead import selectors as sel
from outcomes.dashboards.lead.measures import activity_levels, breakdowns, plans, trends, waits
from outcomes.dashboards.lead.measures import completeness as comp
from outcomes.dashboards.lead.measures import engagement as eng
from outcomes.dashboards.lead.outcome_tables import headline as outcome_headline


@dataclass(frozen=True)
class Section:
    slug: str
    title: str

    @property
    def url_name(self) -> str:
        return f"dashboards:lead_{self.slug}"


SECTIONS = [
    Section("summary", "Summary"),
    Section("outcomes", "Outcomes by uptake of activity"),
    Section("groups", "Outcomes by group"),
    Section("waits", "Waits"),
    Section("engagement", "Engagement and completeness"),
    Section("activity", "Activity levels"),
    Section("plans", "Activity plans"),
    Section("equity", "Who is referred"),
    Section("referrals", "Referrals and providers"),
    Section("trends", "Monthly trends"),
]
BY_SLUG = {section.slug: section for section in SECTIONS}


def _kept(*parts: str):
    """A section drawn from the dashboard's kept figures: only the parts it shows."""
    return lambda service_id, period: presenters.lead_page(service_id, period, parts)


SUMMARY_PARTS = ("funnel", "outcomes", "treatment_wait", "activity_wait", "uptake", "completeness")


def summary(service_id, period) -> dict:
    figures = dashboard_figures.lead_figures(service_id, period, SUMMARY_PARTS)
    treatment, activity = figures.treatment_wait, figures.activity_wait
    uptake, completeness = figures.uptake, figures.completeness
    ended = figures.outcomes.ended
    return {
        # The caseload is people with a referral (the funnel) or an episode in the period.
        "is_empty": figures.funnel.is_empty
        and not ended
        and not treatment.started
        and not equity.has_open_episode(service_id, period),
        "computed_at": figures.computed_at,
        "ended": ended,
        "headline": outcome_headline(figures.outcomes),
        "caveat": cmp.CAVEAT,
        "uptake": uptake,
        "anchor": eng.EXERCISE_REFERRAL_UPTAKE_ANCHOR,
        "treatment_wait": treatment,
        "activity_wait": activity,
        "completeness": completeness,
        "completeness_target": comp.PAIRED_SCORES_TARGET,
        "standards": (waits.SIX_WEEK_STANDARD, waits.EIGHTEEN_WEEK_STANDARD),
    }


def waits_section(service_id, period) -> dict:
    treatment = waits.treatment_wait(service_id, period)
    activity = waits.activity_wait(service_id, period)
    gaps = waits.long_gaps(service_id, period)
    return {
        "waits_table": measures.waits_table(treatment, activity),
        "long_gaps_table": measures.long_gaps_table(gaps),
        "waits_chart": measures.waits_chart(treatment, activity, gaps)
        if treatment.started or activity.started or gaps.denominator
        else None,
    }


def engagement_section(service_id, period) -> dict:
    missed = eng.did_not_attend(service_id, period)
    dropped = eng.dropout(service_id, period)
    uptake = eng.activity_uptake(service_id, period)
    completeness = comp.paired_completeness(service_id, period)
    return {
        "uptake_table": measures.uptake_table(uptake),
        "completeness_table": measures.completeness_table(completeness),
        "engagement_table": measures.engagement_table(missed, dropped),
        "engagement_chart": measures.engagement_chart(missed, dropped, uptake, completeness)
        if uptake.ended or missed.denominator
        else None,
    }


def groups_section(service_id, period) -> dict:
    by_group = breakdowns.recovery_by_group(service_id, period)
    target = sel.targets_for(service_id).recovery_target / 100
    ended = sum(row.ended for row in by_group["step"])
    # Both activity tables from one join of the period's episodes to their sessions.
    by_activity = breakdowns.recovery_by_activities(service_id, period)
    return {
        "groups_table": groups.groups_table(by_group),
        "groups_chart": groups.groups_chart(by_group, target) if ended else None,
        "provider_recovery_table": groups.activity_recovery_table(
            by_activity[breakdowns.BY_PROVIDER],
            by=breakdowns.BY_PROVIDER,
            shown=dashboard_figures.ROWS_SHOWN,
        ),
        "type_recovery_table": groups.activity_recovery_table(
            by_activity[breakdowns.BY_ACTIVITY_TYPE],
            by=breakdowns.BY_ACTIVITY_TYPE,
            shown=dashboard_figures.ROWS_SHOWN,
        ),
    }


def activity_section(service_id, period) -> dict:
    change = activity_levels.activity_level_change(service_id, period)
    return {
        "levels": change,
        "levels_table": groups.levels_table(change),
        "change_table": groups.change_table(change),
        "levels_chart": groups.levels_chart(change) if change.people else None,
    }


def plans_section(service_id, period) -> dict:
    figures = plans.plan_figures(service_id, period)
    return {
        "plans": figures,
        "headline": plan_tables.headline(figures),
        "caveat": plans.CAVEAT,
        "check_ins_table": plan_tables.check_ins_table(figures),
        "goals_table": plan_tables.goals_table(figures),
        "minutes_table": plan_tables.minutes_table(figures),
        "goals_chart": plan_tables.goals_chart(figures) if figures.all.goal_counted else None,
    }


def trends_section(service_id, period) -> dict:
    months = trends.monthly_trends(service_id, period)
    return {
        "trends_table": groups.trends_table(months),
        "trends_chart": groups.trends_chart(months) if any(m.ended for m in months) else None,
    }


BUILDERS = {
    "summary": summary,
    "outcomes": _kept("outcomes"),
    "groups": groups_section,
    "waits": waits_section,
    "engagement": engagement_section,
    "activity": activity_section,
    "plans": plans_section,
    "equity": _kept("equity"),
    "referrals": _kept("funnel", "nudges", "providers", "types"),
    "trends": trends_section,
}


def section_page(slug: str, service_id, period) -> dict:
    with analytics():
        return BUILDERS[slug](service_id, period)


SECTION_TABLES = {
    "waits": lambda s, p: measures.waits_table(
        waits.treatment_wait(s, p), waits.activity_wait(s, p)
    ),
    "long-gaps": lambda s, p: measures.long_gaps_table(waits.long_gaps(s, p)),
    "engagement": lambda s, p: measures.engagement_table(
        eng.did_not_attend(s, p), eng.dropout(s, p)
    ),
    "episode-uptake": lambda s, p: measures.uptake_table(eng.activity_uptake(s, p)),
    "completeness": lambda s, p: measures.completeness_table(comp.paired_completeness(s, p)),
    "trends": lambda s, p: groups.trends_table(trends.monthly_trends(s, p)),
    "recovery-by-group": lambda s, p: groups.groups_table(breakdowns.recovery_by_group(s, p)),
    **{
        f"recovery-by-{by.replace('_', '-')}": (
            lambda s, p, by=by: groups.activity_recovery_table(
                breakdowns.recovery_by_activities(s, p)[by], by=by
            )
        )
        for by in breakdowns.ACTIVITY_DIMENSIONS
    },
    "activity-levels": lambda s, p: groups.levels_table(
        activity_levels.activity_level_change(s, p)
    ),
    "activity-change": lambda s, p: groups.change_table(
        activity_levels.activity_level_change(s, p)
    ),
    "plan-check-ins": lambda s, p: plan_tables.check_ins_table(plans.plan_figures(s, p)),
    "plan-goals": lambda s, p: plan_tables.goals_table(plans.plan_figures(s, p)),
    "plan-minutes": lambda s, p: plan_tables.minutes_table(plans.plan_figures(s, p)),
}
