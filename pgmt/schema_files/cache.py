"""The last shadow snapshot, kept so that unchanged schema files are not built again.

`pgmt apply` with nothing to do spent most of its time building the schema files in a
shadow. The snapshot of that build depends only on

- the files: every name and every byte of text, in load order (so an edited, added,
  removed or renamed file is a different key);
- the server they are built on: its version, host, port and user; its roles, their
  attributes and memberships (owners and grants name them, and a missing one or a missing
  right fails the build); its extensions' default versions (`CREATE EXTENSION` installs
  the default); and the settings a build session starts with that are not PostgreSQL's
  defaults, from the configuration file or `ALTER ROLE/DATABASE … SET` (`search_path`
  decides where unqualified objects go, `TimeZone` what a literal time means);
- the code that reads the snapshot: pgmt's version, the Rust core's build, and the
  contents of `pgmt/catalog/` (queries and model), so a changed reader never reads a
  snapshot written by another.

The key is a SHA-256 of all of these. One entry is kept (the last build), in one file
written atomically; an unreadable or undecodable file is a miss, and a file that cannot
be written is skipped: the cache only ever saves a build, it never replaces one with
something else.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import psycopg

from pgmt.catalog import model
from pgmt.schema_files.load import SchemaFile

FORMAT = b"pgmt shadow snapshot cache 2\n"

_SERVER_IDENTITY = b"""
SELECT current_setting('server_version_num'), current_user,
       (SELECT string_agg(concat_ws(' ', rolname, rolsuper, rolinherit, rolcreaterole,
                                    rolcreatedb, rolcanlogin, rolbypassrls), ','
                          ORDER BY rolname) FROM pg_roles),
       (SELECT string_agg(concat_ws(' ', roleid::regrole, member::regrole, admin_option), ','
                          ORDER BY 1) FROM pg_auth_members),
       (SELECT string_agg(name || ' ' || coalesce(default_version, ''), ',' ORDER BY name)
          FROM pg_available_extensions),
       (SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings
         WHERE source NOT IN ('default', 'client', 'session'))
"""


@cache
def code_fingerprint() -> bytes:
    """What decides a snapshot's contents on pgmt's side: its version, the core's build,
    and every file of `pgmt/catalog/` (the reader, its queries, the model)."""
    import pgmt
    from pgmt import _core

    digest = hashlib.sha256()
    core = Path(_core.__file__).stat()
    digest.update(f"{pgmt.__version__}\0{_core.__version__}\0{core.st_size}\0"
                  f"{core.st_mtime_ns}\0".encode())
    catalog = Path(model.__file__).parent
    for path in sorted(p for p in catalog.rglob("*") if p.suffix in (".py", ".sql")):
        digest.update(path.relative_to(catalog).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.digest()


def server_identity(conn: psycopg.Connection[Any]) -> bytes:
    """The server a shadow is built on, as far as the snapshot can tell it apart."""
    row = conn.execute(_SERVER_IDENTITY).fetchone()
    info = conn.info
    return repr((info.host, info.port, row)).encode()


def cache_key(files: Sequence[SchemaFile], server: bytes) -> str:
    digest = hashlib.sha256(FORMAT + code_fingerprint() + server + b"\0")
    for file in files:
        name = file.name.encode()
        text = file.text.encode()
        # Lengths first, so that no two lists of files hash the same bytes.
        digest.update(f"{len(name)}:{len(text)}:".encode() + name + text)
    return digest.hexdigest()


class SnapshotCache:
    """The last shadow snapshot, in the file `path` (its folder is created on first put)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last_hit = False  # whether the last `get` found its key

    def get(self, key: str) -> model.Snapshot | None:
        """The snapshot stored under `key`, or None."""
        self.last_hit = False
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        header = FORMAT + key.encode() + b"\n"
        if not data.startswith(header):
            return None
        try:
            snapshot = model.decode(data[len(header):])
        except msgspec.DecodeError:  # ValidationError included
            return None
        self.last_hit = True
        return snapshot

    def put(self, key: str, snapshot: model.Snapshot) -> None:
        """Store `snapshot` under `key`, replacing the last entry; skipped if not writable."""
        data = FORMAT + key.encode() + b"\n" + model.encode(snapshot)
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=self.path.name, dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                os.replace(temp, self.path)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
