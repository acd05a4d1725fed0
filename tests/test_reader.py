"""What the catalog reader prints depends on the catalog alone, not on how the server,
the database or the role is configured: two databases built from the same SQL read the
same, so they plan as identical without asking either server anything."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from convergence import load, snapshot
from psycopg import sql

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
