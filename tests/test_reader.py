"""What the catalog reader prints depends on the catalog alone, not on how the server,
the database or the role is configured: two databases built from the same SQL read the
same, so they plan as identical without asking either server anything."""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
import pytest
from convergence import load, snapshot
from psycopg import sql

from pgmt.catalog import reader
from pgmt.catalog.reader import QUERIES, census, query
from pgmt.engine import make_plan
from pgmt.errors import UnsupportedObjects
from pgmt.postgres import connect

CONSTANTS = """
create table t (
    d date default '2020-01-02',
    ts timestamptz default '2020-01-02 03:04:05+00',
    t timestamp default '2020-01-02 03:04:05',
    i interval default '1 day 02:03:04',
    f float8 default 0.1,
    b bytea default '\\x0102'
);
create view v as select d, ts, i from t where ts > '2001-02-03 04:05:06+00' and i < '1 year';
"""


def test_database_settings_do_not_change_what_is_read(make_db: Callable[[], str]) -> None:
    """Dates, times, intervals, floats and bytes print the same under any DateStyle,
    TimeZone, IntervalStyle, extra_float_digits and bytea_output a database sets."""
    plain, configured = make_db(), make_db()
    load(plain, CONSTANTS)
    load(configured, CONSTANTS)
    with connect(configured, autocommit=True) as conn:
        name = sql.Identifier(conn.info.dbname)
        for setting, value in (("timezone", "Asia/Tokyo"), ("datestyle", "SQL, DMY"),
                               ("intervalstyle", "sql_standard"),
                               ("extra_float_digits", "-3"), ("bytea_output", "escape")):
            conn.execute(sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                name, sql.Identifier(setting), sql.Literal(value)))
    expected, found = snapshot(plain), snapshot(configured)
    assert found.objects == expected.objects
    assert make_plan(found, expected).steps == []


