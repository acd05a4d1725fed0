"""The local dev cluster: created once, reused, stopped, safe to start from two processes."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from pgmt.errors import ConnectionFailed
from pgmt.postgres import Cluster, connect
from pgmt.postgres.cluster import MAX_SOCKET_PATH
from pgmt.postgres.runas import chown_tree


def _settings(url: str) -> dict[str, str]:
    with connect(url) as conn:
        rows = conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
            [["fsync", "synchronous_commit", "full_page_writes", "listen_addresses"]],
        ).fetchall()
        user = conn.execute("SELECT current_user").fetchone()
    return {**dict(rows), "user": user[0] if user else ""}


@pytest.mark.parametrize(
    "subpath",
    [
        "",  # short path: the socket sits in the data directory
        "d" * 60 + "/" + "e" * 60,  # past the 107-byte socket limit: a short /tmp directory
    ],
)
def test_start_creates_then_reuses(pg_server, make_project, subpath):
    """First start creates .pgmt/pg<major>; the second returns the same URL and server."""
    cluster = Cluster(make_project(subpath), pg_server.bindir)
    assert not cluster.status().initialized
    started = cluster.start()
    url = started.url
    assert started.action == "created"
    first = cluster.status()
    assert first.running and first.initialized
    assert (cluster.data_dir / "PG_VERSION").read_text().strip() == str(pg_server.major_version)
    assert cluster.start() == type(started)(url, "already running")
    assert cluster.status().pid == first.pid
    assert len(str(cluster.socket_dir / ".s.PGSQL.5432")) <= MAX_SOCKET_PATH
    assert _settings(url) == {
        "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
        "listen_addresses": "", "user": "postgres",
    }


def test_stop_keeps_data_for_next_start(pg_server, make_project):
    """stop shuts the server down (twice is harmless); the next start has the same data."""
    cluster = Cluster(make_project(), pg_server.bindir)
    url = cluster.start().url
    with connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (id int)")
    assert cluster.stop() is True
    assert cluster.stop() is False
    assert not cluster.status().running
    with pytest.raises(ConnectionFailed):
        connect(url)
    assert cluster.start().action == "started"
    with connect(url) as conn:
        assert conn.execute("SELECT to_regclass('kept') IS NOT NULL").fetchone() == (True,)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as another user")
def test_start_claims_a_data_dir_owned_by_root(pg_server, make_project):
    """A cluster copied or restored by root (or moved to a machine where the service user
    has another uid) starts: its data directory is given back to the service user."""
    cluster = Cluster(make_project(), pg_server.bindir)
    url = cluster.start().url
    with connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (id int)")
    cluster.stop()
    data_dir = cluster.data_dir.resolve()
    chown_tree(data_dir, 0, 0)
    assert cluster.start().action == "started"
    with connect(url) as conn:
        assert conn.execute("SELECT to_regclass('kept') IS NOT NULL").fetchone() == (True,)
    assert data_dir.stat().st_uid != 0
    cluster.stop()


def test_concurrent_cli_starts_share_one_cluster(make_project, run_pgmt):
    """Two `pgmt db start` at once on a fresh project: both succeed, one server, healthy."""
    project = make_project()
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: run_pgmt("db", "start", "--project", str(project)),
                                range(2)))
    assert [r.code for r in results] == [0, 0], [r.stderr for r in results]
    assert results[0].stdout == results[1].stdout
    talk = " ".join(r.stderr for r in results)
    assert (talk.count("created and started"), talk.count("already running")) == (1, 1), talk
    with connect(results[0].stdout.strip()) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    status = run_pgmt("db", "status", "--project", str(project))
    assert status.code == 0 and "state: running" in status.stdout
    stop = run_pgmt("db", "stop", "--project", str(project))
    assert stop.code == 0 and "stopped" in stop.stderr
    assert run_pgmt("db", "status", "--project", str(project)).code == 1
