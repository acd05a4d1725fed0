"""Must-pass plans, each a known failure of some existing tool.

Each case builds the old and the new schema, plans, applies, and checks the
acceptance invariant (tests/convergence.py) plus what the plan must look like.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import PgServer
from convergence import converge, load, snapshot, summary
from psycopg.conninfo import make_conninfo

from pgmt.catalog.reader import read_snapshot
from pgmt.engine import apply_plan, make_plan
from pgmt.engine.apply import ApplyError
from pgmt.postgres import connect

SEED_OLD = """
create table users (id serial primary key, name text not null, score int default 0);
create function calculate_score(points integer) returns integer
    language sql as $$ select points * 2 $$;
create view user_rankings as select id, name, calculate_score(score) as rank_score from users;
create view daily_stats as select count(*) as users, max(rank_score) as top from user_rankings;
create view executive_dashboard as select * from daily_stats;
"""
SEED_NEW = SEED_OLD.replace(
    "calculate_score(points integer)", "calculate_score(points integer, bonus boolean DEFAULT false)"
)


def test_seed_function_signature_under_a_view_chain(make_db: Callable[[], str]) -> None:
    """Views over a function whose signature changed: dropped top-down, recreated bottom-up."""
    result = converge(make_db, SEED_OLD, SEED_NEW)
    assert summary(result.plan) == [
        "drop view public.executive_dashboard",
        "drop view public.daily_stats",
        "drop view public.user_rankings",
        "drop function public.calculate_score(points integer)",
        "create function public.calculate_score(points integer, bonus boolean)",
        "create view public.user_rankings",
        "create view public.daily_stats",
        "create view public.executive_dashboard",
    ]
    forced = {s.object_name: s.forced_by for s in result.plan.steps}
    assert forced["public.user_rankings"] == "function:public.calculate_score(points integer)"
    assert forced["public.executive_dashboard"] == "view:public.daily_stats"
    assert result.replan.steps == []


SCENARIOS = [
    pytest.param(
        """create table t (id int primary key, amount int);
           create view v as select id, amount from t;
           alter table t enable row level security;
           create policy p on t using (amount > 0);""",
        """create table t (id int primary key, amount bigint);
           create view v as select id, amount from t;
           alter table t enable row level security;
           create policy p on t using (amount > 0);""",
        ["drop policy p on public.t", "drop view public.v", "alter column public.t.amount",
         "create view public.v", "create policy p on public.t"],
        id="column-type-under-view-and-policy",
    ),
    pytest.param(
        "create table t (id serial primary key, body text);",
        "create table t (id serial primary key, body text) partition by range (id);",
        None,
        id="serial-table-recreated",
    ),
    pytest.param(
        "create table t (id int, state text default 'new');",
        "create table t (id int, state text default 'open');",
        ["alter default public.t.state"],
        id="changed-column-default",
    ),
    pytest.param(
        "create type mood as enum ('sad', 'happy'); create table t (m mood);",
        "create type mood as enum ('sad', 'ok', 'happy'); create table t (m mood);",
        ["alter enum public.mood"],
        id="enum-value-in-the-middle",
    ),
    pytest.param(
        "create type mood as enum ('sad', 'ok', 'happy');"
        "create table t (m mood default 'ok', n mood[]);"
        "create view v as select m from t where m <> 'sad';",
        "create type mood as enum ('happy', 'sad');"
        "create table t (m mood default 'sad', n mood[]);"
        "create view v as select m from t where m <> 'sad';",
        # The old type is moved aside, the columns converted, and what was aside dropped.
        ["drop view public.v", "drop default public.t.m", "alter enum public.mood",
         "create enum public.mood", "alter column public.t.m", "alter column public.t.n",
         "create default public.t.m", "create view public.v",
         "drop enum public.mood__pgmt_old"],
        id="enum-value-removed-and-reordered-keeps-rows",
    ),
    pytest.param(
        "create type mood as enum ('sad', 'meh', 'happy'); create domain dmood as mood;"
        "create table t (d dmood, m mood);",
        "create type mood as enum ('sad', 'happy'); create domain dmood as mood;"
        "create table t (d dmood, m mood);",
        None,
        id="enum-rebuilt-under-a-domain-keeps-rows",
    ),
    pytest.param(
        # The key cannot hold between a column of the new type and one of the old.
        "create type e as enum ('a', 'b'); create table t (x e primary key);"
        "create table c (x e references t);",
        "create type e as enum ('b', 'a'); create table t (x e primary key);"
        "create table c (x e references t);",
        ["drop constraint c_x_fkey on public.c", "alter enum public.e", "create enum public.e",
         "alter column public.c.x", "alter column public.t.x",
         "create constraint c_x_fkey on public.c", "drop enum public.e__pgmt_old"],
        id="enum-rebuilt-under-a-foreign-key-keeps-rows",
    ),
    pytest.param(
        # integer against numeric has no equality the key could use: it cannot hold while
        # one side is retyped and the other not yet.
        "create table t (a int, b text, unique (a, b));"
        "create table c (a int, b text, foreign key (a, b) references t (a, b));",
        "create table t (a numeric, b text, unique (a, b));"
        "create table c (a numeric, b text, foreign key (a, b) references t (a, b));",
        ["drop constraint c_a_b_fkey on public.c", "alter column public.c.a",
         "alter column public.t.a", "create constraint c_a_b_fkey on public.c"],
        id="both-ends-of-a-foreign-key-retyped",
    ),
    pytest.param(
        # Retyped on one end, the key is PostgreSQL's to rebuild: it holds before and
        # after, and widening a varchar needs no second look at the rows.
        "create table t (k varchar(10) primary key);"
        "create table c (k varchar(10) constraint c_k references t on delete cascade);"
        "comment on constraint c_k on c is 'owner';",
        "create table t (k text primary key);"
        "create table c (k varchar(10) constraint c_k references t on delete cascade);"
        "comment on constraint c_k on c is 'owner';",
        ["alter column public.t.k"],
        id="one-end-of-a-foreign-key-retyped-keeps-it",
    ),
    pytest.param(
        # OR REPLACE may change a default or add one: the view on the function stays.
        "create function f(a int, b int default 1, c int default 1) returns int"
        " language sql as 'select a + b + c'; create view v as select f(1) as x;",
        "create function f(a int, b int default 2, c int default 1) returns int"
        " language sql as 'select a + b + c'; create view v as select f(1) as x;",
        ["alter function public.f(a integer, b integer, c integer)"],
        id="function-default-changed-in-place",
    ),
    pytest.param(
        # Not remove one, nor rename an output parameter: dropped, with the view on it.
        "create function f(a int, b int default 1, out s int, out t int)"
        " language sql as 'select a + b, a'; create view v as select (f(1)).s as x;",
        "create function f(a int, b int, out s int, out u int)"
        " language sql as 'select a + b, a'; create view v as select (f(1, 1)).s as x;",
        ["drop view public.v", "drop function public.f(a integer, b integer, OUT s integer, OUT t integer)",
         "create function public.f(a integer, b integer, OUT s integer, OUT u integer)",
         "create view public.v"],
        id="function-default-removed-or-output-renamed-recreated",
    ),
    pytest.param(
        # DROP EXPRESSION keeps the values a stored generated column held.
        "create table t (a int, b int generated always as (a * 2) stored);",
        "create table t (a int, b int);",
        ["alter column public.t.b"],
        id="generated-column-made-plain-keeps-its-values",
    ),
    pytest.param(
        # ALTER CONSTRAINT changes when the key is checked, without checking its rows again.
        "create table p (id int primary key);"
        "create table t (a int constraint f references p on delete cascade);",
        "create table p (id int primary key);"
        "create table t (a int constraint f references p on delete cascade"
        " deferrable initially deferred);",
        ["alter constraint f on public.t"],
        id="foreign-key-made-deferrable-in-place",
    ),
    pytest.param(
        "create table n (id int primary key, parent int references n);"
        "comment on constraint n_parent_fkey on n is 'tree';",
        "create table n (id numeric primary key, parent numeric references n);"
        "comment on constraint n_parent_fkey on n is 'tree';",
        ["drop constraint n_parent_fkey on public.n", "alter column public.n.id",
         "alter column public.n.parent", "create constraint n_parent_fkey on public.n",
         "create comment on constraint n_parent_fkey on public.n"],
        id="self-referencing-key-retyped-on-both-ends",
    ),
    pytest.param(
        # A BEGIN ATOMIC body is parsed when created: PostgreSQL records what it reads and
        # will not retype a column under it.
        "create table t (a int); create function f() returns bigint language sql"
        " begin atomic select count(a) from t; end; create view v as select f();",
        "create table t (a bigint); create function f() returns bigint language sql"
        " begin atomic select count(a) from t; end; create view v as select f();",
        ["drop view public.v", "drop function public.f()", "alter column public.t.a",
         "create function public.f()", "create view public.v"],
        id="column-read-by-a-sql-standard-function-body-retyped",
    ),
    pytest.param(
        "create table t (a int, b int); create publication pb for table t (a) where (b > 0);",
        "create table t (a bigint, b int); create publication pb for table t (a) where (b > 0);",
        ["drop publication table public.t in pb", "alter column public.t.a",
         "create publication table public.t in pb"],
        id="column-of-a-publication-column-list-retyped",
    ),
    pytest.param(
        """create collation c1 (provider = libc, locale = 'C');
           create domain dname as text collate c1;
           create table t (id int, name text collate c1, d dname);
           create index t_name on t (name);
           create view v as select name from t;""",
        """create collation c1 (provider = libc, locale = 'POSIX');
           create domain dname as text collate c1;
           create table t (id int, name text collate c1, d dname);
           create index t_name on t (name);
           create view v as select name from t;""",
        ["drop view public.v", "drop index public.t_name", "alter domain public.dname",
         "alter collation public.c1", "create collation public.c1",
         "create domain public.dname", "alter column public.t.d", "alter column public.t.name",
         "create index public.t_name", "create view public.v",
         "drop domain public.dname__pgmt_old", "drop collation public.c1__pgmt_old"],
        id="collation-rebuilt-keeps-its-columns-rows",
    ),
    pytest.param(
        # PostgreSQL retypes no column a generated column reads: the generated column goes
        # first and comes back after, computed again (so nothing is lost).
        "create table t (a int, b numeric generated always as (a * 2) stored);",
        "create table t (a bigint, b numeric generated always as (a * 2) stored);",
        ["drop column public.t.b", "alter column public.t.a", "create column public.t.b"],
        id="column-read-by-a-generated-column-retyped",
    ),
    pytest.param(
        # On PostgreSQL 17 and later the partitions' column is marked identity too, with no
        # sequence of its own: reading it crashed.
        "create table p (id int not null, k int) partition by list (k);"
        "create table p1 partition of p for values in (1);",
        "create table p (id int generated always as identity, k int) partition by list (k);"
        "create table p1 partition of p for values in (1);",
        ["alter column public.p.id"],
        id="identity-column-of-a-partitioned-table",
    ),
    pytest.param(
        "create sequence s as bigint minvalue 1 maxvalue 1000 start with 1;",
        "create sequence s as bigint minvalue 10 maxvalue 100 start with 10 increment by 5 cycle;",
        None,
        id="sequence-range-narrowed",
    ),
    pytest.param(
        # No value is in both ranges: the sequence starts again, in the new one.
        "create sequence s as smallint; select nextval('s');",
        "create sequence s as integer increment by -1;",
        ["alter sequence public.s"],
        id="sequence-increment-sign-flipped",
    ),
    pytest.param(
        """create table t (id int, v int);
           create view src as select id, v from t;
           create materialized view mv as select * from src;
           create index mv_id on mv (id);""",
        """create table t (id int, v int);
           create view src as select id, v * 2 as v from t;
           create materialized view mv as select * from src;
           create index mv_id on mv (id);""",
        ["drop materialized view public.mv", "alter view public.src",
         "create materialized view public.mv", "create index public.mv_id"],
        id="matview-index-kept-when-source-view-changes",
    ),
    pytest.param(
        # CREATE OR REPLACE VIEW sets the options it names and resets the others: the
        # view on top stays.
        "create table t (a int); create view v with (security_barrier) as"
        " select a from t where a > 0; create view w as select * from v;",
        "create table t (a int); create view v with (security_invoker = true) as"
        " select a from t where a > 0 with cascaded check option; create view w as select * from v;",
        ["alter view public.v"],
        id="view-options-changed-in-place",
    ),
    pytest.param(
        'create schema "Odd ""Schema""";',
        '''create schema "Odd ""Schema""";
           create table "Odd ""Schema"""."Table ünïcode" ("select" int primary key, "Mixed Case" text);
           create view "Odd ""Schema"""."order" as select "select", "Mixed Case" from "Odd ""Schema"""."Table ünïcode";
           comment on column "Odd ""Schema"""."Table ünïcode"."Mixed Case" is 'it''s quoted';''',
        None,
        id="names-needing-quotes",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), SCENARIOS)
