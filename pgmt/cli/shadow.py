"""Where schema files are built and read: shared by `pgmt diff`, `pgmt apply` and `pgmt init`.

A shadow is a throwaway database, created per build and dropped after it, on the server
`--shadow-url` / `PGMT_SHADOW_URL` / `databases.shadow.url` names, or else on the project's
local cluster (started if needed). The dev database is never used as a shadow.
"""

from __future__ import annotations

from pathlib import Path

import click

from pgmt.catalog.model import Snapshot
from pgmt.catalog.reader import read_snapshot
from pgmt.errors import ConfigError
from pgmt.postgres import Cluster, connect, redact
from pgmt.schema_files import SnapshotCache, shadow_snapshot

URL_SCHEMES = ("postgresql://", "postgres://")
# In the project's .pgmt/: the snapshot of the last build of the schema files (`pgmt apply`,
# and `pgmt diff --to`), and of the last build `pgmt diff --from` made.
SNAPSHOT_CACHE = "shadow-snapshot.msgpack"
FROM_SNAPSHOT_CACHE = "shadow-snapshot-from.msgpack"


def start_local_cluster(project_dir: Path, bindir: Path | None) -> str:
    """The URL of the local cluster's `postgres` database, starting it (and saying so) if
    it is not running."""
    cluster = Cluster(project_dir, bindir)
    started = cluster.start()
    if started.action != "already running":
        click.echo(f"{started.action} the local PostgreSQL {cluster.binaries.version} in "
                   f"{cluster.data_dir}", err=True)
    return started.url


class Shadow:
    """Where schema files are built: started (or connected to) only when first needed."""

    def __init__(self, shadow_url: str | None, project_dir: Path, bindir: Path | None) -> None:
        self.shadow_url = shadow_url
        self.project_dir = project_dir
        self.bindir = bindir
        self._admin_url: str | None = None

    def admin_url(self) -> str:
        if self._admin_url is None:
            self._admin_url = self.shadow_url or start_local_cluster(self.project_dir,
                                                                    self.bindir)
        return self._admin_url


def check_source(source: str) -> None:
    """Refuse a SOURCE that is neither a URL nor an existing file or folder, before any
    work on the other side."""
    if not source.startswith(URL_SCHEMES) and not Path(source).exists():
        raise ConfigError(
            f"{source} is neither a PostgreSQL URL nor an existing file or folder",
            hint="a SOURCE is a postgresql:// URL, or a folder or .sql file of schema SQL",
        )


def source_snapshot(source: str, shadow: Shadow, cache: SnapshotCache | None = None) -> Snapshot:
    """The snapshot of a SOURCE: a live database's URL, or schema files built in a shadow
    (unless `cache` holds the snapshot of their last build on that server)."""
    check_source(source)
    if source.startswith(URL_SCHEMES):
        click.echo(f"reading {redact(source)}", err=True)
        with connect(source) as conn:
            return read_snapshot(conn)
    admin_url = shadow.admin_url()
    snapshot = shadow_snapshot(admin_url, Path(source), cache=cache, on_build=lambda: click.echo(
        f"building {source} in a shadow database on {redact(admin_url)}", err=True))
    if cache is not None and cache.last_hit:
        click.echo(f"{source} unchanged since its last build: its snapshot is reused "
                   f"({cache.path})", err=True)
    return snapshot
