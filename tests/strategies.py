"""Hypothesis strategies for the fuzz tests: random valid schemas and random edits of them.

A schema is generated as a *model* (the dataclasses below), never as SQL text: objects
refer to each other by name, `normalize` drops or trims whatever an edit left dangling
(a view over a dropped column, an FK whose types no longer match), and `render` writes
SQL PostgreSQL 15+ accepts. Edits work on a copy of the model and normalize again, so
both sides of a pair are always loadable.

Settings profiles (select with PGMT_FUZZ_PROFILE):
- `ci` (default): derandomized (a fixed seed), few examples, no example database and no
  shrinking, so a CI run is repeatable and bounded;
- `long`: a campaign (random seeds, many examples, failures saved in `.hypothesis/`);
- `dev`: a handful of random examples, for working on the generator.
PGMT_FUZZ_EXAMPLES=<n> overrides the number of examples of any profile.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# The role grants and policies name; the test server creates it (tests/conftest.py).
ROLE = "schemainspect_test_role"

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
# `ci` does not shrink: a failure prints its (unshrunk) schemas at once instead of spending
# minutes of CI time; reproduce and shrink it with the `long` profile or by hand.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, max_examples=12,
    suppress_health_check=_SLOW, print_blob=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.register_profile(
    "long", deadline=None, max_examples=2000, suppress_health_check=_SLOW, print_blob=True,
)
settings.register_profile(
    "dev", deadline=None, max_examples=10, suppress_health_check=_SLOW, print_blob=True,
)
PROFILE = os.environ.get("PGMT_FUZZ_PROFILE", "ci")


def fuzz_settings(ci_examples: int) -> settings:
    """The selected profile; under `ci`, `ci_examples` examples (each test sets its own
    budget: a convergence example costs four databases, a planning one two)."""
    base = settings.get_profile(PROFILE)
    if os.environ.get("PGMT_FUZZ_EXAMPLES"):
        return settings(base, max_examples=int(os.environ["PGMT_FUZZ_EXAMPLES"]))
    if PROFILE == "ci":
        return settings(base, max_examples=ci_examples)
    return base


def q(name: str) -> str:
    """A quoted identifier (always quoted: names are chosen to need it)."""
    return '"' + name.replace('"', '""') + '"'


def qq(schema: str, name: str) -> str:
    return f"{q(schema)}.{q(name)}"


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ---------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------

Key = tuple[str, str]  # (schema, name)


@dataclass(frozen=True)
class Type:
    """A column, attribute or argument type: builtin, or a user type by key."""

    name: str  # the builtin's SQL, or the user type's name
    kind: str = "builtin"  # builtin | enum | domain | composite | range
    schema: str = ""
    array: bool = False


BUILTINS = ["integer", "bigint", "smallint", "numeric(10,2)", "text", "character varying(40)",
            "boolean", "date", "timestamp with time zone", "uuid", "jsonb", "int4range", "inet"]
CLASS_OF = {
    "integer": "int", "bigint": "int", "smallint": "int", "numeric(10,2)": "num",
    "text": "text", "character varying(40)": "text", "boolean": "bool", "date": "time",
    "timestamp with time zone": "time", "uuid": "uuid", "jsonb": "json", "int4range": "range",
    "inet": "inet",
}  # fmt: skip
BTREE = {"int", "num", "text", "bool", "time", "uuid", "inet", "enum"}
NUMERIC = {"int", "num"}
# Retypes an edit may make (each has a cast PostgreSQL can apply to existing rows).
RETYPES = {
    "integer": ["bigint", "numeric(10,2)", "text", "smallint"],
    "bigint": ["integer", "numeric(10,2)"], "smallint": ["integer", "bigint"],
    "numeric(10,2)": ["integer", "bigint"], "text": ["character varying(40)"],
    "character varying(40)": ["text"], "date": ["timestamp with time zone"],
    "timestamp with time zone": ["date"], "boolean": ["text"], "inet": ["text"],
}  # fmt: skip
RETURNS = ["integer", "bigint", "numeric(10,2)", "text"]
COMMENTS = ["a comment", "it's quoted", "ünïcode ✓", "two\nlines"]
NAME_STYLES = ["t", "x", "Mixed", "with space", 'quo"te', "dot.ted", "ünï", "$1"]
RESERVED = ["select", "order", "user", "table", "group", "check", "from", "default"]


@dataclass
class Schema:
    name: str
    comment: str | None = None
    grant: bool = False


@dataclass
class Enum:
    schema: str
    name: str
    labels: list[str]
    comment: str | None = None


@dataclass
class Domain:
    schema: str
    name: str
    base: str  # a builtin: integer, numeric(10,2) or text
    not_null: bool = False
    check: int | None = None  # a variant of CHECK (VALUE ...)
    default: int | None = None
    comment: str | None = None


@dataclass
class Range:
    schema: str
    name: str
    subtype: str  # integer, bigint or numeric: each reads the seeded '[1,3)'
    comment: str | None = None


@dataclass
class Composite:
    schema: str
    name: str
    attributes: list[tuple[str, Type]]
    comment: str | None = None


@dataclass
class Sequence:
    schema: str
    name: str
    data_type: str
    start: int
    increment: int
    max_value: int
    cycle: bool
    cache: int
    grant: bool = False


@dataclass
class Column:
    name: str
    type: Type
    not_null: bool = False
    default: int | None = None  # a variant, rendered by the type
    sequence: Key | None = None  # DEFAULT nextval(that sequence)
    identity: str | None = None  # ALWAYS | BY DEFAULT
    generated: str | None = None  # GENERATED ALWAYS AS (<that column> * 2) STORED
    call: Key | None = None  # DEFAULT length(function(<default>)::text)
    serial: bool = False
    comment: str | None = None
    grant: bool = False  # GRANT SELECT (column)


@dataclass
class Check:
    name: str
    column: str
    variant: int
    call: Key | None = None  # CHECK (function(column::integer) IS NOT NULL)


@dataclass
class ForeignKey:
    name: str
    columns: list[str]
    ref: Key
    ref_columns: list[str]
    on_delete: str = "NO ACTION"


@dataclass
class Index:
    name: str
    columns: list[str]
    unique: bool = False
    partial: bool = False
    expression: bool = False  # lower(text) / (number + 1) over the first column
    comment: str | None = None


@dataclass
class Exclusion:
    name: str
    column: str
    partial: bool = False


@dataclass
class Trigger:
    name: str
    function: Key
    timing: str  # BEFORE | AFTER
    events: list[str]  # INSERT, UPDATE, DELETE
    update_of: str | None = None
    row: bool = True
    when: str | None = None  # WHEN (NEW.column IS NOT NULL)


@dataclass
class Policy:
    name: str
    command: str  # ALL SELECT INSERT UPDATE DELETE
    permissive: bool = True
    to_role: bool = False
    column: str | None = None  # USING / WITH CHECK (column IS NOT NULL), else (true)
    call: Key | None = None  # ... (function(column::integer) IS NOT NULL)


@dataclass
class Partition:
    """`CREATE TABLE name PARTITION OF <its table> FOR VALUES <bound>`, bare but for an own
    index and a comment."""

    name: str
    slot: int  # which bound (see _bound_sql); slot 0 holds the seeded row's value; -1: DEFAULT
    wide: bool = False  # the bound's other variant (a wider range, one more list value)
    index: str | None = None  # an own index, on (key DESC): no index of the parent matches it
    comment: str | None = None


@dataclass
class Table:
    schema: str
    name: str
    columns: list[Column]
    primary_key: list[str] = field(default_factory=list)
    pk_name: str = ""
    uniques: list[tuple[str, list[str]]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    indexes: list[Index] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    rls: bool = False
    force_rls: bool = False
    policies: list[Policy] = field(default_factory=list)
    unlogged: bool = False
    comment: str | None = None
    grants: list[str] = field(default_factory=list)
    inherits: Key | None = None  # INHERITS (that table)
    partition_by: tuple[str, str] | None = None  # (RANGE | LIST, the key column)
    partitions: list[Partition] = field(default_factory=list)


@dataclass
class Arg:
    name: str
    type: Type
    default: bool = False


@dataclass
class Function:
    schema: str
    name: str
    args: list[Arg]
    returns: str | None  # RETURNS; "trigger" for trigger functions; None: a procedure
    language: str  # sql | plpgsql | sql_body (the SQL-standard RETURN / BEGIN ATOMIC form)
    variant: int = 1
    comment: str | None = None
    revoke_public: bool = False  # REVOKE EXECUTE FROM PUBLIC, GRANT EXECUTE TO the role


@dataclass
class Call:
    """`function(column::integer) AS alias` in a view's select list."""

    function: Key
    column: str
    alias: str


@dataclass
class View:
    schema: str
    name: str
    source: Key  # a table or an earlier view
    columns: list[str]
    star: bool = False
    call: Call | None = None
    filter: str | None = None  # WHERE <column> IS NOT NULL
    materialized: bool = False
    with_data: bool = True
    indexes: list[tuple[str, str]] = field(default_factory=list)  # matview: (name, column)
    comment: str | None = None
    grant: bool = False


@dataclass
class Model:
    schemas: list[Schema] = field(default_factory=lambda: [Schema("public")])
    enums: list[Enum] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)
    composites: list[Composite] = field(default_factory=list)
    ranges: list[Range] = field(default_factory=list)
    sequences: list[Sequence] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    views: list[View] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # every name handed out, to keep them apart

    def fresh(self, style: str) -> str:
        """A name no other object has (they all share one pool: relations, types, indexes
        and constraints would otherwise collide in PostgreSQL's namespaces)."""
        if style in RESERVED and style not in self.used:
            self.used.add(style)
            return style
        n = len(self.used)
        while f"{style}{n}" in self.used:
            n += 1
        self.used.add(f"{style}{n}")
        return f"{style}{n}"

    def schema_names(self) -> list[str]:
        return [s.name for s in self.schemas]

    def table(self, key: Key) -> Table | None:
        return next((t for t in self.tables if (t.schema, t.name) == key), None)

    def view(self, key: Key) -> View | None:
        return next((v for v in self.views if (v.schema, v.name) == key), None)