def test_scenario_converges(
    make_db: Callable[[], str], old: str, new: str, expected: list[str] | None
) -> None:
    """Both directions converge; where given, the forward plan is exactly `expected`."""
    forward = converge(make_db, old, new)
    if expected is not None:
        assert summary(forward.plan) == expected
    assert forward.replan.steps == []
    backward = converge(make_db, new, old)
    assert backward.replan.steps == []


def test_a_comment_on_a_domain_constraint_is_not_the_domains(
    make_db: Callable[[], str]
) -> None:
    """A domain's constraint has no key of its own: its comment goes with the domain and
    names the constraint, and the domain's own comment stays the domain's."""
    old = "create domain d as int constraint pos check (value > 0); comment on domain d is 'd';"
    new = old + "comment on constraint pos on domain d is 'positive';"
    plan = converge(make_db, old, new).plan
    assert [s.sql for s in plan.steps] == [
        "COMMENT ON CONSTRAINT pos ON DOMAIN public.d IS 'positive'"]
    assert converge(make_db, new, old).plan.steps[0].sql == \
        "COMMENT ON CONSTRAINT pos ON DOMAIN public.d IS NULL"
    created = [s.sql for s in converge(make_db, "", new).plan.steps]
    assert created[-2:] == ["COMMENT ON DOMAIN public.d IS 'd'",
                            "COMMENT ON CONSTRAINT pos ON DOMAIN public.d IS 'positive'"]


