"""Read a database's catalog into a `Snapshot`.

One SQL file per object kind (`queries/`), all sent in one pipeline inside one
read-only, repeatable-read transaction, with the settings that decide how PostgreSQL
prints pinned (`PINNED_SETTINGS`: every name schema-qualified, dates in ISO, times in
UTC); each query's rows become objects as they arrive (`Results`). Dependencies come from
`pg_depend`, mapped from (catalog, oid, sub-id) to our keys. The larger queries send their
rows in about the order of the keys they become, sorted by the catalogs' `name` columns
(bytewise whatever the database's collation, so cheap): objects made in key order lie in
memory in key order (see `_Builder.finished`).
"""

from __future__ import annotations

import contextlib
import gc
import selectors
import threading
from collections import deque
from functools import cache
from importlib.resources import files
from operator import attrgetter, itemgetter
from typing import Any

import msgspec
import psycopg
from psycopg import pq
from psycopg.adapt import Transformer

from pgmt.catalog import model as m
from pgmt.errors import UnsupportedObjects

# In the order the builder asks for them, which is the order the server answers in: the
# builder works on the first ones while the server is still busy with the rest.
QUERIES = (
    "unsupported", "schemas", "extensions", "collations", "types", "base_types", "relations",
    "foreign", "sequences", "columns", "foreign_column_options", "constraints", "indexes",
    "replica_identities", "functions", "aggregates", "operators", "operator_classes",
    "operator_members", "casts", "triggers", "rules", "policies", "statistics",
    "event_triggers", "publications", "publication_tables", "publication_schemas",
    "text_search", "dependencies", "typed_tables", "comments", "security_labels",
    "privileges", "default_privileges", "owners", "role",
)  # fmt: skip

# The results with a thousand rows and more load faster in binary (numbers about twice
# as fast), and none of their columns loads differently that way. The others stay in
# text, where every type loads as the same Python value whatever its binary form (an
# unset "char" would be '\0', a reg* type an oid).
BINARY_RESULTS = frozenset({
    "relations", "columns", "constraints", "indexes", "functions", "triggers", "dependencies",
    "comments",
})

# Catalog oids are fixed by PostgreSQL (pg_class.oid of each catalog table).
PG_TYPE, PG_PROC, PG_CLASS, PG_NAMESPACE = 1247, 1255, 1259, 2615
PG_CONSTRAINT, PG_TRIGGER, PG_EXTENSION, PG_POLICY = 2606, 2620, 3079, 3256
PG_CAST, PG_REWRITE, PG_COLLATION, PG_EVENT_TRIGGER = 2605, 2618, 3456, 3466
PG_PUBLICATION, PG_PUBLICATION_REL, PG_STATISTIC_EXT = 6104, 6106, 3381
PG_TS_CONFIG, PG_TS_DICT, PG_TS_PARSER, PG_TS_TEMPLATE = 3602, 3600, 3601, 3764
PG_FOREIGN_DATA_WRAPPER, PG_FOREIGN_SERVER, PG_USER_MAPPING = 2328, 1417, 1418
PG_OPERATOR, PG_OPFAMILY, PG_OPCLASS, PG_AMOP, PG_AMPROC = 2617, 2753, 2616, 2602, 2603

# An object as pg_depend names it, (catalog, oid, sub-id), packed into one int as
# dependencies.sql packs it: tens of thousands of rows are looked up by it.
OidRef = int


def oid_ref(catalog: int, oid: int, sub_id: int = 0) -> OidRef:
    return (catalog << 48) | (oid << 16) | (sub_id & 0xFFFF)


WHOLE_OBJECT = ~0xFFFF  # an OidRef & this: the object itself, not one of its columns

RELATION_KEY_PREFIX = {"r": "table", "p": "table", "v": "view", "m": "materialized_view"}


# What PostgreSQL prints must depend on the catalog alone, not on the server's, the
# database's or the role's settings: an empty search_path (every name it prints is
# schema-qualified), and one way to print dates, times, intervals, floats and bytes.
# Transaction-local (set_config's third argument), in one statement.
PINNED_SETTINGS = (
    "SELECT set_config('search_path', '', true), set_config('DateStyle', 'ISO, YMD', true),"
    " set_config('IntervalStyle', 'postgres', true), set_config('TimeZone', 'UTC', true),"
    " set_config('extra_float_digits', '1', true), set_config('bytea_output', 'hex', true)"
)

# How the server runs the read, also transaction-local. The larger queries sort and hash a
# few MB: keep that off disk. No JIT: it compiles a query whose planned cost passes
# jit_above_cost (100,000 by default; columns.sql is planned at 82,000 for 1,000 tables),
# which costs tens of milliseconds more than a catalog query takes to run.
READ_SETTINGS = "SELECT set_config('work_mem', '64MB', true), set_config('jit', 'off', true)"

# What a read sends first in its transaction, in one round trip (no parameters: one simple
# query): a consistent, read-only view of the catalogs, then both kinds of settings.
TRANSACTION_SETUP = (
    f"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY; {PINNED_SETTINGS}; {READ_SETTINGS}"
)


@cache
def query(name: str) -> str:
    return files("pgmt.catalog").joinpath("queries", f"{name}.sql").read_text()


