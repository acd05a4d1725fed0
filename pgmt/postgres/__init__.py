"""PostgreSQL plumbing: finding server binaries, the local dev cluster, connections and
scratch databases. Nothing here knows about schemas."""

from pgmt.postgres.binaries import PgBinaries, find_binaries
from pgmt.postgres.cluster import Cluster, ClusterStatus, StartResult
from pgmt.postgres.connect import connect, redact, with_dbname
from pgmt.postgres.scratch import create_database, drop_database, scratch_database

__all__ = [
    "Cluster",
    "ClusterStatus",
    "PgBinaries",
    "StartResult",
    "connect",
    "create_database",
    "drop_database",
    "find_binaries",
    "redact",
    "scratch_database",
    "with_dbname",
]
