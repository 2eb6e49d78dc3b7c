//! The access review: `/api/v1/models/{model}/access-review` and its sign-offs.

use domain::{ApplicationName, ReviewFlag, SecretId, SecretName, Timestamp};
use serde::{Deserialize, Serialize};

/// The review's filter. `flag` may repeat: grants with any of the flags are shown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReviewParams {
    /// Days without a read that make a grant stale: 1 to 3650, 30 by default.
    pub stale_days: Option<u32>,
    /// `never-read`, `stale`, `behind` or `no-token`; repeat for several.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", param(explode, style = Form, value_type = Option<Vec<ReviewFlag>>))]
    pub flag: Vec<String>,
    /// One application's grants.
    pub application: Option<String>,
    /// One secret's grants: its ID, URI or name.
    pub secret: Option<String>,
    /// `model` for user secrets, or the owning application's name.
    pub owner: Option<String>,
    /// `json` (the default) or `csv`.
    #[cfg_attr(feature = "openapi", param(pattern = "^(json|csv)?$"))]
    pub format: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewJson {
    pub stale_days: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub generated_at: Timestamp,
    pub items: Vec<ReviewItemJson>,
}

/// One grant and the usage behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItemJson {
    pub application: ApplicationName,
    pub secret_id: SecretId,
    pub secret_name: Option<SecretName>,
    pub granted_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub granted_at: Timestamp,
    /// Null when the application never read it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339_option")]
    pub last_read_at: Option<Timestamp>,
    pub reads_30d: i64,
    /// Null until the application's first tracked read.
    pub tracked_revision: Option<i64>,
    pub latest_revision: i64,
    pub flags: Vec<ReviewFlag>,
}

/// `note` is required (it may be empty), so a body meant for another endpoint is refused
/// rather than recorded as a sign-off without a note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignOffBody {
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignOffJson {
    pub id: i64,
    pub reviewed_by: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    #[serde(with = "domain::timestamp::rfc3339")]
    pub reviewed_at: Timestamp,
    pub note: String,
    pub grant_count: i64,
    /// SHA-256 of the grant set (application and secret ID of each grant) at the sign-off.
    pub grant_digest: String,
}

/// Grants to revoke together from the review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeGrantsBody {
    pub grants: Vec<GrantRefJson>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GrantRefJson {
    pub application: String,
    /// The secret's ID, URI or name.
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokedJson {
    pub revoked: usize,
}