# ---------------------------------------------------------------------------------------
# Types, columns of relations, function calls
# ---------------------------------------------------------------------------------------


def type_class(m: Model, t: Type) -> str | None:
    """What a type behaves like (`int`, `text`, `enum`...), `array`; None if it is gone."""
    if t.kind == "builtin":
        found: str | None = CLASS_OF[t.name]
    elif t.kind == "enum":
        found = "enum" if any((e.schema, e.name) == (t.schema, t.name) for e in m.enums) else None
    elif t.kind == "domain":
        d = next((d for d in m.domains if (d.schema, d.name) == (t.schema, t.name)), None)
        found = CLASS_OF[d.base] if d else None
    elif t.kind == "range":
        found = "range" if any((r.schema, r.name) == (t.schema, t.name) for r in m.ranges) else None
    else:
        found = ("composite" if any((c.schema, c.name) == (t.schema, t.name)
                                    for c in m.composites) else None)
    if found is None:
        return None
    return "array" if t.array else found


def sql_type(t: Type) -> str:
    base = t.name if t.kind == "builtin" else qq(t.schema, t.name)
    return base + ("[]" if t.array else "")


def value_sql(m: Model, t: Type, variant: int) -> str | None:
    """A constant of type `t` (for defaults), or None where there is none to give."""
    cls = type_class(m, t)
    if cls == "array":
        return "'{}'"
    if t.kind == "enum":
        labels = next(e.labels for e in m.enums if (e.schema, e.name) == (t.schema, t.name))
        return f"{lit(labels[variant % len(labels)])}::{sql_type(t)}" if labels else None
    by_class = {
        "int": str(variant), "num": f"{variant}.5", "text": lit(["x", "it's", "ü"][variant % 3]),
        "bool": ["true", "false"][variant % 2], "time": ["now()", "CURRENT_DATE"][variant % 2],
        "uuid": "gen_random_uuid()", "json": "'{}'::jsonb", "range": f"'[1,{variant + 2})'",
        "inet": "'10.0.0.1'",
    }  # fmt: skip
    return by_class.get(cls or "")


def relation_columns(m: Model, key: Key, depth: int = 0) -> dict[str, Type] | None:
    """The output columns of a table or view, by name; None if there is no such relation."""
    table = m.table(key)
    if table is not None:
        return {c.name: c.type for c in table_columns(m, table)}
    view = m.view(key)
    if view is None or depth > 20:
        return None
    source = relation_columns(m, view.source, depth + 1)
    if source is None:
        return None
    out = dict(source) if view.star else {c: source[c] for c in view.columns if c in source}
    if view.call is not None:
        function = callable_function(m, view.call.function)
        if function is not None and function.returns is not None:
            out[view.call.alias] = Type(function.returns)
    return out


def ancestors(m: Model, t: Table) -> list[Table]:
    """The tables `t` inherits from, its parent first (stopping at a cycle or a gap)."""
    out: list[Table] = []
    seen = {(t.schema, t.name)}
    key = t.inherits
    while key is not None and key not in seen:
        parent = m.table(key)
        if parent is None:
            break
        out.append(parent)
        seen.add(key)
        key = parent.inherits
    return out


def table_columns(m: Model, t: Table) -> list[Column]:
    """A table's columns: the inherited ones (the farthest ancestor's first), then its own."""
    out: dict[str, Column] = {}
    for a in [*reversed(ancestors(m, t)), t]:
        for c in a.columns:
            out.setdefault(c.name, c)
    return list(out.values())


# First-argument types an integer argument reaches (exactly, or by an implicit cast).
CALLABLE_WITH_INTEGER = {Type("integer"), Type("bigint"), Type("numeric(10,2)")}


def callable_function(m: Model, key: Key) -> Function | None:
    """The one overload `key(<integer>)` resolves to, if exactly one takes a number first
    and needs no other argument, and it returns a value. (A procedure that would match
    makes the call ambiguous: PostgreSQL weighs them with the functions.)"""
    candidates = [
        f for f in m.functions
        if (f.schema, f.name) == key and f.args and all(a.default for a in f.args[1:])
        and f.returns != "trigger"
        and (f.args[0].type in CALLABLE_WITH_INTEGER or f.args[0].type.kind == "domain")
    ]  # fmt: skip
    if (len(candidates) != 1 or candidates[0].returns is None
            or candidates[0].args[0].type.kind != "builtin"):
        return None
    return candidates[0]


def signature(f: Function) -> str:
    return ", ".join(sql_type(a.type) for a in f.args)


# ---------------------------------------------------------------------------------------
# Normalize: drop or trim what an edit left dangling, until nothing changes
# ---------------------------------------------------------------------------------------


def normalize(m: Model) -> Model:
    for _ in range(50):
        before = repr(m)
        _normalize_once(m)
        if repr(m) == before:
            return m
    raise AssertionError("normalize did not settle")


def _normalize_once(m: Model) -> None:
    schemas = set(m.schema_names())
    for kind in ("enums", "domains", "ranges", "composites", "sequences", "functions", "tables",
                 "views"):
        setattr(m, kind, [o for o in getattr(m, kind) if o.schema in schemas])
    for c in m.composites:
        c.attributes = [(n, t) for n, t in c.attributes
                        if type_class(m, t) not in (None, "composite")]
    # Functions: known types, defaults trailing, one per signature.
    seen: set[tuple[str, str, str]] = set()
    functions = []
    for f in m.functions:
        if any(type_class(m, a.type) is None for a in f.args):
            continue
        for i, a in enumerate(f.args):
            a.default = a.default or any(b.default for b in f.args[:i])
        if f.returns == "trigger":
            f.args, f.language = [], "plpgsql"
        ident = (f.schema, f.name, signature(f))
        if ident not in seen:
            seen.add(ident)
            functions.append(f)
    m.functions = functions
    sequences = {(s.schema, s.name) for s in m.sequences}
    tables = {(t.schema, t.name): t for t in m.tables}
    for t in m.tables:
        t.columns = [c for c in t.columns if type_class(m, c.type) is not None]
        by_name = {c.name: c for c in t.columns}
        cls = {c.name: type_class(m, c.type) for c in t.columns}
        for c in t.columns:
            _normalize_column(m, c, by_name, cls[c.name], sequences)
        btree = [n for n in cls if cls[n] in BTREE]
        if not t.primary_key or not all(n in btree for n in t.primary_key):
            t.primary_key = []
        t.uniques = [(n, cols) for n, cols in t.uniques if cols and all(c in btree for c in cols)]
        t.checks = [k for k in t.checks if k.column in cls and cls[k.column] != "composite"]
        for k in t.checks:
            if k.call and (cls[k.column] not in NUMERIC or not callable_function(m, k.call)):
                k.call = None
        t.exclusions = [x for x in t.exclusions if cls.get(x.column) in BTREE | {"range"}]
        t.indexes = [i for i in t.indexes if _index_ok(i, cls)]
        t.triggers = [g for g in t.triggers if _trigger_ok(m, g, cls)]
        for p in t.policies:
            if p.column not in cls:
                p.column = None
            if p.call and (cls.get(p.column or "") not in NUMERIC
                           or not callable_function(m, p.call)):
                p.call = None
        generated = {c.name for c in table_columns(m, t) if c.generated}
        for g in t.triggers:
            if g.update_of not in cls:
                g.update_of = None
            if g.when not in cls or not g.row or "DELETE" in g.events:
                g.when = None
            # A BEFORE trigger's WHEN may not read NEW's generated columns.
            if g.timing == "BEFORE" and g.when in generated:
                g.when = None
        if not t.rls:
            t.force_rls, t.policies = False, []
    _normalize_inheritance(m, tables)
    for t in m.tables:
        _normalize_partitioning(m, t)
    for t in m.tables:
        t.foreign_keys = [fk for fk in t.foreign_keys if _fk_ok(m, t, fk, tables)]
    views = []
    for v in m.views:
        known = {(w.schema, w.name) for w in views} | set(tables)
        source = relation_columns(m, v.source) if v.source in known else None
        if source is None:
            continue
        v.columns = [c for c in v.columns if c in source]
        if v.filter not in source:
            v.filter = None
        if v.call is not None and (callable_function(m, v.call.function) is None
                                   or type_class(m, source.get(v.call.column, Type("text")))
                                   not in NUMERIC or v.call.alias in source):
            v.call = None
        if not v.materialized:
            v.indexes, v.with_data = [], True
        elif _reads_unpopulated(m, v.source):
            v.with_data = False  # else: materialized view ... has not been populated
        views.append(v)
        out = relation_columns(m, (v.schema, v.name)) or {}
        if not out:
            views.pop()
            continue
        v.indexes = [(n, c) for n, c in v.indexes if type_class(m, out.get(c, Type("jsonb")))
                     in BTREE]
    m.views = views


