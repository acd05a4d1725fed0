"""Building schema files into a database, and reading the result back as a snapshot.

Each file runs whole (simple query protocol: PostgreSQL splits the statements) in a
transaction of its own, so a file builds completely or not at all. A file that fails
because something it needs does not exist yet waits: it is tried again right after a file
that mentions the missing object's name builds (a guess from PostgreSQL's message, so that
a chain of files in the wrong order resolves in one pass rather than one pass per link),
and otherwise after the others. When a whole round builds nothing more, the first file
still failing is reported with PostgreSQL's message at `path:line`. Session settings a file
changes (`SET search_path`, `SET ROLE`) are reset before the next file, so no file depends
on the order the others ran in.

Files are committed one by one rather than in one transaction with a savepoint each: past
64 subtransactions every catalog lookup slows down (the subtransaction cache overflows).
The target is always a throwaway shadow database, dropped whether the build succeeds or
not, so the session commits without waiting for the disk (`synchronous_commit = off`),
and each file costs two round trips: `BEGIN;` sent with its text, then `COMMIT` sent with
the session reset.

Function bodies are checked at creation (`check_function_bodies` stays on): a SQL function
reading a table from a later file is simply retried, and a typo in a body is reported.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus

from pgmt.catalog.model import Snapshot
from pgmt.catalog.reader import read_snapshot
from pgmt.errors import SchemaFileError
from pgmt.postgres import connect, scratch_database
from pgmt.postgres.scratch import ScratchDatabases, scratch_name
from pgmt.schema_files.cache import SnapshotCache, cache_key, server_identity
from pgmt.schema_files.load import SchemaFile, load_schema

# Errors meaning "something this file needs is not there yet": worth a retry once other
# files are built. Anything else is the file's own mistake and is reported at once.
MISSING_DEPENDENCY = frozenset({
    "42P01",  # undefined_table: a table, view or sequence
    "42883",  # undefined_function: a function or operator
    "42704",  # undefined_object: a type, collation, role...
    "3F000",  # invalid_schema_name
    "42703",  # undefined_column: a column another file adds with ALTER TABLE
    "42830",  # invalid_foreign_key: the referenced unique key is declared later
})
NO_TRANSACTION_BLOCK = "25001"  # active_sql_transaction: e.g. CREATE INDEX CONCURRENTLY
SYNTAX_ERROR = "42601"

# Session settings for the build, set again after each file's RESET ALL (which leaves the
# role alone, and resets client_encoding to the session's default).
_SESSION = b"SET client_encoding = 'UTF8'; SET synchronous_commit = off"
_BEGIN = b"BEGIN;"  # sent in front of each file's text: PostgreSQL positions count it too
_COMMIT = b"COMMIT; RESET ALL; RESET ROLE; " + _SESSION
_MISSING_ROLE = re.compile(r'^role "(?P<role>.+)" does not exist$')
# The missing object in PostgreSQL's message: its first quoted name (`relation "s.t"`,
# `column "c" of relation "t"`), or a function's name before its argument list.
_QUOTED = re.compile(r'"([^"]+)"')
_CALLED = re.compile(r"(\S+)\(")
_WORD = re.compile(r"[^\W\d][\w$]*")


def shadow_snapshot(
    admin_url: str, schema: Path, namer: Callable[[], str] = scratch_name, *,
    cache: SnapshotCache | None = None, databases: ScratchDatabases | None = None,
    on_build: Callable[[], None] | None = None,
) -> Snapshot:
    """Build the schema at `schema` (folder or file) into a scratch database on the server
    `admin_url` points at, and return its snapshot. The database is always dropped.

    With a `cache`, the same files on the same server (see `cache`) are not built again:
    the snapshot of their last build is returned. With `databases`, the scratch database
    comes from there (made ahead, dropped in the background) instead of being made here.
    `on_build` is called when the files are about to be built (not on a cache hit)."""
    files = load_schema(schema)
    key = None
    if cache is not None:
        with connect(admin_url, autocommit=True) as conn:
            key = cache_key(files, server_identity(conn))
        found = cache.get(key)
        if found is not None:
            return found
    if on_build is not None:
        on_build()
    scratch = databases.database() if databases else scratch_database(admin_url, namer=namer)
    with scratch as url, connect(url, autocommit=True) as conn:
        build_schema(conn, files)
        snapshot = read_snapshot(conn)
    if cache is not None and key is not None:
        cache.put(key, snapshot)
    return snapshot


def build_schema(conn: psycopg.Connection[Any], files: Sequence[SchemaFile]) -> None:
    """Build `files` into the (throwaway) database `conn` is connected to.

    `conn` must be in autocommit mode with no transaction open; pgmt manages it. On error
    the files built so far stay: the caller drops the database.
    """
    if not conn.autocommit or conn.info.transaction_status != TransactionStatus.IDLE:
        raise ValueError("build_schema needs an idle connection in autocommit mode")
    _check_require_cycles(files)
    conn.execute(_SESSION)
    _build_all(conn, files)


def _build_all(conn: psycopg.Connection[Any], files: Sequence[SchemaFile]) -> None:
    """Build in rounds over the files not built yet, in sorted order, until one builds
    nothing more. Within a round, each file that builds wakes the files waiting for it (by
    `-- require:`, or by the name of what they missed) and they run next, in sorted order."""
    position = {f.name: i for i, f in enumerate(files)}
    built: set[str] = set()
    errors: dict[str, psycopg.Error] = {}  # file name -> its last missing-dependency error
    while True:
        before = len(built)
        tried: set[str] = set()  # this round
        on_file: dict[str, list[SchemaFile]] = {}  # a require target -> files waiting for it
        on_name: dict[str, list[SchemaFile]] = {}  # a missing name -> files that failed on it
        for first in files:
            if first.name in built or first.name in tried:
                continue
            queue = [position[first.name]]  # a heap: woken files run in sorted order
            while queue:
                file = files[heapq.heappop(queue)]
                if file.name in built or file.name in tried:
                    continue
                unmet = next((r.target for r in file.requires if r.target not in built), None)
                if unmet is not None:
                    on_file.setdefault(unmet, []).append(file)
                    continue
                tried.add(file.name)
                error = _run_file(conn, file)
                if error is None:
                    built.add(file.name)
                    errors.pop(file.name, None)
                    for woken in [*on_file.pop(file.name, []), *_waiting_on(file, on_name)]:
                        tried.discard(woken.name)
                        heapq.heappush(queue, position[woken.name])
                elif error.sqlstate in MISSING_DEPENDENCY:
                    errors[file.name] = error
                    name = _missing_name(error)
                    if name:
                        on_name.setdefault(name, []).append(file)
                else:
                    raise _report(file, error, conn)
        if len(built) == len(files):
            return
        if len(built) == before:
            # Without require cycles, some file left has run and failed.
            pending = [f for f in files if f.name not in built]
            stuck = next(f for f in pending if f.name in errors)
            others = [f.name for f in pending if f is not stuck]
            raise _report(stuck, errors[stuck.name], conn, retried=True, others=others)


def _missing_name(error: psycopg.Error) -> str | None:
    """The unqualified, lower-cased name of what PostgreSQL says is missing, if it says."""
    message = error.diag.message_primary or ""
    found = _QUOTED.search(message) or _CALLED.search(message)
    return found.group(1).rsplit(".", 1)[-1].lower() if found else None


def _waiting_on(file: SchemaFile, on_name: dict[str, list[SchemaFile]]) -> list[SchemaFile]:
    """Take out of `on_name` the files waiting for a name that `file`'s text mentions."""
    if not on_name:
        return []
    text = file.text.lower()
    words = set(_WORD.findall(text))
    names = [n for n in on_name if n in words or (not _WORD.fullmatch(n) and n in text)]
    return [waiting for name in names for waiting in on_name.pop(name)]


