"""`pgmt init`: a new project (pgmt.yaml, schema/, migrations/, .gitignore), optionally
importing an existing database's schema as one file per object.

The import is checked by a round trip: the written files are built in a shadow database,
which must plan as identical to the source.
"""

from __future__ import annotations

from pathlib import Path

import click

from pgmt.catalog.model import Snapshot
from pgmt.catalog.reader import read_snapshot
from pgmt.cli.config import CONFIG_FILE, SHADOW_URL_ENV, load_config
from pgmt.cli.export import export_files
from pgmt.cli.output import Style, changes, step_title
from pgmt.cli.shadow import Shadow
from pgmt.engine import make_plan
from pgmt.errors import ConfigError, PgmtError
from pgmt.postgres import connect, redact, scratch_database
from pgmt.schema_files import shadow_snapshot

GITIGNORE_ENTRY = ".pgmt/"

CONFIG_TEMPLATE = """\
# pgmt project configuration. Every key is optional. PGMT_DEV_URL, PGMT_SHADOW_URL and
# PGMT_TARGET_URL, then command-line flags, override what is set here.
databases:
  # The database `pgmt apply` changes. Unset: {dev_database} on the local PostgreSQL that
  # pgmt keeps in .pgmt/ (created on first use).
  dev_url:{dev_url}
  # The production database later commands compare against.
  target_url:
  shadow:
    # Where schema files are built, in a throwaway database per run (the user needs
    # CREATE DATABASE). Unset: the local PostgreSQL in .pgmt/.
    url:
directories:
  schema_dir: schema
  migrations_dir: migrations
objects:
  # Globs on schema and table names; excluded objects are neither created nor dropped.
  include:
    schemas: []
    tables: []
  exclude:
    schemas: []
    tables: []
"""


class ImportMismatch(PgmtError):
    """The imported files do not rebuild the source schema exactly (a pgmt bug)."""


@click.command()
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True, help="Directory to make the project in.")
@click.option("--dev-url", metavar="URL",
              help="Import this database's schema into schema files (and use it as the dev "
              "database).")
@click.option("--shadow-url", envvar=SHADOW_URL_ENV, metavar="URL",
              help="Check the import on this server instead of the local cluster "
              f"[env: {SHADOW_URL_ENV}].")
@click.option("--bindir", type=click.Path(file_okay=False, path_type=Path),
              help="PostgreSQL bin directory for the local cluster.")
def init(project_dir: Path, dev_url: str | None, shadow_url: str | None,
         bindir: Path | None) -> None:
    """Create a pgmt project; with --dev-url, import that database's schema."""
    style = Style.detect()
    config_path = project_dir / CONFIG_FILE
    if config_path.exists():
        raise ConfigError(f"{config_path} already exists: {project_dir} is a pgmt project",
                          hint="edit pgmt.yaml, or remove it to start over")
    if project_dir.exists() and not project_dir.is_dir():
        raise ConfigError(f"{project_dir} exists and is not a folder",
                          hint="choose another --project folder")
    schema_dir = project_dir / "schema"
    if dev_url and schema_dir.is_dir() and any(schema_dir.rglob("*.sql")):
        raise ConfigError(
            f"{schema_dir} already holds .sql files; importing would mix the two",
            hint="import into a new folder (--project), or move the existing files away",
        )
    shadow = Shadow(shadow_url, project_dir, bindir)
    files = _import(dev_url, shadow, style) if dev_url else {}

    project_dir.mkdir(parents=True, exist_ok=True)
    schema_dir.mkdir(exist_ok=True)
    (project_dir / "migrations").mkdir(exist_ok=True)
    for name, text in files.items():
        path = schema_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    keep_url = dev_url and redact(dev_url) == dev_url  # never write a password to a file
    config = load_config(project_dir, environ={})
    config_path.write_text(CONFIG_TEMPLATE.format(
        dev_database=config.dev_database, dev_url=f" {dev_url}" if keep_url else ""))
    if dev_url and not keep_url:
        style.say("note: the dev URL has a password, so pgmt.yaml leaves databases.dev_url "
                  "unset; set PGMT_DEV_URL instead")
    added = _ignore_state(project_dir)
    style.say(f"{style.emoji('✨')}created {config_path}, {schema_dir}/, "
              f"{project_dir / 'migrations'}/" + (", .gitignore entry .pgmt/" if added else ""))
    if files:
        _check_round_trip(dev_url or "", schema_dir, shadow, len(files), style)
    project = f" --project {project_dir}" if project_dir != Path(".") else ""
    style.say(f"next: edit the files under {schema_dir}/, then run `pgmt apply{project}`")


def _import(dev_url: str, shadow: Shadow, style: Style) -> dict[str, str]:
    style.say(f"reading {redact(dev_url)}")
    with connect(dev_url) as conn:
        source = read_snapshot(conn)
    with scratch_database(shadow.admin_url()) as empty_url, connect(empty_url) as conn:
        # What a new database already has (schema public, plpgsql) is not written out.
        baseline = read_snapshot(conn)
    plan = make_plan(baseline, source)
    drops = [step for step in plan.steps if step.action != "create"]
    if drops:
        raise ConfigError(
            f"{redact(dev_url)} lacks what every new database has "
            f"({', '.join(step_title(step) for step in drops[:3])}); schema files cannot "
            "express removing it",
            hint="recreate it in the database (e.g. CREATE SCHEMA public), then import again",
        )
    return export_files(source, plan)


def _check_round_trip(dev_url: str, schema_dir: Path, shadow: Shadow, count: int,
                      style: Style) -> None:
    rebuilt: Snapshot = shadow_snapshot(shadow.admin_url(), schema_dir)
    with connect(dev_url) as conn:
        source = read_snapshot(conn)
        plan = make_plan(source, rebuilt, source_conn=conn)
    if not plan.empty:
        shown = "; ".join(step_title(step) for step in plan.steps[:5])
        raise ImportMismatch(
            f"wrote {count} schema files to {schema_dir}, but building them does not give "
            f"the same schema as the database: {changes(len(plan.steps))} ({shown})",
            hint="this is a bug in pgmt; please report it. Fix the files by hand, checking "
            f"with `pgmt diff --from {redact(dev_url)} --to {schema_dir}`",
        )
    style.say(f"{style.emoji('✅')}imported {count} schema files into {schema_dir}/; "
              "building them gives the same schema as the database")


def _ignore_state(project_dir: Path) -> bool:
    """Add `.pgmt/` to the project's .gitignore unless an entry already covers it."""
    path = project_dir / ".gitignore"
    text = path.read_text() if path.is_file() else ""
    entries = {line.strip() for line in text.splitlines()}
    if entries & {".pgmt", ".pgmt/", "/.pgmt", "/.pgmt/"}:
        return False
    path.write_text(text + ("" if not text or text.endswith("\n") else "\n")
                    + f"{GITIGNORE_ENTRY}\n")
    return True
