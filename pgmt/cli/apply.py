"""`pgmt apply`: make the dev database match the schema files, once or on every save.

One run: build the schema files in a fresh shadow database (on the shadow server or the
local cluster; never the dev database) while reading the dev database under its apply
lock, plan, print the plan, apply it atomically, and summarise. With no dev URL anywhere,
the dev database is `<project>_dev` on the project's local cluster, created if missing.

The shadow's snapshot is kept in `.pgmt/` (see `pgmt.schema_files.cache`): when the files,
the shadow server and pgmt are all as they were at the last build, the build is skipped.
Shadow databases are dropped in the background, and while watching the next one is made
while waiting for a save.

The plan and the summary are talk, so they go to stderr (like `pgmt diff`'s tally);
`--dry-run` prints the SQL, which is data, to stdout.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import click
import psycopg

from pgmt.catalog.model import SECRET_PLACEHOLDER
from pgmt.catalog.reader import read_snapshot
from pgmt.cli.config import Config, load_config
from pgmt.cli.output import Style, changes, step_title, step_titles
from pgmt.cli.shadow import SNAPSHOT_CACHE, Shadow, start_local_cluster
from pgmt.engine import Plan, Step, make_plan
from pgmt.engine.apply import ApplyError, apply_lock, apply_plan
from pgmt.errors import ConfigError, ExitStatus, PgmtError
from pgmt.postgres import connect, create_database, redact, with_dbname
from pgmt.postgres.cluster import STATE_DIR
from pgmt.postgres.scratch import ScratchDatabases
from pgmt.schema_files import SnapshotCache, shadow_snapshot

# watchfiles groups the events of one save; a quiet spell this long ends the group.
WATCH_STEP_MS = 50


class Refused(PgmtError):
    """The plan loses data and was not confirmed: nothing applied, exit status 3."""

    exit_status = ExitStatus.UNSAFE


class DevDatabase:
    """The database `pgmt apply` changes: the configured URL, or `<project>_dev` on the
    project's local cluster (started, and the database created, on first use)."""

    def __init__(self, config: Config, bindir: Path | None) -> None:
        self.config = config
        self.bindir = bindir
        self._url: str | None = None

    def url(self) -> str:
        if self._url is None:
            self._url = self.config.dev_url or self._local()
        return self._url

    def _local(self) -> str:
        admin_url = start_local_cluster(self.config.project_dir, self.bindir)
        name = self.config.dev_database
        with connect(admin_url, autocommit=True) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if found.fetchone() is None:
                with contextlib.suppress(psycopg.errors.DuplicateDatabase,
                                         psycopg.errors.UniqueViolation):  # a concurrent run
                    create_database(admin_url, name)
                    click.echo(f"created database {name} on the local cluster", err=True)
        return with_dbname(admin_url, name)


