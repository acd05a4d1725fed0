"""Schema files: finding them, ordering them, building them, and reporting their errors."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from files import write_files

from pgmt.errors import SchemaFileError
from pgmt.postgres import connect
from pgmt.postgres.scratch import random_name
from pgmt.schema_files import build_schema, load_schema, shadow_snapshot


def keys(admin_url: str, schema: Path) -> set[str]:
    return {o.key for o in shadow_snapshot(admin_url, schema).objects}


def relations_by_age(url: str) -> list[str]:
    with connect(url) as conn:
        rows = conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "AND relkind = 'r' ORDER BY oid"
        ).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"a_views/v.sql": "CREATE VIEW v AS SELECT id FROM t;\n",
                      "b_tables/t.sql": "CREATE TABLE t (id int);\n"},
                     {"table:public.t", "view:public.v"},
                     id="a view sorted before its table still builds"),
        pytest.param({"1.sql": "CREATE VIEW s.v AS SELECT s.f() AS x;\n",
                      "2.sql": "CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'SELECT 1';\n",
                      "3.sql": "CREATE SCHEMA s;\n"},
                     {"schema:s", "view:s.v"},
                     id="a chain of missing schema and function resolves over rounds"),
        pytest.param({"a.sql": "CREATE TABLE t (id int REFERENCES p (k));\n",
                      "b.sql": "CREATE TABLE p (k int);\n",
                      "c.sql": "ALTER TABLE p ADD UNIQUE (k);\n"},
                     {"table:public.t", "table:public.p"},
                     id="a foreign key waits for the unique key another file adds"),
    ],
)
def test_builds_without_headers(pg_server, tmp_path: Path, files: dict[str, str],
                                expected: set[str]) -> None:
    assert expected <= keys(pg_server.admin_url, write_files(tmp_path, files))


@pytest.mark.parametrize(
    ("files", "order"),
    [
        pytest.param({"a.sql": "-- require: b.sql\nCREATE TABLE a (x int);\n",
                      "b.sql": "CREATE TABLE b (x int);\n"},
                     ["b", "a"], id="a require runs its target first"),
        pytest.param({"sub/a.sql": "-- tables\n-- require: b.sql, ../c.sql\n\nCREATE TABLE a ();\n",
                      "sub/b.sql": "CREATE TABLE b ();\n", "c.sql": "CREATE TABLE c ();\n"},
                     ["c", "b", "a"], id="targets may be relative to the requiring file"),
        pytest.param({"a.sql": "-- require: x/c.sql\nCREATE TABLE a ();\n",
                      "b.sql": "CREATE TABLE b ();\n", "x/c.sql": "CREATE TABLE c ();\n"},
                     ["b", "c", "a"], id="targets are relative to the schema root"),
        pytest.param({"a.sql": "CREATE TABLE a ();\n-- require: b.sql\n",
                      "b.sql": "CREATE TABLE b ();\n"},
                     ["a", "b"], id="a require after the first statement is not a header"),
    ],
)
def test_require_orders_files(db_url: str, tmp_path: Path, files: dict[str, str],
                              order: list[str]) -> None:
    with connect(db_url, autocommit=True) as conn:
        build_schema(conn, load_schema(write_files(tmp_path, files)))
    assert relations_by_age(db_url) == order


@pytest.mark.parametrize(
    ("files", "message"),
    [
        pytest.param({"a.sql": "-- about a\n-- require: nope.sql\nCREATE TABLE a ();\n"},
                     "a.sql:2: requires nope.sql, which is not among the schema files",
                     id="a missing require target names file and line"),
        pytest.param({"a.sql": "-- require: b.sql\n", "b.sql": "-- require: a.sql\n"},
                     "b.sql:1: require cycle: a.sql -> b.sql -> a.sql",
                     id="a require cycle is named"),
        pytest.param({"a.sql": "-- require: a.sql\n"}, "a.sql:1: require cycle: a.sql -> a.sql",
                     id="a file requiring itself is a cycle"),
    ],
)
def test_require_errors(tmp_path: Path, db_url: str, files: dict[str, str], message: str) -> None:
    with pytest.raises(SchemaFileError) as raised, connect(db_url, autocommit=True) as conn:
        build_schema(conn, load_schema(write_files(tmp_path, files)))
    assert raised.value.message.endswith(message)
    assert raised.value.hint


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param("CREATE TABLE a (id int);\n\nCREATE TABEL b (id int);\n", 3,
                     'syntax error at or near "TABEL"', id="a syntax error on line 3"),
        pytest.param("-- été\nCREATE TABLE a (id int);\nCREATE TABLE b (x nosuchtype);\n", 3,
                     'type "nosuchtype" does not exist',
                     id="a missing type, after retries, with multibyte text before it"),
        pytest.param("CREATE TABLE a (id int);\nCREATE VIEW v AS\n  SELECT nope FROM a;\n", 3,
                     'column "nope" does not exist', id="a missing column inside a view"),
        pytest.param("CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int\n"
                     "LANGUAGE sql AS $$\nSELECT count(*)::int\nFROM missing$$;\n", 5,
                     'relation "missing" does not exist', id="an error inside a function body"),
    ],
)
def test_sql_error_reports_file_and_line(pg_server, tmp_path: Path, text: str, line: int,
                                         message: str) -> None:
    write_files(tmp_path, {"ok.sql": "CREATE TABLE ok ();\n", "bad/t.sql": text})
    with pytest.raises(SchemaFileError) as raised:
        shadow_snapshot(pg_server.admin_url, tmp_path)
    assert raised.value.message.startswith(f"{tmp_path / 'bad' / 't.sql'}:{line}: {message}")
    assert raised.value.hint


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        pytest.param("CREATE TABLE t ();\nGRANT SELECT ON t TO pgmt_no_such_role;\n",
                     'role "pgmt_no_such_role" does not exist', "create role pgmt_no_such_role",
                     id="a missing role says roles come first"),
        pytest.param("CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
                     "cannot run inside a transaction block", "without CONCURRENTLY",
                     id="a statement that cannot run in a transaction"),
        pytest.param("CREATE TABLE t ();\nCOMMIT;\n", "ends the transaction", "transaction",
                     id="transaction control in a file"),
        pytest.param("CREATE TABLE t ();\nCOMMIT;\nCREATE TABLE u (x nosuchtype);\n",
                     "ends the transaction", "transaction",
                     id="transaction control, then a failing statement"),
        pytest.param("CREATE TABLE p (id int PRIMARY KEY);\n"
                     "CREATE TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED);\n"
                     "INSERT INTO c VALUES (1);\n",
                     'violates foreign key constraint "c_p_fkey"', "fix the statement",
                     id="a deferred constraint failing at commit is the file's error"),
    ],
)
def test_errors_with_hints(pg_server, tmp_path: Path, text: str, message: str,
                           hint: str) -> None:
    write_files(tmp_path, {"t.sql": text})
    with pytest.raises(SchemaFileError) as raised:
        shadow_snapshot(pg_server.admin_url, tmp_path)
    assert message in raised.value.message
    assert hint in (raised.value.hint or "")


def test_a_failing_file_leaves_nothing_of_itself(db_url: str, tmp_path: Path) -> None:
    """A file builds whole or not at all: its statements before the error are undone."""
    write_files(tmp_path, {"a.sql": "CREATE TABLE a ();\nCREATE TABLE b (x nosuch);\n"})
    with pytest.raises(SchemaFileError), connect(db_url, autocommit=True) as conn:
        build_schema(conn, load_schema(tmp_path))
    assert relations_by_age(db_url) == []


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"t.sql": "CREATE TABLE t (x nosuch);\n"}, id="after a SQL error"),
        pytest.param({"t.sql": "CREATE TABLE t ();\n"}, id="after success"),
    ],
)
def test_scratch_database_is_dropped(pg_server, tmp_path: Path,
                                     files: dict[str, str]) -> None:
    name = random_name("pgmt_test_shadow")
    write_files(tmp_path, files)
    with contextlib.suppress(SchemaFileError):
        shadow_snapshot(pg_server.admin_url, tmp_path, namer=lambda: name)
    with connect(pg_server.admin_url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                           (name,)).fetchone()
    assert row == (0,)


def test_settings_do_not_leak_between_files(pg_server, tmp_path: Path) -> None:
    write_files(tmp_path, {"a.sql": "CREATE SCHEMA s;\nSET search_path = s;\nCREATE TABLE in_s ();\n",
                     "b.sql": "CREATE TABLE in_public ();\n"})
    assert {"table:s.in_s", "table:public.in_public"} <= keys(pg_server.admin_url, tmp_path)


def test_single_file_and_empty_files(pg_server, tmp_path: Path) -> None:
    write_files(tmp_path, {"one.sql": "-- just one\nCREATE TABLE one ();\n",
                     "other.sql": "CREATE TABLE other ();\n",
                     "empty.sql": "", "comments.sql": "-- nothing here\n"})
    assert "table:public.other" not in keys(pg_server.admin_url, tmp_path / "one.sql")
    assert {"table:public.one", "table:public.other"} <= keys(pg_server.admin_url, tmp_path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(SchemaFileError, match="no such file or folder"):
        load_schema(tmp_path / "nope")


def test_load_order_is_sorted_by_path(tmp_path: Path) -> None:
    write_files(tmp_path, {"b.sql": "", "a/z.sql": "", "a.sql": "", "a/b/c.sql": "", "notes.txt": ""})
    assert [f.name for f in load_schema(tmp_path)] == ["a/b/c.sql", "a/z.sql", "a.sql", "b.sql"]


def test_stuck_files_are_listed_in_the_hint(pg_server, tmp_path: Path) -> None:
    """The first file still failing is reported; the others waiting are named."""
    write_files(tmp_path, {"a.sql": "CREATE TABLE a (x nosuch);\n",
                     "b.sql": "CREATE VIEW b AS SELECT x FROM a;\n",
                     "c.sql": "-- require: b.sql\nCREATE TABLE c ();\n"})
    with pytest.raises(SchemaFileError) as raised:
        shadow_snapshot(pg_server.admin_url, tmp_path)
    assert raised.value.message == f'{tmp_path / "a.sql"}:1: type "nosuch" does not exist'
    assert (raised.value.hint or "").endswith("(also not built, perhaps because of this: b.sql, c.sql)")


def test_a_chain_in_reverse_order_builds_in_one_pass(db_url: str, tmp_path: Path) -> None:
    """Each file needs the next one's table: a file that failed runs again right after the
    file creating what it missed, not once per round (which took n * (n + 1) / 2 runs).
    Every run takes a number from a sequence, which a rollback does not give back."""
    n = 20
    write_files(tmp_path, {
        f"t{i:02}.sql": f"SELECT nextval('public.runs');\n"
        f"CREATE TABLE t{i:02} (id int PRIMARY KEY"
        + (f", next_id int REFERENCES t{i + 1:02} (id)" if i + 1 < n else "") + ");\n"
        for i in range(n)})
    with connect(db_url, autocommit=True) as conn:
        conn.execute("CREATE SEQUENCE public.runs")
        build_schema(conn, load_schema(tmp_path))
        runs = conn.execute("SELECT last_value FROM public.runs").fetchone()
    assert relations_by_age(db_url) == [f"t{i:02}" for i in reversed(range(n))]
    assert runs is not None and runs[0] < 2 * n


def test_the_build_session_does_not_wait_for_the_disk(db_url: str, tmp_path: Path) -> None:
    """synchronous_commit is off in every file, including after a file changed settings."""
    write_files(tmp_path, {"a.sql": "SET synchronous_commit = on;\n"
                              "CREATE TABLE a AS SELECT current_setting('synchronous_commit') v;\n",
                     "b.sql": "CREATE TABLE b AS SELECT current_setting('synchronous_commit') v;\n"})
    with connect(db_url, autocommit=True) as conn:
        build_schema(conn, load_schema(tmp_path))
        assert conn.execute("SELECT v FROM a UNION ALL SELECT v FROM b").fetchall() == [("on",), ("off",)]
