"""`pgmt apply` (and its config), run as a real subprocess against the session's PostgreSQL.

The dev database is a fresh test database (PGMT_DEV_URL) and shadows are built on the
session's server (PGMT_SHADOW_URL), except where a test checks the defaults.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from files import write_files

from pgmt.catalog.reader import read_snapshot
from pgmt.engine.apply import APPLY_LOCK_KEY
from pgmt.postgres import connect

CORPUS_ROLE = "schemainspect_test_role"  # made on the session's server by conftest

SEED_OLD = {
    "tables/users.sql": "create table users (id serial primary key, name text not null, score int default 0);\n",
    "functions/calculate_score.sql": "create function calculate_score(points integer) returns integer\n"
    "    language sql as $$ select points * 2 $$;\n",
    "views/user_rankings.sql": "create view user_rankings as select id, name, calculate_score(score) as rank_score from users;\n",
    "views/daily_stats.sql": "create view daily_stats as select count(*) as users, max(rank_score) as top from user_rankings;\n",
    "views/executive_dashboard.sql": "create view executive_dashboard as select * from daily_stats;\n",
}
SEED_NEW = {**SEED_OLD, "functions/calculate_score.sql": SEED_OLD["functions/calculate_score.sql"].replace(
    "(points integer)", "(points integer, bonus boolean DEFAULT false)")}

SEED_PLAN = """\
8 changes

  ✓ Drop view public.executive_dashboard
  ✓ Drop view public.daily_stats
  ✓ Drop view public.user_rankings
  ✓ Drop function public.calculate_score(points integer)
  ✓ Create function public.calculate_score(points integer, bonus boolean)
  ✓ Create view public.user_rankings
  ✓ Create view public.daily_stats
  ✓ Create view public.executive_dashboard