def _normalize_inheritance(m: Model, tables: dict[Key, Table]) -> None:
    """One parent, a plain table of the model; no cycle; an own column named as an
    inherited one only where PostgreSQL merges the two: same type, neither generated nor
    identity nor serial (it refuses other clashes)."""
    for t in m.tables:
        parent = tables.get(t.inherits) if t.inherits else None
        if parent is None or parent is t or parent.partition_by or t.partition_by:
            t.inherits = None
    for t in m.tables:
        key, seen = t.inherits, set()
        while key is not None and key not in seen:
            if key == (t.schema, t.name):
                t.inherits = None
                break
            seen.add(key)
            key = tables[key].inherits if key in tables else None
    for t in m.tables:
        inherited: dict[str, Column] = {}
        for a in reversed(ancestors(m, t)):
            for c in a.columns:
                inherited.setdefault(c.name, c)
        own: dict[str, Column] = {}
        for c in t.columns:
            if c.name not in inherited or _mergeable(c, inherited[c.name]):
                own.setdefault(c.name, c)
        t.columns = list(own.values())


def _mergeable(own: Column, parent: Column) -> bool:
    return own.type == parent.type and not any(
        c.generated or c.identity or c.serial for c in (own, parent))


PARTITION_KEY_TYPES = {"integer", "bigint", "smallint", "numeric(10,2)", "text",
                       "character varying(40)"}


def _partition_key_ok(t: Table) -> bool:
    assert t.partition_by is not None
    column = next((c for c in t.columns if c.name == t.partition_by[1]), None)
    return (column is not None and column.type.kind == "builtin" and not column.type.array
            and column.type.name in PARTITION_KEY_TYPES and column.generated is None)


def _normalize_partitioning(m: Model, t: Table) -> None:
    """What PostgreSQL refuses of a partitioned table: a key not in its PK or uniques, an
    exclusion constraint, UNLOGGED; FKs to it are dropped in _fk_ok."""
    if t.partition_by is not None and not _partition_key_ok(t):
        t.partition_by = None
    if t.partition_by is None:
        t.partitions = []
        return
    key = t.partition_by[1]
    t.unlogged, t.exclusions = False, []
    if key not in t.primary_key:
        t.primary_key = []
    t.uniques = [(n, cols) for n, cols in t.uniques if key in cols]
    for i in t.indexes:
        if i.unique and (key not in i.columns or (i.expression and i.columns[0] == key)):
            i.unique = False
    slots: set[int] = set()
    partitions = []
    for p in t.partitions:
        if p.slot not in slots and len(partitions) < 3:
            slots.add(p.slot)
            partitions.append(p)
    t.partitions = partitions


def _reads_unpopulated(m: Model, key: Key) -> bool:
    """Whether a relation reads, directly or through views, a matview WITH NO DATA."""
    view = m.view(key)
    for _ in range(50):
        if view is None:
            return False
        if view.materialized and not view.with_data:
            return True
        view = m.view(view.source)
    return False


def _normalize_column(m: Model, c: Column, by_name: dict[str, Column], cls: str | None,
                      sequences: set[Key]) -> None:
    int_builtin = c.type.kind == "builtin" and cls == "int"
    if not int_builtin:
        c.identity, c.serial = None, False
        if cls not in NUMERIC:
            c.sequence = None
    if c.sequence is not None and c.sequence not in sequences:
        c.sequence = None
    if c.generated is not None:
        source = by_name.get(c.generated)
        if (source is None or source.generated is not None or source is c
                or type_class(m, source.type) not in NUMERIC or cls not in NUMERIC
                or c.type.kind != "builtin"):
            c.generated = None
    if c.identity or c.serial or c.generated:
        c.default, c.sequence = None, None
    if c.call and (c.default is None or c.type.kind != "builtin" or cls not in NUMERIC | {"text"}
                   or not callable_function(m, c.call)):
        c.call = None
    if c.identity or c.generated:
        c.serial = False
    if c.identity and c.generated:
        c.generated = None
    if c.default is not None and (c.sequence is not None or value_sql(m, c.type, c.default)
                                  is None):
        c.default = None


def _index_ok(i: Index, cls: dict[str, str | None]) -> bool:
    if not i.columns or not all(c in cls for c in i.columns):
        return False
    first = cls[i.columns[0]]
    if first in ("json", "array", "range"):  # gin / gist over one column
        i.columns, i.unique, i.expression = i.columns[:1], False, False
        return True
    if i.expression and first not in NUMERIC | {"text"}:
        i.expression = False
    return all(cls[c] in BTREE for c in i.columns)


def _trigger_ok(m: Model, g: Trigger, cls: dict[str, str | None]) -> bool:
    function = next((f for f in m.functions if (f.schema, f.name) == g.function
                     and f.returns == "trigger"), None)
    if not g.events:
        g.events = ["INSERT"]
    return function is not None


def _fk_ok(m: Model, t: Table, fk: ForeignKey, tables: dict[Key, Table]) -> bool:
    ref = tables.get(fk.ref)
    # (A key referencing a partitioned table would need its partition key: left out.)
    if ref is None or ref.partition_by or (ref.unlogged and not t.unlogged):
        return False
    keys = ([ref.primary_key] if ref.primary_key else []) + [cols for _, cols in ref.uniques]
    if fk.ref_columns not in keys or len(fk.columns) != len(fk.ref_columns):
        return False
    mine = {c.name: c for c in t.columns}
    theirs = {c.name: c for c in ref.columns}
    if len(set(fk.columns)) != len(fk.columns):
        return False
    for a, b in zip(fk.columns, fk.ref_columns, strict=True):
        if a not in mine or mine[a].type != theirs[b].type or mine[a].generated:
            return False
    return True


# ---------------------------------------------------------------------------------------
# Render: the model as SQL
# ---------------------------------------------------------------------------------------


def render(m: Model) -> str:
    out: list[str] = []
    for s in m.schemas:
        if s.name != "public":
            out.append(f"CREATE SCHEMA {q(s.name)};")
    for e in m.enums:
        out.append(f"CREATE TYPE {qq(e.schema, e.name)} AS ENUM ("
                   f"{', '.join(lit(x) for x in e.labels)});")
    for d in m.domains:
        out.append(_render_domain(m, d))
    for r in m.ranges:
        out.append(f"CREATE TYPE {qq(r.schema, r.name)} AS RANGE (SUBTYPE = {r.subtype});")
    for c in m.composites:
        attrs = ", ".join(f"{q(n)} {sql_type(t)}" for n, t in c.attributes)
        out.append(f"CREATE TYPE {qq(c.schema, c.name)} AS ({attrs});")
    for s in m.sequences:
        out.append(
            f"CREATE SEQUENCE {qq(s.schema, s.name)} AS {s.data_type} INCREMENT BY {s.increment}"
            f" MINVALUE 1 MAXVALUE {s.max_value} START WITH {s.start} CACHE {s.cache}"
            f"{' CYCLE' if s.cycle else ''};")
    for f in m.functions:
        out.append(_render_function(m, f))
    for t in _creation_order(m):
        out.append(_render_table(m, t))
    for t in m.tables:
        for fk in t.foreign_keys:
            out.append(
                f"ALTER TABLE {qq(t.schema, t.name)} ADD CONSTRAINT {q(fk.name)} FOREIGN KEY "
                f"({', '.join(map(q, fk.columns))}) REFERENCES {qq(*fk.ref)} "
                f"({', '.join(map(q, fk.ref_columns))}) ON DELETE {fk.on_delete};")
    for v in m.views:
        out.extend(_render_view(m, v))
    out.extend(_render_table_extras(m, t) for t in m.tables)
    out.extend(_render_decorations(m))
    return "\n".join(x for x in out if x) + "\n"


def _creation_order(m: Model) -> list[Table]:
    """The tables, each parent before the tables inheriting from it."""
    done: set[Key] = set()
    out: list[Table] = []

    def visit(t: Table) -> None:
        if (t.schema, t.name) in done:
            return
        done.add((t.schema, t.name))
        parent = m.table(t.inherits) if t.inherits else None
        if parent is not None:
            visit(parent)
        out.append(t)

    for t in m.tables:
        visit(t)
    return out


def _bound_sql(m: Model, t: Table, p: Partition) -> str:
    """Slot 0 holds the value tests/seeding.py inserts (7, 'seed'); no two slots overlap."""
    if p.slot < 0:
        return "DEFAULT"
    assert t.partition_by is not None
    method, key = t.partition_by
    column = next(c for c in t.columns if c.name == key)
    text = CLASS_OF[column.type.name] == "text"
    if method == "RANGE":
        if text:
            narrow, wide = [(("s", "t"), ("r", "t")), (("a", "b"), ("a", "c")),
                            (("x", "y"), ("x", "z"))][p.slot]
            low, high = wide if p.wide else narrow
            return f"FOR VALUES FROM ({lit(low)}) TO ({lit(high)})"
        low_int = p.slot * 100
        return f"FOR VALUES FROM ({low_int}) TO ({low_int + (100 if p.wide else 50)})"
    values = ([["seed", "a"], ["b", "c"], ["d", "e"]] if text else
              [["7", "1"], ["2", "3"], ["4", "5"]])[p.slot][:2 if p.wide else 1]
    return f"FOR VALUES IN ({', '.join(lit(v) if text else v for v in values)})"


def _render_domain(m: Model, d: Domain) -> str:
    sql = f"CREATE DOMAIN {qq(d.schema, d.name)} AS {d.base}"
    if d.default is not None:
        sql += f" DEFAULT {value_sql(m, Type(d.base), d.default)}"
    if d.not_null:
        sql += " NOT NULL"
    if d.check is not None:
        cls = CLASS_OF[d.base]
        condition = (f"VALUE > -{d.check}" if cls in NUMERIC
                     else f"length(VALUE) < {100 + d.check}")
        sql += f" CONSTRAINT {q(d.name + '_check')} CHECK ({condition})"
    return sql + ";"


