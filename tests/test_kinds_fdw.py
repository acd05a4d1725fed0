"""Foreign data wrappers, servers, user mappings and foreign tables: created, each
attribute altered, dropped (every case also runs backwards), and dropped/recreated
when something they depend on is; secrets never leave the server.

Every case checks the acceptance invariant (tests/convergence.py) in both
directions; where given, the forward plan is exactly `expected`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import PgServer
from convergence import converge, load, snapshot
from test_kinds import ROLE, both_ways, roles  # noqa: F401  (autouse: the roles exist)

from pgmt.catalog import model
from pgmt.postgres import connect

FDW = "create extension postgres_fdw;"
SRV = FDW + "create server remote foreign data wrapper postgres_fdw" \
            " options (host 'db.example', dbname 'app');"
UM = SRV + "create user mapping for public server remote options (user 'app_user');"
FT = SRV + "create foreign table ft (id int not null, name text," \
           " constraint ft_id check (id > 0)) server remote" \
           " options (schema_name 'public', table_name 't');"

# Per-column options: the remote column's name (postgres_fdw's only one); file_fdw has two.
FT_OPT = FT.replace("name text", "name text options (column_name 'nm')")
FILE_FT = ("create extension file_fdw; create server files foreign data wrapper file_fdw;"
           "create foreign table log (at timestamptz, line text options (force_not_null 'true'))"
           " server files options (filename '/tmp/pgmt_log.csv', format 'csv');")

FOREIGN = [
    pytest.param(FDW, FDW + "create foreign data wrapper w;",
                 ["create foreign data wrapper w"], id="wrapper-created"),
    pytest.param(FDW + "create foreign data wrapper w;",
                 FDW + "create foreign data wrapper w options (debug 'true');",
                 ["alter foreign data wrapper w"], id="wrapper-options-altered"),
    pytest.param(FDW + "create foreign data wrapper w;",
                 FDW + "create foreign data wrapper w validator postgresql_fdw_validator;",
                 ["alter foreign data wrapper w"], id="wrapper-validator-altered"),
    pytest.param(FDW + "create foreign data wrapper w;",
                 FDW + "create foreign data wrapper w handler postgres_fdw_handler;",
                 ["alter foreign data wrapper w"], id="wrapper-handler-altered"),
    pytest.param(FDW, SRV, ["create server remote"], id="server-created"),
    pytest.param(SRV, SRV.replace("'app'", "'other'"), ["alter server remote"],
                 id="server-option-set"),
    pytest.param(SRV, SRV.replace(", dbname 'app'", ""), ["alter server remote"],
                 id="server-option-dropped"),
    pytest.param(SRV, SRV.replace("foreign data", "version '15' foreign data"),
                 ["alter server remote"], id="server-version-set"),
    pytest.param(SRV, SRV.replace("foreign data", "type 'pg' foreign data"),
                 ["drop server remote", "create server remote"], id="server-type-recreated"),
    pytest.param(SRV, UM, ["create user mapping for PUBLIC on remote"], id="user-mapping-created"),
    pytest.param(UM, UM.replace("'app_user'", "'other'"), ["alter user mapping for PUBLIC on remote"],
                 id="user-mapping-options-altered"),
    pytest.param(SRV, FT, ["create foreign table public.ft"], id="foreign-table-created"),
    pytest.param(FT, FT.replace("'t'", "'t2'"), ["alter foreign table public.ft"],
                 id="foreign-table-options-altered"),
    pytest.param(FT, FT.replace("name text", "name text, extra date"),
                 ["create column public.ft.extra"], id="foreign-table-column-added"),
    pytest.param(FT, FT.replace("id int not null", "id int"),
                 ["alter column public.ft.id"], id="foreign-table-not-null-dropped"),
    pytest.param(FT, FT.replace("name text", "name varchar(10)"),
                 ["alter column public.ft.name"], id="foreign-table-column-retyped"),
    pytest.param(FT, FT.replace("id > 0", "id > 1"),
                 ["drop constraint ft_id on public.ft", "create constraint ft_id on public.ft"],
                 id="foreign-table-check-altered"),
    pytest.param(FT, FT + "comment on foreign table ft is 'remote';"
                 f"alter foreign table ft owner to {ROLE}; grant select on ft to {ROLE};"
                 f"comment on server remote is 'r'; grant usage on foreign server remote to {ROLE};",
                 None, id="foreign-comment-owner-grant"),
    pytest.param(FT + "create view v as select name from ft;",
                 FT.replace("'public',", "'public', fetch_size '10',")
                 .replace("foreign data wrapper postgres_fdw",
                          "type 'pg' foreign data wrapper postgres_fdw")
                 + "create view v as select name from ft;",
                 ["drop view public.v", "drop foreign table public.ft", "drop server remote",
                  "create server remote", "create foreign table public.ft", "create view public.v"],
                 id="foreign-table-recreated-with-its-server"),
    pytest.param("create extension file_fdw;",
                 "create extension file_fdw; create server files foreign data wrapper file_fdw;"
                 "create foreign table log (at timestamptz, line text) server files"
                 " options (filename '/tmp/pgmt_log.csv', format 'csv', header 'true');",
                 ["create server files", "create foreign table public.log"],
                 id="file-fdw-foreign-table-created"),
    pytest.param(SRV, FT_OPT, ["create foreign table public.ft"],
                 id="foreign-table-created-with-column-options"),
    pytest.param(FT, FT_OPT, ["create column options public.ft.name"],
                 id="column-options-added"),
    pytest.param(FT_OPT, FT_OPT.replace("'nm'", "'nm2'"), ["alter column options public.ft.name"],
                 id="column-option-set"),
    pytest.param(FILE_FT, FILE_FT.replace("'true')", "'true', force_null 'true')"),
                 ["alter column options public.log.line"], id="column-option-added-to-another"),
    pytest.param(FT_OPT, FT_OPT.replace("'nm')", "'nm'), extra date options (column_name 'x')"),
                 ["create column public.ft.extra"], id="foreign-column-added-with-its-options"),
    pytest.param(FT_OPT, FT_OPT.replace("'nm')", "'nm') collate \"C\""),
                 ["alter column public.ft.name"], id="column-with-options-collation-altered"),
    pytest.param(FT_OPT, FT_OPT.replace("name text", "name text[]"),
                 ["drop column public.ft.name", "create column public.ft.name"],
                 id="column-options-recreated-with-their-column"),
    pytest.param(FT_OPT, FT_OPT.replace("foreign data wrapper postgres_fdw",
                                        "type 'pg' foreign data wrapper postgres_fdw"),
                 ["drop foreign table public.ft", "drop server remote", "create server remote",
                  "create foreign table public.ft"],
                 id="column-options-recreated-with-their-server"),
    pytest.param(FT_OPT, FT_OPT + "comment on column ft.name is 'remote nm';", None,
                 id="column-options-and-comment"),
    pytest.param(FT, "", None, id="all-dropped"),
    pytest.param(FT_OPT, "", None, id="all-dropped-with-column-options"),
]


@pytest.mark.parametrize(("old", "new", "expected"), FOREIGN)
def test_foreign_kind_converges(
    make_db: Callable[[], str], old: str, new: str, expected: list[str] | None
) -> None:
    """Both directions converge; where given, the forward plan is exactly `expected`."""
    both_ways(make_db, old, new, expected)


SECRET_SRV = SRV.replace("dbname 'app'", "dbname 'app', passfile '/s3cr3t/pgpass'")
SECRET_UM = SECRET_SRV + "create user mapping for public server remote" \
                         " options (user 'app', password 'hunter2');"


def test_secrets_never_reach_the_snapshot(make_db: Callable[[], str]) -> None:
    """Options that look like secrets are read as a placeholder, never their value."""
    url = make_db()
    load(url, SECRET_UM)
    encoded = model.encode(snapshot(url))
    assert b"hunter2" not in encoded and b"s3cr3t" not in encoded
    assert model.SECRET_PLACEHOLDER.encode() in encoded


def test_secret_placeholder_flags_the_step(make_db: Callable[[], str]) -> None:
    """A step writing a placeholder carries the secret_placeholder hazard; others do not."""
    plan = converge(make_db, SRV, SECRET_UM).plan
    flagged = {s.object_name: s.needs_secret for s in plan.steps}
    assert flagged == {"remote": True, "for PUBLIC on remote": True}
    assert all("hunter2" not in s.sql and "s3cr3t" not in s.sql for s in plan.steps)


def test_secret_values_alone_are_invisible(make_db: Callable[[], str]) -> None:
    """Known limit: two databases that differ only in a secret's value plan nothing."""
    plan = converge(make_db, SECRET_UM, SECRET_UM.replace("hunter2", "swordfish")).plan
    assert plan.steps == []