def _run_file(conn: psycopg.Connection[Any], file: SchemaFile) -> psycopg.Error | None:
    """Run one file in a transaction of its own: None if it built, else its error."""
    try:
        conn.execute(_BEGIN + file.text.encode(), prepare=False)
    except psycopg.Error as error:
        _check_usable(conn, file, error)
        idle = conn.info.transaction_status == TransactionStatus.IDLE
        if idle and error.sqlstate == SYNTAX_ERROR:
            # PostgreSQL parses the whole text before running any of it, BEGIN included.
            return error
        _check_still_ours(conn, file)
        conn.execute(b"ROLLBACK")
        return error
    _check_still_ours(conn, file)
    try:
        conn.execute(_COMMIT)
    except psycopg.Error as error:  # e.g. a deferred constraint, checked at commit
        _check_usable(conn, file, error)
        raise _report(file, error, conn) from error
    return None


def _check_usable(conn: psycopg.Connection[Any], file: SchemaFile, error: psycopg.Error) -> None:
    if conn.broken or conn.closed:
        raise SchemaFileError(
            f"{file.path}: lost the connection to PostgreSQL: {_first_line(error)}",
            hint="check that the server is up, then try again",
        ) from error
    if error.sqlstate is None:  # refused before reaching the server (e.g. a NUL byte)
        raise SchemaFileError(f"{file.path}: {_first_line(error)}",
                              hint="fix the file and try again") from error


