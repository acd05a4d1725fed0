"""Definitions PostgreSQL prints differently from how it reads them back.

PostgreSQL's deparse is not always a fixed point: `status IN ('a', 'b')` over a
varchar column prints as one expression after the user's text is parsed, and as a
slightly different one after *that* print is parsed again. A database that pgmt built
from printed definitions would then differ forever from a shadow built from the
user's files. So when a definition differs, ask the source server what the target's
text becomes once parsed there, inside a savepoint that is always rolled back; if
that is what the source already has, the two are the same and nothing is planned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import msgspec
import psycopg

from pgmt.catalog import model as m
from pgmt.catalog.reader import PINNED_SETTINGS

PROBE = "pgmt_equivalence_probe"

Probe = Callable[[psycopg.Connection[Any], Any, Any], Any]


def _first(conn: psycopg.Connection[Any], query: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(query.encode() if not params else query, params).fetchone()  # type: ignore[arg-type]
    return row[0] if row else None


def _empty_copy(conn: psycopg.Connection[Any], table: str) -> str:
    """A temporary empty table with `table`'s columns: what builds an index is probed on
    it, so the probe costs nothing on a big table."""
    conn.execute(f"CREATE TEMP TABLE {PROBE} (LIKE {table})".encode())
    return f"pg_temp.{PROBE}"


def _constraint(conn: psycopg.Connection[Any], old: m.Constraint, new: m.Constraint) -> Any:
    if new.constraint_type != old.constraint_type:
        return None
    if new.constraint_type == "x":  # builds an index: on an empty copy
        copy, name = _empty_copy(conn, new.table), f"{PROBE}_constraint"
        conn.execute(f"ALTER TABLE {copy} ADD CONSTRAINT {name} {new.definition}".encode())
        return msgspec.structs.replace(new, definition=_first(
            conn, "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND conname = %s", (copy, name)))
    if new.constraint_type != "c":
        return None
    definition = new.definition.removesuffix(" NOT VALID")
    conn.execute(f"ALTER TABLE {new.table} ADD CONSTRAINT {PROBE} {definition} NOT VALID".encode())
    printed = _first(conn, "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                     "WHERE conrelid = %s::regclass AND conname = %s", (new.table, PROBE))
    if new.definition.endswith(" NOT VALID"):
        return msgspec.structs.replace(new, definition=printed)
    return msgspec.structs.replace(new, definition=printed.removesuffix(" NOT VALID"))


def _default(conn: psycopg.Connection[Any], old: m.Default, new: m.Default) -> Any:
    conn.execute(
        f"ALTER TABLE {new.table} ALTER COLUMN {new.column} SET DEFAULT {new.expression}".encode()
    )
    printed = _first(
        conn,
        "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
        " ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
        " WHERE d.adrelid = %s::regclass AND format('%%I', a.attname) = %s",
        (new.table, new.column),
    )
    return msgspec.structs.replace(new, expression=printed)


def _view(conn: psycopg.Connection[Any], old: m.View | m.MaterializedView,
          new: m.View | m.MaterializedView) -> Any:
    probe = f"{_schema_of(new.name)}.{PROBE}"
    if isinstance(new, m.MaterializedView):
        conn.execute(f"CREATE MATERIALIZED VIEW {probe} AS {new.definition} WITH NO DATA"
                     .encode())
    else:
        conn.execute(f"CREATE VIEW {probe} AS {new.definition}".encode())
    printed = _first(conn, "SELECT rtrim(pg_get_viewdef(%s::regclass), E'; \\n')", (probe,))
    return msgspec.structs.replace(new, definition=printed)


def _generated_column(conn: psycopg.Connection[Any], old: m.Column, new: m.Column) -> Any:
    if new.generated is None or old.generated is None:
        return None
    copy = _empty_copy(conn, new.table)
    conn.execute(f"ALTER TABLE {copy} ADD COLUMN {PROBE} {new.data_type}"
                 f" GENERATED ALWAYS AS ({new.generated}) STORED".encode())
    printed = _first(conn, "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d"
                     " JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
                     " WHERE d.adrelid = %s::regclass AND a.attname = %s", (copy, PROBE))
    return msgspec.structs.replace(new, generated=printed)


def _partition_key(conn: psycopg.Connection[Any], old: m.Table, new: m.Table) -> Any:
    if new.partition_by is None or old.partition_by is None:
        return None
    conn.execute(f"CREATE TEMP TABLE {PROBE} (LIKE {new.name}) PARTITION BY {new.partition_by}"
                 .encode())
    printed = _first(conn, f"SELECT pg_get_partkeydef('pg_temp.{PROBE}'::regclass)")
    return msgspec.structs.replace(new, partition_by=printed)


def _function(conn: psycopg.Connection[Any], old: m.Function, new: m.Function) -> Any:
    # A body in SQL-standard form (RETURN …, BEGIN ATOMIC …) is parsed, and printed back.
    probe = f"{_schema_of(new.name)}.{PROBE}"
    printed = _renamed_probe(
        conn, new.definition, f" {new.name}(", f" {probe}(",
        "SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n"
        " ON n.oid = p.pronamespace WHERE format('%%I.%%I', n.nspname, p.proname) = %s",
        (probe,))
    return None if printed is None else msgspec.structs.replace(
        new, definition=printed.rstrip("\n"))


def _domain(conn: psycopg.Connection[Any], old: m.Domain, new: m.Domain) -> Any:
    probe = f"{_schema_of(new.name)}.{PROBE}"
    create = f"CREATE DOMAIN {probe} AS {new.base_type}"
    if new.collation is not None:
        create += f" COLLATE {new.collation}"
    if new.default is not None:
        create += f" DEFAULT {new.default}"
    for constraint in new.constraints:
        check = constraint.definition.removesuffix(" NOT VALID")
        create += f" CONSTRAINT {constraint.name} {check}"
    conn.execute(create.encode())
    row = conn.execute(
        "SELECT pg_get_expr(t.typdefaultbin, 0),"
        " array(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c"
        "       WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname)"
        " FROM pg_type t WHERE t.oid = %s::regtype", (probe,)).fetchone()
    assert row is not None
    # In name order, as the reader lists them; NOT VALID is not part of the expression.
    constraints = [
        m.DomainConstraint(c.name, printed + (" NOT VALID" if c.definition.endswith(" NOT VALID")
                                              else ""))
        for c, printed in zip(new.constraints, row[1], strict=True)
    ]
    return msgspec.structs.replace(new, default=row[0], constraints=constraints)


def _renamed_probe(conn: psycopg.Connection[Any], definition: str, head: str, probe_head: str,
                   printed_sql: str, params: tuple[Any, ...]) -> str | None:
    """Run `definition` with its name (the first `head`) replaced by the probe's
    (`probe_head`), print it back with `printed_sql`, and put the name back."""
    if head not in definition:
        return None
    conn.execute(definition.replace(head, probe_head, 1).encode())
    printed = _first(conn, printed_sql, params)
    return printed.replace(probe_head, head, 1) if printed is not None else None


def _trigger(conn: psycopg.Connection[Any], old: m.Trigger, new: m.Trigger) -> Any:
    printed = _renamed_probe(
        conn, new.definition, f" TRIGGER {new.name} ", f" TRIGGER {PROBE} ",
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass"
        " AND tgname = %s", (new.table, PROBE))
    return None if printed is None else msgspec.structs.replace(new, definition=printed)


def _rule(conn: psycopg.Connection[Any], old: m.Rule, new: m.Rule) -> Any:
    printed = _renamed_probe(
        conn, new.definition, f"RULE {new.name} AS", f"RULE {PROBE} AS",
        "SELECT rtrim(pg_get_ruledef(oid), E'; \\n') FROM pg_rewrite"
        " WHERE ev_class = %s::regclass AND rulename = %s", (new.table, PROBE))
    return None if printed is None else msgspec.structs.replace(new, definition=printed)


def _statistics(conn: psycopg.Connection[Any], old: m.Statistics, new: m.Statistics) -> Any:
    probe = f"{_schema_of(new.name)}.{PROBE}"
    printed = _renamed_probe(
        conn, new.definition, f"STATISTICS {new.name} ", f"STATISTICS {probe} ",
        "SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext WHERE oid = "
        "(SELECT s.oid FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace"
        " WHERE format('%%I.%%I', n.nspname, s.stxname) = %s)", (probe,))
    return None if printed is None else msgspec.structs.replace(new, definition=printed)


def _policy(conn: psycopg.Connection[Any], old: m.Policy, new: m.Policy) -> Any:
    clauses = ""
    if new.using is not None:
        clauses += f" USING ({new.using})"
    if new.with_check is not None:
        clauses += f" WITH CHECK ({new.with_check})"
    conn.execute(
        f"CREATE POLICY {PROBE} ON {new.table} FOR {new.command}{clauses}".encode()
    )
    row = conn.execute(
        "SELECT pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)"
        " FROM pg_policy WHERE polrelid = %s::regclass AND polname = %s",
        (new.table, PROBE),
    ).fetchone()
    assert row is not None
    return msgspec.structs.replace(new, using=row[0], with_check=row[1])


def _schema_of(qualified: str) -> str:
    """`s.t` or `"s"."t"` → the schema part, as written."""
    return qualified[:len(qualified) - len(_bare_name(qualified)) - 1] or "public"


def _bare_name(qualified: str) -> str:
    """`s.t` or `"s"."t"` (with `""` escapes) → the part after the unquoted dot."""
    quoted = False
    for i in range(len(qualified) - 1, -1, -1):
        if qualified[i] == '"':
            quoted = not quoted
        elif qualified[i] == "." and not quoted:
            return qualified[i + 1:]
    return qualified


def _index(conn: psycopg.Connection[Any], old: m.Index, new: m.Index) -> Any:
    on_table = f" ON {new.table} "
    bare = _bare_name(new.name)
    head = f" INDEX {bare} ON "
    if on_table not in new.definition or head not in new.definition:
        return None
    copy = _empty_copy(conn, new.table)
    definition = new.definition.replace(head, f" INDEX {PROBE}_index ON ", 1)
    definition = definition.replace(on_table, f" ON {copy} ", 1)
    conn.execute(definition.encode())
    printed = _first(conn, f"SELECT pg_get_indexdef('pg_temp.{PROBE}_index'::regclass)")
    printed = re.sub(rf" ON pg_temp(_\d+)?\.{PROBE} ", on_table, printed, count=1)
    return msgspec.structs.replace(new, definition=printed.replace(f" INDEX {PROBE}_index ON ",
                                                                   head, 1))


PROBES: dict[type, Probe] = {
    m.Index: _index,
    m.Constraint: _constraint,
    m.Column: _generated_column,
    m.Table: _partition_key,
    m.Function: _function,
    m.Default: _default,
    m.View: _view,
    m.MaterializedView: _view,
    m.Domain: _domain,
    m.Policy: _policy,
    m.Trigger: _trigger,
    m.Rule: _rule,
    m.Statistics: _statistics,
}


def _changing(before: dict[str, m.Object], target: m.Snapshot) -> set[str]:
    """Keys of target objects that are new or differ, and of everything depending on
    them: the definitions whose meaning may change with the plan."""
    changed = {o.key for o in target.objects
               if o.key not in before or before[o.key].spec != o.spec}
    dependents: dict[str, list[str]] = {}
    for o in target.objects:
        for dep in o.deps:
            dependents.setdefault(dep, []).append(o.key)
    queue = list(changed)
    while queue:
        for dependent in dependents.get(queue.pop(), ()):
            if dependent not in changed:
                changed.add(dependent)
                queue.append(dependent)
    return changed


def _settled(old: m.Spec, new: m.Spec, reparsed: m.Spec | None) -> m.Spec | None:
    """`new`, with each field that the source server reads back as `old`'s taken from
    `old`; None if there is none. Fields that really change keep `new`'s text, so a
    table whose partition key only prints differently can still gain, say, RLS."""
    if reparsed is None:
        return None
    settled = {
        name: getattr(old, name) for name in new.__struct_fields__
        if getattr(new, name) != getattr(old, name)
        and getattr(reparsed, name) == getattr(old, name)
    }
    return msgspec.structs.replace(new, **settled) if settled else None


class _Discard(Exception):
    """Raised to roll a probe's savepoint back."""


