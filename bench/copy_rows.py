"""PostgreSQL COPY for the seeds: unsaved model instances written in one stream, each field
prepared as the ORM would save it (defaults, auto_now_add, JSON). Several times faster than
bulk_create, which matters at BENCH_SIZE=large (millions of rows)."""

from contextlib import contextmanager

from django.db import connection


def copy_objects(model, objects) -> int:
    """Writes every concrete field but the auto primary key; returns the rows written. The
    rows take ids from the table's sequence in order, so `order_by("pk")` reads them back in
    the order given."""
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row(
                [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
            )
            written += 1
    return written


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY of the given columns, each row a list in that order. Every other column that
    cannot be NULL gets the field's default (a fresh one per row when the default is
    callable), so a field added to the model later does not break the seed."""
    given = set(columns)
    missing = [
        f
        for f in model._meta.concrete_fields
        if f.column not in given and f is not model._meta.auto_field and not f.null
    ]
    names = [*columns, *(f.column for f in missing)]
    quoted = ", ".join(f'"{column}"' for column in names)  # "on" is a reserved word
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({quoted}) FROM STDIN") as copy,
    ):
        for row in rows:
            extra = [f.get_db_prep_save(f.get_default(), connection) for f in missing]
            copy.write_row([*row, *extra])
            written += 1
    return written


@contextmanager
def fact_triggers_off():
    """The fact tables' triggers (ADR 018, 021, 022) lock each (service, month, activity)
    bucket a statement touches until the transaction ends: one COPY of 300,000 referrals asks
    for more locks than PostgreSQL has room for ("out of shared memory"). So the seed writes
    with this session's triggers off (`session_replication_role`, as a restore does) and the
    facts are rebuilt once afterwards by the nightly reconcile."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
