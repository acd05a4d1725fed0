"""`pgmt db` through the real CLI: data on stdout, talk on stderr, and every failure as
exactly one `error:` line plus one `hint:` line, exit code 1, never a traceback or a password."""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgmt.postgres import Cluster, connect

PASSWORD = "right-s3cret-Pw"
WRONG_PASSWORD = "wr0ng-s3cret-Pw"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def password_server(pg_server) -> Iterator[str]:
    """A small cluster that also listens on 127.0.0.1 with scram passwords; yields its
    host:port. (The session cluster trusts its socket, so it cannot test passwords.)"""
    project = Path(tempfile.mkdtemp(prefix="pgmt-pw-"))
    project.chmod(0o755)
    port = _free_port()
    cluster = Cluster(project, pg_server.bindir,
                      settings={"listen_addresses": "127.0.0.1", "port": str(port)})
    try:
        with connect(cluster.start().url, autocommit=True) as conn:
            conn.execute(f"CREATE ROLE app LOGIN PASSWORD '{PASSWORD}'")
        yield f"127.0.0.1:{port}"
    finally:
        cluster.stop()
        shutil.rmtree(project, ignore_errors=True)


def _assert_one_error(result, says: str) -> None:
    assert result.code == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("error: ") and says in lines[0], lines[0]
    assert lines[1].startswith("hint: "), lines[1]
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "says"),
    [
        # Nothing listens on that port.
        (["db", "status", "--dev-url", f"postgresql://app:{WRONG_PASSWORD}@127.0.0.1:{{free}}/x"],
         "cannot reach a PostgreSQL server"),
        # A socket directory without a server.
        (["db", "status", "--dev-url", "postgresql://app@/x?host=/nonexistent-pgmt-sock"],
         "cannot reach a PostgreSQL server"),
        # A URL libpq cannot parse.
        (["db", "status", "--dev-url", f"password={WRONG_PASSWORD} bogus"],
         "invalid connection URL"),
    ],
)
def test_unreachable_server(run_pgmt, args, says):
    """An unreachable or malformed dev URL fails in two lines, password redacted."""
    args = [a.replace("{free}", str(_free_port())) for a in args]
    result = run_pgmt(*args)
    _assert_one_error(result, says)
    assert WRONG_PASSWORD not in result.stderr


def test_wrong_password(run_pgmt, password_server):
    """A wrong password says so, and neither password is printed."""
    result = run_pgmt("db", "status", env={
        "PGMT_DEV_URL": f"postgresql://app:{WRONG_PASSWORD}@{password_server}/postgres"})
    _assert_one_error(result, "password authentication failed for app")
    assert WRONG_PASSWORD not in result.stderr and PASSWORD not in result.stderr


def test_right_password_status_and_url_are_redacted(run_pgmt, password_server):
    """With the right password, status connects; status and url never print the password."""
    dev_url = f"postgresql://app:{PASSWORD}@{password_server}/postgres"
    status = run_pgmt("db", "status", env={"PGMT_DEV_URL": dev_url})
    assert status.code == 0, status.stderr
    assert "state: reachable" in status.stdout
    assert f"url: postgresql://app:***@{password_server}/postgres" in status.stdout
    url = run_pgmt("db", "url", "--dev-url", dev_url, "--dbname", "app_dev")
    assert (url.code, url.stdout) == (0, f"postgresql://app:***@{password_server}/app_dev\n")
    assert PASSWORD not in status.stdout + status.stderr + url.stdout + url.stderr


def test_missing_database(run_pgmt, pg_server):
    """A dev URL naming a database that does not exist says which."""
    result = run_pgmt("db", "status", "--dev-url", pg_server.url("pgmt_no_such_db"))
    _assert_one_error(result, "database 'pgmt_no_such_db' does not exist")


@pytest.mark.parametrize("command", ["start", "status", "url", "stop"])
def test_missing_binaries(run_pgmt, make_project, command):
    """A PGMT_PG_BINDIR without PostgreSQL fails every command in two lines."""
    result = run_pgmt("db", command, "--project", str(make_project()),
                      env={"PGMT_PG_BINDIR": "/nonexistent/pg/bin"})
    _assert_one_error(result, "/nonexistent/pg/bin (from PGMT_PG_BINDIR) does not exist")
    assert "PGMT_PG_BINDIR" in result.stderr.splitlines()[1]


def test_status_of_a_project_never_started(run_pgmt, make_project):
    """status on a fresh project: not running, and the hint says how to start it."""
    result = run_pgmt("db", "status", "--project", str(make_project()))
    _assert_one_error(result, "is not running (not created yet)")
    assert "pgmt db start" in result.stderr


def test_url_prints_only_the_url(run_pgmt, make_project, pg_server):
    """url writes the socket URL alone on stdout (talk goes to stderr), even when stopped."""
    project = make_project()
    result = run_pgmt("db", "url", "--project", str(project), "--dbname", "app")
    assert result.code == 0
    assert result.stdout == Cluster(project, pg_server.bindir).url("app") + "\n"
    assert "not running" in result.stderr


def test_start_prints_a_url_that_connects(run_pgmt, make_project):
    """start prints the URL on stdout; psycopg connects to it as the superuser."""
    result = run_pgmt("db", "start", "--project", str(make_project()))
    assert result.code == 0, result.stderr
    assert "created and started PostgreSQL" in result.stderr
    with connect(result.stdout.strip()) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("postgres",)
