"""Throwaway databases: the engine's "shadow" databases and the tests' fresh databases.

Creating from a template copies files instead of running SQL, so a new database costs tens
of milliseconds. Names are injectable so tests can pin them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from psycopg import sql

from pgmt.postgres.connect import connect, with_dbname


def random_name(prefix: str = "pgmt_scratch") -> str:
    """A database name unlikely to collide: prefix plus 12 hex digits."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def create_database(
    admin_url: str, name: str | None = None, template: str = "template0"
) -> str:
    """Create an empty database (a copy of `template`) and return its URL.

    `admin_url` is any database on the server, used to run CREATE DATABASE; the template must
    have no other sessions connected (template0 never does).
    """
    name = name or random_name()
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
    namer: Callable[[], str] = random_name,
) -> Iterator[str]:
    """A new database's URL for the duration of the block; dropped afterwards, even on error."""
    name = namer()
    url = create_database(admin_url, name, template)
    try:
        yield url
    finally:
        drop_database(admin_url, name)