def _function_expression(m: Model, f: Function) -> str:
    if not f.args:
        return str(f.variant)
    a = q(f.args[0].name)
    cls = type_class(m, f.args[0].type)
    if cls in NUMERIC:
        return f"{a} * {f.variant}"
    if cls == "text":
        return f"length({a}) + {f.variant}"
    if cls == "enum":
        return f"length({a}::text) + {f.variant}"
    return str(f.variant)


def _render_function(m: Model, f: Function) -> str:
    args = ", ".join(f"{q(a.name)} {sql_type(a.type)}{' DEFAULT NULL' if a.default else ''}"
                     for a in f.args)
    name = f"{qq(f.schema, f.name)}({args})"
    if f.returns == "trigger":
        body = ("BEGIN RETURN NEW; END" if f.variant % 2 else
                "BEGIN IF TG_OP = 'INSERT' THEN NULL; END IF; RETURN NEW; END")
        return f"CREATE FUNCTION {name} RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$;"
    expression = _function_expression(m, f)
    if f.returns is None:
        bodies = {"sql": f"AS $$ SELECT {expression} $$",
                  "plpgsql": f"AS $$ BEGIN PERFORM {expression}; END $$",
                  "sql_body": f"BEGIN ATOMIC SELECT {expression}; END"}
        language = "sql" if f.language == "sql_body" else f.language
        return f"CREATE PROCEDURE {name} LANGUAGE {language} {bodies[f.language]};"
    value = f"({expression})::{f.returns}"
    bodies = {"sql": f"AS $$ SELECT {value} $$",
              "plpgsql": f"AS $$ BEGIN RETURN {value}; END $$",
              "sql_body": f"RETURN {value}"}
    language = "sql" if f.language == "sql_body" else f.language
    return (f"CREATE FUNCTION {name} RETURNS {f.returns} LANGUAGE {language} "
            f"{bodies[f.language]};")


def _render_column(m: Model, t: Table, c: Column) -> str:
    if c.serial:
        kind = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}
        sql = f"{q(c.name)} {kind[c.type.name]}"
    else:
        sql = f"{q(c.name)} {sql_type(c.type)}"
    if c.identity:
        sql += f" GENERATED {c.identity} AS IDENTITY"
    if c.generated:
        sql += f" GENERATED ALWAYS AS (({q(c.generated)} * 2)::{c.type.name}) STORED"
    if c.sequence is not None:
        sql += f" DEFAULT nextval({lit(qq(*c.sequence))}::regclass)"
    elif c.call is not None:
        sql += f" DEFAULT length(({qq(*c.call)}({c.default}))::text)"
    elif c.default is not None:
        sql += f" DEFAULT {value_sql(m, c.type, c.default)}"
    if c.not_null:
        sql += " NOT NULL"
    return sql


def _check_sql(m: Model, t: Table, k: Check) -> str:
    column = next(c for c in t.columns if c.name == k.column)
    cls = type_class(m, column.type)
    if k.call:
        return f"{qq(*k.call)}({q(k.column)}::integer) IS NOT NULL"
    if cls in NUMERIC:
        return f"{q(k.column)} > -{k.variant}"
    if cls == "text":
        return f"length({q(k.column)}) < {100 + k.variant}"
    return f"{q(k.column)} IS NOT NULL OR {k.variant} > 0"


def _render_table(m: Model, t: Table) -> str:
    parts = [_render_column(m, t, c) for c in t.columns]
    if t.primary_key:
        parts.append(f"CONSTRAINT {q(t.pk_name)} PRIMARY KEY ({', '.join(map(q, t.primary_key))})")
    for name, cols in t.uniques:
        parts.append(f"CONSTRAINT {q(name)} UNIQUE ({', '.join(map(q, cols))})")
    for k in t.checks:
        parts.append(f"CONSTRAINT {q(k.name)} CHECK ({_check_sql(m, t, k)})")
    cls = {c.name: type_class(m, c.type) for c in t.columns}
    for x in t.exclusions:
        how = "gist" if cls[x.column] == "range" else "btree"
        op = "&&" if how == "gist" else "="
        where = f" WHERE ({q(x.column)} IS NOT NULL)" if x.partial else ""
        parts.append(f"CONSTRAINT {q(x.name)} EXCLUDE USING {how} ({q(x.column)} WITH {op}){where}")
    unlogged = "UNLOGGED " if t.unlogged else ""
    body = ",\n    ".join(parts)
    suffix = f" INHERITS ({qq(*t.inherits)})" if t.inherits else ""
    if t.partition_by:
        suffix = f" PARTITION BY {t.partition_by[0]} ({q(t.partition_by[1])})"
    out = [f"CREATE {unlogged}TABLE {qq(t.schema, t.name)} (\n    {body}\n){suffix};"]
    for p in t.partitions:
        assert t.partition_by is not None
        out.append(f"CREATE TABLE {qq(t.schema, p.name)} PARTITION OF {qq(t.schema, t.name)} "
                   f"{_bound_sql(m, t, p)};")
        if p.index:
            out.append(f"CREATE INDEX {q(p.index)} ON {qq(t.schema, p.name)} "
                       f"({q(t.partition_by[1])} DESC);")
    return "\n".join(out)


def _render_view(m: Model, v: View) -> list[str]:
    source = relation_columns(m, v.source) or {}
    select = ["*"] if v.star else [q(c) for c in v.columns]
    if v.call is not None:
        select.append(f"{qq(*v.call.function)}({q(v.call.column)}::integer) AS {q(v.call.alias)}")
    where = ""
    if v.filter in source:
        value = value_sql(m, source[v.filter], 0)
        where = (f" WHERE {q(v.filter)} IS DISTINCT FROM {value}" if value
                 else f" WHERE {q(v.filter)} IS NOT NULL")
    query = f"SELECT {', '.join(select)} FROM {qq(*v.source)}{where}"
    if not v.materialized:
        return [f"CREATE VIEW {qq(v.schema, v.name)} AS {query};"]
    data = "" if v.with_data else " WITH NO DATA"
    out = [f"CREATE MATERIALIZED VIEW {qq(v.schema, v.name)} AS {query}{data};"]
    out.extend(f"CREATE INDEX {q(n)} ON {qq(v.schema, v.name)} ({q(c)});" for n, c in v.indexes)
    return out


def _render_table_extras(m: Model, t: Table) -> str:
    name = qq(t.schema, t.name)
    cls = {c.name: type_class(m, c.type) for c in t.columns}
    out = []
    for i in t.indexes:
        first = cls[i.columns[0]]
        using = {"json": " USING gin", "array": " USING gin", "range": " USING gist"}.get(
            first or "", "")
        if i.expression:
            expression = (f"lower({q(i.columns[0])})" if first == "text"
                          else f"({q(i.columns[0])} + 1)")
            columns = ", ".join([f"({expression})", *map(q, i.columns[1:])])
        else:
            columns = ", ".join(map(q, i.columns))
        where = f" WHERE ({q(i.columns[-1])} IS NOT NULL)" if i.partial else ""
        unique = "UNIQUE " if i.unique else ""
        out.append(f"CREATE {unique}INDEX {q(i.name)} ON {name}{using} ({columns}){where};")
        if i.comment:
            out.append(f"COMMENT ON INDEX {qq(t.schema, i.name)} IS {lit(i.comment)};")
    for g in t.triggers:
        events = []
        for e in g.events:
            events.append(f"UPDATE OF {q(g.update_of)}" if e == "UPDATE" and g.update_of else e)
        level = "ROW" if g.row else "STATEMENT"
        when = f" WHEN (NEW.{q(g.when)} IS NOT NULL)" if g.when else ""
        out.append(f"CREATE TRIGGER {q(g.name)} {g.timing} {' OR '.join(events)} ON {name} "
                   f"FOR EACH {level}{when} EXECUTE FUNCTION {qq(*g.function)}();")
    if t.rls:
        out.append(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;")
    if t.force_rls:
        out.append(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY;")
    for p in t.policies:
        condition = f"({q(p.column)} IS NOT NULL)" if p.column else "(true)"
        if p.call and p.column:
            condition = f"({qq(*p.call)}({q(p.column)}::integer) IS NOT NULL)"
        using = f" USING {condition}" if p.command != "INSERT" else ""
        check = f" WITH CHECK {condition}" if p.command in ("ALL", "INSERT", "UPDATE") else ""
        kind = "PERMISSIVE" if p.permissive else "RESTRICTIVE"
        to = q(ROLE) if p.to_role else "PUBLIC"
        out.append(f"CREATE POLICY {q(p.name)} ON {name} AS {kind} FOR {p.command} TO {to}"
                   f"{using}{check};")
    return "\n".join(out)


def _render_decorations(m: Model) -> list[str]:
    """Comments and grants, last (they only need their object)."""
    out = []
    role = q(ROLE)
    for s in m.schemas:
        if s.comment:
            out.append(f"COMMENT ON SCHEMA {q(s.name)} IS {lit(s.comment)};")
        if s.grant:
            out.append(f"GRANT USAGE ON SCHEMA {q(s.name)} TO {role};")
    for e in m.enums:
        if e.comment:
            out.append(f"COMMENT ON TYPE {qq(e.schema, e.name)} IS {lit(e.comment)};")
    for d in m.domains:
        if d.comment:
            out.append(f"COMMENT ON DOMAIN {qq(d.schema, d.name)} IS {lit(d.comment)};")
    for c in [*m.composites, *m.ranges]:
        if c.comment:
            out.append(f"COMMENT ON TYPE {qq(c.schema, c.name)} IS {lit(c.comment)};")
    for s in m.sequences:
        if s.grant:
            out.append(f"GRANT USAGE ON SEQUENCE {qq(s.schema, s.name)} TO {role};")
    for f in m.functions:
        kind = "PROCEDURE" if f.returns is None else "FUNCTION"
        name = f"{kind} {qq(f.schema, f.name)}({signature(f)})"
        if f.comment:
            out.append(f"COMMENT ON {name} IS {lit(f.comment)};")
        if f.revoke_public:
            out.append(f"REVOKE EXECUTE ON {name} FROM PUBLIC;")
            out.append(f"GRANT EXECUTE ON {name} TO {role};")
    for t in m.tables:
        name = qq(t.schema, t.name)
        if t.comment:
            out.append(f"COMMENT ON TABLE {name} IS {lit(t.comment)};")
        for p in t.partitions:
            if p.comment:
                out.append(f"COMMENT ON TABLE {qq(t.schema, p.name)} IS {lit(p.comment)};")
        if t.grants:
            out.append(f"GRANT {', '.join(t.grants)} ON {name} TO {role};")
        for c in t.columns:
            if c.comment:
                out.append(f"COMMENT ON COLUMN {name}.{q(c.name)} IS {lit(c.comment)};")
            if c.grant:
                out.append(f"GRANT SELECT ({q(c.name)}) ON {name} TO {role};")
    for v in m.views:
        kind = "MATERIALIZED VIEW" if v.materialized else "VIEW"
        if v.comment:
            out.append(f"COMMENT ON {kind} {qq(v.schema, v.name)} IS {lit(v.comment)};")
        if v.grant:
            out.append(f"GRANT SELECT ON {qq(v.schema, v.name)} TO {role};")
    return out


# ---------------------------------------------------------------------------------------
# Strategies: a schema
# ---------------------------------------------------------------------------------------

Draw = Callable[[st.SearchStrategy[Any]], Any]


def _name(draw: Draw, m: Model) -> str:
    return m.fresh(draw(st.sampled_from(NAME_STYLES + RESERVED[:3])))


def _comment(draw: Draw) -> str | None:
    return draw(st.one_of(st.none(), st.sampled_from(COMMENTS)))


def _type(draw: Draw, m: Model, *, user: bool = True, arrays: bool = True) -> Type:
    options = [Type(b) for b in BUILTINS]
    if user:
        options += [Type(e.name, "enum", e.schema) for e in m.enums]
        options += [Type(d.name, "domain", d.schema) for d in m.domains]
        options += [Type(c.name, "composite", c.schema) for c in m.composites]
        options += [Type(r.name, "range", r.schema) for r in m.ranges]
    t = draw(st.sampled_from(options))
    if (arrays and t.kind not in ("domain", "range") and t.name != "int4range"
            and draw(st.integers(0, 7)) == 0):
        t = Type(t.name, t.kind, t.schema, array=True)
    return t


def _add_schema(draw: Draw, m: Model) -> None:
    m.schemas.append(Schema(_name(draw, m), _comment(draw), draw(st.booleans())))


def _schema(draw: Draw, m: Model) -> str:
    return draw(st.sampled_from(m.schema_names()))


def _add_enum(draw: Draw, m: Model) -> None:
    labels = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "it's", "Ü", "with space", "e"]),
                           min_size=1, max_size=5, unique=True))
    m.enums.append(Enum(_schema(draw, m), _name(draw, m), labels, _comment(draw)))


