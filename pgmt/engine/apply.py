"""Applying a plan: atomically, phase by phase, one pgmt at a time per database.

A plan runs in as few transactions as it can: one, unless a step's result is usable only
after a commit (a new enum value), which ends its phase (`Plan.phases`). A failing step
rolls its whole phase back; earlier phases stay committed, and the error says so.

`apply_lock` serialises pgmt runs on one database with a session advisory lock, held from
before the database is read until the plan is applied: a second `pgmt apply` waits, so two
runs never plan from the same state and interleave their steps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from pgmt.engine.plan import Plan, Step
from pgmt.errors import PgmtError

# pg_advisory_lock key of `pgmt apply` (the bytes "pgmtaply" as a bigint); advisory locks
# are per database, so runs against different databases of one server do not wait.
APPLY_LOCK_KEY = 0x70676D7461706C79


class ApplyError(PgmtError):
    """A step failed; its phase was rolled back, earlier phases (if any) stay committed."""

    def __init__(self, step: Step, error: psycopg.Error, phase: int = 1,
                 phases: int = 1) -> None:
        detail = error.diag.message_primary or str(error).splitlines()[0]
        if error.diag.message_detail:
            detail += f" ({error.diag.message_detail})"
        kind = step.object_kind.replace("_", " ")
        if phases == 1:
            rolled_back = "nothing was changed"
        else:
            rolled_back = (f"phase {phase} of {phases} was rolled back"
                           + (f"; phases 1-{phase - 1} stay committed" if phase > 1 else ""))
        super().__init__(
            f"{step.action} {kind} {step.object_name} failed: {detail}; {rolled_back}",
            hint=f"the statement was:\n{step.sql}",
        )
        self.step = step
        self.phase = phase


# What pg_dump also sets: bodies of SQL functions are checked when called, not
# when created, so functions and the tables they read can come in any order.
SESSION_SETTINGS = "SET LOCAL check_function_bodies = false"


def apply_plan(
    conn: psycopg.Connection[Any], plan: Plan, on_step: Callable[[Step], None] | None = None
) -> None:
    """Run every step; each phase in one transaction, rolled back whole on error."""
    phases = plan.phases()
    for number, phase in enumerate(phases, start=1):
        with conn.transaction():
            conn.execute(SESSION_SETTINGS)
            for step in phase:
                try:
                    conn.execute(step.sql.encode(), prepare=False)
                except psycopg.Error as error:
                    raise ApplyError(step, error, number, len(phases)) from error
                if on_step:
                    on_step(step)


@contextmanager
def apply_lock(
    conn: psycopg.Connection[Any], on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the database's apply lock for the block. If another session holds it, call
    `on_wait` (to say so) and wait for it; `conn` must be in autocommit mode."""
    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (APPLY_LOCK_KEY,)).fetchone()
    if not (row and row[0]):
        if on_wait:
            on_wait()
        conn.execute("SELECT pg_advisory_lock(%s)", (APPLY_LOCK_KEY,))
    try:
        yield
    finally:
        if not conn.closed and not conn.broken:
            conn.execute("SELECT pg_advisory_unlock(%s)", (APPLY_LOCK_KEY,))
