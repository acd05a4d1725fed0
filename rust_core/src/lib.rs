//! pgmt's core: diff two catalog snapshots and order the changes by PostgreSQL's
//! own dependency graph. Plain Rust; the Python binding is `python.rs`, behind the
//! `python` feature.

pub mod engine;
pub mod error;
pub mod graph;
pub mod kinds;
pub mod model;
pub mod plan;

#[cfg(feature = "python")]
mod python;

use sha2::{Digest, Sha256};

pub use error::{Error, Result};
pub use model::Snapshot;
pub use plan::Plan;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn decode_snapshot(bytes: &[u8], which: &'static str) -> Result<Snapshot> {
    rmp_serde::from_slice(bytes).map_err(|e| Error::Decode {
        which,
        reason: e.to_string(),
    })
}

pub fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>> {
    rmp_serde::to_vec_named(value).map_err(|e| Error::Encode(e.to_string()))
}

/// The hash of a snapshot's canonical form: objects and dependencies sorted, so
/// the order a catalog query returned rows in does not matter.
pub fn snapshot_hash(snapshot: &Snapshot) -> Result<String> {
    let mut canonical = snapshot.clone();
    canonical.objects.sort_by(|a, b| a.key.cmp(&b.key));
    for object in &mut canonical.objects {
        object.deps.sort();
        object.deps.dedup();
    }
    let digest = Sha256::digest(encode(&canonical)?);
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

pub fn plan(source: &Snapshot, target: &Snapshot) -> Result<Plan> {
    Ok(Plan {
        source_hash: snapshot_hash(source)?,
        target_hash: snapshot_hash(target)?,
        steps: engine::plan(source, target)?,
    })
}

/// The whole boundary in one call: msgpack snapshots in, msgpack plan out.
pub fn plan_bytes(source: &[u8], target: &[u8]) -> Result<Vec<u8>> {
    let source = decode_snapshot(source, "source")?;
    let target = decode_snapshot(target, "target")?;
    encode(&plan(&source, &target)?)
}
