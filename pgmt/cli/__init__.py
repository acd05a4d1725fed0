"""The `pgmt` command line. stdout carries data (plans, SQL, URLs); stderr carries talk."""

from __future__ import annotations

import sys

import click

from pgmt import __version__
from pgmt.cli.apply import apply
from pgmt.cli.db import db
from pgmt.cli.diff import diff
from pgmt.cli.init import init
from pgmt.errors import ExitStatus, PgmtError


def _version_message() -> str:
    from pgmt import _core

    python = sys.version.split()[0]
    return f"pgmt {__version__} (core {_core.__version__}, Python {python})"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(_version_message())
        ctx.exit(ExitStatus.SUCCESS)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True,
              callback=_print_version, help="Show the pgmt and Rust core versions.")
def cli() -> None:
    """Declarative PostgreSQL schema management."""


cli.add_command(apply)
cli.add_command(db)
cli.add_command(diff)
cli.add_command(init)


def main() -> None:
    """Entry point: turns PgmtError into one error line, a hint line and exit code 1."""
    try:
        # Without standalone mode, click returns the code of ctx.exit(...) instead of exiting.
        status = cli.main(standalone_mode=False)
    except PgmtError as error:
        click.echo(f"error: {error.message}", err=True)
        if error.hint:
            click.echo(f"hint: {error.hint}", err=True)
        # A subclass may promise another code, e.g. UNSAFE for an unconfirmed data loss.
        sys.exit(getattr(error, "exit_status", ExitStatus.ERROR))
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(ExitStatus.ERROR)
    except click.ClickException as error:
        error.show()
        sys.exit(ExitStatus.ERROR)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    if isinstance(status, int):
        sys.exit(status)