def test_diff_json_and_apply_never_show_a_secret_and_apply_refuses_the_placeholder(
    run_pgmt: Callable[..., Any], pg_server: PgServer, make_db: Callable[[], str],
    make_project: Callable[[], Path],
) -> None:
    """`pgmt diff --format json` prints the placeholder, flagged; `pgmt apply` refuses the
    plan (exit 1, a hint, nothing applied) even with --force."""
    source, target = make_db(), make_db()
    load(source, SRV)
    load(target, SECRET_UM)
    diff = run_pgmt("diff", "--from", source, "--to", target, "--format", "json")
    assert diff.code == 2, diff.stderr
    assert "hunter2" not in diff.stdout + diff.stderr and "s3cr3t" not in diff.stdout
    assert "secret_placeholder" in diff.stdout

    project = make_project()
    (project / "schema").mkdir()
    (project / "schema" / "fdw.sql").write_text(SECRET_UM)
    env = {"PGMT_DEV_URL": source, "PGMT_SHADOW_URL": pg_server.admin_url}
    applied = run_pgmt("apply", "--project", str(project), "--force", env=env)
    assert applied.code == 1
    assert "contain a placeholder you must fill" in applied.stderr
    assert "\nhint: " in applied.stderr
    assert "hunter2" not in applied.stdout + applied.stderr
    with connect(source) as conn:
        assert conn.execute("select count(*) from pg_user_mappings").fetchone() == (0,)


