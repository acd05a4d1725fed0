"""The Rust core (crate `rust_core/`). Everything crosses as msgpack bytes."""

from typing import final

__version__: str

class CoreError(ValueError):
    """The core refused its input (undecodable snapshot, dependency cycle)."""

@final
class LoadedSnapshot:
    """A snapshot the core has decoded and hashed (`load_snapshot`)."""

def load_snapshot(snapshot: bytes) -> LoadedSnapshot:
    """Decode and hash a msgpack-encoded snapshot now (the GIL released), ahead of `plan`."""

def plan(source: bytes | LoadedSnapshot, target: bytes | LoadedSnapshot) -> bytes:
    """Diff two snapshots (msgpack-encoded, or loaded ahead) and return the ordered plan,
    msgpack-encoded.

    Raises pgmt.errors.PlanError (ValueError) when a snapshot cannot be decoded or
    the dependency graph has a cycle."""

def plan_timed(
    source: bytes | LoadedSnapshot, target: bytes | LoadedSnapshot
) -> tuple[bytes, list[tuple[str, float]]]:
    """`plan`, with the seconds each stage took: decode_and_hash, diff_and_order, encode."""

def roundtrip_snapshot(snapshot: bytes) -> bytes:
    """Decode a snapshot and encode it again (the boundary's lossless-ness is tested with it)."""

def snapshot_hash(snapshot: bytes) -> str:
    """The blake3 hash of a snapshot's canonical encoding, as hex."""
