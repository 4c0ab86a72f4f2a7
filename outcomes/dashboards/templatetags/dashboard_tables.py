from django import template

from outcomes.dashboards.table_html import table_rows

register = template.Library()


@register.simple_tag
def dashboard_table_rows(table):
    return table_rows(table)
