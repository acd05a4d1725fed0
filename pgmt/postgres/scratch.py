"""Throwaway databases: the engine's "shadow" databases and the tests' fresh databases.

Creating from a template copies files instead of running SQL, so a new database costs tens
of milliseconds. Names are injectable so tests can pin them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import psycopg
from psycopg import sql

from pgmt.postgres.connect import connect, with_dbname

SCRATCH_PREFIX = "pgmt_scratch"
# This machine, in scratch names: only its own processes can be known to be gone.
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def random_name(prefix: str = SCRATCH_PREFIX) -> str:
    """A database name unlikely to collide: prefix plus 12 hex digits."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def scratch_name() -> str:
    """A name for a database this process owns, `pgmt_scratch_<host>_<pid>_<random>`, so
    that `drop_abandoned` can tell one left by a process that is gone (killed before it
    could drop it) from one still in use."""
    return f"{SCRATCH_PREFIX}_{_HOST}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


def drop_abandoned(admin_url: str) -> list[str]:
    """Drop the scratch databases of this machine's processes that no longer run; return
    their names. Those of other machines, and of live processes, are left alone."""
    prefix = f"{SCRATCH_PREFIX}_{_HOST}_"
    with connect(admin_url, autocommit=True) as conn:
        names = [row[0] for row in conn.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY 1",
            (prefix,))]
    abandoned = []
    for name in names:
        pid = name.removeprefix(prefix).split("_")[0]
        if pid.isdigit() and not _running(int(pid)):
            drop_database(admin_url, name)
            abandoned.append(name)
    return abandoned


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return True


def create_database(
    admin_url: str, name: str | None = None, template: str = "template0"
) -> str:
    """Create an empty database (a copy of `template`) and return its URL.

    `admin_url` is any database on the server, used to run CREATE DATABASE; the template must
    have no other sessions connected (template0 never does).
    """
    name = name or scratch_name()
    statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template)
    )
    with connect(admin_url, autocommit=True) as conn:
        conn.execute(statement)
    return with_dbname(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """Drop the database if it exists, disconnecting its sessions first (PostgreSQL 13+)."""
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with connect(admin_url, autocommit=True) as conn:
        conn.execute(statement)


@contextmanager
def scratch_database(
    admin_url: str,
    template: str = "template0",
    namer: Callable[[], str] = scratch_name,
) -> Iterator[str]:
    """A new database's URL for the duration of the block; dropped afterwards, even on error."""
    name = namer()
    url = create_database(admin_url, name, template)
    try:
        yield url
    finally:
        drop_database(admin_url, name)


class ScratchDatabases:
    """Throwaway databases on one server for a caller that needs one after another (`pgmt
    apply`, each round of `--watch`): a used one is dropped in the background, and after
    `prepare` the next is created in the background, so neither is on the path from a saved
    file to its result. `close` waits for both and drops a prepared one left unused."""

    def __init__(self, admin_url: str, namer: Callable[[], str] = scratch_name,
                 template: str = "template0") -> None:
        self.admin_url = admin_url
        self.namer = namer
        self.template = template
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pgmt-scratch")
        self._prepared: Future[str] | None = None
        # What an earlier run killed on the spot left behind goes first, in the background.
        self._worker.submit(self._drop_abandoned)

    def prepare(self) -> None:
        """Start creating the next database, unless one is on its way."""
        if self._prepared is None:
            self._prepared = self._worker.submit(self._create)

    @contextmanager
    def database(self) -> Iterator[str]:
        """A database's URL for the block (the prepared one if any); dropped afterwards."""
        prepared, self._prepared = self._prepared, None
        name = None
        if prepared is not None:
            with contextlib.suppress(Exception):  # e.g. the server restarted: make one now
                name = prepared.result()
        if name is None:
            name = self._create()
        try:
            yield with_dbname(self.admin_url, name)
        finally:
            self._worker.submit(drop_database, self.admin_url, name)

    def close(self) -> None:
        prepared, self._prepared = self._prepared, None
        if prepared is not None:
            with contextlib.suppress(Exception):
                name = prepared.result()
                self._worker.submit(drop_database, self.admin_url, name)
        self._worker.shutdown(wait=True)

    def _drop_abandoned(self) -> None:
        with contextlib.suppress(psycopg.Error):  # e.g. not allowed to drop them: leave them
            drop_abandoned(self.admin_url)

    def _create(self) -> str:
        name = self.namer()
        create_database(self.admin_url, name, self.template)
        return name
