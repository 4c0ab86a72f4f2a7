"""Pieces the measures share: the period as dates, and "ended in the period"."""

from datetime import date
from typing import Protocol

from django.db.models import Func, IntegerField, Q


class DatedPeriod(Protocol):
    """Any period the views pass: only its inclusive start and end dates are read."""

    start: date
    end: date


def ended_in(period: DatedPeriod, prefix: str = "") -> Q:
    return Q(**{f"{prefix}ended_on__gte": period.start, f"{prefix}ended_on__lte": period.end})


def on_in(field: str, period: DatedPeriod) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


class DaysBetween(Func):
    """later - earlier, two dates, as whole days: PostgreSQL's date arithmetic, and
    julianday on SQLite (the zero-setup default)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        (later, later_params), (earlier, earlier_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
        return sql, (*later_params, *earlier_params)