@pytest.mark.parametrize(("old", "new"), [
    pytest.param("create domain d as int constraint pos check (value > 0);",
                 "create domain d as int constraint pos check (value > 1);", id="changed"),
    pytest.param(
        "create function g(x int) returns int language sql immutable as $$ select x $$;"
        "create domain d as int constraint pos check (g(value) > 0);",
        "create function g(x int, y int default 0) returns int language sql immutable"
        " as $$ select x + y $$; create domain d as int constraint pos check (g(value) > 0);",
        id="around-a-replaced-function"),
])
def test_a_domain_constraint_added_again_gets_its_comment_back(
    make_db: Callable[[], str], old: str, new: str
) -> None:
    """Dropping a constraint drops its comment: the plan writes it again after the
    constraint is back, as a step forced by the domain."""
    comment = "comment on constraint pos on domain d is 'positive';"
    plan = converge(make_db, old + comment, new + comment).plan
    step = plan.steps[-1]
    assert (summary(plan)[-1], step.forced_by) == (
        "create comment on constraint pos on domain public.d", "type:public.d")
    assert step.sql == "COMMENT ON CONSTRAINT pos ON DOMAIN public.d IS 'positive'"


def test_types_over_a_rebuilt_enum_are_rebuilt_and_their_columns_kept(
    make_db: Callable[[], str]
) -> None:
    """A composite type with an attribute of the enum, a domain over that, and a range type
    over the enum are rebuilt aside as the enum is, their columns converted through their
    text form: nothing dropped (the seeded rows hold values of them)."""
    schema = ("create type mood as enum ({}); create type pair as (m mood, n int);"
              "create domain dpair as pair; create type span as range (subtype = mood);"
              "create table t (p pair, ps pair[], d dpair, s span);")
    for old, new in [("'sad', 'meh'", "'meh', 'sad'"), ("'meh', 'sad'", "'sad', 'meh'")]:
        plan = converge(make_db, schema.format(old), schema.format(new)).plan
        assert not any(step.destructive for step in plan.steps), plan.sql()
        assert {"alter column public.t.p", "alter column public.t.d",
                "alter column public.t.s"} <= set(summary(plan))
        assert summary(plan)[-4:] == [
            "drop range type public.span__pgmt_old", "drop domain public.dpair__pgmt_old",
            "drop type public.pair__pgmt_old", "drop enum public.mood__pgmt_old"]


@pytest.mark.parametrize(("old_type", "new_type", "rows", "expected"), [
    pytest.param("create type c as (a int, b int);", "create type c as (a int, b int, z int);",
                 "(array[row(1,2)::c, null, row(3,null)::c]), (null), ('{}'), ('[0:0]={\"(5,6)\"}')",
                 ['{"(1,2,)",NULL,"(3,,)"}', None, "{}", '[0:0]={"(5,6,)"}'],
                 id="composite-gains-an-attribute"),
    pytest.param("create type c as (a int, b text);", "create type c as (a bigint, b text);",
                 "(array[row(1,'x')::c])", ['{"(1,x)"}'], id="composite-attribute-retyped"),
    pytest.param("create domain c as int;", "create domain c as bigint;",
                 "(array[1,2]), (null)", ["{1,2}", None], id="domain-rebased"),
])
def test_an_array_column_of_a_rebuilt_type_keeps_its_elements(
    make_db: Callable[[], str], old_type: str, new_type: str, rows: str,
    expected: list[str | None]
) -> None:
    """An array of a rebuilt composite is converted element by element (a function of
    the session's own: a USING clause takes no subquery), an array of a rebuilt domain by
    a cast of the array; each element keeps its values, the array its bounds."""
    table = "create table t (k serial, x c[]);"
    source = make_db()
    load(source, old_type + table + f"insert into t (x) values {rows};")
    target = make_db()
    load(target, new_type + table)
    with connect(source) as conn:
        plan = make_plan(read_snapshot(conn), snapshot(target), source_conn=conn)
        apply_plan(conn, plan)
        assert make_plan(read_snapshot(conn), snapshot(target), source_conn=conn).steps == []
        converted = [r[0] for r in conn.execute("select x::text from t order by k")]
    assert converted == expected
    assert not any(step.destructive for step in plan.steps), plan.sql()


def test_a_multidimensional_array_of_a_rebuilt_composite_is_refused_with_nothing_changed(
    make_db: Callable[[], str]
) -> None:
    """Element by element conversion walks one dimension: a two-dimensional array stops
    the plan with the reason, and the table keeps its rows as they were."""
    table = "create table t (x c[]);"
    source, target = make_db(), make_db()
    load(source, "create type c as (a int);" + table + "insert into t values ('{{(1)},{(2)}}');")
    load(target, "create type c as (a int, b int);" + table)
    with connect(source) as conn:
        plan = make_plan(read_snapshot(conn), snapshot(target), source_conn=conn)
        with pytest.raises(ApplyError, match="multidimensional array"):
            apply_plan(conn, plan)
        assert conn.execute("select x::text from t").fetchall() == [('{{(1)},{(2)}}',)]


def test_a_domain_over_a_function_whose_signature_changed_keeps_its_columns(
    make_db: Callable[[], str]
) -> None:
    """The domain's check and default come off it while the function is replaced, and go
    back on after: the domain, and the column of it with its rows, stay."""
    domain = ("create domain d as int default g(1) check (g(value) >= 0);"
              "create table t (e d);")
    old = "create function g(x int) returns int language sql immutable as $$ select x $$;"
    new = ("create function g(x int, y int default 0) returns int language sql immutable"
           " as $$ select x + y $$;")
    plan = converge(make_db, old + domain, new + domain).plan
    assert summary(plan) == [
        "alter domain public.d", "alter domain public.d", "drop function public.g(x integer)",
        "create function public.g(x integer, y integer)", "alter domain public.d",
        "alter domain public.d"]
    assert not any(step.destructive for step in plan.steps)
    assert {step.forced_by for step in plan.steps if step.object_kind == "domain"} == \
        {"function:public.g(x integer)"}


