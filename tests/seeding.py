"""Rows to prove data survives a plan: one row per table, where one can be made."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from pgmt.engine import Plan
from pgmt.postgres import connect

# A value PostgreSQL can cast to a column of each type category (pg_type.typcategory).
SAMPLE_BY_CATEGORY = {
    "N": "'7'", "S": "'seed'", "B": "'true'", "D": "now()", "A": "'{}'",
    "T": "'1 day'", "I": "'10.0.0.1'", "V": "'1'",
}  # fmt: skip

COLUMNS = """
SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
       t.typcategory, t.typtype, a.attnotnull, a.atthasdef, a.attidentity, a.attgenerated
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
WHERE c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
ORDER BY 1, 2, a.attnum
"""

Row = dict[str, str | None]
Seeded = dict[tuple[str, str], Row]


def _value(category: str, typtype: str, data_type: str) -> str | None:
    if typtype == "e":
        return f"enum_first(NULL::{data_type})"
    if data_type == "uuid":
        return "gen_random_uuid()"
    if data_type in ("json", "jsonb"):
        return "'{}'"
    return SAMPLE_BY_CATEGORY.get(category)


def seed(url: str) -> Seeded:
    """Insert one row into every table that accepts a made-up one; return them as text."""
    tables: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    seeded: Seeded = {}
    with connect(url, autocommit=True) as conn:
        for row in conn.execute(COLUMNS):
            tables.setdefault((row[0], row[1]), []).append(row)
        for (schema, table), columns in tables.items():
            names, values = [], []
            for _, _, name, data_type, category, typtype, _, _, identity, generated in columns:
                if identity or generated:
                    continue
                value = _value(category, typtype, data_type)
                if value is not None:
                    names.append(sql.Identifier(name))
                    values.append(sql.SQL(value))
            target = sql.Identifier(schema, table)
            query = (
                sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING *").format(
                    target, sql.SQL(", ").join(names), sql.SQL(", ").join(values))
                if names else sql.SQL("INSERT INTO {} DEFAULT VALUES RETURNING *").format(target)
            )
            try:
                with conn.transaction():
                    cursor = conn.execute(query)
                    inserted = cursor.fetchone()
            except psycopg.Error:
                continue  # a check, a foreign key or an exotic type: no row for this table
            assert cursor.description is not None and inserted is not None
            seeded[(schema, table)] = {
                d.name: None if v is None else str(v)
                for d, v in zip(cursor.description, inserted, strict=True)
            }
    return seeded


def lost_rows(url: str, seeded: Seeded, plan: Plan) -> list[str]:
    """Seeded values missing after `plan` ran, except where the plan said it drops them."""
    dropped = {s.object_name for s in plan.steps if s.action == "drop" or "data_loss" in s.hazards}
    lost = []
    with connect(url, autocommit=True) as conn:
        for (schema, table), row in seeded.items():
            found = conn.execute("SELECT format('%%I.%%I', %s::text, %s::text)", (schema, table))
            qualified = found.fetchone()[0]  # type: ignore[index]
            if qualified in dropped:
                continue
            try:
                cursor = conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(schema, table)))
            except psycopg.Error:
                continue  # the table is gone on purpose (the target has no such table)
            assert cursor.description is not None
            names = [d.name for d in cursor.description]
            rows = [dict(zip(names, (None if v is None else str(v) for v in r), strict=True))
                    for r in cursor.fetchall()]
            common = [n for n in names if n in row]
            if not any(all(r[n] == row[n] for n in common) for r in rows):
                lost.append(f"{qualified}: {row} not among {rows}")
    return lost
