"""Keyset ("seek") pagination: a page is the rows just after (or before) a cursor in a fixed,
unique order, so the database reads only the page, however deep it is, where OFFSET reads and
throws away every row before it.

A cursor is the sort key of the boundary row, encoded opaquely for the URL. It only narrows a
query that is already scoped to the user, so a forged one can show nothing it should not; one
that does not decode gives the first page.
"""

import base64
import binascii
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import BooleanField, Expression, F, Field, QuerySet, Value

AFTER = "after"
BEFORE = "before"


class RowCompare(Expression):
    """`(k1, k2, ...) > (v1, v2, ...)` (or `<`): a row comparison PostgreSQL answers with one
    range scan of an index on the same columns, where an OR chain would not use it."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, keys: Sequence, values: Sequence, operator: str):
        super().__init__()
        self.keys = list(keys)
        self.values = list(values)
        self.operator = operator

    def get_source_expressions(self):
        return [*self.keys, *self.values]

    def set_source_expressions(self, exprs):
        self.keys, self.values = list(exprs[: len(self.keys)]), list(exprs[len(self.keys) :])

    def as_sql(self, compiler, connection):
        def row(expressions):
            parts, params = [], []
            for expression in expressions:
                sql, sql_params = compiler.compile(expression)
                parts.append(sql)
                params.extend(sql_params)
            return f"({', '.join(parts)})", params

        lhs, lhs_params = row(self.keys)
        rhs, rhs_params = row(self.values)
        return f"{lhs} {self.operator} {rhs}", [*lhs_params, *rhs_params]


@dataclass(frozen=True)
class Key:
    """One column of the order: an expression, the field that types its value, and how its
    value travels in a cursor."""

    expression: Any
    field: Field
    dump: Callable[[Any], Any] = lambda value: value
    load: Callable[[Any], Any] = lambda value: value


def datetime_key(name: str, field: Field) -> Key:
    return Key(F(name), field, dump=datetime.isoformat, load=_aware_datetime)


def uuid_key(name: str, field: Field) -> Key:
    return Key(F(name), field, dump=str, load=uuid.UUID)


def _aware_datetime(raw: str) -> datetime:
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        raise ValueError("a cursor's times carry their offset")
    return value


def encode(values: Sequence) -> str:
    text = json.dumps(list(values), separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(raw: str, keys: Sequence[Key]) -> tuple | None:
    """The sort key a cursor carries, or None if it is not one of ours."""
    if not raw or len(raw) > 2000:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        return tuple(key.load(value) for key, value in zip(keys, values, strict=True))
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, AttributeError):
        return None


@dataclass
class Page:
    """One page and the links either side. `previous_query`/`next_query` are query strings
    (without '?') that keep the page's other parameters."""

    rows: list
    previous_query: str = ""
    next_query: str = ""

    @property
    def has_other_pages(self) -> bool:
        return bool(self.previous_query or self.next_query)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def paginate(
    queryset: QuerySet,
    keys: Sequence[Key],
    *,
    per_page: int,
    params: dict[str, str],
    descending: bool = False,
    row_values: Callable[[Any], Sequence],
    extra: dict[str, str] | None = None,
) -> Page:
    """The page of `queryset` in the order of `keys` (all ascending, or all descending) that
    `params` (the request's GET) asks for: `after=<cursor>` or `before=<cursor>`, else the
    first. `row_values(row)` gives a row's sort key, in the order of `keys`."""
    direction, cursor = None, None
    for name in (AFTER, BEFORE):
        if params.get(name):
            direction, cursor = name, decode(params[name], keys)
            break
    if cursor is None:
        direction = None
    backwards = direction == BEFORE
    # Reading backwards walks the order the other way, then turns the page round.
    reverse = descending != backwards
    queryset_without_cursor = queryset
    if cursor is not None:
        queryset = queryset.filter(
            RowCompare(
                [key.expression for key in keys],
                [
                    Value(value, output_field=key.field)
                    for key, value in zip(keys, cursor, strict=True)
                ],
                "<" if reverse else ">",
            )
        )
    order = [
        (key.expression.desc() if reverse else key.expression.asc())
        if hasattr(key.expression, "desc")
        else key.expression
        for key in keys
    ]
    rows = list(queryset.order_by(*order)[: per_page + 1])
    if cursor is not None and not rows:
        # Before the first row or after the last (the rows moved on): start again.
        return paginate(
            queryset_without_cursor,
            keys,
            per_page=per_page,
            params={},
            descending=descending,
            row_values=row_values,
            extra=extra,
        )
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
    has_previous = more if backwards else cursor is not None
    has_next = True if backwards else more
    base = dict(extra or {})

    def link(name, row):
        values = [key.dump(value) for key, value in zip(keys, row_values(row), strict=True)]
        return urlencode({**base, name: encode(values)})

    return Page(
        rows=rows,
        previous_query=link(BEFORE, rows[0]) if rows and has_previous else "",
        next_query=link(AFTER, rows[-1]) if rows and has_next else "",
    )