def _add_domain(draw: Draw, m: Model) -> None:
    m.domains.append(Domain(
        _schema(draw, m), _name(draw, m), draw(st.sampled_from(["integer", "bigint", "numeric(10,2)", "text"])),
        not_null=draw(st.booleans()), check=draw(st.one_of(st.none(), st.integers(1, 3))),
        default=draw(st.one_of(st.none(), st.integers(0, 3))), comment=_comment(draw)))


def _add_range(draw: Draw, m: Model) -> None:
    m.ranges.append(Range(_schema(draw, m), _name(draw, m),
                          draw(st.sampled_from(["integer", "bigint", "numeric"])), _comment(draw)))


def _add_composite(draw: Draw, m: Model) -> None:
    attributes = [(_name(draw, m), _type(draw, m, arrays=False))
                  for _ in range(draw(st.integers(1, 3)))]
    m.composites.append(Composite(_schema(draw, m), _name(draw, m), attributes, _comment(draw)))


def _add_sequence(draw: Draw, m: Model) -> None:
    max_value = draw(st.sampled_from([1000, 30000]))
    m.sequences.append(Sequence(
        _schema(draw, m), _name(draw, m), draw(st.sampled_from(["smallint", "integer", "bigint"])),
        start=draw(st.integers(1, 100)), increment=draw(st.sampled_from([1, 2, 5, -1])),
        max_value=max_value, cycle=draw(st.booleans()), cache=draw(st.sampled_from([1, 1, 10])),
        grant=draw(st.booleans())))


def _add_function(draw: Draw, m: Model, *, overload: bool = False) -> None:
    kind = draw(st.sampled_from(["value", "value", "value", "procedure", "trigger"]))
    existing = [f for f in m.functions if (f.returns == "trigger") == (kind == "trigger")]
    if overload and existing:
        base = draw(st.sampled_from(existing))
        schema, name = base.schema, base.name
    else:
        schema, name = _schema(draw, m), _name(draw, m)
    args = [Arg(f"a{i}", _type(draw, m) if i else draw(st.sampled_from(
                [Type("integer"), Type("integer"), Type("text"), Type("bigint"), _type(draw, m)])),
                default=draw(st.booleans()) and i > 0)
            for i in range(draw(st.integers(0 if kind != "value" else 1, 3)))]
    returns = {"value": draw(st.sampled_from(RETURNS)), "procedure": None, "trigger": "trigger"}
    m.functions.append(Function(
        schema, name, args if kind != "trigger" else [], returns[kind],
        draw(st.sampled_from(["sql", "plpgsql", "sql_body"])), draw(st.integers(1, 9)),
        _comment(draw), draw(st.integers(0, 4)) == 0))


def _callable(draw: Draw, m: Model) -> Key:
    """A function `f(<integer>)` resolves to (made if there is none yet)."""
    keys = sorted({(f.schema, f.name) for f in m.functions if callable_function(m, (f.schema, f.name))})
    if keys and draw(st.integers(0, 3)) > 0:
        return draw(st.sampled_from(keys))
    args = [Arg("a0", Type(draw(st.sampled_from(["integer", "integer", "bigint", "numeric(10,2)"]))))]
    if draw(st.booleans()):
        args.append(Arg("a1", draw(st.sampled_from([Type("boolean"), Type("text")])), default=True))
    f = Function(_schema(draw, m), _name(draw, m), args, draw(st.sampled_from(RETURNS)),
                 draw(st.sampled_from(["sql", "plpgsql", "sql_body"])), draw(st.integers(1, 9)))
    m.functions.append(f)
    return (f.schema, f.name)


def _column(draw: Draw, m: Model) -> Column:
    t = _type(draw, m)
    c = Column(_name(draw, m), t, not_null=draw(st.integers(0, 3)) == 0,
               default=draw(st.one_of(st.none(), st.none(), st.integers(0, 3))),
               comment=draw(st.one_of(st.none(), st.none(), st.sampled_from(COMMENTS))),
               grant=draw(st.integers(0, 6)) == 0)
    extra = draw(st.integers(0, 9))
    if extra == 0:
        c.identity = draw(st.sampled_from(["ALWAYS", "BY DEFAULT"]))
    elif extra == 1:
        c.serial = True
    elif extra == 2 and m.sequences:
        seq = draw(st.sampled_from(m.sequences))
        c.sequence = (seq.schema, seq.name)
    elif extra == 3:
        c.default, c.call = draw(st.integers(0, 3)), _callable(draw, m)
    return c


def _add_table(draw: Draw, m: Model) -> None:
    t = Table(_schema(draw, m), _name(draw, m), [], pk_name="")
    t.pk_name = m.fresh("pk")
    t.columns = [_column(draw, m) for _ in range(draw(st.integers(0, 5)))]
    t.columns.insert(0, Column(_name(draw, m), draw(st.sampled_from(
        [Type("integer"), Type("bigint"), Type("text")])), not_null=True))
    names = [c.name for c in t.columns]
    if draw(st.integers(0, 3)):
        t.primary_key = [names[0]]
    for c in t.columns[1:]:
        if draw(st.integers(0, 5)) == 0 and type_class(m, c.type) in NUMERIC:
            c.generated = draw(st.sampled_from(names))
    for _ in range(draw(st.integers(0, 2))):
        _add_constraint(draw, m, t)
    for _ in range(draw(st.integers(0, 2))):
        _add_index(draw, m, t)
    t.unlogged = draw(st.integers(0, 9)) == 0
    t.comment = _comment(draw)
    t.grants = draw(st.lists(st.sampled_from(["SELECT", "INSERT", "UPDATE", "DELETE"]),
                             unique=True, max_size=2))
    if draw(st.integers(0, 3)) == 0:
        t.rls, t.force_rls = True, draw(st.booleans())
        for _ in range(draw(st.integers(0, 2))):
            _add_policy(draw, m, t)
    shape = draw(st.integers(0, 4))
    parents = [p for p in m.tables if not p.partition_by]
    if shape == 0 and parents:
        p = draw(st.sampled_from(parents))
        t.inherits = (p.schema, p.name)
        if p.columns and draw(st.integers(0, 2)) == 0:
            _merge_column(draw, t, p)
    elif shape == 1:
        _partition(draw, m, t)
    m.tables.append(t)
    if draw(st.integers(0, 3)) == 0:
        _add_trigger(draw, m, t)