def test_a_generated_columns_expression_changes_in_place_where_the_server_can(
    make_db: Callable[[], str], pg_server: PgServer
) -> None:
    """PostgreSQL 17 on sets a generated column's new expression in place: the view and the
    index on it stay. Before, the column is dropped and added (nothing lost: its values
    are computed again)."""
    schema = ("create table t (a int, b int generated always as (a * {}) stored);"
              "create view v as select b from t; create index t_b on t (b);")
    plan = converge(make_db, schema.format(2), schema.format(3)).plan
    if pg_server.major_version >= 17:
        assert [s.sql for s in plan.steps] == [
            "ALTER TABLE public.t ALTER COLUMN b SET EXPRESSION AS ((a * 3))"]
    else:
        assert summary(plan)[:3] == [
            "drop view public.v", "drop index public.t_b", "drop column public.t.b"]
    assert not any(step.destructive for step in plan.steps)


def test_a_virtual_generated_column_stays_virtual(
    make_db: Callable[[], str], pg_server: PgServer
) -> None:
    """PostgreSQL 18's virtual generated columns are read as such: one turned stored is
    a change, and one added or changed stays virtual."""
    if pg_server.major_version < 18:
        pytest.skip("virtual generated columns are PostgreSQL 18's")
    column = "b int generated always as (a * {}) {}"
    table = "create table t (a int, " + column + ");"
    plan = converge(make_db, table.format(2, "virtual"), table.format(2, "stored")).plan
    assert summary(plan) == ["drop column public.t.b", "create column public.t.b"]
    plan = converge(make_db, "create table t (a int);", table.format(3, "virtual")).plan
    assert [s.sql for s in plan.steps] == [
        "ALTER TABLE public.t ADD COLUMN b integer GENERATED ALWAYS AS ((a * 3)) VIRTUAL"]
    plan = converge(make_db, table.format(2, "virtual"), table.format(3, "virtual")).plan
    assert [s.sql for s in plan.steps] == [
        "ALTER TABLE public.t ALTER COLUMN b SET EXPRESSION AS ((a * 3))"]


def test_a_not_valid_not_null_is_kept_apart_from_a_valid_one(
    make_db: Callable[[], str], pg_server: PgServer
) -> None:
    """PostgreSQL 18's NOT NULL NOT VALID leaves a column that may hold nulls: it is not
    the column's NOT NULL (which would check every row), but a constraint of the table,
    validated when the column is to be NOT NULL."""
    if pg_server.major_version < 18:
        pytest.skip("NOT NULL NOT VALID is PostgreSQL 18's")
    nullable = "create table t (a int, b int);"
    not_valid = nullable + "alter table t add constraint nn not null a not valid;"
    plan = converge(make_db, nullable, not_valid).plan
    assert [s.sql for s in plan.steps] == [
        "ALTER TABLE public.t ADD CONSTRAINT nn NOT NULL a NOT VALID"]
    # Made NOT NULL by validating it: its rows are read without holding up the table.
    plan = converge(make_db, not_valid, "create table t (a int not null, b int);").plan
    assert [s.sql for s in plan.steps] == ["ALTER TABLE public.t VALIDATE CONSTRAINT nn"]
    # Dropped before its column.
    plan = converge(make_db, not_valid, "create table t (b int);").plan
    assert summary(plan) == ["drop constraint nn on public.t", "drop column public.t.a"]


NOT_NULL_FAMILY = "create table p (a int{}); create table c (b int) inherits (p);"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("", " not null", ["alter column public.p.a", "alter column public.c.a"]),
    (" not null no inherit", " not null",
     ["drop constraint p_a_not_null on public.p", "alter column public.p.a",
      "alter column public.c.a"]),
    (" not null", " not null no inherit",
     ["alter column public.p.a", "alter column public.c.a",
      "create constraint p_a_not_null on public.p"]),
    (" not null no inherit", "", ["drop constraint p_a_not_null on public.p"]),
], ids=["inherited", "no-inherit-to-inherited", "inherited-to-no-inherit", "no-inherit-dropped"])
def test_a_not_null_reaches_child_tables_or_not(
    make_db: Callable[[], str], pg_server: PgServer, old: str, new: str, expected: list[str]
) -> None:
    """A parent's NOT NULL changes before its children's (PostgreSQL 18 will not drop an
    inherited one); PostgreSQL 18's NOT NULL NO INHERIT, which stays off the children, is
    a constraint of the table, not the column's NOT NULL."""
    if "no inherit" in old + new and pg_server.major_version < 18:
        pytest.skip("NOT NULL NO INHERIT is PostgreSQL 18's")
    old_sql, new_sql = NOT_NULL_FAMILY.format(old), NOT_NULL_FAMILY.format(new)
    assert summary(converge(make_db, old_sql, new_sql).plan) == expected
    converge(make_db, new_sql, old_sql)


def test_a_foreign_key_stops_or_starts_being_enforced_in_place(
    make_db: Callable[[], str], pg_server: PgServer
) -> None:
    """PostgreSQL 18's ALTER CONSTRAINT … [NOT] ENFORCED, rather than dropping the key."""
    if pg_server.major_version < 18:
        pytest.skip("NOT ENFORCED is PostgreSQL 18's")
    keyed = ("create table p (id int primary key);"
             "create table c (pid int constraint f references p {});")
    forward = converge(make_db, keyed.format(""), keyed.format("deferrable not enforced")).plan
    assert [s.sql for s in forward.steps] == [
        "ALTER TABLE public.c ALTER CONSTRAINT f DEFERRABLE INITIALLY IMMEDIATE",
        "ALTER TABLE public.c ALTER CONSTRAINT f NOT ENFORCED"]
    back = converge(make_db, keyed.format("not enforced"), keyed.format("")).plan
    assert [s.sql for s in back.steps] == ["ALTER TABLE public.c ALTER CONSTRAINT f ENFORCED"]


def test_a_generated_column_dropped_to_come_back_loses_nothing(
    make_db: Callable[[], str]
) -> None:
    """Its values are computed from the other columns: dropping it is no data loss, and
    the step that says so says what forced it."""
    old = "create table t (a int, b numeric generated always as (a * 2) stored);"
    plan = converge(make_db, old, old.replace("a int", "a bigint")).plan
    drop = next(s for s in plan.steps if s.action == "drop")
    assert (drop.object_name, drop.hazards, drop.forced_by) == \
        ("public.t.b", [], "column:public.t.a")


