"""`pgmt init`, run as a real subprocess: the project skeleton, and importing a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgmt.catalog.reader import read_snapshot
from pgmt.engine import make_plan
from pgmt.postgres import connect
from pgmt.schema_files import shadow_snapshot

BLOG = """
create type post_status as enum ('draft', 'published');
create schema app;
create table users (id serial primary key, email text not null unique, score int default 0);
create index users_score_idx on users (score);
comment on table users is 'people';
comment on column users.email is 'login';
create table app.posts (id int primary key, author int references users (id), status post_status default 'draft');
create function calculate_score(points integer) returns integer language sql as $$ select points * 2 $$;
create view user_rankings as select id, calculate_score(score) as rank from users;
create view top_user as select * from user_rankings order by rank desc limit 1;
create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger users_touch before update on users for each row execute function touch();
alter table users enable row level security;
create policy own on users using (id = current_setting('app.uid', true)::int);
create materialized view post_counts as select author, count(*) from app.posts group by author;
create sequence invoice_numbers;
alter table users replica identity using index users_email_key;
alter table users alter column email set statistics 500, alter column email set storage main;
"""
CYCLE = """
create table a (id int primary key, b_id int);
create table b (id int primary key, a_id int references a (id));
alter table a add foreign key (b_id) references b (id);
"""


def load(url: str, sql: str) -> str:
    with connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())
    return url


@pytest.fixture
def init(run_pgmt, pg_server):
    def run(project: Path, *args: str):
        return run_pgmt("init", "--project", str(project), *args,
                        env={"PGMT_SHADOW_URL": pg_server.admin_url})
    return run


def test_init_makes_a_project(init, make_project) -> None:
    project = make_project()
    result = init(project)
    assert result.code == 0, result.stderr
    assert (project / "schema").is_dir() and (project / "migrations").is_dir()
    assert (project / ".gitignore").read_text() == ".pgmt/\n"
    text = (project / "pgmt.yaml").read_text()
    assert "dev_url:\n" in text and "schema_dir: schema\n" in text
    assert f"next: edit the files under {project / 'schema'}/, then run `pgmt apply --project {project}`" in result.stderr


def test_init_keeps_an_existing_gitignore(init, make_project) -> None:
    project = make_project()
    (project / ".gitignore").write_text("*.pyc")
    assert init(project).code == 0
    assert (project / ".gitignore").read_text() == "*.pyc\n.pgmt/\n"


def test_init_refuses_an_existing_project(init, make_project) -> None:
    project = make_project()
    (project / "pgmt.yaml").write_text("databases: {}\n")
    result = init(project)
    assert result.code == 1
    assert f"error: {project / 'pgmt.yaml'} already exists" in result.stderr
    assert (project / "pgmt.yaml").read_text() == "databases: {}\n"


def test_then_apply_works_with_nothing_configured(init, run_pgmt, make_project) -> None:
    project = make_project("fresh")
    assert init(project).code == 0
    (project / "schema" / "t.sql").write_text("create table t (id int);\n")
    result = run_pgmt("apply", "--project", str(project))
    assert result.code == 0, result.stderr
    assert "created database fresh_dev on the local cluster" in result.stderr


@pytest.mark.parametrize(("sql", "expected"), [
    pytest.param(BLOG, {
        "types/post_status.sql", "schemas/app.sql", "tables/users.sql", "tables/app.posts.sql",
        "functions/calculate_score.sql", "functions/touch.sql", "views/user_rankings.sql",
        "views/top_user.sql", "materialized_views/post_counts.sql",
        "sequences/invoice_numbers.sql",
    }, id="a blog: one file per object, by kind"),
    pytest.param(CYCLE, {"tables/a.sql", "tables/b.sql", "tables/b.part2.sql"},
                 id="foreign keys in a loop: the closing one in a second file"),
    pytest.param("create domain d as int constraint pos check (value > 0);"
                 "comment on constraint pos on domain d is 'positive';"
                 "create type r as range (subtype = int4); create table t (x r, y r_multirange);",
                 {"types/d.sql", "types/r.sql", "tables/t.sql"},
                 id="a range type (its constructors are its own) and a domain with a commented "
                    "constraint, each in its type's file"),
])
def test_import_round_trips(init, make_project, db_url, pg_server, sql, expected) -> None:
    """Building the written files gives the same catalog as the source database."""
    load(db_url, sql)
    project = make_project()
    result = init(project, "--dev-url", db_url)
    assert result.code == 0, result.stderr
    files = {p.relative_to(project / "schema").as_posix() for p in (project / "schema").rglob("*.sql")}
    assert files == expected
    assert "building them gives the same schema as the database" in result.stderr
    built = shadow_snapshot(pg_server.admin_url, project / "schema")
    with connect(db_url) as conn:
        assert make_plan(read_snapshot(conn), built, source_conn=conn).steps == []
    assert f"dev_url: {db_url}\n" in (project / "pgmt.yaml").read_text()


def test_import_groups_a_tables_parts_into_its_file(init, make_project, db_url) -> None:
    load(db_url, BLOG)
    project = make_project()
    assert init(project, "--dev-url", db_url).code == 0
    users = (project / "schema" / "tables" / "users.sql").read_text()
    assert users.startswith("-- require: functions/touch.sql\n\nCREATE SEQUENCE public.users_id_seq")
    for part in ("CREATE TABLE public.users (", "CREATE INDEX users_score_idx", "CREATE TRIGGER users_touch",
                 "CREATE POLICY own ON public.users", "COMMENT ON TABLE public.users IS 'people'",
                 "COMMENT ON COLUMN public.users.email IS 'login'", "ENABLE ROW LEVEL SECURITY",
                 "REPLICA IDENTITY USING INDEX users_email_key", "email SET STORAGE MAIN"):
        assert part in users
    posts = (project / "schema" / "tables" / "app.posts.sql").read_text()
    assert posts.startswith("-- require: schemas/app.sql, tables/users.sql, types/post_status.sql\n")
    assert "CREATE SCHEMA" not in users and "plpgsql" not in users


def test_import_keeps_passwords_out_of_pgmt_yaml(init, make_project, db_url) -> None:
    # Local trust authentication ignores the password, so the URL still connects.
    with_password = db_url.replace("postgres@", "postgres:hunter2@")
    project = make_project()
    result = init(project, "--dev-url", with_password)
    assert result.code == 0, result.stderr
    assert "hunter2" not in (project / "pgmt.yaml").read_text() + result.stderr
    assert "set PGMT_DEV_URL instead" in result.stderr


def test_import_refuses_a_schema_folder_with_files(init, make_project, db_url) -> None:
    project = make_project()
    (project / "schema").mkdir()
    (project / "schema" / "mine.sql").write_text("create table mine (id int);\n")
    result = init(project, "--dev-url", db_url)
    assert result.code == 1
    assert "already holds .sql files" in result.stderr
    assert not (project / "pgmt.yaml").exists()


def test_import_from_an_unreachable_database(init, make_project) -> None:
    project = make_project()
    result = init(project, "--dev-url", "postgresql://u:pw@127.0.0.1:1/x?connect_timeout=2")
    assert result.code == 1
    assert "error: cannot reach a PostgreSQL server at postgresql://u:***@127.0.0.1:1/x" in result.stderr
    assert not (project / "pgmt.yaml").exists()


def test_import_of_a_database_without_schema_public(init, make_project, db_url) -> None:
    load(db_url, "drop schema public cascade")
    project = make_project()
    result = init(project, "--dev-url", db_url)
    assert result.code == 1
    assert "lacks what every new database has (Drop schema public" in result.stderr
    assert not (project / "pgmt.yaml").exists()
