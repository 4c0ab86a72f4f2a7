"""{% caseload_rows rows mine %}: the caseload table's rows (referrals/records/caseload_rows.py)."""

from django import template

from referrals.records.caseload_rows import rows_html

register = template.Library()


@register.simple_tag
def caseload_rows(rows, mine):
    return rows_html(rows, mine=bool(mine))