def _partition(draw: Draw, m: Model, t: Table) -> None:
    """Partition `t` by one of its integer or text columns, with one or two partitions."""
    keys = [c.name for c in t.columns if c.type.kind == "builtin" and not c.type.array
            and c.type.name in PARTITION_KEY_TYPES and not c.generated]
    if not keys:
        return
    t.partition_by = (draw(st.sampled_from(["RANGE", "LIST"])), keys[0])
    t.inherits = None
    slots = draw(st.lists(st.sampled_from([0, 0, 1, 2, -1]), min_size=1, max_size=2,
                          unique=True))
    for slot in slots:
        _add_partition(draw, m, t, slot)


def _add_partition(draw: Draw, m: Model, t: Table, slot: int) -> None:
    t.partitions.append(Partition(
        _name(draw, m), slot, draw(st.booleans()),
        m.fresh("pix") if draw(st.integers(0, 3)) == 0 else None,
        draw(st.one_of(st.none(), st.none(), st.sampled_from(COMMENTS)))))


def _add_constraint(draw: Draw, m: Model, t: Table) -> None:
    if not t.columns:
        return
    names = [c.name for c in t.columns]
    kind = draw(st.sampled_from(["unique", "check", "check", "fk", "fk", "exclude", "pk"]))
    column = draw(st.sampled_from(names))
    if kind == "pk":
        t.primary_key = [column]
    elif kind == "unique":
        cols = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
        t.uniques.append((m.fresh("uq"), cols))
    elif kind == "check":
        call = _callable(draw, m) if draw(st.integers(0, 2)) == 0 else None
        t.checks.append(Check(m.fresh("ck"), column, draw(st.integers(1, 9)), call))
    elif kind == "exclude":
        t.exclusions.append(Exclusion(m.fresh("ex"), column, draw(st.booleans())))
    else:
        targets = [r for r in [*m.tables, t] if r.primary_key]
        if not targets:
            return
        ref = draw(st.sampled_from(targets))
        # The FK column takes the referenced column's type (a new column if need be).
        ref_col = next(c for c in ref.columns if c.name == ref.primary_key[0])
        mine = next((c for c in t.columns if c.type == ref_col.type and c.name != ref_col.name
                     and not c.generated), None)
        if mine is None or draw(st.booleans()):
            mine = Column(_name(draw, m), ref_col.type)
            t.columns.append(mine)
        on_delete = draw(st.sampled_from(["NO ACTION", "CASCADE", "SET NULL", "RESTRICT"]))
        t.foreign_keys.append(ForeignKey(m.fresh("fk"), [mine.name], (ref.schema, ref.name),
                                         list(ref.primary_key), on_delete))


def _add_index(draw: Draw, m: Model, t: Table) -> None:
    if not t.columns:
        return
    cols = draw(st.lists(st.sampled_from([c.name for c in t.columns]), min_size=1, max_size=2,
                         unique=True))
    t.indexes.append(Index(m.fresh("ix"), cols, unique=draw(st.integers(0, 3)) == 0,
                           partial=draw(st.booleans()), expression=draw(st.booleans()),
                           comment=draw(st.one_of(st.none(), st.none(), st.just("an index")))))


def _add_policy(draw: Draw, m: Model, t: Table) -> None:
    t.rls = True
    column = draw(st.one_of(st.none(), st.sampled_from([c.name for c in t.columns])))
    call = _callable(draw, m) if column and draw(st.integers(0, 2)) == 0 else None
    t.policies.append(Policy(m.fresh("pol"), draw(st.sampled_from(
        ["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"])), draw(st.integers(0, 3)) > 0,
        draw(st.booleans()), column, call))


def _add_trigger(draw: Draw, m: Model, t: Table) -> None:
    functions = [f for f in m.functions if f.returns == "trigger"]
    if not functions:
        m.functions.append(Function(_schema(draw, m), _name(draw, m), [], "trigger", "plpgsql",
                                    draw(st.integers(1, 9))))
        functions = [m.functions[-1]]
    f = draw(st.sampled_from(functions))
    events = draw(st.lists(st.sampled_from(["INSERT", "UPDATE", "DELETE"]), min_size=1,
                           max_size=3, unique=True))
    update_of = (draw(st.sampled_from([c.name for c in t.columns]))
                 if "UPDATE" in events and t.columns and draw(st.booleans()) else None)
    when = _pick(draw, [c.name for c in t.columns]) if draw(st.booleans()) else None
    t.triggers.append(Trigger(m.fresh("trg"), (f.schema, f.name),
                              draw(st.sampled_from(["BEFORE", "AFTER"])), events, update_of,
                              draw(st.integers(0, 3)) > 0, when))


def _add_view(draw: Draw, m: Model) -> None:
    sources = [(t.schema, t.name) for t in m.tables] + [(v.schema, v.name) for v in m.views]
    if not sources:
        return
    source = draw(st.sampled_from(sources))
    columns = list(relation_columns(m, source) or {})
    chosen = draw(st.lists(st.sampled_from(columns), unique=True, max_size=4)) if columns else []
    v = View(_schema(draw, m), _name(draw, m), source, chosen, star=draw(st.integers(0, 3)) == 0,
             materialized=draw(st.integers(0, 3)) == 0, comment=_comment(draw),
             grant=draw(st.booleans()))
    numbers = [c for c, t in (relation_columns(m, source) or {}).items()
               if type_class(m, t) in NUMERIC]
    if numbers and draw(st.integers(0, 3)) > 0:
        v.call = Call(_callable(draw, m), draw(st.sampled_from(numbers)), m.fresh("fx"))
    if columns and draw(st.integers(0, 3)) == 0:
        v.filter = draw(st.sampled_from(columns))
    if v.materialized:
        v.with_data = draw(st.integers(0, 5)) > 0
        out = list(columns) + ([v.call.alias] if v.call else [])
        for _ in range(draw(st.integers(0, 2))):
            if out:
                v.indexes.append((m.fresh("mix"), draw(st.sampled_from(out))))
    m.views.append(v)


@st.composite
def models(draw: Draw) -> Model:
    m = Model()
    for _ in range(draw(st.integers(0, 2))):
        _add_schema(draw, m)
    for _ in range(draw(st.integers(0, 2))):
        _add_enum(draw, m)
    for _ in range(draw(st.integers(0, 2))):
        _add_domain(draw, m)
    for _ in range(draw(st.integers(0, 1))):
        _add_range(draw, m)
    for _ in range(draw(st.integers(0, 1))):
        _add_composite(draw, m)
    for _ in range(draw(st.integers(0, 1))):
        _add_sequence(draw, m)
    for _ in range(draw(st.integers(0, 3))):
        _add_function(draw, m, overload=draw(st.booleans()))
    for _ in range(draw(st.integers(1, 3))):
        _add_table(draw, m)
    for _ in range(draw(st.integers(0, 4))):
        _add_view(draw, m)
    return normalize(m)


# ---------------------------------------------------------------------------------------
# Strategies: edits
# ---------------------------------------------------------------------------------------


def _pick(draw: Draw, items: list[Any]) -> Any:
    return draw(st.sampled_from(items)) if items else None


def _edit_schema(draw: Draw, m: Model) -> None:
    others = [s for s in m.schemas if s.name != "public"]
    choice = draw(st.sampled_from(["add", "drop", "comment", "grant"]))
    s = _pick(draw, others)
    if choice == "add" or s is None:
        _add_schema(draw, m)
    elif choice == "drop":
        m.schemas.remove(s)
    elif choice == "comment":
        s.comment = _comment(draw)
    else:
        s.grant = not s.grant


def _edit_enum(draw: Draw, m: Model) -> None:
    e = _pick(draw, m.enums)
    choice = draw(st.sampled_from(["add_label", "add_label", "drop_label", "reorder", "drop",
                                   "add", "comment"]))
    if e is None or choice == "add":
        _add_enum(draw, m)
        return
    # The first label stays first, in both directions: the seeded rows hold it
    # (tests/seeding.py inserts enum_first() on both sides and expects the same value).
    if choice == "add_label":
        new = draw(st.sampled_from(["new", "b2", "zz", "a0"]))
        if new not in e.labels:
            e.labels.insert(draw(st.integers(1, len(e.labels))), new)
    elif choice == "drop_label" and len(e.labels) > 1:
        e.labels.pop(draw(st.integers(1, len(e.labels) - 1)))
    elif choice == "reorder":
        e.labels = [e.labels[0], *draw(st.permutations(e.labels[1:]))]
    elif choice == "drop":
        m.enums.remove(e)
    else:
        e.comment = _comment(draw)


def _edit_domain(draw: Draw, m: Model) -> None:
    d = _pick(draw, m.domains)
    choice = draw(st.sampled_from(["check", "default", "not_null", "base", "drop", "add",
                                   "comment"]))
    if d is None or choice == "add":
        _add_domain(draw, m)
    elif choice == "check":
        d.check = draw(st.one_of(st.none(), st.integers(1, 3)))
    elif choice == "default":
        d.default = draw(st.one_of(st.none(), st.integers(0, 3)))
    elif choice == "not_null":
        d.not_null = not d.not_null
    elif choice == "base":
        # Retypes that print a seeded value the same (tests/seeding.py compares text
        # where a column's type name is unchanged, and a domain keeps its name).
        d.base = {"integer": "bigint", "bigint": "integer", "numeric(10,2)": "numeric(10,2)",
                  "text": "character varying(40)", "character varying(40)": "text"}[d.base]
    elif choice == "drop":
        m.domains.remove(d)
    else:
        d.comment = _comment(draw)


