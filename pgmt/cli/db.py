"""`pgmt db`: the local dev PostgreSQL (start, stop, status, url), or the server `--dev-url`
names instead. stdout carries data (URLs, status fields); stderr carries talk."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pgmt.errors import ClusterError
from pgmt.postgres import Cluster, connect, redact, with_dbname

F = TypeVar("F", bound=Callable[..., Any])

DEV_URL_ENV = "PGMT_DEV_URL"


def _cluster_options(command: F) -> F:
    command = click.option(
        "--bindir", type=click.Path(file_okay=False, path_type=Path),
        help="PostgreSQL bin directory (default: $PGMT_PG_BINDIR, the bundled PostgreSQL 18, "
        "then a system install).",
    )(command)
    return click.option(
        "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path),
        default=".", show_default=True,
        help="Project directory; the cluster lives in its .pgmt/.",
    )(command)


def _dev_url_option(command: F) -> F:
    return click.option(
        "--dev-url", envvar=DEV_URL_ENV, metavar="URL",
        help=f"Use this PostgreSQL server instead of the local cluster [env: {DEV_URL_ENV}].",
    )(command)


@click.group()
def db() -> None:
    """The dev PostgreSQL: a local cluster in .pgmt/, or the server --dev-url names."""


@db.command()
@_cluster_options
def start(project_dir: Path, bindir: Path | None) -> None:
    """Start the local cluster (creating it on first use) and print its URL."""
    cluster = Cluster(project_dir, bindir)
    started = cluster.start()
    version = cluster.binaries.version
    if started.action == "already running":
        click.echo(f"PostgreSQL {version} already running in {cluster.data_dir}", err=True)
    else:
        done = "created and started" if started.action == "created" else "started"
        click.echo(f"{done} PostgreSQL {version} in {cluster.data_dir}", err=True)
    if os.environ.get(DEV_URL_ENV):
        click.echo(f"note: {DEV_URL_ENV} is set; other pgmt commands will use "
                   f"{redact(os.environ[DEV_URL_ENV])}, not this cluster", err=True)
    click.echo(started.url)


@db.command()
@_cluster_options
def stop(project_dir: Path, bindir: Path | None) -> None:
    """Stop the local cluster; its data stays for the next start."""
    cluster = Cluster(project_dir, bindir)
    if cluster.stop():
        click.echo(f"stopped PostgreSQL in {cluster.data_dir}", err=True)
    else:
        click.echo(f"PostgreSQL in {cluster.data_dir} was not running", err=True)


@db.command()
@_cluster_options
@_dev_url_option
@click.option("--dbname", default="postgres", show_default=True, help="Database to point at.")
def url(project_dir: Path, bindir: Path | None, dev_url: str | None, dbname: str) -> None:
    """Print the URL of the dev database (passwords shown as ***)."""
    if dev_url:
        click.echo(redact(with_dbname(dev_url, dbname) if dbname != "postgres" else dev_url))
        return
    cluster = Cluster(project_dir, bindir)
    if not cluster.status().running:
        click.echo("note: the local cluster is not running; start it with `pgmt db start`",
                   err=True)
    click.echo(cluster.url(dbname))


@db.command()
@_cluster_options
@_dev_url_option
def status(project_dir: Path, bindir: Path | None, dev_url: str | None) -> None:
    """Show whether the dev server is up; exit 1 if it is not."""
    if dev_url:
        with connect(dev_url) as conn:
            version = conn.execute("SHOW server_version").fetchone()
        _fields(state="reachable", url=redact(dev_url),
                version=version[0] if version else "unknown")
        return
    cluster = Cluster(project_dir, bindir)
    state = cluster.status()
    if not state.running:
        raise ClusterError(
            f"the local PostgreSQL {state.version} in {state.data_dir} is not running"
            + ("" if state.initialized else " (not created yet)"),
            hint="start it with `pgmt db start`",
        )
    # Running per its pid file; connecting proves it actually answers.
    with connect(cluster.url()) as conn:
        conn.execute("SELECT 1")
    _fields(state="running", url=cluster.url(), version=state.version, pid=str(state.pid),
            data_dir=str(state.data_dir))


def _fields(**fields: str) -> None:
    for key, value in fields.items():
        click.echo(f"{key}: {value}")