PARTITIONED = """create table m (id int, k int) partition by range (k);
create table m1 partition of m for values from (0) to (10) partition by list (id);
create table m11 partition of m1 for values in (1);
create view v as select * from m;"""


@pytest.mark.parametrize(("column", "new_type", "expected"), [
    ("k", "bigint", ["drop view public.v", "drop table public.m", "create table public.m",
                     "create table public.m1", "create table public.m11",
                     "create view public.v"]),
    ("id", "bigint", ["drop view public.v", "drop table public.m1", "alter column public.m.id",
                      "create table public.m1", "create table public.m11",
                      "create view public.v"]),
], ids=["parent-key", "sub-partition-key"])
@pytest.mark.parametrize("key_is_expression", [False, True], ids=["column", "expression"])
def test_a_column_in_a_partition_key_is_retyped_by_making_the_table_again(
    make_db: Callable[[], str], column: str, new_type: str, expected: list[str],
    key_is_expression: bool,
) -> None:
    """PostgreSQL refuses to retype a column a partition key uses (the plan used to fail
    on it): the partitioned table whose key it is is made again, with its partitions,
    and the drop says it loses data. The sub-partitioned case shows the parent, whose key
    the column is not in, altered as usual."""
    old = PARTITIONED
    if key_is_expression:
        old = old.replace("range (k)", "range ((k + 1))").replace("list (id)", "list ((id * 2))") \
            .replace("in (1)", "in (2)")
    new = old.replace(f"{column} int", f"{column} {new_type}")
    forward = converge(make_db, old, new).plan
    assert summary(forward) == expected
    dropped_table = next(s for s in forward.steps if s.action == "drop" and s.object_kind == "table")
    assert dropped_table.hazards == ["data_loss"]
    assert summary(converge(make_db, new, old).plan) == expected


def test_a_type_rebuilt_under_a_partition_key_makes_the_table_again(
    make_db: Callable[[], str]
) -> None:
    """An enum that loses a value is rebuilt aside and its columns converted, but not a
    column a partition key uses: the table is made again (the enum case used to fail on
    apply)."""
    old = """create type mood as enum ('sad', 'ok', 'happy');
             create table m (id int, k mood) partition by list (k);
             create table m1 partition of m for values in ('sad');
             create table other (k mood);"""
    plan = converge(make_db, old, old.replace("'ok', ", "")).plan
    assert summary(plan) == [
        "drop table public.m", "alter enum public.mood", "create enum public.mood",
        "create table public.m", "create table public.m1", "alter column public.other.k",
        "drop enum public.mood__pgmt_old"]
    assert (plan.steps[0].hazards, plan.steps[0].forced_by) == (["data_loss"], "type:public.mood")


TRIGGERED = """create table t (a int);
create function f() returns trigger language plpgsql as $$begin return new; end$$;
create trigger tr before insert on t for each row when (new.a > 0) execute function f();
comment on trigger tr on t is 'checks a';"""


@pytest.mark.parametrize("state", ["", "alter table t disable trigger tr;"],
                         ids=["enabled", "disabled"])
def test_a_trigger_whose_events_or_condition_change_is_replaced_in_place(
    make_db: Callable[[], str], state: str
) -> None:
    """CREATE OR REPLACE TRIGGER: one statement, its comment kept; a replaced trigger fires
    on origin again, so a disabled one is disabled again after."""
    new = TRIGGERED.replace("before insert", "before insert or update") \
        .replace("new.a > 0", "new.a > 1") + state
    plan = converge(make_db, TRIGGERED + state, new).plan
    assert summary(plan) == ["alter trigger tr on public.t"] * (2 if state else 1)
    assert plan.steps[0].sql.startswith("CREATE OR REPLACE TRIGGER tr BEFORE INSERT OR UPDATE")
    assert plan.steps[-1].sql == ("ALTER TABLE public.t DISABLE TRIGGER tr" if state
                                  else plan.steps[0].sql)


NORMALISED = """create function norm(t text) returns text language sql immutable
    as $$ select lower(t) $$;
create table t (v text, n text generated always as (norm(v)) stored,
                exclude using btree ((norm(v) || '!') with =));
create index t_norm on t (norm(v));
create index t_partial on t (v) where norm(v) <> '';
create view w as select n from t;
insert into t (v) values ('Ab');"""


def test_what_was_computed_through_a_replaced_function_is_computed_again(
    make_db: Callable[[], str], pg_server: PgServer
) -> None:
    """An index over a function's result (its expression, its predicate, an exclusion
    constraint's), and a stored generated column calling it, hold what the old body
    computed: once the function is replaced they are made again (the column in place
    from PostgreSQL 17 on, so the view over it stays), not left stale."""
    new = NORMALISED.replace("select lower(t)", "select upper(t)")
    plan = converge(make_db, NORMALISED, new).plan
    in_place = pg_server.major_version >= 17
    column = ["alter column public.t.n"] if in_place else \
        ["drop column public.t.n", "create column public.t.n"]
    assert sorted(summary(plan)) == sorted([
        "alter function public.norm(t text)", "drop index public.t_norm",
        "create index public.t_norm", "drop index public.t_partial",
        "create index public.t_partial", "drop constraint t_expr_excl on public.t",
        "create constraint t_expr_excl on public.t", *column,
        *([] if in_place else ["drop view public.w", "create view public.w"])])
    assert [s for s in plan.steps if "data_loss" in s.hazards] == []  # computed, not lost
    dev = make_db()
    load(dev, NORMALISED)
    with connect(dev) as conn:
        apply_plan(conn, make_plan(read_snapshot(conn), snapshot(make_db_with(make_db, new)),
                                   source_conn=conn))
        conn.execute("SET enable_seqscan = off")
        assert conn.execute("SELECT n FROM t").fetchall() == [("AB",)]
        assert conn.execute("SELECT count(*) FROM t WHERE norm(v) = 'AB'").fetchone() == (1,)


def make_db_with(make_db: Callable[[], str], sql: str) -> str:
    url = make_db()
    load(url, sql)
    return url


INHERITANCE = [
    pytest.param(
        """create table base (created_at timestamp default now(), e integer);
           create table a (id integer) inherits (base);
           insert into a (id, e) values (1, 42);""",
        """create table base (created_at timestamp default now());
           create table a (id integer, e integer) inherits (base);
           insert into a (id, e) values (1, 42);""",
        "a",
        id="column-moves-from-parent-to-child",
    ),
    pytest.param(
        """create table base (id int, e int);
           create table keeps () inherits (base);
           create table loses () inherits (base);
           insert into keeps values (1, 42); insert into loses values (1, 7);""",
        """create table base (id int);
           create table keeps (e int) inherits (base);
           create table loses () inherits (base);
           insert into keeps values (1, 42); insert into loses values (1);""",
        "keeps",
        id="column-moves-to-one-child-of-two",
    ),
    pytest.param(
        """create table base (id int, e int);
           create table mid () inherits (base);
           create table leaf () inherits (mid);
           insert into leaf values (1, 42);""",
        """create table base (id int);
           create table mid () inherits (base);
           create table leaf (e int) inherits (mid);
           insert into leaf values (1, 42);""",
        "leaf",
        id="column-moves-to-a-grandchild",
    ),
]