def _edit_range(draw: Draw, m: Model) -> None:
    r = _pick(draw, m.ranges)
    choice = draw(st.sampled_from(["subtype", "subtype", "drop", "add", "comment"]))
    if r is None or choice == "add":
        _add_range(draw, m)
    elif choice == "subtype":
        # Rebuilt in place, its columns' values converted through text.
        r.subtype = draw(st.sampled_from([t for t in ("integer", "bigint", "numeric")
                                          if t != r.subtype]))
    elif choice == "drop":
        m.ranges.remove(r)
    else:
        r.comment = _comment(draw)


def _edit_composite(draw: Draw, m: Model) -> None:
    c = _pick(draw, m.composites)
    choice = draw(st.sampled_from(["add_attr", "drop_attr", "retype_attr", "drop", "add"]))
    if c is None or choice == "add":
        _add_composite(draw, m)
    elif choice == "add_attr":
        c.attributes.append((_name(draw, m), _type(draw, m, arrays=False)))
    elif choice == "drop_attr" and c.attributes:
        c.attributes.pop(draw(st.integers(0, len(c.attributes) - 1)))
    elif choice == "retype_attr" and c.attributes:
        i = draw(st.integers(0, len(c.attributes) - 1))
        c.attributes[i] = (c.attributes[i][0], _type(draw, m, arrays=False))
    elif choice == "drop":
        m.composites.remove(c)


def _edit_sequence(draw: Draw, m: Model) -> None:
    s = _pick(draw, m.sequences)
    choice = draw(st.sampled_from(["params", "params", "drop", "add", "grant"]))
    if s is None or choice == "add":
        _add_sequence(draw, m)
    elif choice == "params":
        s.increment = draw(st.sampled_from([1, 3, -1]))
        s.max_value = draw(st.sampled_from([1000, 5000, 30000]))
        s.start = draw(st.integers(1, 100))
        s.cycle = draw(st.booleans())
        s.data_type = draw(st.sampled_from(["smallint", "integer", "bigint"]))
    elif choice == "drop":
        m.sequences.remove(s)
    else:
        s.grant = not s.grant


def _edit_function(draw: Draw, m: Model) -> None:
    f = _pick(draw, m.functions)
    choice = draw(st.sampled_from(["body", "language", "returns", "add_arg", "drop_arg",
                                   "first_arg", "overload", "drop", "add", "comment", "grant",
                                   "signature", "signature", "returns"]))
    if choice == "signature":  # still callable as f(<integer>), by the views over it
        keys = [k for k in {(g.schema, g.name) for g in m.functions} if callable_function(m, k)]
        f = callable_function(m, draw(st.sampled_from(sorted(keys)))) if keys else None
    if f is None or choice == "add":
        _add_function(draw, m)
    elif choice == "overload":
        _add_function(draw, m, overload=True)
    elif choice == "body":
        f.variant = f.variant % 9 + 1
    elif choice == "language" and f.returns != "trigger":
        f.language = draw(st.sampled_from(["sql", "plpgsql", "sql_body"]))
    elif choice == "returns" and f.returns not in (None, "trigger"):
        f.returns = draw(st.sampled_from(RETURNS))
    elif choice == "signature":
        if len(f.args) > 1 and draw(st.booleans()):
            f.args.pop()
        else:
            f.args.append(Arg(f"a{len(f.args)}", _type(draw, m), default=True))
    elif choice == "add_arg" and f.returns != "trigger":
        f.args.append(Arg(f"a{len(f.args)}", _type(draw, m), default=draw(st.booleans())))
    elif choice == "drop_arg" and f.args:
        f.args.pop()
    elif choice == "first_arg" and f.args:
        f.args[0].type = draw(st.sampled_from([Type("integer"), Type("bigint"), Type("text")]))
    elif choice == "drop":
        m.functions.remove(f)
    elif choice == "comment":
        f.comment = _comment(draw)
    elif choice == "grant":
        f.revoke_public = not f.revoke_public


def _edit_table(draw: Draw, m: Model) -> None:
    t = _pick(draw, m.tables)
    choice = draw(st.sampled_from(["add", "drop", "unlogged", "comment", "grant", "rls",
                                   "policy", "trigger", "move"]))
    if t is None or choice == "add":
        _add_table(draw, m)
    elif choice == "drop":
        m.tables.remove(t)
    elif choice == "unlogged":
        t.unlogged = not t.unlogged
    elif choice == "comment":
        t.comment = _comment(draw)
    elif choice == "grant":
        t.grants = draw(st.lists(st.sampled_from(["SELECT", "INSERT", "UPDATE", "DELETE"]),
                                 unique=True, max_size=3))
    elif choice == "rls":
        t.rls, t.force_rls = draw(st.booleans()), draw(st.booleans())
    elif choice == "policy":
        if t.policies and draw(st.booleans()):
            p = draw(st.sampled_from(t.policies))
            if draw(st.booleans()):
                t.policies.remove(p)
            else:
                p.column = _pick(draw, [c.name for c in t.columns])
                p.to_role = not p.to_role
        else:
            _add_policy(draw, m, t)
    elif choice == "trigger":
        if t.triggers and draw(st.booleans()):
            g = draw(st.sampled_from(t.triggers))
            if draw(st.booleans()):
                t.triggers.remove(g)
            else:
                g.timing = "AFTER" if g.timing == "BEFORE" else "BEFORE"
                g.events = draw(st.lists(st.sampled_from(["INSERT", "UPDATE", "DELETE"]),
                                         min_size=1, max_size=3, unique=True))
        else:
            _add_trigger(draw, m, t)
    elif choice == "move":
        t.schema = _schema(draw, m)


def _edit_column(draw: Draw, m: Model) -> None:
    t = _pick(draw, m.tables)
    if t is None:
        return
    c = _pick(draw, t.columns)
    choice = draw(st.sampled_from(["add", "drop", "retype", "retype", "not_null", "default",
                                   "identity", "generated", "comment", "grant", "domain"]))
    if c is None or choice == "add":
        t.columns.append(_column(draw, m))
    elif choice == "drop":
        t.columns.remove(c)
    elif choice == "retype":
        if c.type.kind == "builtin" and not c.type.array and c.type.name in RETYPES:
            c.type = Type(draw(st.sampled_from(RETYPES[c.type.name])))
        elif c.type.kind in ("enum", "range") and not c.type.array:
            c.type = Type("text")
        elif c.type.kind == "domain":
            base = next((d.base for d in m.domains if (d.schema, d.name) ==
                         (c.type.schema, c.type.name)), "text")
            c.type = Type(base)
        else:
            c.type = Type(c.type.name, c.type.kind, c.type.schema, not c.type.array)
    elif choice == "domain":
        same = [d for d in m.domains if Type(d.base) == c.type]
        enums = [e for e in m.enums if c.type == Type("text")]
        if same:
            d = draw(st.sampled_from(same))
            c.type = Type(d.name, "domain", d.schema)
        elif enums:
            e = draw(st.sampled_from(enums))
            c.type = Type(e.name, "enum", e.schema)
    elif choice == "not_null":
        c.not_null = not c.not_null
    elif choice == "default":
        c.default = draw(st.one_of(st.none(), st.integers(0, 3)))
        c.sequence = None
        if m.sequences and draw(st.booleans()):
            s = draw(st.sampled_from(m.sequences))
            c.sequence = (s.schema, s.name)
    elif choice == "identity":
        c.identity = None if c.identity else draw(st.sampled_from(["ALWAYS", "BY DEFAULT"]))
    elif choice == "generated":
        c.generated = None if c.generated else _pick(draw, [x.name for x in t.columns])
    elif choice == "comment":
        c.comment = _comment(draw)
    else:
        c.grant = not c.grant


def _edit_constraint(draw: Draw, m: Model) -> None:
    t = _pick(draw, m.tables)
    if t is None:
        return
    choice = draw(st.sampled_from(["add", "add", "drop", "check", "fk"]))
    if choice == "add":
        _add_constraint(draw, m, t)
    elif choice == "drop":
        lists = [x for x in (t.uniques, t.checks, t.foreign_keys, t.exclusions) if x]
        if lists:
            x = draw(st.sampled_from(lists))
            x.pop(draw(st.integers(0, len(x) - 1)))
        else:
            t.primary_key = []
    elif choice == "check" and t.checks:
        k = draw(st.sampled_from(t.checks))
        k.variant = k.variant % 9 + 1
    elif choice == "fk" and t.foreign_keys:
        fk = draw(st.sampled_from(t.foreign_keys))
        fk.on_delete = draw(st.sampled_from(["NO ACTION", "CASCADE", "SET NULL", "RESTRICT"]))


def _edit_index(draw: Draw, m: Model) -> None:
    t = _pick(draw, m.tables)
    if t is None:
        return
    i = _pick(draw, t.indexes)
    choice = draw(st.sampled_from(["add", "drop", "change", "comment"]))
    if i is None or choice == "add":
        _add_index(draw, m, t)
    elif choice == "drop":
        t.indexes.remove(i)
    elif choice == "change":
        i.unique, i.partial, i.expression = (draw(st.booleans()), draw(st.booleans()),
                                             draw(st.booleans()))
    else:
        i.comment = None if i.comment else "an index"