def _check_still_ours(conn: psycopg.Connection[Any], file: SchemaFile) -> None:
    if conn.info.transaction_status not in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
        raise SchemaFileError(
            f"{file.path}: ends the transaction (COMMIT, ROLLBACK or END)",
            hint="remove transaction control from schema files; pgmt runs each file as one "
            "transaction",
        )


def _report(
    file: SchemaFile, error: psycopg.Error, conn: psycopg.Connection[Any],
    retried: bool = False, others: Sequence[str] = (),
) -> SchemaFileError:
    diag = error.diag
    message = diag.message_primary or _first_line(error)
    if diag.message_detail:
        message += f" ({diag.message_detail})"
    line = _error_line(file.text, diag.statement_position, conn)
    where = f"{file.path}:{line}" if line else str(file.path)
    hint = _hint(error, retried)
    if others:
        shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
        hint += f" (also not built, perhaps because of this: {shown})"
    return SchemaFileError(f"{where}: {message}", hint=hint)


def _hint(error: psycopg.Error, retried: bool) -> str:
    primary = error.diag.message_primary or ""
    role = _MISSING_ROLE.match(primary)
    if role:
        return (f"schema files do not create roles: create role {role.group('role')} on the "
                "server that builds them (e.g. run your roles.sql with psql), then try again")
    if error.sqlstate == NO_TRANSACTION_BLOCK:
        return ("each schema file is built as one transaction, so this statement cannot be "
                "used; declare the plain form (e.g. CREATE INDEX without CONCURRENTLY)")
    if error.diag.message_hint:
        return error.diag.message_hint
    if retried:
        return ("no schema file creates it (every other file was built first): check the "
                "name, or add the missing object to a schema file")
    return "fix the statement at that line and try again"


def _error_line(text: str, position: str | None, conn: psycopg.Connection[Any]) -> int | None:
    """The 1-based line of PostgreSQL's 1-based error position, counted in characters of
    the server encoding (bytes when the server is SQL_ASCII)."""
    if not position:
        return None
    offset = int(position) - 1 - len(_BEGIN)  # the position counts the BEGIN sent before
    if conn.info.parameter_status("server_encoding") == "SQL_ASCII":
        return text.encode()[:offset].count(b"\n") + 1
    return text[:offset].count("\n") + 1


def _check_require_cycles(files: Sequence[SchemaFile]) -> None:
    """SchemaFileError naming the cycle, at the require line that closes it."""
    by_name = {f.name: f for f in files}
    done: set[str] = set()

    def visit(file: SchemaFile, trail: list[str]) -> None:
        if file.name in done:
            return
        trail = [*trail, file.name]
        for require in file.requires:
            if require.target in trail:
                cycle = [*trail[trail.index(require.target):], require.target]
                raise SchemaFileError(
                    f"{file.path}:{require.line}: require cycle: {' -> '.join(cycle)}",
                    hint="remove one of these `-- require:` lines",
                )
            visit(by_name[require.target], trail)
        done.add(file.name)

    for file in files:
        visit(file, [])


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