@pytest.mark.parametrize("forward", [True, False], ids=["to-child", "to-parent"])
@pytest.mark.parametrize(("parent_side", "child_side", "table"), INHERITANCE)
def test_inherited_column_moves_keep_the_child_values(
    make_db: Callable[[], str], parent_side: str, child_side: str, table: str, forward: bool
) -> None:
    """A column moving between an inheritance parent and a child keeps the child's values."""
    urls: list[str] = []

    def remembering_make_db() -> str:
        urls.append(make_db())
        return urls[-1]

    old, new = (parent_side, child_side) if forward else (child_side, parent_side)
    result = converge(remembering_make_db, old, new)
    assert result.replan.steps == []
    with connect(urls[0]) as conn:
        row = conn.execute(f"select e from only {table} where id = 1").fetchone()
    assert row == (42,)


@pytest.mark.parametrize("child_declares_it", [True, False], ids=["merged", "inherited"])
def test_column_dropped_from_a_whole_hierarchy_goes_from_every_child(
    make_db: Callable[[], str], child_declares_it: bool
) -> None:
    """A child that declared the parent's column itself (merged: PostgreSQL keeps it when
    the parent's goes) loses it too when no table of the target has it, in one plan."""
    child_column = "e int" if child_declares_it else ""
    old = f"""create table base (id int, e int);
              create table child ({child_column}) inherits (base);
              create table grandchild () inherits (child);
              insert into grandchild values (1, 42);"""
    new = """create table base (id int);
             create table child () inherits (base);
             create table grandchild () inherits (child);
             insert into grandchild values (1);"""
    result = converge(make_db, old, new)
    assert result.replan.steps == []


def test_column_every_parent_drops_goes_from_a_child_of_several(
    make_db: Callable[[], str]
) -> None:
    """A child inheriting one column from two parents loses it, in one plan, when both
    parents drop it."""
    old = """create table p1 (id int, e int);
             create table p2 (id int, e int);
             create table child () inherits (p1, p2);
             insert into child values (1, 42);"""
    new = """create table p1 (id int);
             create table p2 (id int);
             create table child () inherits (p1, p2);
             insert into child values (1);"""
    result = converge(make_db, old, new)
    assert result.replan.steps == []


@pytest.mark.parametrize("gains", [True, False], ids=["gains-parent", "loses-parent"])
def test_existing_table_gains_or_loses_an_inheritance_parent(
    make_db: Callable[[], str], gains: bool
) -> None:
    alone = """create table base (id int, e int);
               create table child (x int);
               insert into child values (5);"""
    inheriting = """create table base (id int, e int);
                    create table child (x int) inherits (base);
                    insert into child (x) values (5);"""
    """Gaining a parent adds the parent's columns first (INHERIT refuses a child without
    them); losing one drops the columns it gave, which stay behind as the table's own."""
    old, new = (alone, inheriting) if gains else (inheriting, alone)
    result = converge(make_db, old, new)
    assert result.replan.steps == []
    assert any("INHERIT public.base" in step.sql for step in result.plan.steps)


_P = "create table p (a int constraint ck check (a > 0));"
_R = "create table r (k int not null, a int constraint ck check (a > 0)) partition by range (k);"
# A CHECK reaches a parent's children and partitions: inherited, or merged with one the
# child declares itself (which the catalog read counts as inherited: no statement can
# unmerge it). Each pair is planned both ways.
CHECKS_BELOW_A_PARENT = [
    pytest.param(_P + "create table c (x int);", _P + "create table c (x int) inherits (p);",
                 id="table-gains-a-parent-with-a-check"),
    pytest.param(_P + "create table c (a int constraint ck check (a > 0)) inherits (p);",
                 "create table p (a int); create table c (a int constraint ck check (a > 0)) "
                 "inherits (p);", id="parent-drops-it-the-merged-child-keeps-it"),
    pytest.param(_P + "create table c (a int constraint ck check (a > 0)) inherits (p);",
                 "create table p (a int); create table c (a int) inherits (p);",
                 id="parent-drops-it-the-merged-child-too"),
    pytest.param(_P + "create table c (a int constraint ck check (a > 0)) inherits (p);",
                 "create table p (a int constraint ck check (a > 1)); create table c () "
                 "inherits (p);", id="parent-changes-it-under-a-merged-child"),
    pytest.param(_P + "create table c () inherits (p);", _P + "create table c (a int);",
                 id="table-loses-the-parent"),
    pytest.param(_P + "create table c () inherits (p);",
                 _P + "create table c (a int constraint ck check (a > 0));",
                 id="table-loses-the-parent-keeps-the-check"),
    pytest.param(_P + "create table c (a int constraint ck check (a > 0)) inherits (p);"
                 "create table g (a int constraint ck check (a > 0)) inherits (c);",
                 "create table p (a int); create table c () inherits (p);"
                 "create table g (a int constraint ck check (a > 0)) inherits (c);",
                 id="grandchild-keeps-it"),
    pytest.param("create table p (a int constraint ck check (a > 0));"
                 "create table c (a int constraint ck check (a > -5));",
                 _P + "create table c () inherits (p);", id="own-check-differs-gains-parent"),
    pytest.param("create table gp (a int constraint ck check (a > 0));"
                 "create table p () inherits (gp); create table c (a int);",
                 "create table gp (a int constraint ck check (a > 0));"
                 "create table p () inherits (gp); create table c (a int) inherits (p);",
                 id="table-gains-a-grandparents-check"),
    pytest.param("create table p (a int); alter table p add constraint ck check (a > 0) not valid;"
                 "create table c (a int);",
                 "create table p (a int); alter table p add constraint ck check (a > 0) not valid;"
                 "create table c (a int) inherits (p);", id="gains-a-not-valid-check"),
    pytest.param("create table p (a int constraint ck check (a > 0) no inherit);"
                 "create table c (a int);",
                 "create table p (a int constraint ck check (a > 0) no inherit);"
                 "create table c (a int) inherits (p);", id="no-inherit-check-stays"),
    pytest.param("create table p (a int constraint ck check (a > 0));"
                 "create table q (a int constraint ck check (a > 0));"
                 "create table c (a int) inherits (p);",
                 "create table p (a int constraint ck check (a > 0));"
                 "create table q (a int constraint ck check (a > 0));"
                 "create table c (a int) inherits (p, q);", id="second-parent-same-check"),
    pytest.param("create table p (a int constraint ck check (a > 0));"
                 "create table q (a int constraint ck check (a > 0));"
                 "create table c (a int) inherits (p, q);",
                 "create table p (a int); create table q (a int constraint ck check (a > 0));"
                 "create table c (a int) inherits (p, q);", id="one-of-two-parents-drops-it"),
    pytest.param("create table p (a int constraint ck check (a > 0));"
                 "create table q (a int constraint ck check (a > 0));"
                 "create table c (a int constraint ck check (a > 0)) inherits (p, q);",
                 "create table p (a int); create table q (a int);"
                 "create table c (a int) inherits (p, q);", id="both-parents-drop-it"),
    pytest.param(_P + "create table c () inherits (p);"
                 "create table g (a int constraint ck check (a > 0)) inherits (c);",
                 _P + "create table c (a int); create table g (a int) inherits (c);",
                 id="middle-table-loses-the-parent"),
    pytest.param(_R + "create table r1 partition of r (constraint ck check (a > 0)) "
                 "for values from (0) to (10);",
                 "create table r (k int not null, a int) partition by range (k);"
                 "create table r1 partition of r (constraint ck check (a > 0)) "
                 "for values from (0) to (10);", id="partitioned-table-drops-it"),
    pytest.param(_R + "create table r1 partition of r (constraint ck check (a > 0)) "
                 "for values from (0) to (10);",
                 "create table r (k int not null, a int constraint ck check (a > 2)) "
                 "partition by range (k);"
                 "create table r1 partition of r for values from (0) to (10);",
                 id="partitioned-table-changes-it"),
    pytest.param(_R + "create table r1 (k int not null, a int);",
                 _R + "create table r1 partition of r for values from (0) to (10);",
                 id="table-attached-as-a-partition"),
    pytest.param(_R + "create table s (k int not null, a int constraint ck check (a > 1)) "
                 "partition by range (k); create table r1 partition of r for values from (0) "
                 "to (10);",
                 _R + "create table s (k int not null, a int constraint ck check (a > 1)) "
                 "partition by range (k); create table r1 partition of s for values from (0) "
                 "to (10);", id="partition-moves-to-another-parent"),
]


