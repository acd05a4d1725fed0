"""The plan the Rust core returns, mirroring `rust_core/src/plan.rs`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import msgspec
from psycopg import Connection

from pgmt import _core
from pgmt.catalog import model
from pgmt.engine.equivalence import reconcile
from pgmt.errors import PlanError

Action = Literal["create", "drop", "alter"]
Hazard = Literal["data_loss", "table_rewrite", "blocking_lock", "secret_placeholder"]


class Step(msgspec.Struct, frozen=True):
    sql: str
    object_kind: str
    object_key: str
    object_name: str
    action: Action
    forced_by: str | None
    hazards: list[Hazard]
    transactional: bool
    commit_after: bool

    @property
    def destructive(self) -> bool:
        return "data_loss" in self.hazards

    @property
    def needs_secret(self) -> bool:
        """The SQL holds a placeholder for a secret a person must fill in."""
        return "secret_placeholder" in self.hazards


class Plan(msgspec.Struct, frozen=True):
    source_hash: str
    target_hash: str
    steps: list[Step]

    @property
    def empty(self) -> bool:
        return not self.steps

    def sql(self) -> str:
        """The plan as a script `psql` can run."""
        return "".join(f"{step.sql};\n\n" for step in self.steps)

    def phases(self) -> list[list[Step]]:
        """Runs of steps that can share one transaction: a step whose result is usable
        only after a commit (a new enum value) ends its phase."""
        phases: list[list[Step]] = [[]]
        for step in self.steps:
            phases[-1].append(step)
            if step.commit_after:
                phases.append([])
        return [phase for phase in phases if phase]


_plan_decoder = msgspec.msgpack.Decoder(Plan)


class Prepared:
    """A snapshot with the core's decoded copy of it (`prepare`), for one `make_plan`,
    which takes the snapshot out of it and lets go of it while the core plans."""

    __slots__ = ("loaded", "snapshot")

    def __init__(self, snapshot: model.Snapshot, loaded: _core.LoadedSnapshot) -> None:
        self.snapshot: model.Snapshot | None = snapshot
        self.loaded = loaded


def prepare(snapshot: model.Snapshot) -> Prepared:
    """`snapshot`, encoded and decoded by the core now rather than in `make_plan`. A caller
    reading two databases at once prepares each as soon as it is read: the first one's
    encoding and decoding (the core holds no GIL meanwhile) overlap the second one's read."""
    with _core_errors():
        return Prepared(snapshot, _core.load_snapshot(model.encode(snapshot)))


def make_plan(
    source: model.Snapshot | Prepared, target: model.Snapshot | Prepared, *,
    source_conn: Connection[Any] | None = None,
) -> Plan:
    """The ordered steps that turn `source` into `target`. A prepared side gives up its
    snapshot (see `Prepared`); its decoded copy can plan again.

    Given a connection to the source database, definitions that differ only in how
    PostgreSQL prints them are recognised as the same (see `equivalence`)."""
    if source_conn is not None:
        before, after = _snapshot(source), _snapshot(target)
        reconciled = reconcile(source_conn, before, after)
        if reconciled is not after:
            target = reconciled
    with _core_errors(), _let_go_meanwhile(source, target):
        encoded = _core.plan(_for_core(source), _for_core(target))
    return _plan_decoder.decode(encoded)


def _snapshot(side: model.Snapshot | Prepared) -> model.Snapshot:
    if not isinstance(side, Prepared):
        return side
    if side.snapshot is None:
        raise ValueError("a prepared snapshot serves one make_plan: prepare it again")
    return side.snapshot


@contextmanager
def _let_go_meanwhile(*sides: model.Snapshot | Prepared) -> Iterator[None]:
    """Lets go of prepared sides' snapshots on another thread while the body (the core,
    which releases the GIL) runs: freeing a large snapshot's objects takes milliseconds
    that would otherwise come after the plan."""
    spent: list[model.Snapshot | None] = []
    for side in sides:
        if isinstance(side, Prepared):
            spent.append(side.snapshot)
            side.snapshot = None
    if not spent:
        yield
        return
    # Freeing is one C call that holds the GIL throughout: the thread waits for the body
    # to be about to start, and gets the GIL once the core has let go of it.
    go = threading.Event()

    def let_go() -> None:
        go.wait()
        spent.clear()

    freeing: threading.Thread | None = threading.Thread(target=let_go, name="pgmt-free-snapshots")
    try:
        freeing.start()
    except RuntimeError:  # no thread to be had: they are freed here, after the body
        freeing = None
    try:
        go.set()
        yield
    finally:
        if freeing is not None:
            freeing.join()


def _for_core(side: model.Snapshot | Prepared) -> bytes | _core.LoadedSnapshot:
    return side.loaded if isinstance(side, Prepared) else model.encode(side)


@contextmanager
def _core_errors() -> Iterator[None]:
    try:
        yield
    except _core.CoreError as error:
        raise PlanError(str(error), hint="this is a bug in pgmt; please report it") from error