def test_the_read_runs_with_its_own_settings_and_leaves_the_session_s_alone(
    make_db: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside the read's transaction: read-only repeatable read, an empty search_path,
    work_mem raised and JIT off, whatever the session set; after it, the session's own
    settings again."""
    url = make_db()
    load(url, "create table t (id int primary key);")
    seen: dict[str, str] = {}
    census = reader.census

    def census_noting_settings(conn: psycopg.Connection) -> dict[str, bool]:
        row = conn.execute("SELECT current_setting('transaction_isolation'), "
                           "current_setting('transaction_read_only'), "
                           "current_setting('search_path'), current_setting('work_mem'), "
                           "current_setting('jit')").fetchone()
        assert row is not None
        seen.update(zip(("isolation", "read_only", "search_path", "work_mem", "jit"), row, strict=True))
        return census(conn)

    monkeypatch.setattr(reader, "census", census_noting_settings)
    with connect(url) as conn:
        conn.execute("SET jit = on; SET work_mem = '1MB'")
        conn.commit()
        assert reader.read_snapshot(conn).objects
        after = conn.execute("SELECT current_setting('jit'), current_setting('work_mem')"
                             ).fetchone()
    assert seen == {"isolation": "repeatable read", "read_only": "on", "search_path": "",
                    "work_mem": "64MB", "jit": "off"}
    assert after == ("on", "1MB")


@pytest.mark.parametrize(("sql", "found"), [
    pytest.param("create access method heap2 type table handler heap_tableam_handler;",
                 "access method heap2", id="access-method"),
    pytest.param("create conversion latin_to_utf8 for 'LATIN1' to 'UTF8' from iso8859_1_to_utf8;",
                 "conversion public.latin_to_utf8", id="conversion"),
    pytest.param("create language plsample handler plpgsql_call_handler;",
                 "language plsample", id="language"),
    pytest.param("create subscription sub connection 'dbname=nowhere' publication pub"
                 " with (connect = false);", "subscription sub", id="subscription"),
])
def test_a_kind_pgmt_does_not_read_fails_the_read_by_name(
    make_db: Callable[[], str], sql: str, found: str
) -> None:
    url = make_db()
    load(url, sql)
    try:
        with pytest.raises(UnsupportedObjects, match=found):
            snapshot(url)
    finally:
        if sql.startswith("create subscription"):  # it outlives DROP DATABASE otherwise
            load(url, "alter subscription sub set (slot_name = none); drop subscription sub;")


def test_comments_an_extension_made_on_its_objects_are_not_the_extension_s(
    make_db: Callable[[], str],
) -> None:
    """cube's script comments on its type and functions. Those objects are the extension's
    (a dependency on one is a dependency on it), but their comments are not comments on
    the extension: only its own (from its control file, or COMMENT ON EXTENSION) is."""
    url = make_db()
    load(url, "create extension cube;")

    def extension_comments() -> list[tuple[str, str]]:
        return [(o.key, o.spec.text) for o in snapshot(url).objects
                if o.key.startswith("comment:extension:")]

    assert extension_comments() == [
        ("comment:extension:cube", "data type for multidimensional cubes")]
    load(url, "comment on extension cube is 'n-dimensional boxes';")
    assert extension_comments() == [("comment:extension:cube", "n-dimensional boxes")]


def test_extension_members_are_left_out_whether_or_not_the_check_is_planned_away(
    make_db: Callable[[], str],
) -> None:
    """With no extension of the user's, the census says no object can be an extension's
    and the queries skip that check; with one, its objects (here cube's type, functions
    and operators, in schema public) stay out of the snapshot."""
    url = make_db()
    load(url, "create table t (id int primary key);")
    with connect(url) as conn:
        assert census(conn)["extension_members"] is False
    without = snapshot(url)
    assert any(o.key == "table:public.t" for o in without.objects)
    load(url, "create extension cube;")
    with connect(url) as conn:
        assert census(conn)["extension_members"] is True
    keys = {o.key for o in snapshot(url).objects}
    assert keys - {o.key for o in without.objects} == {
        "extension:cube", "comment:extension:cube"}


# One object of every kind the census may find absent (security labels need a label
# provider, which no server here loads).
EVERY_SKIPPABLE_KIND = """
create function add_n(numeric, numeric) returns numeric language sql immutable as $$ select $1 + $2 $$;
create aggregate total(numeric) (sfunc = add_n, stype = numeric);
create type mt;
create function mt_in(cstring) returns mt as 'textin' language internal immutable strict;
create function mt_out(mt) returns cstring as 'textout' language internal immutable strict;
create type mt (input = mt_in, output = mt_out, like = text);
create type pair as (a int, b int);
create function pair_text(pair) returns text language sql immutable as $$ select $1.a || ',' || $1.b $$;
create cast (pair as text) with function pair_text(pair);
create collation c1 (provider = libc, locale = 'C');
create function log_ddl() returns event_trigger language plpgsql as $$ begin null; end $$;
create event trigger et on ddl_command_end execute function log_ddl();
create foreign data wrapper w;
create server s foreign data wrapper w;
create foreign table ft (a int options (column_name 'x')) server s;
create function same_len(text, text) returns boolean language sql immutable
    as $$ select length($1) = length($2) $$;
create operator === (function = same_len, leftarg = text, rightarg = text);
create operator family fam using hash;
create function len_hash(text) returns int language sql immutable as $$ select length($1) $$;
create operator class len_ops for type text using hash family fam as
    operator 1 ===, function 1 len_hash(text);
create table t (id int primary key, a int, b int);
create table log (id int);
create schema pubs;
create publication p for table t;
create publication ps for tables in schema pubs;
create rule r as on delete to t do instead nothing;
create statistics st on a, b from t;
create text search dictionary stem (template = snowball, language = 'english');
create table typed of pair;
alter table log replica identity full;
alter default privileges grant select on tables to public;
create sequence sq;
create policy pol on t using (true);
"""


def _census_and_counts(url: str) -> tuple[dict[str, bool], dict[str, int]]:
    with connect(url) as conn:
        found = census(conn)
        found.pop("extension_members")
        # $1 false: the extension-member checks run, as when an extension exists.
        counts = {name: conn.execute(
                      f"SELECT count(*) FROM ({query(name).replace('$1', 'false')}) q"
                  ).fetchone()[0] for name in found}
    return found, counts


def test_the_census_finds_every_kind_whose_query_it_lets_the_reader_skip(
    make_db: Callable[[], str]
) -> None:
    """A query is skipped only where the census says its catalog holds nothing: wherever
    the query finds a row, the census must have said so (and on an empty database it says
    nothing is there, so the skip happens)."""
    url = make_db()
    load(url, EVERY_SKIPPABLE_KIND)
    said, counts = _census_and_counts(url)
    assert set(said) <= set(QUERIES)
    for name, found in counts.items():
        if name != "security_labels":
            assert found > 0, f"the test schema has no {name}"
        assert said[name] or found == 0, f"the census missed {name}"

    said, counts = _census_and_counts(make_db())
    assert not any(said.values()), said
    assert not any(counts.values()), counts

    # An identity column's sequence is the column's: no sequence for sequences.sql to read.
    url = make_db()
    load(url, "create table t (id int generated always as identity primary key);")
    said, counts = _census_and_counts(url)
    assert counts["sequences"] == 0 and not said["sequences"], (said, counts)


def _replace_query(monkeypatch: pytest.MonkeyPatch, name: str, sql: str) -> None:
    """The reader sends `sql` in place of the catalog query `name`."""
    original = reader.query
    monkeypatch.setattr(reader, "query", lambda n: sql if n == name else original(n))


def _break_step(monkeypatch: pytest.MonkeyPatch, step: str, error: type[BaseException]) -> None:
    """The builder's `step` raises `error` instead of building."""
    def broken(self: object) -> None:
        raise error("the builder broke")
    monkeypatch.setattr(reader._Builder, step, broken)


@pytest.mark.parametrize("failing", ["a query", "the builder"])
def test_a_read_that_fails_midway_leaves_the_connection_usable(
    make_db: Callable[[], str], monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """Queries go out at once and are read as the builder asks for them: when one fails
    or the builder does, the rest are still read off the connection, so the error is the
    one raised, and the same connection reads again as if nothing had happened."""
    url = make_db()
    load(url, "create table t (id int primary key, n int check (n > 0));"
              "create index t_n on t (n); create view v as select n from t;")
    expected = snapshot(url)
    error: type[BaseException]
    if failing == "a query":
        _replace_query(monkeypatch, "indexes", "SELECT 1 / 0")
        error = psycopg.errors.DivisionByZero
    else:
        error = RuntimeError
        _break_step(monkeypatch, "indexes", error)
    with connect(url) as conn:
        with pytest.raises(error):
            reader.read_snapshot(conn)
        monkeypatch.undo()
        assert conn.pgconn.pipeline_status == psycopg.pq.PipelineStatus.OFF
        assert reader.read_snapshot(conn) == expected


def test_a_read_the_builder_gives_up_on_does_not_wait_for_the_server(
    make_db: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the builder fails (or the user interrupts) while queries are still running,
    they are cancelled rather than waited for."""
    url = make_db()
    _replace_query(monkeypatch, "dependencies", "SELECT pg_sleep(60)")
    _break_step(monkeypatch, "schemas", KeyboardInterrupt)
    with connect(url) as conn:
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            reader.read_snapshot(conn)
        assert time.monotonic() - started < 30
        assert conn.execute("SELECT 1").fetchone() == (1,)


INDEX_SHAPES = """
create schema "Odd Schema";
create type mood as enum ('ok', 'meh');
create domain posint as int check (value > 0);
create table "Odd Schema"."Odd Table" (
    "Select" int, "ünï" text collate "C", v varchar(10), m mood, d posint, p point,
    j jsonb, ts timestamptz, doc tsvector, b box
);
create index plain on "Odd Schema"."Odd Table" ("Select");
create unique index "Unique One" on "Odd Schema"."Odd Table" ("Select");
create index descending on "Odd Schema"."Odd Table" ("Select" desc);
create index desc_nulls_last on "Odd Schema"."Odd Table" ("Select" desc nulls last);
create index desc_nulls_first on "Odd Schema"."Odd Table" ("Select" desc nulls first);
create index asc_nulls_first on "Odd Schema"."Odd Table" ("Select" nulls first);
create index explicit_default_opclass on "Odd Schema"."Odd Table" ("Select" int4_ops);
create index column_collation on "Odd Schema"."Odd Table" ("ünï");
create index same_collation on "Odd Schema"."Odd Table" ("ünï" collate "C");
create index other_collation on "Odd Schema"."Odd Table" ("ünï" collate "POSIX");
create index pattern_ops on "Odd Schema"."Odd Table" ("ünï" text_pattern_ops);
create index on_varchar on "Odd Schema"."Odd Table" (v);
create index on_enum on "Odd Schema"."Odd Table" (m);
create index on_domain on "Odd Schema"."Odd Table" (d);
create index hashed on "Odd Schema"."Odd Table" using hash ("Select");
create index gist_box on "Odd Schema"."Odd Table" using gist (b);
create index spgist_point on "Odd Schema"."Odd Table" using spgist (p);
create index gin_jsonb on "Odd Schema"."Odd Table" using gin (j);
create index gin_path_ops on "Odd Schema"."Odd Table" using gin (j jsonb_path_ops);
create index brin_ts on "Odd Schema"."Odd Table" using brin (ts);
create index gist_options on "Odd Schema"."Odd Table" using gist (doc tsvector_ops (siglen = 100));
create unique index not_distinct on "Odd Schema"."Odd Table" ("Select") nulls not distinct;
create index with_fillfactor on "Odd Schema"."Odd Table" ("Select") with (fillfactor = 70);
create index with_include on "Odd Schema"."Odd Table" ("Select") include (v);
create index two_columns on "Odd Schema"."Odd Table" ("Select", ts desc);
create index on_expression on "Odd Schema"."Odd Table" (lower("ünï"));
create index partial on "Odd Schema"."Odd Table" ("Select") where "Select" > 0;
create table parted (k int, n int) partition by range (k);
create table parted_1 partition of parted for values from (0) to (10);
create index parted_n on parted (n);
create index parted_1_k on parted_1 (k);
create materialized view mv as select "Select" as s from "Odd Schema"."Odd Table";
create index mv_s on mv (s desc);
"""

# Put together by indexes.sql itself; every other shape goes to pg_get_indexdef.
ASSEMBLED = {
    '"Odd Schema".plain', '"Odd Schema"."Unique One"', '"Odd Schema".descending',
    '"Odd Schema".desc_nulls_last', '"Odd Schema".desc_nulls_first',
    '"Odd Schema".asc_nulls_first', '"Odd Schema".explicit_default_opclass',
    '"Odd Schema".column_collation', '"Odd Schema".same_collation', '"Odd Schema".hashed',
    '"Odd Schema".gist_box', '"Odd Schema".spgist_point', '"Odd Schema".gin_jsonb',
    '"Odd Schema".brin_ts', "public.parted_1_k", "public.mv_s",
}


def test_indexes_read_as_pg_get_indexdef_prints_them(make_db: Callable[[], str]) -> None:
    """indexes.sql puts the definition of a one-column index together itself: for every
    shape it does that for, it prints what pg_get_indexdef prints, and it leaves every
    other shape to pg_get_indexdef."""
    url = make_db()
    load(url, INDEX_SHAPES)
    assembled_only = query("indexes").replace("ELSE pg_get_indexdef(objid)", "ELSE NULL")
    assert assembled_only != query("indexes")
    assembled_only = assembled_only.replace("$1", "true")  # no extension here
    with connect(url) as conn:
        conn.execute(reader.PINNED_SETTINGS)
        rows = conn.execute(f"SELECT name, definition, pg_get_indexdef(objid) "
                            f"FROM ({assembled_only}) q").fetchall()
    assembled = {name for name, definition, _ in rows if definition is not None}
    assert assembled == ASSEMBLED
    for name, definition, printed in rows:
        assert definition in (None, printed), name
    assert {i.spec.definition for i in snapshot(url).objects if i.key.startswith("index:")} \
        == {printed for _, _, printed in rows}


def test_a_query_s_rows_are_handed_over_once(
    make_db: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader frees each query's rows once the builder has had them: a builder step
    asking twice is told so, rather than getting no rows the second time."""
    url = make_db()
    load(url, "create table t (id int primary key);")

    def twice(self: reader._Builder) -> None:
        self.rows.tuples("indexes")
        self.rows.tuples("indexes")
    monkeypatch.setattr(reader._Builder, "indexes", twice)
    with connect(url) as conn:
        with pytest.raises(RuntimeError, match=r"indexes\.sql were already handed over"):
            reader.read_snapshot(conn)
        monkeypatch.undo()
        assert reader.read_snapshot(conn) == snapshot(url)