@pytest.mark.parametrize("forward", [True, False], ids=["forward", "back"])
@pytest.mark.parametrize(("old", "new"), CHECKS_BELOW_A_PARENT)
def test_checks_below_a_parent_converge(
    make_db: Callable[[], str], old: str, new: str, forward: bool
) -> None:
    """A parent's CHECKs reach its children as PostgreSQL requires: a table gaining a
    parent gets them first, one losing it drops them, a parent's CHECK dropped leaves
    no child a copy the target lacks."""
    result = converge(make_db, *((old, new) if forward else (new, old)))
    assert result.plan.steps, "each pair differs"
    assert result.replan.steps == []


_RANGE = ("create table u (id int primary key);"
          "create table r (k int not null, a int not null default 3 constraint ck check (a > 0),"
          " uid int references u, b text, primary key (k)) partition by range (k);"
          "create index r_b on r (b);")
# A table becoming a partition of a partitioned table (ATTACH), and back (DETACH).
ATTACH_DETACH = [
    pytest.param(_RANGE + "create table r1 (k int, a int, uid int, b text);",
                 _RANGE + "create table r1 partition of r for values from (0) to (10);",
                 id="bare-table"),
    pytest.param(_RANGE + "create table r1 (b text, k int, z int);",
                 _RANGE + "create table r1 partition of r for values from (0) to (10);",
                 id="columns-missing-extra-reordered"),
    pytest.param(_RANGE + "create table r1 (like r including all);",
                 _RANGE + "create table r1 partition of r for values from (0) to (10);",
                 id="like-the-parent-with-its-indexes"),
    pytest.param(_RANGE + "create table r1 partition of r for values from (0) to (10);"
                 "create table s (like r) partition by range (k);",
                 _RANGE + "create table s (like r) partition by range (k);"
                 "create table r1 partition of s for values from (0) to (10);",
                 id="moves-to-another-parent"),
    pytest.param(_RANGE + "create table r1 (k bigint, a int, uid int, b varchar(9));"
                 "create view v1 as select b from r1;",
                 _RANGE + "create table r1 partition of r for values from (0) to (10);"
                 "create view v1 as select b from r1;",
                 id="columns-retyped-under-a-view"),
    pytest.param("create table r (k int not null, b text) partition by range (k);"
                 "create index on r (b); create table r1 partition of r for values from (0) to (10)"
                 " partition by range (k); create table r11 (k int not null, b text);",
                 "create table r (k int not null, b text) partition by range (k);"
                 "create index on r (b); create table r1 partition of r for values from (0) to (10)"
                 " partition by range (k);"
                 "create table r11 partition of r1 for values from (0) to (5);",
                 id="sub-partition"),
]


@pytest.mark.parametrize("forward", [True, False], ids=["attach", "detach"])
@pytest.mark.parametrize(("standalone", "partition"), ATTACH_DETACH)
def test_a_table_attached_or_detached_converges(
    make_db: Callable[[], str], standalone: str, partition: str, forward: bool
) -> None:
    """ATTACH requires the parent's columns, NOT NULLs and CHECKs on the table first;
    DETACH leaves the partition what it had from its parent (cloned keys and foreign keys,
    attached indexes, CHECKs, columns), dropped where the target's table lacks them."""
    old, new = (standalone, partition) if forward else (partition, standalone)
    result = converge(make_db, old, new)
    verb = "ATTACH PARTITION" if forward else "DETACH PARTITION"
    assert any(verb in step.sql for step in result.plan.steps), result.plan.sql()
    assert not any(step.object_kind == "table" and step.action == "drop"
                   for step in result.plan.steps), result.plan.sql()


@pytest.mark.parametrize("forward", [True, False], ids=["forward", "back"])
def test_a_check_merged_into_a_childs_reads_as_inherited(
    make_db: Callable[[], str], forward: bool
) -> None:
    """A child declaring its parent's CHECK again reads as one that only inherits it:
    nothing to plan between the two (no statement makes a merged CHECK inherited only)."""
    merged = _P + "create table c (a int constraint ck check (a > 0)) inherits (p);"
    inherited = _P + "create table c () inherits (p);"
    result = converge(make_db, *((merged, inherited) if forward else (inherited, merged)))
    assert result.plan.steps == []


DEFAULT_PRIVILEGES = """
do $$ begin
    if not exists (select from pg_roles where rolname = 'pgmt_reader') then
        create role pgmt_reader;
    end if;
end $$;
alter default privileges in schema public grant select, insert on tables to pgmt_reader;
alter default privileges revoke execute on functions from public;
"""


