"""The Python ↔ Rust boundary, without a database: the golden fixtures in
`tests/fixtures/` (written by `make_golden.py`) decode the same on both sides, and
the core's errors reach the user as `PlanError`."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import msgspec
import pytest
from fixtures.make_golden import named

from pgmt import _core
from pgmt.catalog import model
from pgmt.engine import plan as plan_module
from pgmt.engine.plan import Plan, _snapshot, make_plan, prepare
from pgmt.errors import PlanError

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = (FIXTURES / "snapshot.msgpack").read_bytes()
EMPTY = model.Snapshot(server_version=180001, objects=[])


@pytest.fixture
def golden() -> model.Snapshot:
    return model.decode(GOLDEN)


def test_golden_snapshot_holds_every_spec_kind(golden: model.Snapshot) -> None:
    """The fixture exercises every kind the model knows, so none can drift unseen."""
    kinds = {type(o.spec) for o in golden.objects}
    assert kinds == set(typing.get_args(model.Spec))


def test_msgspec_encodes_the_decoded_golden_snapshot_to_the_same_bytes(
    golden: model.Snapshot,
) -> None:
    """Decoding and encoding again with msgspec loses and reorders nothing."""
    assert model.encode(golden) == GOLDEN


def test_the_named_golden_snapshot_is_the_python_model_s_fields_in_order(
    golden: model.Snapshot,
) -> None:
    """Structs cross as arrays: `snapshot_named.msgpack` spells out each field's name and
    place as the Python model declares them (rust_core/tests/golden.rs checks Rust's)."""
    assert msgspec.msgpack.encode(named(golden)) == \
        (FIXTURES / "snapshot_named.msgpack").read_bytes()


def test_rust_round_trips_the_golden_snapshot(golden: model.Snapshot) -> None:
    """Rust decodes and re-encodes the snapshot into what Python reads back as equal (and the
    same bytes: rmp_serde and msgspec, both writing structs as arrays, agree)."""
    again = _core.roundtrip_snapshot(GOLDEN)
    assert model.decode(again) == golden
    assert again == GOLDEN


def test_planning_the_golden_snapshot_against_itself_is_empty(golden: model.Snapshot) -> None:
    """Every kind compares equal to itself after crossing the boundary."""
    plan = make_plan(golden, golden)
    assert plan.empty
    assert plan.source_hash == plan.target_hash == _core.snapshot_hash(GOLDEN)


def test_snapshot_hash_is_stable_and_ignores_object_and_dependency_order(
    golden: model.Snapshot,
) -> None:
    """The hash a plan records does not depend on the order a catalog query returned rows in."""
    shuffled = model.Snapshot(
        golden.server_version,
        [
            model.Object(o.key, o.owner, tuple(reversed(o.deps)), o.spec)
            for o in reversed(golden.objects)
        ],
    )
    assert model.encode(shuffled) != GOLDEN
    hash_ = _core.snapshot_hash(GOLDEN)
    assert len(hash_) == 64 and int(hash_, 16) >= 0
    assert _core.snapshot_hash(GOLDEN) == hash_
    assert _core.snapshot_hash(model.encode(shuffled)) == hash_
    assert _core.snapshot_hash(model.encode(EMPTY)) != hash_


def test_golden_plan_decodes_into_the_python_plan() -> None:
    """The plan Rust wrote once decodes with the Python mirror of `plan.rs`."""
    plan = msgspec.msgpack.decode((FIXTURES / "plan.msgpack").read_bytes(), type=Plan)
    assert [(s.sql, s.object_key, s.action, s.forced_by, s.hazards) for s in plan.steps] == [
        (
            "ALTER TABLE public.users ADD COLUMN name text DEFAULT 'O''Brien'::text",
            "column:public.users.name",
            "create",
            None,
            [],
        )
    ]


@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\xc1", id="reserved-byte"),
        pytest.param(msgspec.msgpack.encode({"server_version": "x"}), id="wrong-shape"),
        pytest.param(GOLDEN[: len(GOLDEN) // 2], id="truncated"),
    ],
)
def test_undecodable_bytes_are_a_core_error(garbage: bytes) -> None:
    """The core refuses bytes that are not a snapshot, naming which side."""
    ok = model.encode(EMPTY)
    with pytest.raises(_core.CoreError, match="cannot decode the source snapshot"):
        _core.plan(garbage, ok)
    with pytest.raises(_core.CoreError, match="cannot decode the target snapshot"):
        _core.plan(ok, garbage)
    with pytest.raises(_core.CoreError, match="cannot decode the given snapshot"):
        _core.snapshot_hash(garbage)


def test_make_plan_turns_undecodable_bytes_into_plan_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """make_plan wraps the core's error; bytes are forced in by replacing the encoder."""
    monkeypatch.setattr(plan_module.model, "encode", lambda _snapshot: b"\xc1")
    with pytest.raises(PlanError, match="cannot decode the source snapshot") as caught:
        make_plan(EMPTY, EMPTY)
    assert caught.value.hint
    assert isinstance(caught.value.__cause__, _core.CoreError)


def test_a_snapshot_the_core_loaded_ahead_plans_as_its_bytes(golden: model.Snapshot) -> None:
    """`load_snapshot` (what `prepare` hands the core while the other side is still being
    read) gives the plan the bytes give, on either side, hashes included."""
    schema = model.Object("schema:app", None, (), model.Schema("app"))
    table = model.Object("table:app.t", None, ("schema:app",),
                         model.Table("app.t", False, None, None, None, [], [], False, False))
    target = model.Snapshot(180001, [schema, table])
    empty, full = model.encode(EMPTY), model.encode(target)
    expected = _core.plan(empty, full)
    assert len(msgspec.msgpack.decode(expected, type=Plan).steps) == 2
    loaded_empty, loaded_full = _core.load_snapshot(empty), _core.load_snapshot(full)
    assert _core.plan(loaded_empty, loaded_full) == expected
    assert _core.plan(empty, loaded_full) == expected
    assert _core.plan(loaded_empty, full) == expected
    loaded_golden = _core.load_snapshot(GOLDEN)
    assert _core.plan(loaded_golden, loaded_golden) == _core.plan(GOLDEN, GOLDEN)
    assert make_plan(prepare(EMPTY), prepare(target)) == make_plan(EMPTY, target)
    assert make_plan(EMPTY, prepare(target)) == make_plan(EMPTY, target)
    assert make_plan(prepare(golden), golden).empty


def test_make_plan_lets_go_of_a_prepared_snapshot_and_plans_again_from_its_decoded_copy(
    golden: model.Snapshot,
) -> None:
    prepared = prepare(golden)
    assert make_plan(prepared, golden).empty
    assert prepared.snapshot is None  # freed while the core planned
    assert make_plan(prepared, prepare(golden)).empty
    with pytest.raises(ValueError, match="serves one make_plan"):
        _snapshot(prepared)


def test_the_core_names_what_it_cannot_plan_from() -> None:
    with pytest.raises(TypeError, match="msgpack bytes or a LoadedSnapshot, not str"):
        _core.plan("not a snapshot", model.encode(EMPTY))  # type: ignore[arg-type]
    with pytest.raises(_core.CoreError, match="cannot decode the given snapshot"):
        _core.load_snapshot(b"\xc1")


def test_prepare_turns_undecodable_bytes_into_plan_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module.model, "encode", lambda _snapshot: b"\xc1")
    with pytest.raises(PlanError, match="cannot decode the given snapshot") as caught:
        prepare(EMPTY)
    assert isinstance(caught.value.__cause__, _core.CoreError)


def _view(name: str, uses: str) -> model.Object:
    return model.Object(
        f"view:{name}", None, [f"view:{uses}"], model.View(name, " SELECT 1", [], ["?column? integer"])
    )


def test_make_plan_turns_a_dependency_cycle_into_plan_error() -> None:
    """A cycle among created objects comes back as PlanError naming its path."""
    target = model.Snapshot(180001, [_view("public.a", "public.b"), _view("public.b", "public.a")])
    with pytest.raises(PlanError, match=re.escape("cycle: view:public.a -> view:public.b -> view:public.a")):
        make_plan(EMPTY, target)