def reconcile(
    conn: psycopg.Connection[Any], source: m.Snapshot, target: m.Snapshot
) -> m.Snapshot:
    """`target`, with each definition that the source server reads back exactly as the
    source's own replaced by the source's (so it plans as unchanged, or as changed only in
    what really differs)."""
    before = {o.key: o for o in source.objects}
    unsettled = _changing(before, target)
    same: dict[str, m.Object] = {}
    for new in target.objects:
        old = before.get(new.key)
        probe = PROBES.get(type(new.spec))
        if old is None or probe is None or old.spec == new.spec:
            continue
        if type(old.spec) is not type(new.spec):
            continue
        if any(dep in unsettled for dep in new.deps):
            # What it refers to changes too (a function's return type, say): the source
            # server would read its text against the old objects, so ask nothing.
            continue
        try:
            with conn.transaction():
                conn.execute(PINNED_SETTINGS)  # print as the reader does
                settled = _settled(old.spec, new.spec, probe(conn, old.spec, new.spec))
                if settled is not None:
                    same[new.key] = msgspec.structs.replace(new, spec=settled)
                raise _Discard
        except (_Discard, psycopg.Error):
            pass
    if not same:
        return target
    objects = [same.get(o.key, o) for o in target.objects]
    return msgspec.structs.replace(target, objects=objects)
