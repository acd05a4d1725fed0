"""The shadow snapshot cache: unchanged schema files on the same server are not built again,
and anything that could change the build (a file's text, the set of files, the server, its
roles and their memberships, the settings a build starts with) builds again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from files import write_files

from pgmt.catalog.model import encode
from pgmt.errors import SchemaFileError
from pgmt.postgres import Cluster, connect
from pgmt.postgres.scratch import random_name
from pgmt.schema_files import SnapshotCache, shadow_snapshot

FILES = {
    "tables/a.sql": "CREATE TABLE a (id int PRIMARY KEY);\n",
    "views/v.sql": "CREATE VIEW v AS SELECT id FROM a;\n",
}


class Counting:
    """A scratch database namer that counts the shadows made."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self) -> str:
        self.made += 1
        return random_name("pgmt_test_shadow")


def rename(schema: Path) -> None:
    (schema / "views" / "v.sql").rename(schema / "views" / "w.sql")


@pytest.mark.parametrize(("change", "builds"), [
    pytest.param(lambda schema: None, False, id="nothing changed: the last build is reused"),
    pytest.param(lambda schema: (schema / "tables" / "a.sql").touch(), False,
                 id="a file saved as it was: reused"),
    pytest.param(lambda schema: write_files(schema, {"tables/a.sql": "CREATE TABLE a (id bigint PRIMARY KEY);\n"}),
                 True, id="a file edited: built again"),
    pytest.param(lambda schema: write_files(schema, {"tables/b.sql": "CREATE TABLE b ();\n"}), True,
                 id="a file added: built again"),
    pytest.param(lambda schema: (schema / "views" / "v.sql").unlink(), True,
                 id="a file removed: built again"),
    pytest.param(rename, True, id="a file renamed, same text: built again"),
])
def test_cache_is_used_only_for_the_same_files(pg_server, tmp_path: Path,
                                               change: Callable[[Path], object],
                                               builds: bool) -> None:
    schema = write_files(tmp_path / "schema", FILES)
    cache = SnapshotCache(tmp_path / ".pgmt" / "shadow.msgpack")
    namer = Counting()
    shadow_snapshot(pg_server.admin_url, schema, namer, cache=cache)
    assert (namer.made, cache.last_hit) == (1, False)
    change(schema)
    got = shadow_snapshot(pg_server.admin_url, schema, namer, cache=cache)
    assert (namer.made, cache.last_hit) == (2 if builds else 1, not builds)
    # Whichever way it came, the snapshot is what building the files now gives.
    assert encode(got) == encode(shadow_snapshot(pg_server.admin_url, schema))


def test_a_damaged_cache_file_is_a_miss(pg_server, tmp_path: Path) -> None:
    schema = write_files(tmp_path / "schema", FILES)
    cache = SnapshotCache(tmp_path / ".pgmt" / "shadow.msgpack")
    first = shadow_snapshot(pg_server.admin_url, schema, cache=cache)
    cache.path.write_bytes(cache.path.read_bytes()[:-10])
    namer = Counting()
    again = shadow_snapshot(pg_server.admin_url, schema, namer, cache=cache)
    assert (namer.made, cache.last_hit) == (1, False)
    assert encode(again) == encode(first)


def test_a_dropped_role_builds_again(pg_server, tmp_path: Path) -> None:
    """Roles are part of the server's identity: a grant to a role dropped since the last
    build fails now, as it would without a cache."""
    role = random_name("pgmt_test_role")
    with connect(pg_server.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} NOLOGIN")
    schema = write_files(tmp_path / "schema", {"a.sql": f"CREATE TABLE a ();\nGRANT SELECT ON a TO {role};\n"})
    cache = SnapshotCache(tmp_path / ".pgmt" / "shadow.msgpack")
    shadow_snapshot(pg_server.admin_url, schema, cache=cache)
    shadow_snapshot(pg_server.admin_url, schema, cache=cache)
    assert cache.last_hit
    with connect(pg_server.admin_url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE {role}")
    with pytest.raises(SchemaFileError, match=f'role "{role}" does not exist'):
        shadow_snapshot(pg_server.admin_url, schema, cache=cache)
    assert not cache.last_hit


def test_a_role_setting_builds_again(pg_server, tmp_path: Path) -> None:
    """A build session starts with its role's settings: a literal time without a zone
    means another instant once the role's TimeZone changed."""
    schema = write_files(tmp_path / "schema", {
        "a.sql": "CREATE TABLE a (at timestamptz DEFAULT '2020-01-01 00:00');\n"})
    cache = SnapshotCache(tmp_path / ".pgmt" / "shadow.msgpack")
    first = shadow_snapshot(pg_server.admin_url, schema, cache=cache)
    with connect(pg_server.admin_url, autocommit=True) as conn:
        conn.execute("ALTER ROLE CURRENT_USER SET TimeZone = 'Asia/Tokyo'")
    try:
        again = shadow_snapshot(pg_server.admin_url, schema, cache=cache)
        assert not cache.last_hit
        assert encode(again) != encode(first)
    finally:
        with connect(pg_server.admin_url, autocommit=True) as conn:
            conn.execute("ALTER ROLE CURRENT_USER RESET TimeZone")


def test_a_new_membership_builds_again(pg_server, tmp_path: Path) -> None:
    """Who may own what depends on memberships: one granted since the last build is a
    different server as far as the cache can tell."""
    roles = [random_name("pgmt_test_role") for _ in range(2)]
    with connect(pg_server.admin_url, autocommit=True) as conn:
        for role in roles:
            conn.execute(f"CREATE ROLE {role} NOLOGIN")
    schema = write_files(tmp_path / "schema", FILES)
    cache = SnapshotCache(tmp_path / ".pgmt" / "shadow.msgpack")
    try:
        shadow_snapshot(pg_server.admin_url, schema, cache=cache)
        with connect(pg_server.admin_url, autocommit=True) as conn:
            conn.execute(f"GRANT {roles[0]} TO {roles[1]}")
        shadow_snapshot(pg_server.admin_url, schema, cache=cache)
        assert not cache.last_hit
    finally:
        with connect(pg_server.admin_url, autocommit=True) as conn:
            for role in roles:
                conn.execute(f"DROP ROLE {role}")


def test_another_server_builds_again(pg_server, tmp_path: Path, make_project) -> None:
    """Built on the session's server, then on a project's own cluster: not reused."""
    schema = write_files(tmp_path / "schema", FILES)
    cache = SnapshotCache(tmp_path / ".pgmt" / "shadow.msgpack")
    first = shadow_snapshot(pg_server.admin_url, schema, cache=cache)
    other = Cluster(make_project(), pg_server.bindir).start().url
    namer = Counting()
    again = shadow_snapshot(other, schema, namer, cache=cache)
    assert (namer.made, cache.last_hit) == (1, False)
    assert encode(again) == encode(first)
    shadow_snapshot(other, schema, namer, cache=cache)
    assert (namer.made, cache.last_hit) == (1, True)