def _edit_view(draw: Draw, m: Model) -> None:
    v = _pick(draw, m.views)
    choice = draw(st.sampled_from(["add", "drop", "columns", "star", "call", "filter",
                                   "materialized", "index", "comment", "grant"]))
    if v is None or choice == "add":
        _add_view(draw, m)
        return
    source = list(relation_columns(m, v.source) or {})
    if choice == "drop":
        m.views.remove(v)
    elif choice == "columns":
        v.columns = draw(st.lists(st.sampled_from(source), unique=True, max_size=4)) if source \
            else []
    elif choice == "star":
        v.star = not v.star
    elif choice == "call":
        if v.call or not source:
            v.call = None
        else:
            v.call = Call(_callable(draw, m), draw(st.sampled_from(source)), m.fresh("fx"))
    elif choice == "filter":
        v.filter = None if v.filter or not source else draw(st.sampled_from(source))
    elif choice == "materialized":
        v.materialized = not v.materialized
    elif choice == "index" and v.materialized:
        out = list(relation_columns(m, (v.schema, v.name)) or {})
        if v.indexes and draw(st.booleans()):
            v.indexes.pop()
        elif out:
            v.indexes.append((m.fresh("mix"), draw(st.sampled_from(out))))
    elif choice == "comment":
        v.comment = _comment(draw)
    elif choice == "grant":
        v.grant = not v.grant


def _may_inherit(m: Model, t: Table, parent: Table) -> bool:
    """Whether `t` can take `parent` as its parent: plain tables, no cycle."""
    return (parent is not t and not parent.partition_by and not t.partition_by
            and t not in ancestors(m, parent))


# Retypes of a parent's column its children follow (same cast, no view rebuilt for a class).
INHERITED_RETYPES = {"integer": "bigint", "bigint": "integer", "text": "character varying(40)",
                     "character varying(40)": "text"}


def _edit_inheritance(draw: Draw, m: Model) -> None:
    """Edits of a parent the children feel (they inherit its columns, NOT NULLs and
    CHECKs), or a table gaining or losing its parent."""
    parents = [p for p in m.tables if any(t.inherits == (p.schema, p.name) for t in m.tables)]
    choice = draw(st.sampled_from(["add_column", "drop_column", "not_null", "add_check",
                                   "drop_check", "retype", "attach", "attach", "detach",
                                   "merge", "merge_check"]))
    if choice in ("attach", "detach") or not parents:
        children = [t for t in m.tables if t.inherits]
        if choice == "detach" and children:
            draw(st.sampled_from(children)).inherits = None
            return
        t = _pick(draw, [t for t in m.tables if not t.partition_by])
        if t is None:
            return
        candidates = [p for p in m.tables if _may_inherit(m, t, p)]
        if candidates:
            p = draw(st.sampled_from(candidates))
            t.inherits = (p.schema, p.name)
        return
    p = draw(st.sampled_from(parents))
    c = _pick(draw, p.columns)
    children = [t for t in m.tables if t.inherits == (p.schema, p.name)]
    if choice == "merge" and c is not None:
        _merge_column(draw, draw(st.sampled_from(children)), p)
    elif choice == "merge_check" and p.checks:
        _merge_check(draw, draw(st.sampled_from(children)), p)
    elif choice == "add_column" or c is None:
        p.columns.append(_column(draw, m))
    elif choice == "drop_column":
        p.columns.remove(c)
    elif choice == "not_null":
        c.not_null = not c.not_null
    elif choice == "add_check":
        p.checks.append(Check(m.fresh("ck"), c.name, draw(st.integers(1, 9))))
    elif choice == "drop_check" and p.checks:
        p.checks.remove(draw(st.sampled_from(p.checks)))
    elif choice == "retype" and c.type.kind == "builtin" and not c.type.array:
        c.type = Type(INHERITED_RETYPES.get(c.type.name, c.type.name))


def _merge_check(draw: Draw, child: Table, parent: Table) -> None:
    """The child declares a CHECK of its parent's itself, on the column it declares too
    (PostgreSQL merges them; the child keeps it if the parent drops it)."""
    k = draw(st.sampled_from(parent.checks))
    c = next(c for c in parent.columns if c.name == k.column)
    if all(own.name != c.name for own in child.columns):
        child.columns.append(Column(c.name, c.type))
    if all(own.name != k.name for own in child.checks):
        child.checks.append(copy.copy(k))


def _merge_column(draw: Draw, child: Table, parent: Table) -> None:
    """The child declares a column of its parent's itself (PostgreSQL merges the two; the
    child keeps it if the parent drops it)."""
    c = draw(st.sampled_from(parent.columns))
    if all(own.name != c.name for own in child.columns):
        child.columns.append(Column(c.name, c.type, not_null=draw(st.booleans()),
                                    default=draw(st.one_of(st.none(), st.integers(0, 3)))))


def _edit_partition(draw: Draw, m: Model) -> None:
    """Partitions added, dropped or rebounded; the partitioned table's non-key columns
    added, dropped, retyped, made NOT NULL or not; rarely, a table (un)partitioned."""
    partitioned = [t for t in m.tables if t.partition_by]
    choice = draw(st.sampled_from(["add", "drop", "bound", "bound", "index", "comment",
                                   "column", "column", "not_null", "partition", "unpartition",
                                   "detach", "attach"]))
    if choice == "partition" or not partitioned:
        t = _pick(draw, [t for t in m.tables if not t.partition_by])
        if t is not None:
            _partition(draw, m, t)
        return
    t = draw(st.sampled_from(partitioned))
    assert t.partition_by is not None
    key = t.partition_by[1]
    free = [s for s in (0, 1, 2, -1) if s not in {p.slot for p in t.partitions}]
    p = _pick(draw, t.partitions)
    others = [c for c in t.columns if c.name != key]
    if choice == "add" or (p is None and choice in ("drop", "bound", "index", "comment")):
        if free:
            _add_partition(draw, m, t, draw(st.sampled_from(free)))
    elif choice == "drop":
        t.partitions.remove(p)
    elif choice == "detach":
        _detach(draw, m, t, p)
    elif choice == "attach":
        _attach(draw, m, t, free)
    elif choice == "bound":
        if free and draw(st.booleans()):
            p.slot = draw(st.sampled_from(free))
        else:
            p.wide = not p.wide
    elif choice == "index":
        p.index = None if p.index else m.fresh("pix")
    elif choice == "comment":
        p.comment = _comment(draw)
    elif choice == "column":
        c = _pick(draw, others)
        how = draw(st.sampled_from(["add", "drop", "retype"]))
        if how == "add" or c is None:
            t.columns.append(_column(draw, m))
        elif how == "drop":
            t.columns.remove(c)
        elif c.type.kind == "builtin" and not c.type.array and c.type.name in RETYPES:
            c.type = Type(draw(st.sampled_from(RETYPES[c.type.name])))
    elif choice == "not_null":
        c = _pick(draw, t.columns)
        c.not_null = not c.not_null
    else:
        t.partition_by = None


def _detach(draw: Draw, m: Model, t: Table, p: Partition) -> None:
    """The partition becomes a table of its own, with the parent's columns (and maybe
    their NOT NULL)."""
    t.partitions.remove(p)
    keep_not_null = draw(st.booleans())
    m.tables.append(Table(t.schema, p.name, [
        Column(c.name, c.type, not_null=c.not_null and keep_not_null) for c in t.columns
    ], pk_name=m.fresh("pk")))


def _attach(draw: Draw, m: Model, t: Table, free: list[int]) -> None:
    """A table of its own becomes a partition of `t` (ATTACH PARTITION): one PostgreSQL
    can take, its columns of the parent's names of the parent's types (the plan drops
    the others, adds the missing); everything else of its own goes."""
    types = {c.name: c.type for c in t.columns}
    parents = {x.inherits for x in m.tables if x.inherits}
    candidates = [
        x for x in m.tables
        if x is not t and x.schema == t.schema and not x.partition_by and not x.inherits
        and (x.schema, x.name) not in parents and not x.unlogged
        and all(types.get(c.name, c.type) == c.type and not c.identity and not c.generated
                for c in x.columns)
    ]
    if not free or not candidates:
        return
    x = draw(st.sampled_from(candidates))
    m.tables.remove(x)
    _add_partition(draw, m, t, draw(st.sampled_from(free)))
    t.partitions[-1].name = x.name


EDITS: dict[str, Callable[[Draw, Model], None]] = {
    "schema": _edit_schema, "enum": _edit_enum, "domain": _edit_domain,
    "composite": _edit_composite, "range": _edit_range, "sequence": _edit_sequence, "function": _edit_function,
    "table": _edit_table, "column": _edit_column, "constraint": _edit_constraint,
    "index": _edit_index, "view": _edit_view, "inheritance": _edit_inheritance,
    "partition": _edit_partition,
}  # fmt: skip
# Column and function edits twice as likely: retyping under views and changing a
# signature under a view chain are where plans go wrong.
EDIT_WEIGHTS = [*EDITS, "column", "column", "function", "view", "inheritance", "partition"]


@st.composite
def edited(draw: Draw, m: Model) -> Model:
    new = copy.deepcopy(m)
    for kind in draw(st.lists(st.sampled_from(EDIT_WEIGHTS), min_size=1, max_size=4)):
        EDITS[kind](draw, new)
    new = normalize(new)
    return new


@dataclass
class Pair:
    """Two schemas; printed as their SQL when hypothesis reports a failing example."""

    old: Model
    new: Model

    @property
    def old_sql(self) -> str:
        return render(self.old)

    @property
    def new_sql(self) -> str:
        return render(self.new)

    def __repr__(self) -> str:
        return f"Pair(\nold_sql='''\n{self.old_sql}''',\nnew_sql='''\n{self.new_sql}''')"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """What hypothesis prints (it would otherwise list the dataclass' fields)."""
        printer.text(repr(self))


@st.composite
def pairs(draw: Draw) -> Pair:
    """A random schema and a random edit of it."""
    old = draw(models())
    return Pair(old, draw(edited(old)))


@dataclass
class One:
    model: Model

    @property
    def sql(self) -> str:
        return render(self.model)

    def __repr__(self) -> str:
        return f"One(sql='''\n{self.sql}''')"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def schemas() -> st.SearchStrategy[One]:
    return models().map(One)
