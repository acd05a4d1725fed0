//! The one error type of the core; `python.rs` maps it to `pgmt.errors.PlanError`.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot decode the {which} snapshot: {reason}")]
    Decode { which: &'static str, reason: String },
    #[error("cannot encode the plan: {0}")]
    Encode(String),
    #[error("the changes depend on each other in a cycle: {}", .0.join(" -> "))]
    Cycle(Vec<String>),
    #[error("{key}: {reason}")]
    Invalid { key: String, reason: String },
}

pub type Result<T> = std::result::Result<T, Error>;
