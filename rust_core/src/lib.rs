//! pgmt's core: diff two catalog snapshots and order the changes by PostgreSQL's
//! own dependency graph. Plain Rust; the Python binding is `python.rs`, behind the
//! `python` feature.

pub mod engine;
pub mod error;
pub mod graph;
mod halves;
pub mod kinds;
pub mod model;
pub mod plan;

#[cfg(feature = "python")]
mod python;

use std::borrow::Cow;
use std::time::Instant;

pub use error::{Error, Result};
pub use model::Snapshot;
pub use plan::Plan;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub fn decode_snapshot(bytes: &[u8], which: &'static str) -> Result<Snapshot> {
    rmp_serde::from_slice(bytes).map_err(|e| Error::Decode {
        which,
        reason: e.to_string(),
    })
}

/// A snapshot as msgspec encodes `pgmt.catalog.model.Snapshot`: every struct an array of
/// its fields, byte for byte the same (the hash of a canonical snapshot is of these bytes).
pub fn encode_snapshot(snapshot: &Snapshot) -> Result<Vec<u8>> {
    rmp_serde::to_vec(snapshot).map_err(|e| Error::Encode(e.to_string()))
}

/// A plan, its structs as maps by field name (`pgmt.engine.plan.Plan`).
pub fn encode_plan(plan: &Plan) -> Result<Vec<u8>> {
    rmp_serde::to_vec_named(plan).map_err(|e| Error::Encode(e.to_string()))
}

/// Whether objects are in strict key order and each one's dependencies sorted and
/// unique, as `pgmt.catalog.reader` writes them.
pub fn is_canonical(snapshot: &Snapshot) -> bool {
    snapshot.objects.windows(2).all(|w| w[0].key < w[1].key)
        && snapshot
            .objects
            .iter()
            .all(|o| o.deps.windows(2).all(|w| w[0] < w[1]))
}

/// The hash (blake3, hex) of a snapshot's canonical form: objects and dependencies
/// sorted, so the order a catalog query returned rows in does not matter.
pub fn snapshot_hash(snapshot: &Snapshot) -> Result<String> {
    if is_canonical(snapshot) {
        return Ok(blake3::hash(&encode_snapshot(snapshot)?)
            .to_hex()
            .to_string());
    }
    let mut canonical = snapshot.clone();
    canonical.objects.sort_by(|a, b| a.key.cmp(&b.key));
    for object in &mut canonical.objects {
        object.deps.sort();
        object.deps.dedup();
    }
    Ok(blake3::hash(&encode_snapshot(&canonical)?)
        .to_hex()
        .to_string())
}

pub fn plan(source: &Snapshot, target: &Snapshot) -> Result<Plan> {
    Ok(Plan {
        source_hash: snapshot_hash(source)?,
        target_hash: snapshot_hash(target)?,
        steps: engine::plan(source, target)?,
    })
}

/// A snapshot decoded, with the hash the plan records of it: what planning needs of a side.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub snapshot: Snapshot,
    pub hash: String,
}

/// Decode and hash one msgpack snapshot, ahead of planning. A large one is decoded in two
/// halves at once (`halves`), and its bytes hashed meanwhile on a third thread: the hash a
/// canonical snapshot gets, without encoding it again.
pub fn load(bytes: &[u8], which: &'static str) -> Result<Loaded> {
    let (snapshot, hash_of_bytes) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| blake3::hash(bytes));
        let snapshot = match halves::decode(bytes) {
            Some(snapshot) => Ok(snapshot),
            None => decode_snapshot(bytes, which),
        };
        (snapshot, hashing.join().expect("hashing cannot panic"))
    });
    let snapshot = snapshot?;
    let hash = if is_canonical(&snapshot) {
        hash_of_bytes.to_hex().to_string()
    } else {
        snapshot_hash(&snapshot)?
    };
    Ok(Loaded { snapshot, hash })
}

/// One side of a plan: a msgpack snapshot, or one `load` has decoded already (a caller
/// reading two databases at once loads the first while the second is still being read).
#[derive(Debug, Clone, Copy)]
pub enum Side<'a> {
    Bytes(&'a [u8]),
    Loaded(&'a Loaded),
}

impl<'a> Side<'a> {
    fn load(self, which: &'static str) -> Result<Cow<'a, Loaded>> {
        match self {
            Side::Bytes(bytes) => load(bytes, which).map(Cow::Owned),
            Side::Loaded(loaded) => Ok(Cow::Borrowed(loaded)),
        }
    }
}

/// The whole boundary in one call: msgpack snapshots in, msgpack plan out.
pub fn plan_bytes(source_bytes: &[u8], target_bytes: &[u8]) -> Result<Vec<u8>> {
    Ok(plan_sides_timed(Side::Bytes(source_bytes), Side::Bytes(target_bytes))?.0)
}

/// How long each stage of `plan_sides_timed` took, in seconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub decode_and_hash: f64,
    pub diff_and_order: f64,
    pub encode: f64,
}

/// The plan from `source` to `target`, msgpack-encoded, and where the time went (for the
/// benchmarks).
pub fn plan_sides_timed(source: Side, target: Side) -> Result<(Vec<u8>, Timings)> {
    let started = Instant::now();
    // A side still to decode decodes and hashes on its own core.
    let (source, target) = std::thread::scope(|scope| {
        let source = scope.spawn(|| source.load("source"));
        let target = target.load("target");
        (source.join().expect("decoding cannot panic"), target)
    });
    let (source, target) = (source?, target?);
    let decoded = Instant::now();
    let steps = engine::plan(&source.snapshot, &target.snapshot)?;
    let planned = Instant::now();
    let bytes = encode_plan(&Plan {
        source_hash: source.hash.clone(),
        target_hash: target.hash.clone(),
        steps,
    })?;
    let timings = Timings {
        decode_and_hash: (decoded - started).as_secs_f64(),
        diff_and_order: (planned - decoded).as_secs_f64(),
        encode: planned.elapsed().as_secs_f64(),
    };
    // Freeing two large snapshots is work too: not on the caller's path.
    let decoded_here: Vec<Loaded> = [source, target]
        .into_iter()
        .filter_map(|side| match side {
            Cow::Owned(loaded) => Some(loaded),
            Cow::Borrowed(_) => None,
        })
        .collect();
    if !decoded_here.is_empty() {
        drop_elsewhere(decoded_here);
    }
    Ok((bytes, timings))
}

/// Free `value` on a thread of its own: freeing a large snapshot takes milliseconds the
/// caller need not wait for. If no thread can be started, the refused closure frees it here.
pub(crate) fn drop_elsewhere<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}
