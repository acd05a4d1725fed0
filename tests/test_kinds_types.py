"""Typed tables (`CREATE TABLE t OF type`), base types (`CREATE TYPE t (INPUT = …)`
with their shell and I/O functions) and range types (with the multirange type,
constructors and cast PostgreSQL makes beside them): created, each attribute altered,
dropped (every case also runs backwards), and dropped/recreated or rebuilt when
something they depend on is.

Every case checks the acceptance invariant (tests/convergence.py) in both
directions; where given, the forward plan is exactly `expected`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import PgServer
from convergence import load
from test_kinds import ROLE, both_ways, roles  # noqa: F401  (autouse: the roles exist)

PAIR = "create type pair as (a int, b text);"
TYPED = PAIR + "create table t of pair (a with options not null default 1, primary key (a));"

TYPED_TABLES = [
    pytest.param(PAIR, TYPED,
                 ["create table public.t", "create typed table public.t of public.pair"],
                 id="typed-table-created"),
    pytest.param(PAIR + "create table t (a int not null default 1, b text, primary key (a));",
                 TYPED, ["create typed table public.t of public.pair"],
                 id="regular-table-bound-to-its-type"),
    pytest.param(TYPED, TYPED.replace("default 1", "default 2"),
                 ["alter default public.t.a"], id="typed-table-column-default-altered"),
    pytest.param(TYPED, TYPED.replace("primary key (a)", "b with options not null"),
                 ["drop constraint t_pkey on public.t", "alter column public.t.b"],
                 id="typed-table-not-null-and-key-altered"),
    pytest.param(TYPED, TYPED + "alter table t add constraint b_short check (length(b) < 9);",
                 ["create constraint b_short on public.t"], id="typed-table-check-added"),
    pytest.param(TYPED, TYPED.replace("b text)", "b text, c date, z int, y int)"),
                 ["drop typed table public.t of public.pair", "alter type public.pair",
                  "create column public.t.c", "create column public.t.z",
                  "create column public.t.y", "create typed table public.t of public.pair"],
                 id="attributes-added-columns-follow-in-order"),
    pytest.param(TYPED, TYPED.replace("b text", "b varchar(20)"),
                 ["drop typed table public.t of public.pair", "alter type public.pair",
                  "alter column public.t.b", "create typed table public.t of public.pair"],
                 id="attribute-retyped-column-follows"),
    pytest.param(TYPED.replace("b text)", "b text, c int)"), TYPED,
                 ["drop typed table public.t of public.pair", "drop column public.t.c",
                  "alter type public.pair", "create typed table public.t of public.pair"],
                 id="attribute-dropped-column-follows"),
    pytest.param(TYPED, PAIR + "create type other as (a int, b text);"
                 "create table t of other (a with options not null default 1, primary key (a));",
                 ["drop typed table public.t of public.pair", "create type public.other",
                  "create typed table public.t of public.other"],
                 id="typed-table-bound-to-another-type"),
    pytest.param(TYPED, "create table t (a int not null default 1, b text, primary key (a));",
                 ["drop typed table public.t of public.pair", "drop type public.pair"],
                 id="typed-table-unbound-and-its-type-dropped"),
    pytest.param(TYPED + "create view v as select a, b from t;",
                 TYPED.replace("(a int, b text)", "(a int, b text collate \"C\")")
                 + "create view v as select a, b from t;",
                 None, id="typed-table-column-collation-follows-under-a-view"),
    pytest.param(TYPED + "comment on table t is 'typed';"
                 f"alter table t owner to {ROLE}; grant select on t to {ROLE};",
                 TYPED + "comment on table t is 'still typed';"
                 f"alter table t owner to {ROLE}; grant select on t to {ROLE};",
                 ["alter comment on table public.t"], id="typed-table-comment-owner-grant"),
    pytest.param(TYPED, "", None, id="typed-table-all-dropped"),
    # ALTER TABLE … OF wants the table's columns in the type's order, and no statement
    # reorders columns: the table is recreated, and says it loses its rows.
    pytest.param(TYPED, TYPED.replace("(a int, b text)", "(b text, a int)"),
                 ["drop table public.t", "drop type public.pair", "create type public.pair",
                  "create table public.t", "create typed table public.t of public.pair"],
                 id="type-attributes-reordered-recreates-the-table"),
    pytest.param(TYPED, TYPED.replace("(a int, b text)", "(c date, a int, b text)"),
                 None, id="type-attribute-added-first-recreates-the-table"),
]


# A base type over text's own I/O functions (internal ones need a superuser).
SHELL = "create type mt;"
IO = (SHELL + "create function mt_in(cstring) returns mt as 'textin' language internal"
      " immutable strict; create function mt_out(mt) returns cstring as 'textout'"
      " language internal immutable strict;")
BINARY = ("create function mt_recv(internal) returns mt as 'textrecv' language internal"
          " stable strict; create function mt_send(mt) returns bytea as 'textsend'"
          " language internal stable strict;")
BASE = IO + "create type mt (input = mt_in, output = mt_out, like = text);"
WITH_BINARY = IO + BINARY + ("create type mt (input = mt_in, output = mt_out, like = text,"
                             " receive = mt_recv, send = mt_send);")
USED = "create table u (v mt, vs mt[]); create view uv as select v from u;"

BASE_TYPES = [
    pytest.param("", BASE,
                 ["create shell type public.mt", "create function public.mt_in(cstring)",
                  "create function public.mt_out(public.mt)", "create base type public.mt"],
                 id="base-type-created-through-its-shell"),
    pytest.param("", SHELL, ["create shell type public.mt"], id="shell-type-alone-created"),
    pytest.param(BASE, WITH_BINARY,
                 ["create function public.mt_recv(internal)",
                  "create function public.mt_send(public.mt)", "alter base type public.mt"],
                 id="base-type-receive-and-send-set-in-place"),
    pytest.param(BASE, BASE.replace("like = text", "like = text, storage = main"),
                 ["alter base type public.mt"], id="base-type-storage-altered"),
    pytest.param(BASE, BASE.replace("like = text", "like = text, category = 'S',"
                                    " preferred = true, delimiter = ';', collatable = true,"
                                    " default = 'x'"),
                 None, id="base-type-category-preferred-delimiter-collatable-default-recreated"),
    pytest.param(BASE, BASE.replace("like = text", "internallength = 16, alignment = double,"
                                    " storage = plain"),
                 None, id="base-type-length-alignment-storage-recreated"),
    pytest.param(BASE.replace("like = text", "internallength = 16, alignment = double"),
                 BASE.replace("like = text", "internallength = 16, alignment = double,"
                              " element = float8, subscript = raw_array_subscript_handler"),
                 None, id="base-type-element-and-subscript-recreated"),
    pytest.param(BASE + USED,
                 BASE.replace("like = text", "like = text, category = 'S'") + USED,
                 ["drop view public.uv", "drop column public.u.v", "drop column public.u.vs",
                  "drop base type public.mt", "create shell type public.mt",
                  "create function public.mt_in(cstring)",
                  "create function public.mt_out(public.mt)", "create base type public.mt",
                  "create column public.u.v", "create column public.u.vs",
                  "create view public.uv"],
                 id="base-type-recreated-with-its-columns-and-view"),
    pytest.param(BASE + USED,
                 BASE.replace("mt_in(cstring)", "mt_in(s cstring)") + USED,
                 None, id="base-type-recreated-with-its-input-function"),
    pytest.param(BASE, BASE + "comment on type mt is 'text-like';"
                 f"alter type mt owner to {ROLE}; grant usage on type mt to {ROLE};",
                 None, id="base-type-comment-owner-grant"),
    pytest.param(BASE + USED, "", None, id="base-type-all-dropped"),
]


RANGE = "create type r as range (subtype = int4);"
RANGE_USED = RANGE + "create table t (x r, y r_multirange, z r[]);"
RANGE_REBUILT = [
    "alter range type public.r", "alter range type public.r", "alter range type public.r",
    "alter range type public.r", "alter range type public.r", "create range type public.r",
    "alter column public.t.x", "alter column public.t.y", "alter column public.t.z",
    "drop range type public.r__pgmt_old",
]
QUOTED_RANGE = ('create schema "S p"; create type "S p"."R" as range (subtype = text,'
                ' collation = "C", multirange_type_name = "S p"."MR");'
                'create table t (x "S p"."R", y "S p"."MR");')

RANGE_TYPES = [
    # Its constructors and its cast to its multirange are PostgreSQL's to make and drop.
    pytest.param("", RANGE, ["create range type public.r"], id="range-type-created"),
    pytest.param(RANGE, RANGE.replace("int4", "int8"),
                 ["drop range type public.r", "create range type public.r"],
                 id="range-type-no-column-uses-recreated"),
    # Each column (of the range, its multirange, an array of it) converted through text.
    pytest.param(RANGE_USED, RANGE_USED.replace("int4", "int8"), RANGE_REBUILT,
                 id="range-subtype-changed-columns-keep-their-rows"),
    pytest.param(QUOTED_RANGE, QUOTED_RANGE.replace('"C"', '"POSIX"'), None,
                 id="quoted-range-collation-changed-same-constructors-kept-apart"),
    pytest.param(RANGE_USED,
                 RANGE.replace("int4", "int4, multirange_type_name = rm")
                 + "create table t (x r, y rm, z r[]);",
                 None, id="multirange-renamed-its-column-follows"),
    pytest.param(RANGE + "create domain dr as r check (not isempty(value));"
                 "create table t (d dr, x r);"
                 "create view v as select r(1, 2) as a, r_multirange(r(1, 3)) as b, x from t;"
                 "create function f(a r) returns int language sql as $$ select lower(a) $$;",
                 RANGE.replace("int4", "int8") + "create domain dr as r check (not isempty(value));"
                 "create table t (d dr, x r);"
                 "create view v as select r(1, 2) as a, r_multirange(r(1, 3)) as b, x from t;"
                 "create function f(a r) returns bigint language sql as $$ select lower(a) $$;",
                 None, id="range-rebuilt-under-a-domain-view-and-function"),
]


@pytest.mark.parametrize(("old", "new", "expected"), TYPED_TABLES + BASE_TYPES + RANGE_TYPES)
def test_type_kind_converges(
    make_db: Callable[[], str], old: str, new: str, expected: list[str] | None
) -> None:
    """Both directions converge; where given, the forward plan is exactly `expected`."""
    both_ways(make_db, old, new, expected)


def test_base_type_recreated_by_its_function_says_why(make_db: Callable[[], str]) -> None:
    """An input function recreated (its argument renamed) takes the type along, which
    brings its other I/O function and its columns; each says what forced it."""
    plan = both_ways(make_db, BASE + USED,
                     BASE.replace("mt_in(cstring)", "mt_in(s cstring)") + USED).plan
    forced = {s.object_key: s.forced_by for s in plan.steps}
    assert forced["type:public.mt"] == "function:public.mt_in(cstring)"
    assert forced["function:public.mt_out(public.mt)"] == "type:public.mt"
    assert forced["column:public.u.v"] == "type:public.mt"
    drops = [s.sql for s in plan.steps if s.action == "drop"]
    assert "DROP TYPE public.mt CASCADE" in drops
    assert not any(sql.startswith("DROP FUNCTION") for sql in drops)


def test_typed_table_keeps_its_rows_when_its_type_changes(make_db: Callable[[], str]) -> None:
    """Adding an attribute unbinds the table, adds the column and binds it again: the
    rows stay (converge seeds rows and checks none is lost) and nothing is dropped."""
    plan = both_ways(make_db, TYPED, TYPED.replace("b text)", "b text, c date)")).plan
    assert not any(h == "data_loss" for s in plan.steps for h in s.hazards)
    sqls = [s.sql for s in plan.steps]
    assert (sqls[0], sqls[-1]) == ("ALTER TABLE public.t NOT OF",
                                   "ALTER TABLE public.t OF public.pair")


def test_init_writes_base_types_typed_tables_and_column_options_and_converges(
    run_pgmt: Callable[..., Any], pg_server: PgServer, make_db: Callable[[], str],
    make_project: Callable[[], Path],
) -> None:
    """`pgmt init` files a base type with its shell and I/O functions (in the order
    that builds), a typed table with its binding, a foreign table with its column
    options; building those files plans as identical to the database."""
    from pgmt.catalog.reader import read_snapshot
    from pgmt.engine import make_plan
    from pgmt.postgres import connect
    from pgmt.schema_files import shadow_snapshot

    url = make_db()
    load(url, BASE + USED + TYPED + "create extension postgres_fdw; create server remote"
         " foreign data wrapper postgres_fdw; create foreign table ft"
         " (id int options (column_name 'ID')) server remote;")
    project = make_project()
    result = run_pgmt("init", "--project", str(project), "--dev-url", url,
                      env={"PGMT_SHADOW_URL": pg_server.admin_url})
    assert result.code == 0, result.stderr
    schema = project / "schema"
    files = {p.relative_to(schema).as_posix() for p in schema.rglob("*.sql")}
    assert {"types/mt.sql", "types/pair.sql", "tables/t.sql", "tables/u.sql",
            "foreign_tables/ft.sql"} <= files
    base = (schema / "types" / "mt.sql").read_text()
    order = [base.index(s) for s in ("CREATE TYPE public.mt;", "FUNCTION public.mt_in",
                                     "FUNCTION public.mt_out", "CREATE TYPE public.mt (")]
    assert order == sorted(order)
    assert "ALTER TABLE public.t OF public.pair" in (schema / "tables" / "t.sql").read_text()
    assert "id integer OPTIONS (column_name 'ID')" in \
        (schema / "foreign_tables" / "ft.sql").read_text()
    built = shadow_snapshot(pg_server.admin_url, schema)
    with connect(url) as conn:
        assert make_plan(read_snapshot(conn), built, source_conn=conn).steps == []


def test_range_rebuild_keeps_every_value_and_leaves_its_companions_to_postgresql(
    make_db: Callable[[], str],
) -> None:
    """Nothing is lost (converge seeds each range column) and nothing is dropped but the
    old type: its constructors, multirange and cast go with it, by PostgreSQL."""
    plan = both_ways(make_db, RANGE_USED, RANGE_USED.replace("int4", "int8")).plan
    assert not any(step.destructive for step in plan.steps)
    assert [s.sql for s in plan.steps if s.action == "drop"] == ["DROP TYPE public.r__pgmt_old"]
    assert not any(s.object_kind in ("function", "cast") for s in plan.steps)