"""


def write_schema(project: Path, files: dict[str, str], folder: str = "schema") -> Path:
    schema = project / folder
    if schema.exists():
        for old in schema.rglob("*.sql"):
            old.unlink()
    return write_files(schema, files)


def query(url: str, sql: str) -> list[tuple]:
    with connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql.encode())
        return cursor.fetchall() if cursor.description else []


def tables(url: str) -> list[str]:
    return [r[0] for r in query(url, "select relname from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'v') order by 1")]


@pytest.fixture
def project(make_project) -> Path:
    return make_project()


@pytest.fixture
def apply(run_pgmt, pg_server, db_url, project) -> Callable[..., object]:
    """`pgmt apply --project <project>` against the test database, shadows on the server."""

    def run(*args: str, env: dict[str, str] | None = None):
        base = {"PGMT_DEV_URL": db_url, "PGMT_SHADOW_URL": pg_server.admin_url}
        return run_pgmt("apply", "--project", str(project), *args, env={**base, **(env or {})})

    return run


def test_first_apply_then_up_to_date(apply, project, db_url) -> None:
    """Applies the files, prints one line a step and a summary; a second run has nothing to do."""
    write_schema(project, SEED_OLD)
    first = apply()
    assert first.code == 0, first.stderr
    assert first.stdout == ""
    assert first.stderr.startswith("7 changes\n\n  ✓ Create sequence public.users_id_seq\n")
    assert "  ✓ Create view public.executive_dashboard\n\nApplied 7 changes in " in first.stderr
    assert tables(db_url) == ["daily_stats", "executive_dashboard", "user_rankings", "users"]
    again = apply()
    assert (again.code, again.stderr) == (0, "Database is up to date\n")


def test_a_second_statement_for_one_object_reads_as_words(apply, project) -> None:
    """A table created with row level security shows two steps; the second says what it
    adds in words, not as the SQL again."""
    write_schema(project, {"t.sql": "create table t (id int);\n"
                                    "alter table t enable row level security;\n"
                                    "alter table t force row level security;\n"})
    result = apply()
    assert result.code == 0, result.stderr
    assert "  ✓ Create table public.t\n" in result.stderr
    assert "  ✓ Create table public.t (enable row level security)\n" in result.stderr
    assert "  ✓ Create table public.t (force row level security)\n" in result.stderr


def test_seed_signature_change_under_a_view_chain(apply, project) -> None:
    """The seed scenario: three views dropped top-down, the function replaced, views rebuilt."""
    write_schema(project, SEED_OLD)
    assert apply().code == 0
    write_schema(project, SEED_NEW)
    result = apply()
    assert result.code == 0, result.stderr
    assert result.stderr.startswith(SEED_PLAN)
    assert "\x1b[" not in result.stderr and "✅" not in result.stderr and "📋" not in result.stderr


def test_verbose_says_which_change_forced_a_step(apply, project) -> None:
    write_schema(project, SEED_OLD)
    apply()
    write_schema(project, SEED_NEW)
    result = apply("-v")
    assert ("  ✓ Drop view public.user_rankings (depends on function "
            "public.calculate_score(points integer))\n") in result.stderr
    assert "  ✓ Drop view public.executive_dashboard (depends on view public.daily_stats)\n" in result.stderr


def test_schema_file_error_is_reported_at_file_and_line_and_nothing_applied(apply, project, db_url) -> None:
    write_schema(project, {"a.sql": "create table a (id int);\n", "b.sql": "create table b (\n  id int,\n  x nosuchtype\n);\n"})
    result = apply()
    assert result.code == 1
    assert f"error: {project / 'schema' / 'b.sql'}:3: type \"nosuchtype\" does not exist" in result.stderr
    assert tables(db_url) == []


def test_failing_step_rolls_back_the_whole_plan_and_names_the_step(apply, project, db_url) -> None:
    """A new CHECK that existing rows break fails mid-plan: earlier steps are undone too."""
    write_schema(project, {"t.sql": "create table t (id int primary key, n int);\n"})
    assert apply().code == 0
    query(db_url, "insert into t values (1, -5)")
    write_schema(project, {"t.sql": "create table t (id int primary key, n int, extra text, constraint n_positive check (n > 0));\n",
                           "v.sql": "create view v as select id from t;\n"})
    result = apply()
    assert result.code == 1
    assert "  ✗ Create constraint n_positive on public.t" in result.stderr
    assert "error: create constraint n_positive on public.t failed: check constraint \"n_positive\"" in result.stderr
    assert "nothing was changed" in result.stderr
    assert "hint: the statement was:\nALTER TABLE public.t ADD CONSTRAINT n_positive CHECK" in result.stderr
    assert tables(db_url) == ["t"]
    assert query(db_url, "select count(*) from information_schema.columns where table_name = 't'") == [(2,)]


def test_new_enum_value_needs_a_commit_and_the_output_says_so(apply, project, db_url) -> None:
    write_schema(project, {"t.sql": "create type mood as enum ('sad', 'happy');\ncreate table t (m mood default 'sad');\n"})
    assert apply().code == 0
    write_schema(project, {"t.sql": "create type mood as enum ('sad', 'ok', 'happy');\ncreate table t (m mood default 'ok');\n"})
    result = apply()
    assert result.code == 0, result.stderr
    assert "in 2 transactions: a new enum value must be committed before it can be used" in result.stderr
    assert "  -- committed phase 1 of 2\n" in result.stderr
    assert apply().stderr == "Database is up to date\n"


def test_dry_run_prints_plan_and_sql_and_changes_nothing(apply, project, db_url) -> None:
    write_schema(project, SEED_OLD)
    result = apply("--dry-run")
    assert result.code == 2
    assert result.stderr.startswith("7 changes (dry run, nothing applied)\n\n  • Create sequence")
    assert "CREATE VIEW public.executive_dashboard AS" in result.stdout
    assert tables(db_url) == []


DESTRUCTIVE_OLD = {"t.sql": "create table t (id int primary key, gone text);\n"}
DESTRUCTIVE_NEW = {"t.sql": "create table t (id int primary key);\n"}


def test_data_loss_without_a_terminal_needs_force(apply, project, db_url) -> None:
    write_schema(project, DESTRUCTIVE_OLD)
    apply()
    write_schema(project, DESTRUCTIVE_NEW)
    refused = apply()
    assert refused.code == 3
    assert "  ! Drop column public.t.gone [data loss]" in refused.stderr
    assert "error: refused to apply 1 change: 1 lose data" in refused.stderr
    assert "hint: check the plan with `pgmt apply --dry-run`, then run `pgmt apply --force`" in refused.stderr
    assert query(db_url, "select count(*) from information_schema.columns where table_name = 't'") == [(2,)]
    forced = apply("--force")
    assert forced.code == 0, forced.stderr
    assert "  ✓ Drop column public.t.gone [data loss]" in forced.stderr
    assert query(db_url, "select count(*) from information_schema.columns where table_name = 't'") == [(1,)]


def run_in_terminal(args: list[str], env: dict[str, str], answer: str | None = None,
                    timeout: float = 60) -> tuple[int, str]:
    """Run pgmt with stdin/stdout/stderr on a pseudo-terminal; type `answer` at the prompt."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", "from pgmt.cli import main; main()", *args],
                            stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    output, answered, deadline = b"", False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if answer is not None and not answered and b"[y/N]" in output:
                os.write(leader, answer.encode() + b"\n")
                answered = True
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=10)
    os.close(leader)
    return code, output.decode(errors="replace")


