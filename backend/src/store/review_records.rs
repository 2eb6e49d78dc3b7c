//! What the store keeps and answers for the access review (ADR 0024).

use domain::{
    ApplicationId, ApplicationName, ModelId, ReviewFlag, RevisionNumber, SecretId, SecretName,
    Timestamp,
};

use super::OwnerFilter;
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

/// Which grants of a model the review covers, and which of those its flag filter selects.
/// The flags are decided from the grant's own columns, as `ReviewFilter::flags_of` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFilter {
    pub model: ModelId,
    pub application: Option<ApplicationId>,
    pub secret: Option<SecretId>,
    pub owner: OwnerFilter,
    /// Grants with any of these flags are selected; all grants when empty.
    pub flags: Vec<ReviewFlag>,
    /// A grant not read (or, never read, not granted) since this moment is stale.
    pub stale_before: Timestamp,
    /// Reads on this day and later count as recent (the last 30 days).
    pub recent_from_day: i64,
}

impl ReviewFilter {
    /// The flags of one grant: the same terms the store's queries select and count by. (The
    /// store selects "stale" by a last read that trails by up to a minute, migration 0012; at
    /// a threshold counted in days the two agree but within that minute.)
    pub fn flags_of(&self, grant: &GrantUsageRecord) -> Vec<ReviewFlag> {
        let last_use = grant.last_read_at.unwrap_or(grant.granted_at);
        ReviewFlag::ALL
            .into_iter()
            .filter(|flag| match flag {
                ReviewFlag::NeverRead => grant.last_read_at.is_none(),
                ReviewFlag::Stale => last_use < self.stale_before,
                ReviewFlag::Behind => grant.behind_since.is_some(),
                ReviewFlag::NoToken => !grant.live_token,
            })
            .collect()
    }
}

/// One application's grants under a [`ReviewFilter`]: how many, and how many carry each flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAppCounts {
    pub application_id: ApplicationId,
    pub application_name: ApplicationName,
    pub live_token: bool,
    /// Grants under the filter's application, secret and owner terms.
    pub total: i64,
    pub never_read: i64,
    pub stale: i64,
    pub behind: i64,
    /// Of those, the grants the filter's flags select.
    pub selected: i64,
}

/// A window of one application's selected grants, in secret name order (natural, then id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewWindow {
    pub application: ApplicationId,
    pub offset: i64,
    pub limit: i64,
}

/// Which of the selected grants `review_grants` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewRows {
    All,
    /// A window of one application's grants, in secret name order (natural, then id).
    Window(ReviewWindow),
    /// The grants where these applications cross these secrets: a matrix window.
    Crossing {
        applications: Vec<ApplicationId>,
        secrets: Vec<SecretId>,
    },
}

/// The model's grant set in two numbers: enough to tell whether it changed since a sign-off
/// (a grant added since has a later `granted_at`; one removed lowers the count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GrantSetState {
    pub count: i64,
    pub last_granted_at: Option<Timestamp>,
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
    /// While the application tracks an older revision than the latest: when the first
    /// revision after the tracked one was made. Set exactly when the grant is behind.
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
