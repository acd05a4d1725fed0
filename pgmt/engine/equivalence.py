"""Definitions PostgreSQL prints differently from how it reads them back.

PostgreSQL's deparse is not always a fixed point: `status IN ('a', 'b')` over a
varchar column prints as one expression after the user's text is parsed, and as a
slightly different one after *that* print is parsed again. A database that pgmt built
from printed definitions would then differ forever from a shadow built from the
user's files. So when a definition differs, ask the source server what the target's
text becomes once parsed there, inside a savepoint that is always rolled back; if
that is what the source already has, the two are the same and nothing is planned.
Every definition is asked about at once, in one round trip; none takes a lock that
would wait for the source's traffic (see `COPY`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
import psycopg

from pgmt.catalog import model as m
from pgmt.catalog.reader import PINNED_SETTINGS
from pgmt.postgres.pipeline import last_rows

PROBE = "pgmt_equivalence_probe"
# Every probe object is temporary: what a probe adds to a table it adds to an empty
# temporary copy of the table (`_copy_of`), a view, function or domain it makes in the
# session's temporary schema. So the source's tables are only read (ACCESS SHARE: probing a
# live database never waits for, nor holds up, its traffic), and asking needs no more than
# the TEMP privilege, not CREATE on its schemas.
COPY = f"pg_temp.{PROBE}"


@dataclass(frozen=True)
class Probing:
    """How to ask the source server what a target definition becomes once parsed there:
    `statements` make a probe object from it, `query` (with `params`, $1…) prints the probe
    back as the reader does, and `reparsed` makes the printed row a spec."""

    statements: tuple[str, ...]
    query: str
    params: tuple[str, ...]
    reparsed: Callable[[tuple[Any, ...]], m.Spec]


Probe = Callable[[Any, Any], Probing | None]  # (old spec, new spec); None: nothing to ask


def _copy_of(table: str) -> str:
    return f"CREATE TEMP TABLE {PROBE} (LIKE {table})"


def _view_of(table: str) -> str:
    """A copy as a view: its columns take defaults too, and it has no storage to make (half
    the cost of a table's copy)."""
    return f"CREATE TEMP VIEW {PROBE} AS SELECT * FROM {table}"


def _constraint(old: m.Constraint, new: m.Constraint) -> Probing | None:
    if new.constraint_type != old.constraint_type or new.constraint_type not in ("c", "x"):
        return None
    # On an empty copy a check has nothing to validate: NOT VALID is put back after.
    suffix = " NOT VALID" if new.definition.endswith(" NOT VALID") else ""
    name = f"{PROBE}_constraint"
    return Probing(
        (_copy_of(new.table),
         f"ALTER TABLE {COPY} ADD CONSTRAINT {name} {new.definition.removesuffix(suffix)}"),
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = $1::regclass AND conname = $2", (COPY, name),
        lambda row: msgspec.structs.replace(new, definition=row[0] + suffix))


def _default(old: m.Default, new: m.Default) -> Probing:
    return Probing(
        (_view_of(new.table),
         f"ALTER VIEW {COPY} ALTER COLUMN {new.column} SET DEFAULT {new.expression}"),
        "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
        " ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
        " WHERE d.adrelid = $1::regclass AND format('%I', a.attname) = $2", (COPY, new.column),
        lambda row: msgspec.structs.replace(new, expression=row[0]))


def _view(old: m.View | m.MaterializedView, new: m.View | m.MaterializedView) -> Probing:
    # A materialized view's query is stored and printed as a view's: asked as a temporary
    # view (a materialized one cannot be temporary, and would need CREATE on its schema).
    return Probing((f"CREATE TEMP VIEW {PROBE} AS {new.definition}",),
                   "SELECT rtrim(pg_get_viewdef($1::regclass), E'; \\n')", (COPY,),
                   lambda row: msgspec.structs.replace(new, definition=row[0]))


def _generated_column(old: m.Column, new: m.Column) -> Probing | None:
    if new.generated is None or old.generated is None:
        return None
    return Probing(
        (_copy_of(new.table), f"ALTER TABLE {COPY} ADD COLUMN {PROBE} {new.data_type}"
                              f" GENERATED ALWAYS AS ({new.generated})"
                              f" {'VIRTUAL' if new.generated_virtual else 'STORED'}"),
        "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d"
        " JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
        " WHERE d.adrelid = $1::regclass AND a.attname = $2", (COPY, PROBE),
        lambda row: msgspec.structs.replace(new, generated=row[0]))


def _partition_key(old: m.Table, new: m.Table) -> Probing | None:
    if new.partition_by is None or old.partition_by is None:
        return None
    if new.partition_key_columns != old.partition_key_columns:
        return None  # the source would read the key against the columns' old types
    return Probing(
        (f"{_copy_of(new.name)} PARTITION BY {new.partition_by}",),
        "SELECT pg_get_partkeydef($1::regclass)", (COPY,),
        lambda row: msgspec.structs.replace(new, partition_by=row[0]))


def _function(old: m.Function, new: m.Function) -> Probing | None:
    # A body in SQL-standard form (RETURN …, BEGIN ATOMIC …) is parsed, and printed back.
    head, probe_head = f" {new.name}(", f" {COPY}("
    if head not in new.definition:
        return None
    return Probing(
        (new.definition.replace(head, probe_head, 1),),
        "SELECT pg_get_functiondef(oid) FROM pg_proc"
        " WHERE proname = $1 AND pronamespace = pg_my_temp_schema()", (PROBE,),
        lambda row: msgspec.structs.replace(
            new, definition=row[0].replace(probe_head, head, 1).rstrip("\n")))


def _domain(old: m.Domain, new: m.Domain) -> Probing:
    create = f"CREATE DOMAIN {COPY} AS {new.base_type}"
    if new.collation is not None:
        create += f" COLLATE {new.collation}"
    if new.default is not None:
        create += f" DEFAULT {new.default}"
    for constraint in new.constraints:
        check = constraint.definition.removesuffix(" NOT VALID")
        create += f" CONSTRAINT {constraint.name} {check}"

    def reparsed(row: tuple[Any, ...]) -> m.Spec:
        # In name order, as the reader lists them; NOT VALID is not part of the expression.
        constraints = [
            m.DomainConstraint(c.name, printed + (" NOT VALID" if c.definition.endswith(
                " NOT VALID") else ""))
            for c, printed in zip(new.constraints, row[1], strict=True)
        ]
        return msgspec.structs.replace(new, default=row[0], constraints=constraints)

    return Probing(
        (create,),
        "SELECT pg_get_expr(t.typdefaultbin, 0),"
        " array(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c"
        "       WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname)"
        " FROM pg_type t WHERE t.oid = $1::regtype", (COPY,), reparsed)


def _on_copy(new: m.Index | m.Trigger | m.Rule | m.Statistics, name: str, probe_name: str,
             query: str, params: tuple[str, ...]) -> Probing | None:
    """A probe of `new.definition` (`… <name> … ON|TO|FROM <table> …`) made on the copy of
    its table under `probe_name`, printed back by `query` and put back on the table under
    `name`; None if the definition does not read so."""
    on_table = re.search(rf" (ON|TO|FROM) {re.escape(new.table)}(?=[\s(]|$)", new.definition)
    if name not in new.definition or on_table is None:
        return None
    on_copy = (new.definition[:on_table.start()] + f" {on_table[1]} {COPY}"
               + new.definition[on_table.end():]).replace(name, probe_name, 1)

    def reparsed(row: tuple[Any, ...]) -> m.Spec:
        # The copy is printed qualified, or not where the temporary schema is searched.
        printed = re.sub(rf" (ON|TO|FROM) (pg_temp(_\d+)?\.)?{PROBE}(?=[\s(]|$)",
                         rf" \1 {new.table}", row[0], count=1)
        return msgspec.structs.replace(new, definition=printed.replace(probe_name, name, 1))

    return Probing((_copy_of(new.table), on_copy), query, params, reparsed)


def _trigger(old: m.Trigger, new: m.Trigger) -> Probing | None:
    return _on_copy(new, f" TRIGGER {new.name} ", f" TRIGGER {PROBE} ",
                    "SELECT pg_get_triggerdef(oid) FROM pg_trigger"
                    " WHERE tgrelid = $1::regclass AND tgname = $2", (COPY, PROBE))


def _rule(old: m.Rule, new: m.Rule) -> Probing | None:
    return _on_copy(new, f"RULE {new.name} AS", f"RULE {PROBE} AS",
                    "SELECT rtrim(pg_get_ruledef(oid), E'; \\n') FROM pg_rewrite"
                    " WHERE ev_class = $1::regclass AND rulename = $2", (COPY, PROBE))


def _index(old: m.Index, new: m.Index) -> Probing | None:
    return _on_copy(new, f" INDEX {_bare_name(new.name)} ON ", f" INDEX {PROBE}_index ON ",
                    f"SELECT pg_get_indexdef('pg_temp.{PROBE}_index'::regclass)", ())


def _statistics(old: m.Statistics, new: m.Statistics) -> Probing | None:
    return _on_copy(new, f"STATISTICS {new.name} ", f"STATISTICS {COPY} ",
                    "SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext"
                    " WHERE stxname = $1 AND stxnamespace = pg_my_temp_schema()", (PROBE,))


def _policy(old: m.Policy, new: m.Policy) -> Probing:
    clauses = ""
    if new.using is not None:
        clauses += f" USING ({new.using})"
    if new.with_check is not None:
        clauses += f" WITH CHECK ({new.with_check})"
    return Probing(
        (_copy_of(new.table), f"CREATE POLICY {PROBE} ON {COPY} FOR {new.command}{clauses}"),
        "SELECT pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)"
        " FROM pg_policy WHERE polrelid = $1::regclass AND polname = $2", (COPY, PROBE),
        lambda row: msgspec.structs.replace(new, using=row[0], with_check=row[1]))


def _bare_name(qualified: str) -> str:
    """`s.t` or `"s"."t"` (with `""` escapes) → the part after the unquoted dot."""
    quoted = False
    for i in range(len(qualified) - 1, -1, -1):
        if qualified[i] == '"':
            quoted = not quoted
        elif qualified[i] == "." and not quoted:
            return qualified[i + 1:]
    return qualified


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


class _Unsettled:
    """Whether a target object's meaning may change with the plan: it is new or differs
    from the source's, or something it uses (however indirectly) does. Worked out for the
    objects asked about only, each once: a handful of probes need not walk the whole
    snapshot."""

    def __init__(self, before: dict[str, m.Object], target: m.Snapshot) -> None:
        self.before = before
        self.target = {o.key: o for o in target.objects}
        self.known: dict[str, bool] = {}

    def __call__(self, key: str) -> bool:
        known, before, target = self.known, self.before, self.target
        stack = [(key, False)]  # depth first; (key, True): its uses are all known now
        while stack:
            current, uses_known = stack.pop()
            if uses_known:
                known[current] = any(known[dep] for dep in target[current].deps)
                continue
            obj = target.get(current)
            if current in known:
                continue
            if obj is None:
                known[current] = False
            elif current not in before or before[current].spec != obj.spec:
                known[current] = True
            else:
                known[current] = False  # for now: a cycle back here adds nothing
                stack.append((current, True))
                stack.extend((dep, False) for dep in obj.deps if dep not in known)
        return known[key]


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
    """Raised to roll the probes' transaction back."""


SAVEPOINT = "pgmt_probes"


def reconcile(
    conn: psycopg.Connection[Any], source: m.Snapshot, target: m.Snapshot
) -> m.Snapshot:
    """`target`, with each definition that the source server reads back exactly as the
    source's own replaced by the source's (so it plans as unchanged, or as changed only in
    what really differs)."""
    before = {o.key: o for o in source.objects}
    unsettled = _Unsettled(before, target)
    asked: list[tuple[m.Object, m.Spec, Probing]] = []
    for new in target.objects:
        old = before.get(new.key)
        probe = PROBES.get(type(new.spec))
        if old is None or probe is None or old.spec == new.spec:
            continue
        if type(old.spec) is not type(new.spec):
            continue
        if any(unsettled(dep) for dep in new.deps):
            # What it refers to changes too (a function's return type, say): the source
            # server would read its text against the old objects, so ask nothing.
            continue
        probing = probe(old.spec, new.spec)
        if probing is not None:
            asked.append((new, old.spec, probing))
    same: dict[str, m.Object] = {}
    for (new, old_spec, probing), row in zip(asked, _ask(conn, [p for *_, p in asked]),
                                             strict=True):
        if row is not None:
            settled = _settled(old_spec, new.spec, probing.reparsed(row))
            if settled is not None:
                same[new.key] = msgspec.structs.replace(new, spec=settled)
    if not same:
        return target
    objects = [same.get(o.key, o) for o in target.objects]
    return msgspec.structs.replace(target, objects=objects)


def _ask(conn: psycopg.Connection[Any], probings: list[Probing]) -> list[tuple[Any, ...] | None]:
    """Each probe's printed row (None where the source server refused its statements), all
    in one round trip, inside a transaction that is rolled back. Each probe starts from the
    same savepoint, rolled back to first: what a probe made, or the error it ended in, is
    gone before the next."""
    if not probings:
        return []
    rows: list[tuple[Any, ...] | None] = []
    try:
        with conn.transaction():
            # Print as the reader does.
            conn.execute(f"{PINNED_SETTINGS}; SAVEPOINT {SAVEPOINT}".encode())
            rows = last_rows(conn, [
                [(f"ROLLBACK TO SAVEPOINT {SAVEPOINT}", ()),
                 *((statement, ()) for statement in probing.statements),
                 (probing.query, probing.params)]
                for probing in probings
            ])
            raise _Discard
    except _Discard:
        pass
    return rows