@pytest.mark.parametrize(
    "new_objects",
    [
        pytest.param("create table t (id int); revoke insert on t from pgmt_reader;",
                      id="table-without-one-default-privilege"),
        pytest.param("create table t (id int); revoke all on t from pgmt_reader;",
                      id="table-without-any-default-privilege"),
        pytest.param("create function f() returns int language sql as 'select 1';"
                     "grant execute on function f() to public;",
                     id="function-given-back-what-the-defaults-revoke"),
    ],
)
def test_objects_created_under_default_privileges_converge(
    make_db: Callable[[], str], new_objects: str
) -> None:
    """What a new object gets from ALTER DEFAULT PRIVILEGES and the target lacks is
    taken back (or given back); planning again is empty, both ways."""
    forward = converge(make_db, DEFAULT_PRIVILEGES, DEFAULT_PRIVILEGES + new_objects)
    assert any(s.sql.startswith(("REVOKE", "GRANT")) for s in forward.plan.steps)
    assert forward.replan.steps == []
    assert converge(make_db, DEFAULT_PRIVILEGES + new_objects, DEFAULT_PRIVILEGES).replan.steps == []


# `varchar IN (…)` prints as one expression once parsed, and as another once that print
# is parsed: objects pgmt created from a shadow's print must still plan as unchanged.
VARCHAR_IN = [
    pytest.param("create domain st as varchar(10) check (value in ('a', 'b'));",
                 id="domain-check"),
    pytest.param("create table t (s varchar(10));"
                 "create view v as select s from t where s in ('x', 'y');",
                 id="view"),
    pytest.param("create table t (s varchar(10));"
                 "create materialized view mv as select s from t where s in ('x', 'y');",
                 id="materialized-view"),
    pytest.param("create table t (s varchar(10));"
                 "create trigger trg before insert on t for each row when (new.s in ('x', 'y'))"
                 " execute function suppress_redundant_updates_trigger();",
                 id="trigger-when"),
    pytest.param("create table t (s varchar(10), n int);"
                 "create statistics stx on (s in ('x', 'y')), n from t;",
                 id="statistics-expression"),
    pytest.param("create table t (s varchar(10)); create table u (s varchar(10));"
                 "create rule r as on insert to t where new.s in ('x', 'y')"
                 " do also insert into u values (new.s);",
                 id="rule-where"),
    pytest.param("create table t (s varchar(10),"
                 " g boolean generated always as (s in ('x', 'y')) stored);",
                 id="generated-column"),
    pytest.param("create table t (s varchar(10)) partition by list ((s in ('x', 'y')));",
                 id="partition-key"),
    pytest.param("create table t (s varchar(10),"
                 " constraint ex exclude using btree ((s in ('x', 'y')) with =));",
                 id="exclusion-constraint"),
    pytest.param("create table t (s varchar(10), constraint ck check (s in ('x', 'y')));"
                 "create index i on t ((s in ('x', 'y'))) where s in ('a', 'b');"
                 "alter table t enable row level security;"
                 "create policy p on t using (s in ('x', 'y')) with check (s in ('x'));",
                 id="check-index-policy"),
    pytest.param("create function f(s varchar) returns boolean language sql"
                 " return s in ('x', 'y');",
                 id="sql-standard-function-body"),
    pytest.param("create table t (s varchar(10),"
                 " b boolean default (current_user::varchar(10) in ('x', 'y')));",
                 id="default"),
]


@pytest.mark.parametrize("schema", VARCHAR_IN)
def test_definitions_printed_unlike_they_parse_plan_once(
    make_db: Callable[[], str], schema: str
) -> None:
    """Created from nothing, then planned again against the schema: nothing to do."""
    result = converge(make_db, "", schema)
    assert result.replan.steps == []


@pytest.mark.parametrize("schema", [p for p in VARCHAR_IN if "table t " in p.values[0]])
def test_asking_a_live_database_how_it_reads_a_definition_waits_for_none_of_its_traffic(
    make_db: Callable[[], str], schema: str
) -> None:
    """What a probe adds to a table it adds to an empty copy: with a write in flight on the
    table (and a lock_timeout to fail on, rather than hang), planning again is still empty."""
    dev, wanted = make_db(), make_db()
    load(wanted, schema)
    target = snapshot(wanted)
    with connect(dev) as conn:  # made by pgmt, from the definitions as PostgreSQL prints them
        apply_plan(conn, make_plan(read_snapshot(conn), target, source_conn=conn))
    with connect(dev, autocommit=True) as writer, connect(dev, autocommit=True) as conn:
        writer.execute("BEGIN; LOCK TABLE t IN ROW EXCLUSIVE MODE")  # an INSERT, say
        conn.execute("SET lock_timeout = '2s'")
        plan = make_plan(read_snapshot(conn), target, source_conn=conn)
    assert summary(plan) == []


PROBER = "pgmt_prober"  # may read the test's tables, and create nothing in its schemas


@pytest.mark.parametrize("schema", VARCHAR_IN)
def test_asking_a_database_how_it_reads_a_definition_needs_no_more_than_reading_it(
    make_db: Callable[[], str], schema: str
) -> None:
    """Every probe object is temporary: a role that may read the source and make temporary
    objects, as every role may, is enough to ask through; planning again with it is
    empty."""
    dev, wanted = make_db(), make_db()
    load(wanted, f"""
        do $$ begin
            if not exists (select from pg_roles where rolname = '{PROBER}') then
                create role {PROBER} login;
            end if;
        end $$;
        {schema}
        grant select on all tables in schema public to {PROBER};""")
    target = snapshot(wanted)
    with connect(dev) as conn:  # made by pgmt, from the definitions as PostgreSQL prints them
        apply_plan(conn, make_plan(read_snapshot(conn), target, source_conn=conn))
    with connect(dev) as conn, connect(make_conninfo(dev, user=PROBER)) as prober:
        assert prober.execute("SELECT has_schema_privilege('public', 'CREATE')").fetchone() \
            == (False,)
        plan = make_plan(read_snapshot(conn), target, source_conn=prober)
    assert summary(plan) == []


def test_a_partition_key_printed_unlike_it_parses_does_not_recreate_its_table(
    make_db: Callable[[], str]
) -> None:
    """Only what really changes is planned: RLS enabled, not the table dropped because its
    key prints differently once parsed again."""
    keyed = "create table t (s varchar(10)) partition by list ((s in ('x', 'y')));"
    dev, built, wanted = make_db(), make_db(), make_db()
    load(built, keyed)
    load(wanted, keyed + "alter table t enable row level security;")
    with connect(dev) as conn:  # made by pgmt, from the key as PostgreSQL prints it
        apply_plan(conn, make_plan(read_snapshot(conn), snapshot(built), source_conn=conn))
        plan = make_plan(read_snapshot(conn), snapshot(wanted), source_conn=conn)
    assert summary(plan) == ["alter table public.t"]
