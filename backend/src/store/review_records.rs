//! What the store keeps and answers for the access review (ADR 0024).

use domain::{
    ApplicationId, ApplicationName, ModelId, RevisionNumber, SecretId, SecretName, Timestamp,
};
use serde::{Deserialize, Serialize};

/// A day number: days since 1970-01-01 UTC, the unit reads are counted in.
pub fn usage_day(at: Timestamp) -> i64 {
    at.millis().div_euclid(86_400_000)
}

/// Reads of one secret by one application on one day, as one group commit adds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageTally {
    pub application: ApplicationId,
    pub secret: SecretId,
    pub day: i64,
    pub reads: i64,
    pub last_read_at: Timestamp,
}

impl UsageTally {
    pub fn one_read(application: ApplicationId, secret: &SecretId, at: Timestamp) -> Self {
        UsageTally {
            application,
            secret: secret.clone(),
            day: usage_day(at),
            reads: 1,
            last_read_at: at,
        }
    }
}

/// Which grants of a model the review covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewScope {
    pub model: ModelId,
    pub application: Option<ApplicationId>,
    pub secret: Option<SecretId>,
    /// Reads on this day and later count as recent (the last 30 days).
    pub recent_from_day: i64,
}

/// One grant with the usage behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantUsageRecord {
    pub secret_id: SecretId,
    pub secret_name: Option<SecretName>,
    /// The application that owns the secret; `None` for a user secret.
    pub owner: Option<ApplicationName>,
    pub application_id: ApplicationId,
    pub application_name: ApplicationName,
    pub granted_by: String,
    pub granted_at: Timestamp,
    pub last_read_at: Option<Timestamp>,
    pub recent_reads: i64,
    /// The revision the application tracks; `None` until its first tracked read.
    pub tracked: Option<RevisionNumber>,
    pub latest: RevisionNumber,
    /// When the first revision after the tracked one was made: how long it has been behind.
    pub behind_since: Option<Timestamp>,
    /// Whether the application holds any token it could read with.
    pub live_token: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignOff {
    pub model: ModelId,
    pub reviewed_by: String,
    pub reviewed_at: Timestamp,
    pub note: String,
    pub grant_digest: String,
    pub grant_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffRecord {
    pub id: i64,
    pub reviewed_by: String,
    pub reviewed_at: Timestamp,
    pub note: String,
    pub grant_digest: String,
    pub grant_count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelCounts {
    pub secrets: i64,
    pub applications: i64,
    pub grants: i64,
}

/// An application secret whose rotation or expiry is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueSoonRecord {
    pub secret_id: SecretId,
    pub label: Option<SecretName>,
    pub owner: ApplicationName,
    pub rotate_at: Option<Timestamp>,
    pub expire_at: Option<Timestamp>,
}