@pytest.fixture
def terminal_env(pg_server, db_url) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PGMT_") and k != "NO_COLOR"}
    return {**env, "PGMT_PG_BINDIR": str(pg_server.bindir), "PGMT_DEV_URL": db_url,
            "PGMT_SHADOW_URL": pg_server.admin_url, "TERM": "xterm"}


@pytest.mark.parametrize(("answer", "code", "columns"), [
    pytest.param("n", 3, 2, id="answering no applies nothing: exit 3"),
    pytest.param("y", 0, 1, id="answering yes applies the plan"),
])
def test_data_loss_in_a_terminal_asks(apply, project, db_url, terminal_env, answer, code, columns) -> None:
    write_schema(project, DESTRUCTIVE_OLD)
    apply()
    write_schema(project, DESTRUCTIVE_NEW)
    got, output = run_in_terminal(["apply", "--project", str(project)], terminal_env, answer)
    assert got == code, output
    assert "1 change will lose data (marked !)" in output
    assert "Apply 1 change? [y/N]" in output
    assert query(db_url, "select count(*) from information_schema.columns where table_name = 't'") == [(columns,)]


def test_terminal_output_has_emoji_and_colour_unless_no_color(project, terminal_env) -> None:
    write_schema(project, SEED_OLD)
    code, output = run_in_terminal(["apply", "--project", str(project), "--dry-run"], terminal_env)
    assert code == 2
    assert "📋 7 changes" in output
    write_schema(project, SEED_OLD)
    code, output = run_in_terminal(["apply", "--project", str(project)], terminal_env)
    assert code == 0
    assert "\x1b[" in output and "✅ Applied 7 changes" in output
    code, output = run_in_terminal(["apply", "--project", str(project)], {**terminal_env, "NO_COLOR": "1"})
    assert (code, output.strip()) == (0, "Database is up to date")


