"""Errors that speak to the user, and the exit codes pgmt promises.

Every error pgmt raises on purpose is a `PgmtError`: one line saying what failed and
where, and a `hint` saying what to do next. The CLI prints both and exits with
`ExitStatus.ERROR`; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """The exit-code contract, the same for every command."""

    SUCCESS = 0  # nothing to do, or the work was done
    ERROR = 1  # something failed; nothing was changed
    CHANGES = 2  # a difference (or drift) was found and reported
    UNSAFE = 3  # refused: the change is destructive and was not confirmed


class PgmtError(Exception):
    """An error for the user: `message` says what and where, `hint` what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(PgmtError, ValueError):
    """The configuration (file, environment or flags) is invalid."""


class ConnectionFailed(PgmtError, ConnectionError):
    """A PostgreSQL server could not be reached or refused us."""


class ClusterError(PgmtError, RuntimeError):
    """The embedded PostgreSQL cluster could not be set up, started or stopped."""


class SchemaFileError(PgmtError, ValueError):
    """A schema file failed to build; `message` names file:line."""


class PlanError(PgmtError, ValueError):
    """The Rust core refused the snapshots (undecodable, or a dependency cycle)."""


class UnsupportedObjects(PgmtError):
    """The database holds objects the engine does not understand; never skipped in silence."""
