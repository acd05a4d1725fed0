"""`pgmt diff`, run as a real subprocess against the session's PostgreSQL."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from files import write_files

from pgmt.postgres import connect

OLD = "CREATE TABLE a (id int PRIMARY KEY, name text);\n"
NEW = ("CREATE TABLE a (id int PRIMARY KEY, name text, born date);\n"
       "CREATE VIEW named AS SELECT id, name FROM a;\n")


def load(url: str, sql: str) -> str:
    with connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())
    return url


@pytest.fixture
def diff(run_pgmt, pg_server, tmp_path: Path) -> Callable[..., object]:
    """`pgmt diff --from SOURCE --to SOURCE ...`, shadows on the session's server, run in
    `tmp_path` (its .pgmt/ keeps the snapshots of the last builds)."""

    def run(source: str | Path, target: str | Path, *args: str, **kwargs: object):
        kwargs.setdefault("cwd", tmp_path)
        return run_pgmt("diff", "--from", str(source), "--to", str(target), *args,
                        env={"PGMT_SHADOW_URL": pg_server.admin_url}, **kwargs)

    return run


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        pytest.param(OLD, OLD, 0, id="same schema: exit 0, nothing printed"),
        pytest.param(OLD, NEW, 2, id="a difference: exit 2, SQL printed"),
    ],
)
def test_url_to_url(diff, make_db, old: str, new: str, code: int) -> None:
    result = diff(load(make_db(), old), load(make_db(), new))
    assert result.code == code, result.stderr
    assert ("ALTER TABLE public.a ADD COLUMN born date" in result.stdout) == (code == 2)
    assert result.stdout == "" or code == 2


def test_folder_to_url(diff, db_url: str, tmp_path: Path) -> None:
    """Schema files as the source: the empty database's side drops what they declare."""
    result = diff(write_files(tmp_path / "schema", {"a.sql": OLD}), db_url, "--format", "summary")
    assert result.code == 2, result.stderr
    assert result.stdout == "- drop table public.a [data_loss]\n"


def test_file_to_folder(diff, tmp_path: Path) -> None:
    old = write_files(tmp_path / "old", {"a.sql": OLD})
    new = write_files(tmp_path / "new", {"1_view.sql": "CREATE VIEW named AS SELECT id, name FROM a;\n",
                                   "2_table.sql": NEW.splitlines()[0] + "\n"})
    result = diff(old / "a.sql", new, "--format", "summary")
    assert result.code == 2, result.stderr
    assert result.stdout.splitlines() == ["- create column public.a.born",
                                          "- create view public.named"]


def test_unchanged_files_are_not_built_again(diff, tmp_path: Path) -> None:
    """Each side keeps the snapshot of its last build (the --to side where `pgmt apply`
    keeps its own): the same files are read from there, an edited file is built again."""
    old = write_files(tmp_path / "old", {"a.sql": OLD})
    new = write_files(tmp_path / "new", {"a.sql": NEW})
    first = diff(old, new, "--format", "summary")
    assert first.code == 2, first.stderr
    assert first.stderr.count("building ") == 2
    assert (tmp_path / ".pgmt" / "shadow-snapshot.msgpack").is_file()
    assert (tmp_path / ".pgmt" / "shadow-snapshot-from.msgpack").is_file()

    again = diff(old, new, "--format", "summary")
    assert (again.code, again.stdout) == (first.code, first.stdout)
    assert "building " not in again.stderr
    assert f"{old} unchanged since its last build: its snapshot is reused" in again.stderr
    assert f"{new} unchanged since its last build: its snapshot is reused" in again.stderr

    (new / "a.sql").write_text(OLD)
    edited = diff(old, new, "--format", "summary")
    assert (edited.code, edited.stdout) == (0, ""), edited.stderr
    assert f"building {new} in a shadow database" in edited.stderr
    assert f"{old} unchanged since its last build" in edited.stderr


@pytest.mark.parametrize(
    ("output_format", "check"),
    [
        pytest.param("sql", lambda out: out.startswith("-- pgmt diff: 2 steps\n")
                     and "CREATE VIEW public.named AS" in out, id="sql: a commented script"),
        pytest.param("json", lambda out: [s["object_name"] for s in json.loads(out)["steps"]]
                     == ["public.a.born", "public.named"], id="json: the plan as data"),
        pytest.param("summary", lambda out: out == "- create column public.a.born\n"
                     "- create view public.named\n", id="summary: one line a step"),
    ],
)
def test_formats(diff, make_db, output_format: str, check: Callable[[str], bool]) -> None:
    result = diff(load(make_db(), OLD), load(make_db(), NEW), "--format", output_format)
    assert result.code == 2, result.stderr
    assert check(result.stdout), result.stdout
    assert "2 steps" in result.stderr


