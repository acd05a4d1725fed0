"""Schema files: the `.sql` files that declare the wanted schema, built into a database.

PostgreSQL is the parser: each file is sent whole, and its errors come back with
PostgreSQL's own message and position, turned into `path:line:`.
"""

from pgmt.schema_files.build import build_schema, shadow_snapshot
from pgmt.schema_files.cache import SnapshotCache
from pgmt.schema_files.load import Require, SchemaFile, load_schema

__all__ = ["Require", "SchemaFile", "SnapshotCache", "build_schema", "load_schema",
           "shadow_snapshot"]
