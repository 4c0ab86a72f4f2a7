"""The outcomes parts of the service-user record page, so the record view (in referrals) needs
no change: {% outcomes_risk_banner person %} near the top, {% outcomes_section person %} below.
The record view has already checked permission, scoped the person and logged the view."""

from django import template

from outcomes import presenters, selectors

register = template.Library()


@register.inclusion_tag("outcomes/_risk_banner.html")
def outcomes_risk_banner(person):
    flags = selectors.open_risk_flags(person)
    return {
        "person": person,
        "flags": [{"flag": f, "row": presenters.measure_row(f.measure)} for f in flags],
    }


@register.inclusion_tag("outcomes/_record_section.html", takes_context=True)
def outcomes_section(context, person):
    episodes = selectors.episodes_for_record(person)
    return {
        "person": person,
        "panels": [presenters.episode_panel(e) for e in episodes],
        "may_open": not any(e.is_open for e in episodes),
        # Inclusion tags get a fresh context: the section's forms need the CSRF token.
        "csrf_token": context.get("csrf_token"),
    }