class Applier:
    """Everything one `pgmt apply` (or each round of `--watch`) needs, resolved once."""

    def __init__(self, config: Config, bindir: Path | None, *, force: bool, verbose: bool,
                 style: Style) -> None:
        self.config = config
        self.dev = DevDatabase(config, bindir)
        self.shadow = Shadow(config.shadow_url, config.project_dir, bindir)
        self.cache = SnapshotCache(config.project_dir / STATE_DIR / SNAPSHOT_CACHE)
        self.force = force
        self.verbose = verbose
        self.style = style
        self._databases: ScratchDatabases | None = None

    def databases(self) -> ScratchDatabases:
        """Where shadows are made: on the shadow server, one at a time."""
        if self._databases is None:
            self._databases = ScratchDatabases(self.shadow.admin_url())
        return self._databases

    def close(self) -> None:
        """Wait for shadows being dropped, and drop one made ahead."""
        if self._databases is not None:
            self._databases.close()

    def run(self, *, dry_run: bool = False, interactive: bool = False,
            watching: bool = False) -> ExitStatus:
        """Plan and (unless `dry_run`) apply once; the exit status of this run."""
        started = time.perf_counter()
        schema_dir = self.schema_dir()
        dev_url = self.dev.url()
        admin_url = self.shadow.admin_url()
        databases = self.databases()
        with ThreadPoolExecutor(max_workers=1) as pool, connect(dev_url, autocommit=True) as conn:
            # The shadow builds while the dev database is read: the two take about as long.
            wanted = pool.submit(shadow_snapshot, admin_url, schema_dir, cache=self.cache,
                                 databases=databases)
            with apply_lock(conn, on_wait=lambda: self.style.say(
                    f"waiting for another pgmt apply on {redact(dev_url)} to finish")):
                try:
                    current = read_snapshot(conn)
                finally:
                    target = wanted.result()  # a schema file error surfaces here first
                if self.verbose and self.cache.last_hit:
                    self.style.say(f"schema files unchanged since their last build: its "
                                   f"snapshot is reused ({self.cache.path})")
                plan = make_plan(self.config.filter(current), self.config.filter(target),
                                 source_conn=conn)
                if plan.empty:
                    self.style.say(f"{self.style.emoji('✅')}Database is up to date")
                    return ExitStatus.SUCCESS
                if dry_run:
                    self._show(plan, "dry run, nothing applied")
                    click.echo(plan.sql(), nl=False)
                    return ExitStatus.CHANGES
                _refuse_placeholders(plan)
                if not self._confirmed(plan, interactive, watching):
                    return ExitStatus.UNSAFE
                self._apply(conn, plan, started)
        return ExitStatus.SUCCESS

    def schema_dir(self) -> Path:
        schema_dir = self.config.schema_dir
        if not schema_dir.is_dir():
            raise ConfigError(
                f"schema folder {schema_dir} does not exist",
                hint="create it (`pgmt init` makes a project), or set directories.schema_dir "
                "in pgmt.yaml",
            )
        return schema_dir

    def _show(self, plan: Plan, note: str = "") -> None:
        style = self.style
        header = f"{style.emoji('📋')}{changes(len(plan.steps))}"
        style.say(header + (f" ({note})" if note else "") + _phases_note(plan))
        style.say()
        for step, title in zip(plan.steps, step_titles(plan.steps, self.verbose), strict=True):
            mark = style.paint("!", "yellow", bold=True) if step.destructive else "•"
            style.say(f"  {mark} {title}")
        style.say()

    def _confirmed(self, plan: Plan, interactive: bool, watching: bool) -> bool:
        losing = [step for step in plan.steps if step.destructive]
        if not losing or self.force:
            return True
        style = self.style
        self._show(plan)
        style.say(style.paint(f"{style.emoji('⚠️ ')}{changes(len(losing))} will lose data "
                              "(marked !)", "yellow", bold=True))
        if watching:
            style.say("not applied: restart `pgmt apply --watch --force` to apply changes that "
                      "lose data, or run `pgmt apply` to confirm this one")
            return False
        if interactive:
            if click.confirm(f"Apply {changes(len(plan.steps))}?", default=False, err=True):
                style.say()
                return True
            style.say("nothing applied")
            return False
        raise Refused(
            f"refused to apply {changes(len(plan.steps))}: {len(losing)} lose data "
            f"({', '.join(step_title(step) for step in losing[:3])}"
            f"{', ...' if len(losing) > 3 else ''}); nothing was applied",
            hint="check the plan with `pgmt apply --dry-run`, then run `pgmt apply --force` "
            "(there is no terminal to confirm in)",
        )

    def _apply(self, conn: psycopg.Connection[Any], plan: Plan, started: float) -> None:
        style = self.style
        phases = plan.phases()
        style.say(f"{style.emoji('📋')}{changes(len(plan.steps))}{_phases_note(plan)}")
        style.say()
        done = {"steps": 0, "phase": 1}
        titles = step_titles(plan.steps, self.verbose)

        def on_step(step: Step) -> None:
            style.say(f"  {style.paint('✓', 'green')} {titles[done['steps']]}")
            done["steps"] += 1
            if step.commit_after and done["steps"] < len(plan.steps):
                style.say(style.paint(f"  -- committed phase {done['phase']} of {len(phases)}",
                                      "cyan"))
                done["phase"] += 1

        try:
            apply_plan(conn, plan, on_step)
        except ApplyError:
            style.say(f"  {style.paint('✗', 'red', bold=True)} {titles[done['steps']]}")
            style.say()
            raise
        elapsed = time.perf_counter() - started
        style.say()
        style.say(style.paint(f"{style.emoji('✅')}Applied {changes(len(plan.steps))} "
                              f"in {elapsed:.2f}s", "green", bold=True))


class SecretPlaceholder(PgmtError):
    """The plan writes a secret's placeholder instead of its value: nothing applied."""


def _refuse_placeholders(plan: Plan) -> None:
    """Secrets (passwords of servers and user mappings) are read as a placeholder, never
    their value, so a plan that sets one cannot be applied as it is, even with --force."""
    needing = [step for step in plan.steps if step.needs_secret]
    if needing:
        raise SecretPlaceholder(
            f"refused to apply {changes(len(plan.steps))}: {len(needing)} contain a placeholder "
            f"you must fill ({', '.join(step_title(step) for step in needing[:3])}"
            f"{', ...' if len(needing) > 3 else ''}); nothing was applied",
            hint=f"pgmt never reads secrets: run these steps yourself with the real value in "
            f"place of {SECRET_PLACEHOLDER} (`pgmt apply --dry-run` prints them), then apply "
            "again; secrets are compared by option name only",
        )


