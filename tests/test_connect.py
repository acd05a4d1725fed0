"""Connections: errors a user can act on, URLs safe to print, scratch databases."""

from __future__ import annotations

import os
import subprocess

import psycopg
import pytest

from pgmt.errors import ConfigError, ConnectionFailed
from pgmt.postgres import connect, create_database, drop_database, redact, scratch_database
from pgmt.postgres.connect import with_dbname
from pgmt.postgres.scratch import drop_abandoned, scratch_name


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://bob:s3cret@db.example:5433/app", "postgresql://bob:***@db.example:5433/app"),
        ("postgres://bob:p%40ss@h/app", "postgres://bob:***@h/app"),  # encoded "@"
        ("postgresql://bob:@h/app", "postgresql://bob:***@h/app"),  # empty password
        ("postgresql://bob@h/app", "postgresql://bob@h/app"),  # no password: unchanged
        ("postgresql://h/app?password=s3cret&sslmode=require",
         "postgresql://h/app?password=***&sslmode=require"),  # password as a parameter
        ("host=h user=bob password=s3cret dbname=app", "host=h user=bob password=*** dbname=app"),
        ("host=h password='s3 cret' dbname=app", "host=h password=*** dbname=app"),
    ],
)
def test_redact_hides_passwords(url, shown):
    """Every password form libpq accepts is replaced by ***."""
    assert redact(url) == shown


@pytest.mark.parametrize(
    ("url", "dbname", "expected"),
    [
        ("postgresql://u:p@h:1/a?sslmode=require", "b", "postgresql://u:p@h:1/b?sslmode=require"),
        ("postgresql://u@/a?host=%2Ftmp%2Fs", "my db", "postgresql://u@/my%20db?host=%2Ftmp%2Fs"),
        ("host=h dbname=a", "b", "dbname=b host=h"),  # keyword form, re-rendered by psycopg
    ],
)
def test_with_dbname_keeps_server_and_credentials(url, dbname, expected):
    """Only the database changes; host, user, password and parameters stay."""
    assert with_dbname(url, dbname) == expected


def test_connects_to_a_fresh_database(db_url):
    """db_url is an empty database of its own."""
    with connect(db_url) as conn:
        row = conn.execute(
            "SELECT current_database(), count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
    assert row is not None and row[0].startswith("pgmt_test_") and row[1] == 0


def test_missing_database_is_named(pg_server):
    """Connecting to a database that does not exist says so, with a hint."""
    with pytest.raises(ConnectionFailed) as raised:
        connect(pg_server.url("no_such_db"))
    assert "database 'no_such_db' does not exist" in raised.value.message
    assert raised.value.hint


def test_unreachable_socket_is_reported(tmp_path):
    """A socket directory with no server behind it reads as unreachable."""
    with pytest.raises(ConnectionFailed) as raised:
        connect(f"postgresql://postgres@/postgres?host={tmp_path}")
    assert raised.value.message.startswith("cannot reach a PostgreSQL server")
    assert "pgmt db start" in (raised.value.hint or "")


def test_malformed_url_is_a_config_error():
    """A string libpq cannot parse is a configuration problem, password redacted."""
    with pytest.raises(ConfigError) as raised:
        connect("password=s3cret not-a-pair")
    assert "s3cret" not in raised.value.message


def test_scratch_database_is_dropped_even_on_error(pg_server):
    """scratch_database drops its database when the block raises."""
    pinned = "pgmt_scratch_pinned"
    with (
        pytest.raises(RuntimeError),
        scratch_database(pg_server.admin_url, namer=lambda: pinned) as url,
    ):
        with connect(url) as conn:
            conn.execute("CREATE TABLE t (id int)")
        raise RuntimeError("boom")
    with connect(pg_server.admin_url) as conn:
        row = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [pinned])
        assert row.fetchone() == (0,)


def test_only_scratch_databases_of_gone_processes_here_are_dropped(pg_server):
    """drop_abandoned drops a scratch database whose process on this machine is gone, and
    keeps those of live processes and of other machines."""
    child = subprocess.Popen(["true"])
    child.wait()  # its pid runs nothing now
    mine = scratch_name()
    host = mine.split("_")[2]
    names = {
        "live": mine,
        "gone": mine.replace(f"_{os.getpid()}_", f"_{child.pid}_"),
        "elsewhere": mine.replace(f"_{host}_", "_000000_").replace(f"_{os.getpid()}_", "_1_"),
    }
    for name in names.values():
        create_database(pg_server.admin_url, name)
    try:
        assert drop_abandoned(pg_server.admin_url) == [names["gone"]]
        with connect(pg_server.admin_url) as conn:
            left = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
        assert names["live"] in left and names["elsewhere"] in left
    finally:
        for name in names.values():
            drop_database(pg_server.admin_url, name)


def test_drop_database_disconnects_sessions(pg_server):
    """DROP ... WITH (FORCE): an open session does not block the drop."""
    url = create_database(pg_server.admin_url, "pgmt_scratch_busy")
    conn = psycopg.connect(url)
    try:
        drop_database(pg_server.admin_url, "pgmt_scratch_busy")
        assert conn.closed or conn.broken or _dead(conn)
    finally:
        conn.close()


def _dead(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return True
    return False


def test_corpus_role_exists(pg_server):
    """The session creates the NOLOGIN role the schemainspect corpus needs."""
    with connect(pg_server.admin_url) as conn:
        row = conn.execute(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'schemainspect_test_role'"
        ).fetchone()
    assert row == (False,)
