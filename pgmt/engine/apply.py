"""Applying a plan: atomically, phase by phase."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from pgmt.engine.plan import Plan, Step
from pgmt.errors import PgmtError


class ApplyError(PgmtError):
    """A step failed; the database is as it was before the phase began."""

    def __init__(self, step: Step, error: psycopg.Error) -> None:
        detail = error.diag.message_primary or str(error).splitlines()[0]
        super().__init__(
            f"{step.action} {step.object_kind} {step.object_name} failed: {detail}",
            hint=f"the statement was:\n{step.sql}",
        )
        self.step = step


# What pg_dump also sets: bodies of SQL functions are checked when called, not
# when created, so functions and the tables they read can come in any order.
SESSION_SETTINGS = "SET LOCAL check_function_bodies = false"


def apply_plan(
    conn: psycopg.Connection[Any], plan: Plan, on_step: Callable[[Step], None] | None = None
) -> None:
    """Run every step; each phase in one transaction, rolled back whole on error."""
    for phase in plan.phases():
        with conn.transaction():
            conn.execute(SESSION_SETTINGS)
            for step in phase:
                try:
                    conn.execute(step.sql.encode(), prepare=False)
                except psycopg.Error as error:
                    raise ApplyError(step, error) from error
                if on_step:
                    on_step(step)
