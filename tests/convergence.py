"""The acceptance invariant, shared by the scenario and corpus tests.

old schema → plan → apply → the catalog equals a database built straight from the
new schema → planning again is empty; rows in surviving columns survive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import msgspec
from seeding import lost_rows, seed

from pgmt.catalog import model
from pgmt.catalog.reader import read_snapshot
from pgmt.engine import Plan, apply_plan, make_plan
from pgmt.engine.equivalence import reconcile
from pgmt.postgres import connect


class LoadFailed(Exception):
    """The server cannot load a schema (a newer feature, a missing role)."""


def load(url: str, sql: str) -> None:
    with connect(url, autocommit=True) as conn:
        conn.execute(sql.encode())


def snapshot(url: str) -> model.Snapshot:
    with connect(url) as conn:
        return read_snapshot(conn)


def comparable(snap: model.Snapshot) -> model.Snapshot:
    """What of a catalog is the schema's meaning. Not column order (a new column goes
    last), nor the names PostgreSQL chose for a partition's indexes attached to its
    parent's (they depend on what was created first; PostgreSQL 15 even attaches an
    index of the partition's own that differs only in sort order): how many there are."""
    def spec(s: model.Spec) -> model.Spec:
        if isinstance(s, model.Column):
            return msgspec.structs.replace(s, position=0)
        if isinstance(s, model.Table) and s.attached_indexes:
            return msgspec.structs.replace(
                s, attached_indexes=[f"#{i}" for i in range(len(s.attached_indexes))])
        return s
    objects = [msgspec.structs.replace(o, spec=spec(o.spec)) for o in snap.objects]
    return msgspec.structs.replace(snap, objects=objects)


@dataclass
class Converged:
    plan: Plan
    replan: Plan
    after: model.Snapshot
    target: model.Snapshot


def converge(make_db: Callable[[], str], old_sql: str, new_sql: str, setup: str = "") -> Converged:
    """Build both sides, seed rows, plan old → new, apply it to old, and check the
    invariant: same catalog as the new side, nothing left to plan, no row lost."""
    source_url, target_url = make_db(), make_db()
    try:
        load(source_url, setup + "\n" + old_sql)
        load(target_url, setup + "\n" + new_sql)
    except Exception as error:
        raise LoadFailed(str(error).splitlines()[0]) from error
    seeded = seed(source_url, target_url)
    target = snapshot(target_url)
    with connect(source_url) as conn:
        plan = make_plan(read_snapshot(conn), target, source_conn=conn)
        apply_plan(conn, plan)
        after = read_snapshot(conn)
        result = Converged(plan, make_plan(after, target, source_conn=conn), after, target)
    assert summary(result.replan) == [], f"planning again is not empty:\n{result.replan.sql()}"
    assert comparable(after) == comparable(
        reconciled(source_url, after, target))
    assert (lost := lost_rows(source_url, seeded, plan)) == [], lost
    return result


def reconciled(url: str, source: model.Snapshot, target: model.Snapshot) -> model.Snapshot:
    """`target` with definitions PostgreSQL prints differently but reads the same taken
    from `source` (see pgmt.engine.equivalence)."""
    with connect(url) as conn:
        return reconcile(conn, source, target)


def summary(plan: Plan) -> list[str]:
    """`action kind name` per step, for readable assertions."""
    return [f"{s.action} {s.object_kind} {s.object_name}" for s in plan.steps]