def _phases_note(plan: Plan) -> str:
    phases = len(plan.phases())
    if phases == 1:
        return ""
    return (f", in {phases} transactions: a new enum value must be committed before it "
            "can be used")


def watch(applier: Applier) -> ExitStatus:
    """Apply now and after every save until Ctrl-C; errors are shown and watching goes on."""
    import watchfiles

    style = applier.style
    schema_dir = applier.schema_dir()  # a missing folder ends the command, not a round
    with contextlib.suppress(PgmtError):  # reported by the first round
        applier.databases().prepare()
    # Ctrl-C also sets `stopped`, which the watcher checks: the KeyboardInterrupt alone is
    # lost when it lands in a finalizer or a weakref callback (Python only prints it).
    stopped = threading.Event()

    def interrupt(signum: int, frame: Any) -> None:
        stopped.set()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        # Start watching before the first round, so a save during it is not missed: the
        # first (empty) yield comes once the watcher is running.
        changes_seen = watchfiles.watch(
            schema_dir, watch_filter=_sql_files, step=WATCH_STEP_MS, rust_timeout=200,
            yield_on_timeout=True, raise_interrupt=True, stop_event=stopped)
        next(changes_seen)
        _watch_round(applier, "starting")
        style.say(f"watching {schema_dir} for changes (Ctrl-C to stop)")
        for found in changes_seen:
            if not found:
                continue
            names = sorted({_relative(Path(path), schema_dir) for _, path in found})
            _watch_round(applier, ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
                         + " changed")
    except (KeyboardInterrupt, StopIteration):
        pass
    finally:
        signal.signal(signal.SIGINT, previous)
    style.say("stopped watching")
    return ExitStatus.SUCCESS


def _watch_round(applier: Applier, why: str) -> None:
    style = applier.style
    style.say(style.paint(f"[{datetime.now():%H:%M:%S}] {why}", "blue"))
    try:
        applier.run(watching=True)
    except PgmtError as error:
        style.say(style.paint(f"error: {error.message}", "red", bold=True))
        if error.hint:
            style.say(f"hint: {error.hint}")
        style.say("the dev database was left as it was; watching for the next save")
    with contextlib.suppress(PgmtError):
        applier.databases().prepare()  # the next round's shadow, made while waiting


def _sql_files(change: Any, path: str) -> bool:
    return path.endswith(".sql") or not Path(path).suffix


def _relative(path: Path, root: Path) -> str:
    with contextlib.suppress(ValueError):
        return path.relative_to(root.resolve()).as_posix()
    with contextlib.suppress(ValueError):
        return path.relative_to(root.absolute()).as_posix()
    return str(path)


@click.command()
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True,
              help="Project directory: its pgmt.yaml, schema folder and .pgmt/ cluster.")
@click.option("--dev-url", metavar="URL",
              help="The database to change [env: PGMT_DEV_URL; default: databases.dev_url, "
              "else <project>_dev on the local cluster].")
@click.option("--shadow-url", metavar="URL",
              help="Build schema files on this server [env: PGMT_SHADOW_URL; default: "
              "databases.shadow.url, else the local cluster].")
@click.option("--bindir", type=click.Path(file_okay=False, path_type=Path),
              help="PostgreSQL bin directory for the local cluster.")
@click.option("--force", is_flag=True,
              help="Apply changes that lose data without asking (required without a terminal).")
@click.option("--dry-run", is_flag=True,
              help="Print the plan and its SQL (to stdout); change nothing.")
@click.option("--watch", "watching", is_flag=True,
              help="Apply again on every save under the schema folder, until Ctrl-C.")
@click.option("-v", "--verbose", is_flag=True,
              help="Say why each step is there (which change it depends on).")
@click.pass_context
def apply(ctx: click.Context, project_dir: Path, dev_url: str | None, shadow_url: str | None,
          bindir: Path | None, force: bool, dry_run: bool, watching: bool,
          verbose: bool) -> None:
    """Make the dev database match the schema files.

    Exit status: 0 applied or up to date, 1 error (nothing changed), 2 changes shown by
    --dry-run, 3 refused because changes lose data and were not confirmed.
    """
    if watching and dry_run:
        raise click.UsageError("--watch and --dry-run cannot be used together")
    config = load_config(project_dir, dev_url=dev_url, shadow_url=shadow_url)
    applier = Applier(config, bindir, force=force, verbose=verbose, style=Style.detect())
    try:
        if watching:
            status = watch(applier)
        else:
            status = applier.run(dry_run=dry_run, interactive=sys.stdin.isatty())
    finally:
        applier.close()
    ctx.exit(status)