def read_snapshot(conn: psycopg.Connection[Any]) -> m.Snapshot:
    """Read every object pgmt manages from the database `conn` is connected to."""
    with _no_cyclic_gc, conn.transaction():
        conn.execute(TRANSACTION_SETUP)
        found = census(conn)
        extension_members = found.pop("extension_members")
        absent = {name for name, may_find in found.items() if not may_find}
        with Results(conn, [name for name in QUERIES if name not in absent],
                     extension_members) as rows:
            _refuse_unsupported(rows["unsupported"])
            return _Builder(rows, conn.info.server_version).build()


def _refuse_unsupported(unsupported: list[dict[str, Any]]) -> None:
    if unsupported:
        found = ", ".join(f"{r['kind']} {r['name']}" for r in unsupported[:10])
        more = len(unsupported) - 10
        raise UnsupportedObjects(
            f"the database holds objects pgmt does not manage: {found}"
            + (f" and {more} more" if more > 0 else ""),
            hint="pgmt manages neither these kinds nor skips them in silence: drop them "
                 "from this database, or let an extension create them (pgmt leaves an "
                 "extension's objects to it)",
        )


class _CyclicGcPause:
    """Pauses the cyclic garbage collector while any read is in progress (reads may run
    in parallel threads). A read allocates some 100,000 rows and objects, none in
    cycles: the collections they would trigger each walk every live object and, on a
    large catalog, cost more than the read's own Python work."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.readers = 0
        self.was_enabled = False

    def __enter__(self) -> None:
        with self.lock:
            if self.readers == 0:
                self.was_enabled = gc.isenabled()
                gc.disable()
            self.readers += 1

    def __exit__(self, *_: object) -> None:
        with self.lock:
            self.readers -= 1
            if self.readers == 0 and self.was_enabled:
                gc.enable()


_no_cyclic_gc = _CyclicGcPause()


CANCEL_INTERVAL = 0.2  # seconds


class Results:
    """The rows of catalog queries sent at once, in one pipeline: each query's rows can be
    had as soon as they have arrived, while the server works on the queries after it.
    (psycopg's own pipeline hands out no result before all of them are in; this drives
    libpq's pipeline through psycopg's low-level connection instead.)

    A query that was not sent (the census found nothing for it) has no rows. Rows come as
    dicts by column name, or as plain tuples for the few queries with thousands of rows,
    whose builders unpack them in SELECT order. On leaving, whatever has not been read
    yet is read and dropped, so the connection is usable again, error or not; when the
    builder failed or the user interrupted, a query the server is still busy with is
    cancelled rather than waited for."""

    def __init__(self, conn: psycopg.Connection[Any], names: list[str],
                 extension_members: bool = True) -> None:
        self._conn = conn
        # A query's $1 says that no object can be an extension's: the server plans its
        # check for extension members away (a third of some queries' time).
        self._params = [b"f" if extension_members else b"t"]
        self._pgconn = conn.pgconn
        self._pending = deque(names)  # sent, in order, and not read yet
        self._tuples: dict[str, list[tuple[Any, ...]]] = {}
        self._handed_over: set[str] = set()
        self._columns: dict[str, list[str]] = {}
        self._loader = Transformer(conn)
        self._selector = selectors.DefaultSelector()
        self._abandoned = False  # given up on this side: cancel what keeps us waiting

    def __enter__(self) -> Results:
        self._conn.lock.acquire()
        try:
            pgconn = self._pgconn
            pgconn.enter_pipeline_mode()
            for name in self._pending:
                result_format = pq.Format.BINARY if name in BINARY_RESULTS else pq.Format.TEXT
                sql = query(name).encode()
                pgconn.send_query_params(sql, self._params if b"$1" in sql else None,
                                         result_format=result_format)
                # Else the server holds a query's last rows back until more output fills its
                # buffer, or until the end.
                pgconn.send_flush_request()
            pgconn.pipeline_sync()
            self._selector.register(pgconn.socket, selectors.EVENT_READ)
            while pgconn.flush():  # the queries did not all fit in the socket's buffer
                self._wait(selectors.EVENT_WRITE)
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, error: type[BaseException] | None, *_: object) -> None:
        self._abandoned = error is not None and not issubclass(error, psycopg.Error)
        try:
            while (result := self._next_result()) is None or \
                    result.status != pq.ExecStatus.PIPELINE_SYNC:
                pass
            self._pgconn.exit_pipeline_mode()
        except psycopg.Error:
            if error is None:  # else the connection broke: the first error is the one to see
                raise
        finally:
            self._release()

    def _release(self) -> None:
        self._selector.close()
        self._conn.lock.release()

    def __getitem__(self, name: str) -> list[dict[str, Any]]:
        rows = self.tuples(name)
        columns = self._columns.get(name, [])
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def tuples(self, name: str) -> list[tuple[Any, ...]]:
        """The rows of query `name`, handed over once: they are freed as soon as the
        builder is done with them, while the server is still busy, rather than all at once
        at the end (some 20 ms on a large catalog, after the server has finished)."""
        if name in self._handed_over:
            raise RuntimeError(f"the rows of {name}.sql were already handed over")
        while name not in self._tuples and name in self._pending:
            self._receive()
        self._handed_over.add(name)
        return self._tuples.pop(name, [])

    def _receive(self) -> None:
        """Read the rows of the next query sent."""
        result = self._next_result()
        if result is None:
            raise psycopg.OperationalError("the server sent no result for a catalog query")
        if result.status != pq.ExecStatus.TUPLES_OK:
            raise psycopg.errors.error_from_result(result, encoding=self._conn.info.encoding)
        name = self._pending.popleft()
        self._loader.set_pgresult(result)
        self._tuples[name] = self._loader.load_rows(0, result.ntuples, tuple)
        self._columns[name] = [(result.fname(i) or b"").decode() for i in range(result.nfields)]
        self._next_result()  # the None that ends each query's results

    def _next_result(self) -> pq.abc.PGresult | None:
        pgconn = self._pgconn
        while pgconn.is_busy():
            if not self._wait(selectors.EVENT_READ, CANCEL_INTERVAL if self._abandoned else None):
                # A cancel that reaches the server between two queries is lost: ask again.
                with contextlib.suppress(psycopg.Error):
                    self._conn.cancel_safe()
            pgconn.consume_input()
        return pgconn.get_result()

    def _wait(self, event: int, timeout: float | None = None) -> bool:
        """Whether the socket became ready (rather than `timeout` seconds passing)."""
        self._selector.modify(self._pgconn.socket, event)
        return bool(self._selector.select(timeout))


def census(conn: psycopg.Connection[Any]) -> dict[str, bool]:
    """For each query census.sql covers, whether it may find anything, and whether any
    object may be an extension's (`extension_members`; see census.sql)."""
    cursor = conn.execute(query("census"))
    return dict(zip([c.name for c in cursor.description or ()], cursor.fetchone() or (),
                    strict=True))