@pytest.mark.parametrize(
    ("output_format", "stdout"),
    [
        pytest.param("sql", "", id="sql: empty"),
        pytest.param("summary", "", id="summary: empty"),
        pytest.param("json", None, id="json: a plan without steps"),
    ],
)
def test_no_difference_formats(diff, make_db, output_format: str, stdout: str | None) -> None:
    result = diff(load(make_db(), OLD), load(make_db(), OLD), "--format", output_format)
    assert result.code == 0, result.stderr
    if stdout is None:
        assert json.loads(result.stdout)["steps"] == []
    else:
        assert result.stdout == stdout
    assert "no differences" in result.stderr


def test_printed_sql_applied_with_psql_converges(diff, pg_server, db_url: str,
                                                  tmp_path: Path) -> None:
    """psql -f of the printed SQL turns the source into the target: a re-diff is empty."""
    load(db_url, OLD + "INSERT INTO a VALUES (1, 'kept');\n")
    schema = write_files(tmp_path / "schema", {"a.sql": NEW})
    planned = diff(db_url, schema)
    assert planned.code == 2, planned.stderr
    applied = subprocess.run(
        [str(pg_server.bindir / "psql"), "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1",
         "--dbname", db_url, "--file", "-"],
        input=planned.stdout, capture_output=True, text=True, timeout=60,
    )
    assert applied.returncode == 0, applied.stderr
    again = diff(db_url, schema)
    assert (again.code, again.stdout) == (0, "")
    with connect(db_url) as conn:
        assert conn.execute("SELECT name FROM named").fetchall() == [("kept",)]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param("postgresql://someone:s3cret@127.0.0.1:1/db",
                     "error: cannot reach a PostgreSQL server at postgresql://someone:***@",
                     id="an unreachable URL"),
        pytest.param("postgres://someone:s3cret@127.0.0.1:1/db", "error: cannot reach",
                     id="the postgres:// scheme is a URL too"),
        pytest.param("no/such/folder", "error: no/such/folder is neither a PostgreSQL URL",
                     id="a path that does not exist"),
    ],
)
def test_bad_source_is_one_error(diff, db_url: str, source: str, message: str) -> None:
    result = diff(source, db_url)
    assert result.code == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert "\nhint: " in result.stderr
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr


def test_a_missing_source_is_reported_before_the_other_side_is_built(
    diff, tmp_path: Path
) -> None:
    schema = write_files(tmp_path / "schema", {"a.sql": "CREATE TABEL a ();\n"})
    result = diff(tmp_path / "nothing", schema)
    assert result.code == 1
    assert f"error: {tmp_path / 'nothing'} is neither a PostgreSQL URL" in result.stderr
    assert "building" not in result.stderr and "TABEL" not in result.stderr


def test_schema_file_error_is_reported_at_its_line(diff, db_url: str, tmp_path: Path) -> None:
    schema = write_files(tmp_path / "schema", {"a.sql": "CREATE TABLE a ();\n\nCREATE TABEL b ();\n"})
    result = diff(schema, db_url)
    assert result.code == 1
    assert f"error: {schema / 'a.sql'}:3: syntax error at or near \"TABEL\"" in result.stderr
    assert "hint: " in result.stderr
    assert "Traceback" not in result.stderr


def test_password_never_printed(diff, pg_server, make_db) -> None:
    """A password in a URL is shown as *** in the talk (the test server trusts local users)."""
    url = make_db()
    if "postgres@" not in url:
        pytest.skip("needs the local test cluster, which ignores passwords")
    with_password = url.replace("postgres@", "postgres:s3cret@", 1)
    result = diff(with_password, with_password, "--format", "sql")
    assert result.code == 0, result.stderr
    assert "postgres:***@" in result.stderr
    assert "s3cret" not in result.stdout + result.stderr


def test_shadow_on_the_local_cluster(run_pgmt, make_project, tmp_path: Path) -> None:
    """Without --shadow-url, schema files are built on the project's own cluster."""
    project = make_project()
    old = write_files(project / "old", {"a.sql": OLD})
    new = write_files(project / "new", {"a.sql": NEW})
    result = run_pgmt("diff", "--from", "old", "--to", "new", "--format", "summary",
                      cwd=project)
    assert result.code == 2, result.stderr
    assert (project / ".pgmt").is_dir()
    assert "- create view public.named" in result.stdout
    assert old.is_dir() and new.is_dir()
