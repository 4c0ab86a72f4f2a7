"""A values() queryset compiled to SQL once, then run with each request's own values.

Building and compiling a queryset with a dozen correlated subqueries costs Django more CPU
than PostgreSQL takes to answer it: the caseload's 25 rows took ~5 ms to build and compile
and ~1 ms to run. Here the queryset is built once (per thread, shape and database it reads)
with a marker in place of each value that changes between requests. The markers' places
among the compiled parameters are noted; each run sends the same SQL with the request's
values in those places, and reads the rows through the compiler's own converters, as Django
would.

Only on PostgreSQL: elsewhere (the SQLite demo) the queryset is built and run each time.
A value compiled in that is not a marker would be kept for every later request, so a
moment (timezone.now() inside an expression) is refused at compile time: pass it in.
"""

import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

from talkingmoves.core.expressions import AnyOf, bigint_array


@dataclass(frozen=True)
class Marker:
    """What build() is given at compile time, and how a request's value is sent in its place."""

    placeholder: Any
    send: Callable[[Any], Any] = lambda value: value

    @property
    def compiled(self):
        return self.send(self.placeholder)


# Values no real row has, so each is found among the parameters by equality alone.
def an_id(n: int = 0) -> Marker:
    return Marker(-2_000_000_001 - n)


def a_moment(n: int = 0, *, send: Callable[[datetime], datetime] | None = None) -> Marker:
    """A moment; with `send`, for a build that sends send(moment) (a cutoff worked out from
    now), not the moment itself."""
    placeholder = datetime(1901, 1, 1, 0, 0, n, tzinfo=UTC)
    return Marker(placeholder, send) if send else Marker(placeholder)


def ids_for_any_of(n: int = 0) -> Marker:
    """For AnyOf(column, ids): the array text it sends on PostgreSQL."""
    return Marker([-2_000_000_101 - n], send=bigint_array)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str], ...]  # (parameter index, value name)
    names: tuple[str, ...]
    compiler: SQLCompiler


class CompiledValues:
    """build(**values) -> a values() QuerySet. rows(shape, **values) runs it: `shape` names
    whatever else changes the SQL (a role the scope depends on); `values` are the markers'
    values for this request, by the markers' names."""

    def __init__(self, build: Callable[..., QuerySet], **markers: Marker):
        self._build = build
        self._markers = markers
        self._local = threading.local()
        self._model: type | None = None

    def rows(self, shape: Hashable = None, **values) -> list[dict]:
        names, rows = self._fetch(shape, values)
        return [dict(zip(names, row, strict=True)) for row in rows]

    def tuples(self, shape: Hashable = None, **values) -> list[tuple]:
        """The rows as tuples, in the order of the values() the build names: for a page's
        hundreds of rows, where a dict a row is worth saving."""
        return [tuple(row) for row in self._fetch(shape, values)[1]]

    def _fetch(self, shape: Hashable, values: dict) -> tuple[tuple[str, ...], Iterable]:
        # Where the queryset would read (the replica, inside reporting_reads()).
        alias = router.db_for_read(self._model_read(shape))
        connection = connections[alias]
        if connection.vendor != "postgresql":
            rows = list(self._build(shape, **values))  # dicts, from values()
            return (tuple(rows[0]) if rows else ()), [row.values() for row in rows]
        compiled = self._compiled(shape, alias)
        if compiled is None:
            return (), ()
        return compiled.names, self._converted(compiled, values, connection)

    def _converted(self, compiled: _Compiled, values: dict, connection) -> Iterable:
        """The rows of the compiled statement for these values, through Django's converters."""
        params = list(compiled.params)
        for index, name in compiled.slots:
            params[index] = self._markers[name].send(values[name])
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            fetched = cursor.fetchall()
        return compiled.compiler.results_iter(results=[fetched])

    def _model_read(self, shape: Hashable):
        if self._model is None:
            placeholders = {name: marker.placeholder for name, marker in self._markers.items()}
            self._model = self._build(shape, **placeholders).model
        return self._model

    def _compiled(self, shape: Hashable, alias: str) -> _Compiled | None:
        cache = self._local.__dict__.setdefault("compiled", {})
        if (shape, alias) not in cache:
            cache[(shape, alias)] = self._compile(shape, alias)
        return cache[(shape, alias)]

    def _compile(self, shape: Hashable, alias: str) -> _Compiled | None:
        """None for a shape that can match nothing (a scope of .none())."""
        placeholders = {name: marker.placeholder for name, marker in self._markers.items()}
        query = self._build(shape, **placeholders).query
        compiler = query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        slots = []
        for index, param in enumerate(params):
            matching = [n for n, m in self._markers.items() if _same(param, m.compiled)]
            if matching:
                slots.append((index, matching[0]))
            elif isinstance(param, datetime | date | time):
                raise ImproperlyConfigured(
                    f"{self._build.__qualname__} compiles in the moment {param!r}: "
                    "pass it in as a marker, or every request would reuse it"
                )
        missing = set(self._markers) - {name for _, name in slots}
        if missing:
            raise ImproperlyConfigured(
                f"{self._build.__qualname__}: no parameter took {', '.join(sorted(missing))}"
            )
        # As ValuesIterable names a row's columns.
        names: tuple[str, ...]
        if query.selected:
            names = tuple(query.selected)
        else:
            names = (*query.extra_select, *query.values_select, *query.annotation_select)
        return _Compiled(sql, tuple(params), tuple(slots), names, compiler)


class CompiledInstances(CompiledValues):
    """As CompiledValues, for a build that gives a model QuerySet (with its select_related
    and only()): instances() are the model instances the queryset's own iteration would
    give. Not its prefetch_related, nor the objects a related manager knows (a screening
    read as person.screenings knows its person): a caller that needs those sets them."""

    def instances(self, shape: Hashable = None, **values) -> list:
        alias = router.db_for_read(self._model_read(shape))
        connection = connections[alias]
        if connection.vendor != "postgresql":
            return list(self._build(shape, **values))
        compiled = self._compiled(shape, alias)
        if compiled is None:
            return []
        rows = self._converted(compiled, values, connection)
        # As django.db.models.query.ModelIterable builds them.
        compiler = compiled.compiler
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        columns = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, alias)
        found = []
        for row in rows:
            instance = klass_info["model"].from_db(alias, columns, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, index in (compiler.annotation_col_map or {}).items():
                setattr(instance, name, row[index])
            found.append(instance)
        return found

    def first(self, shape: Hashable = None, **values):
        """The first of instances(), or None: for a build that reads one row (by its key, or
        sliced [:1] in its own order)."""
        found = self.instances(shape, **values)
        return found[0] if found else None


def _same(param, compiled) -> bool:
    return type(param) is not bool and param == compiled


def owned_by(model, key: str, *columns: str, order: tuple[str, ...] = ()) -> CompiledValues:
    """`key` and `columns` of the model's rows whose `key` is one of `ids`, in `order`: what
    a page of activities reads beside each of them (its features, its weekly times)."""
    return CompiledValues(
        lambda _shape, *, ids: (
            model.objects.filter(AnyOf(key, ids)).order_by(*order).values(key, *columns)
        ),
        ids=ids_for_any_of(),
    )