def test_init_writes_foreign_objects_and_operators_to_their_own_files(
    run_pgmt: Callable[..., Any], pg_server: PgServer, make_db: Callable[[], str],
    make_project: Callable[[], Path],
) -> None:
    """`pgmt init` files: a server with its user mappings, a foreign table with its
    columns, operators named after their function; building them converges."""
    from test_kinds import CLS

    from pgmt.catalog.reader import read_snapshot
    from pgmt.engine import make_plan
    from pgmt.schema_files import shadow_snapshot

    url = make_db()
    load(url, UM + FT.replace(SRV, "") + CLS)
    project = make_project()
    result = run_pgmt("init", "--project", str(project), "--dev-url", url,
                      env={"PGMT_SHADOW_URL": pg_server.admin_url})
    assert result.code == 0, result.stderr
    schema = project / "schema"
    files = {p.relative_to(schema).as_posix() for p in schema.rglob("*.sql")}
    assert {"extensions/postgres_fdw.sql", "foreign_servers/remote.sql",
            "foreign_tables/ft.sql", "operators/ci_ops_class.sql",
            "operators/ci_ops_family.sql", "operators/ci_eq.sql"} <= files
    assert "CREATE USER MAPPING" in (schema / "foreign_servers" / "remote.sql").read_text()
    built = shadow_snapshot(pg_server.admin_url, schema)
    with connect(url) as conn:
        assert make_plan(read_snapshot(conn), built, source_conn=conn).steps == []