def test_a_second_apply_waits_for_the_first(apply, project, db_url, run_pgmt, pg_server) -> None:
    """The apply lock: while another session holds it, pgmt waits, then plans from fresh state."""
    write_schema(project, {"t.sql": "create table t (id int);\n"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("PGMT_")}
    env.update(PGMT_PG_BINDIR=str(pg_server.bindir), PGMT_DEV_URL=db_url,
               PGMT_SHADOW_URL=pg_server.admin_url)
    with connect(db_url, autocommit=True) as holder:
        holder.execute("select pg_advisory_lock(%s)", (APPLY_LOCK_KEY,))
        proc = subprocess.Popen([sys.executable, "-c", "from pgmt.cli import main; main()", "apply",
                                 "--project", str(project)], env=env, stderr=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
        assert proc.stderr is not None
        line = proc.stderr.readline()
        assert line.startswith("waiting for another pgmt apply on ")
        time.sleep(0.3)
        assert proc.poll() is None and tables(db_url) == []
        # The "other apply" created t meanwhile: the waiting run must see it, not redo it.
        holder.execute("create table t (id int)")
        holder.execute("select pg_advisory_unlock(%s)", (APPLY_LOCK_KEY,))
        rest = proc.stderr.read()
        proc.stderr.close()
        assert proc.wait(timeout=60) == 0, rest
    assert rest == "Database is up to date\n"


def test_defaults_use_the_local_cluster_and_a_project_database(run_pgmt, make_project) -> None:
    """Nothing configured: the project's own cluster, database <folder>_dev created on demand."""
    project = make_project("shop")
    write_schema(project, {"t.sql": "create table t (id int);\n"})
    result = run_pgmt("apply", "--project", str(project))
    assert result.code == 0, result.stderr
    assert "created database shop_dev on the local cluster" in result.stderr
    url = run_pgmt("db", "url", "--project", str(project), "--dbname", "shop_dev").stdout.strip()
    assert tables(url) == ["t"]
    # Shadows are dropped: only the dev database is left besides the defaults.
    names = [r[0] for r in query(url, "select datname from pg_database order by 1")]
    assert names == ["postgres", "shop_dev", "template0", "template1"]
    assert run_pgmt("apply", "--project", str(project)).stderr == "Database is up to date\n"


def test_config_file_sets_dev_url_and_schema_dir(run_pgmt, pg_server, make_db, project) -> None:
    dev = make_db()
    write_schema(project, {"t.sql": "create table from_file (id int);\n"}, folder="db/schema")
    (project / "pgmt.yaml").write_text(
        f"databases:\n  dev_url: {dev}\n  shadow:\n    url: {pg_server.admin_url}\n"
        "directories:\n  schema_dir: db/schema\n")
    result = run_pgmt("apply", "--project", str(project))
    assert result.code == 0, result.stderr
    assert tables(dev) == ["from_file"]


@pytest.mark.parametrize("how", ["env", "flag"])
def test_env_and_flags_override_the_file(run_pgmt, pg_server, make_db, project, how) -> None:
    file_db, other = make_db(), make_db()
    write_schema(project, {"t.sql": "create table t (id int);\n"})
    (project / "pgmt.yaml").write_text(f"databases:\n  dev_url: {file_db}\n")
    env = {"PGMT_SHADOW_URL": pg_server.admin_url}
    if how == "env":
        result = run_pgmt("apply", "--project", str(project), env={**env, "PGMT_DEV_URL": other})
    else:
        result = run_pgmt("apply", "--project", str(project), "--dev-url", other,
                          env={**env, "PGMT_DEV_URL": file_db})
    assert result.code == 0, result.stderr
    assert (tables(file_db), tables(other)) == ([], ["t"])


def test_excluded_schemas_and_tables_are_left_alone(apply, project, db_url) -> None:
    query(db_url, "create schema scratch; create table scratch.keep (id int); create table tmp_keep (id int)")
    write_schema(project, {"t.sql": "create table t (id int);\n"})
    (project / "pgmt.yaml").write_text("objects:\n  exclude:\n    schemas: [scratch]\n    tables: ['tmp_*']\n")
    result = apply()
    assert result.code == 0, result.stderr
    assert "scratch" not in result.stderr and "tmp_keep" not in result.stderr
    assert tables(db_url) == ["t", "tmp_keep"]
    assert query(db_url, "select count(*) from pg_tables where schemaname = 'scratch'") == [(1,)]


def test_filters_place_owners_casts_and_publication_schemas(apply, project, db_url) -> None:
    """Object filters know where owners, casts and schema publications live."""
    query(db_url, "do $$ begin create role pgmt_test_owner nologin; "
          "exception when duplicate_object then null; end $$")
    query(db_url, "create schema scratch authorization pgmt_test_owner; create table scratch.keep (id int)")
    schema = {
        "t.sql": "create schema app authorization pgmt_test_owner;\n"
                 "create type app.pair as (a int, b int);\n"
                 "create function app.pair_text(app.pair) returns text language sql "
                 "as $$ select ($1).a::text $$;\n"
                 "create cast (app.pair as text) with function app.pair_text(app.pair);\n"
                 "create publication pub for tables in schema app;\n",
    }
    write_schema(project, schema)
    (project / "pgmt.yaml").write_text("objects:\n  exclude:\n    schemas: [scratch]\n")
    result = apply("--force")
    assert result.code == 0, result.stderr
    assert "scratch" not in result.stderr
    assert query(db_url, "select nspowner::regrole::text from pg_namespace where nspname = 'app'") \
        == [("pgmt_test_owner",)]
    assert query(db_url, "select count(*) from pg_cast where castsource = 'app.pair'::regtype") == [(1,)]
    assert apply().code == 0


@pytest.mark.parametrize(("text", "message"), [
    pytest.param("databases:\n  dev_url: x\n  devurl: y\n", "pgmt.yaml:3: unknown key databases.devurl",
                 id="unknown key: named with its line"),
    pytest.param("directories:\n  schema_dir: [a]\n", "pgmt.yaml:2: directories.schema_dir: Expected str",
                 id="wrong type: key and line"),
    pytest.param("objects:\n  exclude:\n    schemas: [a, 3]\n", "pgmt.yaml:3: objects.exclude.schemas.1: Expected str",
                 id="wrong type in a list"),
    pytest.param("databases: {dev_url: x\n", "pgmt.yaml:2: not valid YAML",
                 id="YAML syntax error: line"),
    pytest.param("- a\n", "pgmt.yaml:1: (top level): Expected object, got array",
                 id="not a mapping"),
])
def test_bad_config_names_key_and_line(apply, project, text, message) -> None:
    write_schema(project, {"t.sql": "create table t (id int);\n"})
    (project / "pgmt.yaml").write_text(text)
    result = apply()
    assert result.code == 1
    assert f"error: {project / message}" in result.stderr
    assert "\nhint: " in result.stderr


def test_missing_schema_folder(apply, project) -> None:
    result = apply()
    assert result.code == 1
    assert f"error: schema folder {project / 'schema'} does not exist" in result.stderr
    assert "hint: create it (`pgmt init` makes a project)" in result.stderr


def test_unreachable_dev_database(apply, project) -> None:
    write_schema(project, {"t.sql": "create table t (id int);\n"})
    result = apply(env={"PGMT_DEV_URL": "postgresql://nobody:secret@127.0.0.1:1/nope?connect_timeout=2"})
    assert result.code == 1
    assert "error: cannot reach a PostgreSQL server at postgresql://nobody:***@127.0.0.1:1/nope" in result.stderr
    assert "secret" not in result.stderr


def test_watch_and_dry_run_do_not_mix(apply, project) -> None:
    result = apply("--watch", "--dry-run")
    assert result.code == 1 and "--watch and --dry-run cannot be used together" in result.stderr


def test_dev_snapshot_is_what_the_files_say(apply, project, db_url, pg_server) -> None:
    """The acceptance check end to end: after apply, the dev catalog equals a fresh build."""
    write_schema(project, SEED_NEW)
    assert apply().code == 0
    from pgmt.engine import make_plan
    from pgmt.schema_files import shadow_snapshot
    built = shadow_snapshot(pg_server.admin_url, project / "schema")
    with connect(db_url) as conn:
        assert make_plan(read_snapshot(conn), built).steps == []


def test_unchanged_files_reuse_the_last_build_and_an_edit_builds_again(apply, project, db_url) -> None:
    """The shadow snapshot is cached in .pgmt/: a no-op run reuses it, an edit is applied."""
    write_schema(project, {"t.sql": "create table t (id int);\n"})
    assert apply().code == 0
    again = apply("-v")
    assert again.code == 0, again.stderr
    assert again.stderr.startswith("schema files unchanged since their last build: its snapshot "
                                   f"is reused ({project / '.pgmt' / 'shadow-snapshot.msgpack'})\n")
    assert again.stderr.endswith("Database is up to date\n")
    write_schema(project, {"t.sql": "create table t (id int, name text);\n"})
    edited = apply("-v")
    assert edited.code == 0, edited.stderr
    assert "reused" not in edited.stderr and "Applied 1 change" in edited.stderr
    assert query(db_url, "select count(*) from information_schema.columns where table_name = 't'") == [(2,)]
    write_schema(project, {"t.sql": "create table t (id int, name text);\n", "u.sql": "create table u ();\n"})
    added = apply("-v")
    assert "reused" not in added.stderr and "Applied 1 change" in added.stderr
    write_schema(project, {"t.sql": "create table t (id int, name text);\n"})
    removed = apply("-v", "--force")
    assert "reused" not in removed.stderr and "Applied 1 change" in removed.stderr
    assert tables(db_url) == ["t"]


def test_another_shadow_server_does_not_reuse_the_last_build(apply, project, run_pgmt, db_url) -> None:
    """Built on the session's server (which has the role granted to), then on the project's
    own cluster (which has not): the second build runs, and fails as it must."""
    write_schema(project, {"t.sql": f"create table t (id int);\ngrant select on t to {CORPUS_ROLE};\n"})
    assert apply().code == 0
    assert "reused" in apply("-v").stderr
    local = run_pgmt("apply", "--project", str(project), "-v", env={"PGMT_DEV_URL": db_url})
    assert local.code == 1
    assert f'role "{CORPUS_ROLE}" does not exist' in local.stderr and "reused" not in local.stderr
