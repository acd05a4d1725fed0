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
    # Valid whatever the subtype: a daterange would take no number, an int4range no date.
    if typtype == "r":
        return "'empty'"
    if typtype == "m":
        return "'{}'"
    # Every attribute null: a value of any composite type (but one with a NOT NULL domain).
    if typtype == "c":
        return "'()'"
    if data_type == "uuid":
        return "gen_random_uuid()"
    if data_type in ("json", "jsonb"):
        return "'{}'"
    return SAMPLE_BY_CATEGORY.get(category)


def _columns(conn: psycopg.Connection[Any]) -> dict[tuple[str, str], dict[str, tuple[Any, ...]]]:
    tables: dict[tuple[str, str], dict[str, tuple[Any, ...]]] = {}
    for row in conn.execute(COLUMNS):
        tables.setdefault((row[0], row[1]), {})[row[2]] = row
    return tables


def _insert(conn: psycopg.Connection[Any], schema: str, table: str, values: dict[str, str]) -> bool:
    target = sql.Identifier(schema, table)
    query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        target,
        sql.SQL(", ").join(map(sql.Identifier, values)),
        sql.SQL(", ").join(map(sql.SQL, values.values())),  # type: ignore[arg-type]
    ) if values else sql.SQL("INSERT INTO {} DEFAULT VALUES").format(target)
    try:
        with conn.transaction():
            conn.execute(query)
    except psycopg.Error:
        return False
    return True


def seed(source_url: str, target_url: str) -> Seeded:
    """Insert into the source one made-up row per table that the target would also
    accept (same values, in the columns it still has); return the values set."""
    seeded: Seeded = {}
    with connect(source_url, autocommit=True) as source, \
            connect(target_url, autocommit=True) as target:
        target_tables = _columns(target)
        for (schema, table), columns in _columns(source).items():
            values = {}
            for name, data_type, category, typtype, identity, generated in (
                (c[2], c[3], c[4], c[5], c[8], c[9]) for c in columns.values()
            ):
                value = None if identity or generated else _value(category, typtype, data_type)
                if value is not None:
                    values[name] = value
            kept = target_tables.get((schema, table))
            if kept is None:
                continue
            in_target = {n: v for n, v in values.items() if n in kept}
            with target.transaction(force_rollback=True):
                if not _insert(target, schema, table, in_target):
                    continue
            if not _insert(source, schema, table, values):
                continue
            # Compare later only what was set and keeps its type.
            unchanged = {n for n in in_target if kept[n][3] == columns[n][3]}
            row = source.execute(
                sql.SQL("SELECT {} FROM {} LIMIT 1").format(
                    sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(n))
                                       for n in sorted(unchanged)) or sql.SQL("1"),
                    sql.Identifier(schema, table),
                )
            ).fetchone()
            assert row is not None
            seeded[(schema, table)] = dict(zip(sorted(unchanged), row, strict=False))
    return seeded


def lost_rows(url: str, seeded: Seeded, plan: Plan) -> list[str]:
    """Seeded values missing after `plan` ran, except where the plan said it drops them."""
    dropped = {s.object_name for s in plan.steps if s.action == "drop" or "data_loss" in s.hazards}
    lost = []
    with connect(url, autocommit=True) as conn:
        for (schema, table), row in seeded.items():
            found = conn.execute("SELECT format('%%I.%%I', %s::text, %s::text)", (schema, table))
            qualified = found.fetchone()[0]  # type: ignore[index]
            if qualified in dropped or dropped.intersection(_partition_ancestors(conn, qualified)):
                continue  # a partition goes with its parent
            # A column the plan drops (and maybe adds again) loses its values, as it said.
            names = sorted(n for n in row if f"{qualified}.{_quoted(conn, n)}" not in dropped)
            cursor = conn.execute(sql.SQL("SELECT {} FROM {}").format(
                sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(n))
                                   for n in names) or sql.SQL("1"),
                sql.Identifier(schema, table)))
            rows = [dict(zip(names, r, strict=False)) for r in cursor.fetchall()]
            kept = {n: row[n] for n in names}
            if not any(r == kept for r in rows):
                lost.append(f"{qualified}: {kept} not among {rows}")
    return lost


def _partition_ancestors(conn: psycopg.Connection[Any], table: str) -> list[str]:
    found = conn.execute(
        "SELECT format('%%I.%%I', n.nspname, c.relname)"
        " FROM pg_partition_ancestors(%s::regclass) a"
        " JOIN pg_class c ON c.oid = a.relid JOIN pg_namespace n ON n.oid = c.relnamespace",
        (table,))
    return [row[0] for row in found.fetchall()]


def _quoted(conn: psycopg.Connection[Any], name: str) -> str:
    found = conn.execute("SELECT format('%%I', %s::text)", (name,)).fetchone()
    assert found is not None
    return str(found[0])
