"""`pgmt diff`: the migration from one schema to another, as SQL, JSON or a summary.

A SOURCE is a live database (a postgresql:// URL) or schema files (a folder or one .sql
file), which are built into a throwaway "shadow" database first: on the project's local
cluster, or on the server `--shadow-url` names. stdout carries the plan and nothing else.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
import msgspec

from pgmt.cli.config import SHADOW_URL_ENV
from pgmt.cli.shadow import (
    FROM_SNAPSHOT_CACHE,
    SNAPSHOT_CACHE,
    URL_SCHEMES,
    Shadow,
    check_source,
    source_snapshot,
)
from pgmt.engine import Plan, Step, make_plan, prepare
from pgmt.errors import ExitStatus
from pgmt.postgres import connect, redact
from pgmt.postgres.cluster import STATE_DIR
from pgmt.schema_files import SnapshotCache

FORMATS = ("sql", "json", "summary")


@click.command()
@click.option("--from", "source", required=True, metavar="SOURCE",
              help="The schema as it is: a postgresql:// URL, or a folder or file of schema SQL.")
@click.option("--to", "target", required=True, metavar="SOURCE",
              help="The schema as it should be: a postgresql:// URL, or a folder or file of "
              "schema SQL.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="sql",
              show_default=True,
              help="sql: a script for psql; json: the plan as data; summary: one line a step.")
@click.option("--shadow-url", envvar=SHADOW_URL_ENV, metavar="URL",
              help="Build schema files on this server (its user needs CREATE DATABASE) instead "
              f"of the local cluster [env: {SHADOW_URL_ENV}].")
@click.option("--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
              default=".", show_default=True,
              help="Project directory; its .pgmt/ holds the local cluster and the snapshots "
              "of the last builds.")
@click.option("--bindir", type=click.Path(file_okay=False, path_type=Path),
              help="PostgreSQL bin directory for the local cluster.")
@click.pass_context
def diff(ctx: click.Context, source: str, target: str, output_format: str,
         shadow_url: str | None, project_dir: Path, bindir: Path | None) -> None:
    """Print the SQL that turns --from into --to.

    Exit status: 0 no differences, 2 differences printed, 1 error.
    """
    for side in (source, target):
        check_source(side)
    shadow = Shadow(shadow_url, project_dir, bindir)
    # Each side keeps the snapshot of its last build, the --to side in the file `pgmt
    # apply` uses: `pgmt diff --from $DEV --to schema/` after an apply builds nothing.
    state = project_dir / STATE_DIR
    caches = SnapshotCache(state / FROM_SNAPSHOT_CACHE), SnapshotCache(state / SNAPSHOT_CACHE)
    # Both sides are read at once: the servers do the work while we wait. Each is handed to
    # the core as soon as it is read, which decodes it while the other is still being read.
    with ThreadPoolExecutor(max_workers=2) as pool:
        reading = pool.submit(lambda: prepare(source_snapshot(source, shadow, caches[0])))
        after = prepare(source_snapshot(target, shadow, caches[1]))
        before = reading.result()
    if source.startswith(URL_SCHEMES):
        # A live source can tell definitions that only print differently apart.
        with connect(source) as conn:
            plan = make_plan(before, after, source_conn=conn)
    else:
        plan = make_plan(before, after)
    if output_format == "json":
        click.echo(msgspec.json.encode(plan).decode())
    elif output_format == "summary":
        click.echo("".join(f"{_summary_line(step)}\n" for step in plan.steps), nl=False)
    else:
        click.echo(_sql(plan, source, target), nl=False)
    click.echo(_tally(plan), err=True)
    ctx.exit(ExitStatus.CHANGES if plan.steps else ExitStatus.SUCCESS)


def _sql(plan: Plan, source: str, target: str) -> str:
    """The plan for `psql -f`; nothing at all when there is nothing to do."""
    if plan.empty:
        return ""
    header = (f"-- pgmt diff: {len(plan.steps)} steps\n"
              f"-- from: {_one_line(redact(source))}\n"
              f"-- to: {_one_line(redact(target))}\n\n")
    return header + plan.sql()


def _summary_line(step: Step) -> str:
    """`- drop view public.v (forced by function public.f()) [data_loss]`"""
    line = f"- {step.action} {_kind(step.object_kind)} {step.object_name}"
    if step.forced_by:
        kind, _, name = step.forced_by.partition(":")
        line += f" (forced by {_kind(kind)} {name})" if name else f" (forced by {kind})"
    if step.hazards:
        line += f" [{', '.join(step.hazards)}]"
    return line


def _tally(plan: Plan) -> str:
    if plan.empty:
        return "no differences"
    destructive = sum(step.destructive for step in plan.steps)
    noun = "step" if len(plan.steps) == 1 else "steps"
    return f"{len(plan.steps)} {noun}" + (f", {destructive} losing data" if destructive else "")


def _kind(kind: str) -> str:
    return kind.replace("_", " ")


def _one_line(text: str) -> str:
    # A newline in a path would end the comment and turn the rest into SQL.
    return text.replace("\r", " ").replace("\n", " ")
