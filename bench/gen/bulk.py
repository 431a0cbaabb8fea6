"""Fast inserts for the generators: rows as tuples of column values, ids allocated up front, COPY on PostgreSQL.

The ORM's bulk_create builds a model instance per row and runs each field's pre_save (auto_now_add overwrites the
dates a generator lays in the past); for a million rows that is minutes. Here a row is a plain tuple in the order
of `columns` (attribute names: `person_id`, not `person`), the ids are taken from the table's sequence in one step
(so the caller can refer to the rows it is about to write), and PostgreSQL reads the rows through COPY. Other
databases (the tests' SQLite) get the same rows through executemany with each field's own conversion.

No history rows are written (django-simple-history records what users change; generated history is not a change).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import connection, models


def _pk_column(model: type[models.Model]) -> str:
    return model._meta.pk.column


def allocate_ids(model: type[models.Model], count: int) -> range:
    """`count` fresh primary keys of `model`'s table, reserved at once (the generator is the only writer)."""
    if count <= 0:
        return range(0)
    table, pk = model._meta.db_table, _pk_column(model)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT nextval(%s)", [sequence])
            first = cursor.fetchone()[0]
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])
        else:
            cursor.execute(
                f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {connection.ops.quote_name(table)}"
            )
            first = cursor.fetchone()[0] + 1
    return range(first, first + count)


def _fields(model: type[models.Model], columns: Sequence[str]) -> list[models.Field]:
    fields = []
    for name in columns:
        field = model._meta.get_field(name)
        if not getattr(field, "concrete", False) or field.many_to_many:
            raise ValueError(f"{model.__name__}.{name} is not a column")
        fields.append(field)
    return fields


def insert(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write `rows` (tuples in the order of `columns`) into `model`'s table; the number written."""
    fields = _fields(model, columns)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    json_at = [index for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for index in json_at:
                            row[index] = None if row[index] is None else json.dumps(row[index], ensure_ascii=False)
                    copy.write_row(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
        batch: list[list] = []
        for row in rows:
            batch.append([field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)])
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def analyze(*models_: type[models.Model]) -> None:
    """Fresh planner statistics for the tables just filled (PostgreSQL; nothing elsewhere)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