class _Builder:
    """Turns query rows into objects, then maps pg_depend onto their keys."""

    def __init__(self, rows: Results, server_version: int) -> None:
        self.rows = rows
        self.server_version = server_version
        # (key, owner, spec, what it uses): the last is also `deps[key]`, filled in as
        # dependencies are found.
        self.objects: list[tuple[str, str | None, m.Spec, set[str]]] = []
        self.keys: dict[OidRef, str] = {}
        self.deps: dict[str, set[str]] = {}
        self.partition_parents: dict[str, str] = {}
        # Keys of relations that own columns and constraints, by name (tables and
        # foreign tables), and their names and keys by oid (what columns.sql and
        # constraints.sql send).
        self.relation_keys: dict[str, str] = {}
        self.relations_by_oid: dict[int, tuple[str, str]] = {}
        self.member_owners: dict[tuple[int, int], str] = {}  # operator class or family
        # Objects an extension made (see `_annotated`).
        self.extension_members: set[tuple[int, int]] = set()
        # A domain's constraints by oid: its key, and how COMMENT ON names the constraint.
        self.domain_constraints: dict[int, tuple[str, str]] = {}

    def add(self, key: str, spec: m.Spec, *, owner: str | None = None,
            deps: tuple[str | None, ...] = (), ref: OidRef | None = None) -> str:
        uses = self.deps[key] = set(deps)
        uses.discard(None)
        self.objects.append((key, owner, spec, uses))
        if ref is not None:
            self.keys[ref] = key
        return key

    def build(self) -> m.Snapshot:
        self.schemas()
        self.extensions()
        self.collations()
        self.types()
        self.base_types()
        self.relations()
        self.foreign()
        self.sequences()
        self.columns()
        self.foreign_column_options()
        self.constraints()
        self.indexes()
        self.replica_identities()
        self.functions()
        self.aggregates()
        self.operators()
        self.operator_classes()
        self.casts()
        self.triggers()
        self.rules()
        self.policies()
        self.statistics()
        self.event_triggers()
        self.publications()
        self.text_search()
        # Once every object pg_depend can name has its key. What comes after (comments,
        # grants, owners) is objects of its own, not in pg_depend: the server works on it
        # while this maps thousands of dependency rows and finishes the objects so far.
        self.dependencies()
        self.typed_tables()
        self.base_type_cycles()
        objects = self.finished()
        self.comments()
        self.security_labels()
        self.privileges()
        self.default_privileges()
        self.owners()
        objects += self.finished()
        objects.sort(key=attrgetter("key"))
        return m.Snapshot(server_version=self.server_version, objects=objects,
                          role=self.rows["role"][0]["role"])

    def finished(self) -> list[m.Object]:
        """The objects added since the last call, as the snapshot holds them, in key order;
        what they use may not change after this."""
        make = m.Object
        objects = []
        # Made in the order the snapshot holds them, they lie in memory in that order:
        # encoding the snapshot, and freeing it, then walk memory forwards rather than
        # all over it (twice as fast at 25,000 objects).
        self.objects.sort(key=itemgetter(0))
        for key, owner, spec, uses in self.objects:
            uses.discard(key)
            objects.append(make(key, owner, tuple(sorted(uses) if len(uses) > 1 else uses), spec))
        self.objects = []
        return objects

    def schemas(self) -> None:
        for r in self.rows["schemas"]:
            self.add(f"schema:{r['name']}", m.Schema(r["name"]),
                     ref=oid_ref(PG_NAMESPACE, r["objid"]))

    def extensions(self) -> None:
        for r in self.rows["extensions"]:
            key = self.add(f"extension:{r['name']}",
                           m.Extension(r["name"], r["schema"], r["version"], r["update_targets"],
                                       r["relocatable"]),
                           deps=(f"schema:{r['schema']}",), ref=oid_ref(PG_EXTENSION, r["objid"]))
            # What uses one of its types or functions uses the extension.
            for classid, objid in zip(r["member_classids"], r["member_objids"], strict=True):
                self.keys.setdefault(oid_ref(classid, objid), key)
                self.extension_members.add((classid, objid))

    def collations(self) -> None:
        for r in self.rows["collations"]:
            self.add(f"collation:{r['name']}",
                     m.Collation(r["name"], r["provider"], r["locale"], r["lc_collate"],
                                 r["lc_ctype"], r["deterministic"], r["rules"]),
                     ref=oid_ref(PG_COLLATION, r["objid"]))

    def types(self) -> None:
        for r in self.rows["types"]:
            spec: m.Spec
            match r["type_kind"]:
                case "e":
                    spec = m.Enum(r["name"], r["labels"])
                case "d":
                    constraints = [
                        m.DomainConstraint(name, definition) for name, definition
                        in zip(r["constraint_names"], r["constraint_definitions"], strict=True)
                    ]
                    spec = m.Domain(r["name"], r["base_type"], r["not_null"], r["default_expr"],
                                    r["collation"], constraints)
                case "c":
                    attributes = [
                        m.Attribute(name, data_type, collation) for name, data_type, collation
                        in zip(r["attribute_names"], r["attribute_types"],
                               r["attribute_collations"], strict=True)
                    ]
                    spec = m.Composite(r["name"], attributes)
                case _:
                    spec = m.Range(r["name"], r["subtype"], r["subtype_opclass"],
                                   r["range_collation"], r["canonical"], r["subtype_diff"],
                                   r["multirange"])
            key = self.add(f"type:{r['name']}", spec, ref=oid_ref(PG_TYPE, r["objid"]))
            # A dependency on the type's array type is a dependency on the type.
            if r["array_oid"]:
                self.keys[oid_ref(PG_TYPE, r["array_oid"])] = key
            # A domain's checks are part of it: what they use, the domain uses.
            for constraint_oid, constraint in zip(r["constraint_oids"] or (),
                                                  r["constraint_names"] or (), strict=True):
                self.keys[oid_ref(PG_CONSTRAINT, constraint_oid)] = key
                self.domain_constraints[constraint_oid] = \
                    key, f"CONSTRAINT {constraint} ON DOMAIN {r['name']}"
            # A composite type's attributes are recorded as columns of its relation.
            if r["relation_oid"]:
                self.keys[oid_ref(PG_CLASS, r["relation_oid"])] = key
            # A range type's multirange type and constructors come and go with it.
            for type_oid in (r["multirange_oid"], r["multirange_array_oid"]):
                if type_oid:
                    self.keys[oid_ref(PG_TYPE, type_oid)] = key
            for function_oid in r["constructor_oids"] or ():
                self.keys[oid_ref(PG_PROC, function_oid)] = key

    def base_types(self) -> None:
        """A base type is two objects: its shell (`CREATE TYPE t`), which its I/O
        functions need before the type can name them, and its definition."""
        self.io_functions: dict[str, list[int]] = {}
        for r in self.rows["base_types"]:
            shell_key = f"shell_type:{r['name']}"
            if r["shell"]:  # a shell alone, with no definition yet
                self.add(shell_key, m.ShellType(r["name"]), ref=oid_ref(PG_TYPE, r["objid"]))
                continue
            key = self.add(f"type:{r['name']}",
                           m.BaseType(r["name"], r["input"], r["output"], r["receive"],
                                      r["send"], r["typmod_in"], r["typmod_out"], r["analyze"],
                                      r["subscript"], r["internal_length"],
                                      r["passed_by_value"], r["alignment"], r["storage"],
                                      r["category"], r["preferred"], r["default_value"],
                                      r["element"], r["delimiter"], r["collatable"]),
                           deps=(shell_key,), ref=oid_ref(PG_TYPE, r["objid"]))
            self.add(shell_key, m.ShellType(r["name"]), owner=key,
                     deps=(f"schema:{r['schema']}",))
            if r["array_oid"]:
                self.keys[oid_ref(PG_TYPE, r["array_oid"])] = key
            self.io_functions[key] = [
                r[f"{f}_oid"] for f in ("input", "output", "receive", "send") if r[f"{f}_oid"]]

    def base_type_cycles(self) -> None:
        """A base type and the I/O functions naming it depend on each other. Those
        functions are made to depend on the shell instead, and to belong to the type:
        `DROP TYPE … CASCADE` takes them along, and they are created again with it."""
        owners: dict[str, str] = {}
        for key, oids in self.io_functions.items():
            shell = f"shell_type:{key.removeprefix('type:')}"
            for oid in oids:
                function = self.keys.get(oid_ref(PG_PROC, oid))
                if function and function.startswith("function:") and key in self.deps[function]:
                    self.deps[function].discard(key)
                    self.deps[function].add(shell)
                    owners[function] = key
        if owners:
            self.objects = [(k, owners.get(k, o), s, u) for k, o, s, u in self.objects]

    def typed_tables(self) -> None:
        """`CREATE TABLE t OF type` as an object of its own (ALTER TABLE … [NOT] OF), so
        that a change to the type unbinds the table, alters its columns and binds it
        again, rather than dropping it. The table itself no longer depends on the type."""
        for r in self.rows["typed_tables"]:
            table, of_type = f"table:{r['table_name']}", f"type:{r['of_type']}"
            columns = (f"column:{r['table_name']}.{c}" for c in r["column_names"])
            self.add(f"typed_table:{r['table_name']}",
                     m.TypedTable(r["table_name"], r["of_type"], r["columns"]),
                     owner=table, deps=(table, of_type, *columns))
            self.deps[table].discard(of_type)

    def foreign_column_options(self) -> None:
        for r in self.rows["foreign_column_options"]:
            column = f"column:{r['table_name']}.{r['name']}"
            self.add(f"column_options:{r['table_name']}.{r['name']}",
                     m.ColumnOptions(r["table_name"], r["name"], r["options"]),
                     owner=column, deps=(column,))

    def replica_identities(self) -> None:
        for r in self.rows["replica_identities"]:
            table = f"table:{r['table_name']}"
            index = None
            if r["constraint_name"]:
                index = f"constraint:{r['table_name']}.{r['constraint_name']}"
            elif r["index_name"]:
                index = f"index:{r['index_name']}"
            self.add(f"replica_identity:{r['table_name']}",
                     m.ReplicaIdentity(r["table_name"], r["identity"]),
                     owner=table, deps=(table, index))

    def relations(self) -> None:
        # Unpacked in relations.sql's SELECT order: a thousand rows and more.
        for (objid, type_oid, kind, name, unlogged, partition_by, partition_key_columns,
             partition_of, partition_bound, cloned_constraints, attached_indexes, inherits,
             options, rls_enabled, rls_forced, view_definition, view_columns,
             populated) in self.rows.tuples("relations"):
            key = f"{RELATION_KEY_PREFIX[kind]}:{name}"
            spec: m.Spec
            owner = None
            deps: tuple[str | None, ...] = ()
            if kind in "rp":
                spec = m.Table(name, unlogged, partition_by, partition_of, partition_bound,
                               inherits or [], options, rls_enabled, rls_forced,
                               [(n, t) for n, t in partition_key_columns or ()],
                               cloned_constraints or [], attached_indexes or [])
                if partition_of:
                    owner = f"table:{partition_of}"
                    self.partition_parents[name] = partition_of
                deps = (owner, *[f"table:{p}" for p in inherits]) if inherits else (owner,)
            elif kind == "v":
                spec = m.View(name, view_definition, options, view_columns)
            else:
                spec = m.MaterializedView(name, view_definition, options, populated)
            self.add(key, spec, owner=owner, deps=deps, ref=oid_ref(PG_CLASS, objid))
            self.keys[oid_ref(PG_TYPE, type_oid)] = key
            self.relation_keys[name] = key
            self.relations_by_oid[objid] = name, key

    def foreign(self) -> None:
        for r in self.rows["foreign"]:
            match r["kind"]:
                case "wrapper":
                    self.add(f"foreign_data_wrapper:{r['name']}",
                             m.ForeignDataWrapper(r["name"], r["handler"], r["validator"],
                                                  r["options"]),
                             ref=oid_ref(PG_FOREIGN_DATA_WRAPPER, r["objid"]))
                case "server":
                    wrapper = f"foreign_data_wrapper:{r['server']}"
                    self.add(f"foreign_server:{r['name']}",
                             m.ForeignServer(r["name"], r["server"], r["server_type"],
                                             r["version"], r["options"]),
                             deps=(wrapper,), ref=oid_ref(PG_FOREIGN_SERVER, r["objid"]))
                case "mapping":
                    server = f"foreign_server:{r['server']}"
                    self.add(f"user_mapping:{r['role']}@{r['server']}",
                             m.UserMapping(r["server"], r["role"], r["options"]),
                             owner=server, deps=(server,), ref=oid_ref(PG_USER_MAPPING, r["objid"]))
                case _:
                    key = f"foreign_table:{r['name']}"
                    self.add(key, m.ForeignTable(r["name"], r["server"], r["options"]),
                             deps=(f"foreign_server:{r['server']}",),
                             ref=oid_ref(PG_CLASS, r["objid"]))
                    self.relation_keys[r["name"]] = key
                    self.relations_by_oid[r["objid"]] = r["name"], key

    def sequences(self) -> None:
        for r in self.rows["sequences"]:
            key = f"sequence:{r['name']}"
            owner = None
            if r["owner_table"]:
                owner = f"column:{r['owner_table']}.{r['owner_column']}"
            spec = m.Sequence(r["name"], r["data_type"], r["start"], r["increment"],
                              r["min_value"], r["max_value"], r["cache"], r["cycle"], r["unlogged"])
            # An owned sequence goes with its column, but is created before it (the
            # column's default uses it), so the ownership is an object of its own.
            self.add(key, spec, owner=owner, ref=oid_ref(PG_CLASS, r["objid"]))
            if owner:
                self.add(f"sequence_owner:{r['name']}",
                         m.SequenceOwner(r["name"], r["owner_table"], r["owner_column"]),
                         owner=key, deps=(key, owner))

    def columns(self) -> None:
        # The largest query: unpacked in columns.sql's SELECT order, and `add` inlined.
        objects, keys, deps = self.objects, self.keys, self.deps
        relations, partition_parents = self.relations_by_oid, self.partition_parents
        Column, Default = m.Column, m.Default
        for (ref, position, inherited, table_oid, name, data_type, not_null,
             collation, identity_kind, generated, default_ref, default_expr,
             statistics, storage, type_storage, compression,
             identity_options, grants) in self.rows.tuples("columns"):
            table_name, table_key = relations[table_oid]
            key = f"column:{table_name}.{name}"
            identity = None
            # A partition's column is marked identity too (PostgreSQL 17 on) but has no
            # sequence of its own: the identity is its parent's, and comes with the partition.
            if identity_kind and identity_options is not None:
                start, increment, min_value, max_value, cache, cycle = identity_options
                identity = m.Identity("ALWAYS" if identity_kind == "a" else "BY DEFAULT",
                                      start, increment, min_value, max_value, cache,
                                      cycle == 1)
            generated_expr = default_expr if generated else None
            # A partition's column follows its parent's (a NOT NULL dropped there first).
            parent = partition_parents.get(table_name) if inherited else None
            uses = deps[key] = {table_key, f"column:{parent}.{name}"} if parent else {table_key}
            objects.append((key, table_key, Column(table_name, name, data_type, not_null,
                                                   collation, identity, generated_expr,
                                                   position, inherited, generated == "v"),
                            uses))
            keys[ref] = key
            if default_ref:
                if generated_expr is None:
                    default_key = f"default:{table_name}.{name}"
                    uses = deps[default_key] = {key}
                    objects.append((default_key, key, Default(table_name, name, default_expr),
                                    uses))
                    keys[default_ref] = default_key
                else:
                    # A generated column's expression belongs to the column itself.
                    keys[default_ref] = key
            if type_storage:
                settings_key = f"column_settings:{table_name}.{name}"
                uses = deps[settings_key] = {key}
                objects.append((settings_key, key, m.ColumnSettings(
                    table_name, name, statistics, storage, type_storage, compression), uses))
            # A column has no default ACL: each of its privileges is a grant beyond it.
            for grantee, privilege, grantable in grants or ():
                self.add_grant(key, grantee, privilege, grantable == "true", revoked=False)

    def constraints(self) -> None:
        # Unpacked in constraints.sql's SELECT order: thousands of rows.
        objects, keys, deps, relations = self.objects, self.keys, self.deps, self.relations_by_oid
        not_nulls_apart = []
        for objid, index_oid, table_oid, name, constraint_type, definition, not_null_column \
                in self.rows.tuples("constraints"):
            table_name, table_key = relations[table_oid]
            key = f"constraint:{table_name}.{name}"
            uses = deps[key] = {table_key}
            if not_null_column:
                column_key = f"column:{table_name}.{not_null_column}"
                uses.add(column_key)
                not_nulls_apart.append(column_key)
            objects.append((key, table_key,
                            m.Constraint(table_name, name, constraint_type, definition), uses))
            keys[PG_CONSTRAINT << 48 | objid << 16] = key  # oid_ref, inlined
            # A foreign key depends on the referenced key's index: that is this constraint.
            if index_oid and constraint_type in "pux":
                keys[PG_CLASS << 48 | index_oid << 16] = key
        if not_nulls_apart:
            self._not_nulls_apart(set(not_nulls_apart))

    def _not_nulls_apart(self, column_keys: set[str]) -> None:
        """A NOT NULL that is NOT VALID or NO INHERIT (PostgreSQL 18) is read as one of
        the table's constraints, and its column as nullable: the first may hold nulls (to
        be validated or not), the second does not reach child tables as SET NOT NULL
        would."""
        self.objects[:] = [
            (key, owner, msgspec.structs.replace(spec, not_null=False), uses)
            if key in column_keys else (key, owner, spec, uses)
            for key, owner, spec, uses in self.objects]

    def indexes(self) -> None:
        # Unpacked in indexes.sql's SELECT order, and `add` inlined: thousands of rows.
        objects, keys, deps, relation_keys = self.objects, self.keys, self.deps, \
            self.relation_keys
        Index = m.Index
        for objid, name, table_name, definition in self.rows.tuples("indexes"):
            owner = relation_keys.get(table_name) or f"table:{table_name}"
            key = f"index:{name}"
            uses = deps[key] = {owner}
            objects.append((key, owner, Index(table_name, name, definition), uses))
            keys[PG_CLASS << 48 | objid << 16] = key  # oid_ref, inlined

    def _annotated(self, classid: int, objid: int, subid: int) -> str | None:
        """The key of the object a comment, label or grant row is on; None for an object
        pgmt does not know, or one an extension made (its key leads to the extension, for
        dependencies, but what is said of it is the extension's business)."""
        if (classid, objid) in self.extension_members:
            return None
        return self.keys.get(oid_ref(classid, objid, subid))

    def functions(self) -> None:
        for r in self.rows["functions"]:
            key = f"function:{r['name']}({r['identity_arguments']})"
            spec = m.Function(r["name"], r["identity_arguments"], r["function_kind"],
                              r["definition"].rstrip("\n"), r["result"], r["arguments"],
                              r["defaults"], r["outputs"])
            self.add(key, spec, ref=oid_ref(PG_PROC, r["objid"]))

    def aggregates(self) -> None:
        for r in self.rows["aggregates"]:
            self.add(f"aggregate:{r['name']}({r['identity_arguments']})",
                     m.Aggregate(r["name"], r["identity_arguments"], r["arguments"], r["result"],
                                 r["aggregate_kind"], r["options"]),
                     ref=oid_ref(PG_PROC, r["objid"]))

    def operators(self) -> None:
        for r in self.rows["operators"]:
            self.add(f"operator:{r['name']}({r['left'] or 'NONE'},{r['right']})",
                     m.Operator(r["name"], r["left"], r["right"], r["function"],
                                r["commutator"], r["negator"], r["restrict"], r["join"],
                                r["hashes"], r["merges"]),
                     ref=oid_ref(PG_OPERATOR, r["objid"]))

    def operator_classes(self) -> None:
        members: dict[tuple[int, int], list[m.OperatorMember]] = {}
        member_rows = self.rows["operator_members"]
        for r in member_rows:
            members.setdefault((r["owner_classid"], r["owner_objid"]), []).append(
                m.OperatorMember(r["kind"], r["number"], r["left"], r["right"], r["target"],
                                 r["order_by"]))
        for r in self.rows["operator_classes"]:
            name, method = r["name"], r["method"]
            family = r["kind"] == "family"
            owner = (PG_OPFAMILY if family else PG_OPCLASS, r["objid"])
            own_members = members.get(owner, [])
            if family:
                key = self.add(f"operator_family:{name} USING {method}",
                               m.OperatorFamily(name, method, own_members), ref=oid_ref(*owner))
            else:
                key = self.add(f"operator_class:{name} USING {method}",
                               m.OperatorClass(name, method, r["data_type"], r["default"],
                                               r["family"], r["storage"], own_members),
                               deps=(f"operator_family:{r['family']} USING {method}",),
                               ref=oid_ref(*owner))
            self.member_owners[owner] = key
        # What a member uses (its operator, its function), the class or family uses.
        for r in member_rows:
            owner = self.member_owners.get((r["owner_classid"], r["owner_objid"]))
            if owner:
                self.keys[oid_ref(r["member_classid"], r["member_objid"])] = owner

    def casts(self) -> None:
        for r in self.rows["casts"]:
            self.add(f"cast:({r['source']} AS {r['target']})",
                     m.Cast(r["source"], r["target"], r["function"], r["method"], r["context"]),
                     ref=oid_ref(PG_CAST, r["objid"]))

    def triggers(self) -> None:
        for r in self.rows["triggers"]:
            owner = self.relation_keys.get(r["table_name"], f"table:{r['table_name']}")
            self.add(f"trigger:{r['table_name']}.{r['name']}",
                     m.Trigger(r["table_name"], r["name"], r["definition"], r["enabled"]),
                     owner=owner, deps=(owner,), ref=oid_ref(PG_TRIGGER, r["objid"]))

    def rules(self) -> None:
        for r in self.rows["rules"]:
            owner = f"{RELATION_KEY_PREFIX[r['relkind']]}:{r['table_name']}"
            self.add(f"rule:{r['table_name']}.{r['name']}",
                     m.Rule(r["table_name"], r["name"], r["definition"], r["enabled"]),
                     owner=owner, deps=(owner,), ref=oid_ref(PG_REWRITE, r["objid"]))

    def statistics(self) -> None:
        for r in self.rows["statistics"]:
            owner = f"table:{r['table_name']}"
            self.add(f"statistics:{r['name']}",
                     m.Statistics(r["name"], r["table_name"], r["definition"], r["target"]),
                     owner=owner, deps=(owner,), ref=oid_ref(PG_STATISTIC_EXT, r["objid"]))

    def event_triggers(self) -> None:
        for r in self.rows["event_triggers"]:
            self.add(f"event_trigger:{r['name']}",
                     m.EventTrigger(r["name"], r["event"], r["tags"], r["function"],
                                    r["enabled"]),
                     ref=oid_ref(PG_EVENT_TRIGGER, r["objid"]))

    def publications(self) -> None:
        for r in self.rows["publications"]:
            self.add(f"publication:{r['name']}",
                     m.Publication(r["name"], r["all_tables"], r["options"]),
                     ref=oid_ref(PG_PUBLICATION, r["objid"]))
        for r in self.rows["publication_tables"]:
            owner = f"publication:{r['publication']}"
            self.add(f"publication_table:{r['publication']}.{r['table_name']}",
                     m.PublicationTable(r["publication"], r["table_name"], r["columns"],
                                        r["row_filter"]),
                     owner=owner, deps=(owner, f"table:{r['table_name']}"),
                     ref=oid_ref(PG_PUBLICATION_REL, r["objid"]))
        for r in self.rows["publication_schemas"]:
            owner = f"publication:{r['publication']}"
            self.add(f"publication_schema:{r['publication']}.{r['schema']}",
                     m.PublicationSchema(r["publication"], r["schema"]),
                     owner=owner, deps=(owner, f"schema:{r['schema']}"))

    def text_search(self) -> None:
        for r in self.rows["text_search"]:
            name = r["name"]
            match r["kind"]:
                case "parser":
                    self.add(f"text_search_parser:{name}",
                             m.TextSearchParser(name, r["start"], r["token"], r["end"],
                                                r["headline"], r["lextypes"]),
                             ref=oid_ref(PG_TS_PARSER, r["objid"]))
                case "template":
                    self.add(f"text_search_template:{name}",
                             m.TextSearchTemplate(name, r["init"], r["lexize"]),
                             ref=oid_ref(PG_TS_TEMPLATE, r["objid"]))
                case "dictionary":
                    self.add(f"text_search_dictionary:{name}",
                             m.TextSearchDictionary(name, r["template"], r["options"]),
                             ref=oid_ref(PG_TS_DICT, r["objid"]))
                case _:
                    self.add(f"text_search_configuration:{name}",
                             m.TextSearchConfiguration(name, r["parser"], r["mappings"]),
                             ref=oid_ref(PG_TS_CONFIG, r["objid"]))

    def policies(self) -> None:
        for r in self.rows["policies"]:
            owner = f"table:{r['table_name']}"
            self.add(f"policy:{r['table_name']}.{r['name']}",
                     m.Policy(r["table_name"], r["name"], r["permissive"], r["command"],
                              r["roles"], r["using_expr"], r["with_check"]),
                     owner=owner, deps=(owner,), ref=oid_ref(PG_POLICY, r["objid"]))

    def dependencies(self) -> None:
        deps, get = self.deps, self.keys.get
        for depender, referenced in self.rows.tuples("dependencies"):
            # A dependency on one column of a relation we do not split into columns
            # (a view's) is a dependency on the relation.
            key = get(depender) or get(depender & WHOLE_OBJECT)
            if key is None:  # an object pgmt does not manage (a toast table, say)
                continue
            ref = get(referenced) or get(referenced & WHOLE_OBJECT)
            # An owned sequence's link to its column is its ownership, kept apart.
            if ref and key != ref and not (
                key.startswith("sequence:") and ref.startswith("column:")
            ):
                deps[key].add(ref)

    def comments(self) -> None:
        objects, deps, annotated = self.objects, self.deps, self._annotated
        domain_constraints = self.domain_constraints
        for classid, objid, subid, text in self.rows.tuples("comments"):
            if domain_constraints and classid == PG_CONSTRAINT and objid in domain_constraints:
                # No key of its own: the comment goes with its domain, and names it.
                domain, reference = domain_constraints[objid]
                key = f"comment:{domain}:{reference}"
                uses = deps[key] = {domain}
                objects.append((key, domain, m.Comment(reference, text), uses))
                continue
            target = annotated(classid, objid, subid)
            if target:
                key = f"comment:{target}"
                uses = deps[key] = {target}
                objects.append((key, target, m.Comment(target, text), uses))

    def security_labels(self) -> None:
        for r in self.rows["security_labels"]:
            target = self._annotated(r["classid"], r["objid"], r["subid"])
            if target:
                self.add(f"security_label:{r['provider']}:{target}",
                         m.SecurityLabel(target, r["provider"], r["label"]),
                         owner=target, deps=(target,))

    def privileges(self) -> None:
        for r in self.rows["privileges"]:
            target = self._annotated(r["classid"], r["objid"], r["subid"])
            privilege = r["privilege"]
            if target is None and r["column_name"]:
                # A view's column is no object of its own: the grant is the view's, of
                # the privilege on that column (GRANT SELECT (a) ON TABLE view).
                relation = self._annotated(r["classid"], r["objid"], 0)
                if relation and relation.startswith(("view:", "materialized_view:")):
                    target, privilege = relation, f"{privilege} ({r['column_name']})"
            if target:
                self.add_grant(target, r["grantee"], privilege, r["grantable"], r["revoked"])

    def add_grant(self, target: str, grantee: str, privilege: str, grantable: bool,
                  revoked: bool) -> None:
        suffix = ":revoked" if revoked else ""
        self.add(f"grant:{target}:{grantee}:{privilege}{suffix}",
                 m.Grant(target, grantee, privilege, grantable, revoked),
                 owner=target, deps=(target,))

    def owners(self) -> None:
        for r in self.rows["owners"]:
            target = self.keys.get(oid_ref(r["classid"], r["objid"]))
            key = f"ownership:{target}"
            if target and key not in self.deps:
                self.add(key, m.Ownership(target, r["role"]), owner=target, deps=(target,))

    def default_privileges(self) -> None:
        for r in self.rows["default_privileges"]:
            schema = r["schema"]
            suffix = ":revoked" if r["revoked"] else ""
            key = (f"default_privilege:{r['role']}:{schema or ''}:{r['object_type']}:"
                   f"{r['grantee']}:{r['privilege']}{suffix}")
            self.add(key, m.DefaultPrivilege(r["role"], schema, r["object_type"], r["grantee"],
                                             r["privilege"], r["grantable"], r["revoked"]),
                     deps=(f"schema:{schema}" if schema else None,))
