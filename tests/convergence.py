"""The acceptance invariant, shared by the scenario and corpus tests.

old schema → plan → apply → the catalog equals a database built straight from the
new schema → planning again is empty; rows in surviving columns survive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pgmt.catalog.model import Snapshot
from pgmt.catalog.reader import read_snapshot
from pgmt.engine import Plan, apply_plan, make_plan
from pgmt.postgres import connect


def load(url: str, sql: str) -> None:
    with connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())


def snapshot(url: str) -> Snapshot:
    with connect(url) as conn:
        return read_snapshot(conn)


@dataclass
class Converged:
    plan: Plan
    replan: Plan
    after: Snapshot
    target: Snapshot


def converge(make_db: Callable[[], str], old_sql: str, new_sql: str) -> Converged:
    """Build both sides, plan old → new, apply it to old, and read everything back."""
    source_url, target_url = make_db(), make_db()
    load(source_url, old_sql)
    load(target_url, new_sql)
    target = snapshot(target_url)
    plan = make_plan(snapshot(source_url), target)
    with connect(source_url) as conn:
        apply_plan(conn, plan)
    after = snapshot(source_url)
    return Converged(plan, make_plan(after, target), after, target)


def summary(plan: Plan) -> list[str]:
    """`action kind name` per statement-bearing step, for readable assertions."""
    return [f"{s.action} {s.object_kind} {s.object_name}" for s in plan.steps]
