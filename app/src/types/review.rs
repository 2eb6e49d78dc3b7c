//! What the access review page receives.

use domain::{Capabilities, ReviewFlag, Timestamp};
use serde::{Deserialize, Serialize};

/// One grant and the usage behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRow {
    pub application: String,
    pub secret_id: String,
    pub secret_name: Option<String>,
    pub granted_by: String,
    pub granted_at: Timestamp,
    pub last_read_at: Option<Timestamp>,
    pub reads_30d: i64,
    pub tracked: Option<i64>,
    pub latest: i64,
    pub behind_since: Option<Timestamp>,
    pub flags: Vec<ReviewFlag>,
}

impl ReviewRow {
    pub fn secret_label(&self) -> String {
        self.secret_name
            .clone()
            .unwrap_or_else(|| self.secret_id.clone())
    }

    /// How the grant is named in a form: `application/secret-id` (a name holds no `/`).
    pub fn key(&self) -> String {
        format!("{}/{}", self.application, self.secret_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOffView {
    pub reviewed_by: String,
    pub reviewed_at: Timestamp,
    pub note: String,
    pub grant_count: i64,
}

/// A grant added or revoked since the last sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantChangeView {
    pub at: Timestamp,
    pub actor: String,
    pub added: bool,
    pub secret_id: Option<String>,
    /// e.g. "granted view to mysql".
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewStatusView {
    pub last: Option<SignOffView>,
    pub unchanged: bool,
    pub changes: Vec<GrantChangeView>,
}

/// One window of the applications × secrets matrix: the server never sends the whole cross
/// product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixWindow {
    pub applications: Vec<String>,
    /// (id, label) of each column.
    pub secrets: Vec<(String, String)>,
    /// `cells[row][column]`: the grant's flags, or `None` where there is no grant.
    pub cells: Vec<Vec<Option<Vec<ReviewFlag>>>>,
    pub row_offset: usize,
    pub column_offset: usize,
    pub total_applications: usize,
    pub total_secrets: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPageData {
    /// One page of the grants the filter selects.
    pub rows: Vec<ReviewRow>,
    pub offset: usize,
    /// How many grants the filter selects in all.
    pub total: usize,
    /// How many grants the filter's application, secret and owner select, before flags.
    pub considered: usize,
    pub flag_counts: Vec<(ReviewFlag, usize)>,
    pub stale_days: u32,
    pub can: Capabilities,
    /// Every application of the model, for the filter.
    pub applications: Vec<String>,
    pub status: ReviewStatusView,
    /// The grants a bulk revoke would act on, when its dialog is open.
    pub to_revoke: Vec<ReviewRow>,
    pub matrix: Option<MatrixWindow>,
    pub now: Timestamp,
}

/// An application secret whose rotation or expiry is due (or overdue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRow {
    pub secret_id: String,
    pub label: String,
    pub owner: String,
    pub rotate_at: Option<Timestamp>,
    pub expire_at: Option<Timestamp>,
}

/// One audit event as a summary line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentEvent {
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub denied: bool,
    pub secret_id: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewData {
    pub secrets: i64,
    pub applications: i64,
    pub grants: i64,
    pub flag_counts: Vec<(ReviewFlag, usize)>,
    /// Applications behind the latest revision, with how many secrets each.
    pub behind: Vec<(String, usize)>,
    pub due: Vec<DueRow>,
    pub recent: Vec<RecentEvent>,
    pub status: ReviewStatusView,
    pub can: Capabilities,
}
