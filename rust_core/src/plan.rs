//! A plan is data: ordered steps, each saying what it does, to what, why and at what risk.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// blake3 of the canonical encoding of the snapshot the plan starts from;
    /// applying the plan to a database whose snapshot hashes differently is refused.
    pub source_hash: String,
    pub target_hash: String,
    pub steps: Vec<Step>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Drop,
    Alter,
}

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// Rows or values are lost: a dropped table or column, a narrowing rebuild.
    DataLoss,
    /// The table is rewritten: a column type change, SET LOGGED.
    TableRewrite,
    /// A lock that blocks writes (or reads) while the statement scans the table.
    BlockingLock,
    /// The SQL holds a secret's placeholder (`'<secret: fill in>'`, see
    /// `model::SECRET_PLACEHOLDER`) that a person must replace before it runs.
    SecretPlaceholder,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Step {
    pub sql: String,
    /// What kind of object, as a user says it: `table`, `materialized view`, …
    pub object_kind: String,
    pub object_key: String,
    /// The object's qualified name as PostgreSQL quotes it.
    pub object_name: String,
    pub action: Action,
    /// The key of the object whose change forced this drop or recreate, when the
    /// object itself did not change.
    pub forced_by: Option<String>,
    pub hazards: Vec<Hazard>,
    /// False for statements PostgreSQL refuses inside a transaction block.
    pub transactional: bool,
    /// What this step creates is usable only after a commit (a new enum value), so
    /// the plan must commit before the next step.
    pub commit_after: bool,
}
