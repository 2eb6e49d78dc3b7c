//! What an application does with its own token (`/api/v1/app/…`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ReadParams {
    /// `peek`: read the latest without moving the tracking; `refresh`: track the latest and
    /// read it. Without it: the tracked revision (the first read tracks the latest).
    #[cfg_attr(feature = "openapi", param(pattern = "^(peek|refresh)?$"))]
    pub mode: Option<String>,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnSecret {
    /// Unique among this application's secrets.
    pub label: Option<String>,
    #[serde(default)]
    pub description: String,
    /// never, hourly, daily, weekly, monthly, quarterly or yearly.
    pub rotate: Option<String>,
    /// A duration (`24h`) or a time (RFC 3339) after which this revision expires.
    pub expire: Option<String>,
    #[serde(flatten)]
    pub content: crate::secrets::ContentInput,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnUpdate {
    pub label: Option<String>,
    pub description: Option<String>,
    pub rotate: Option<String>,
    /// Expiry of the new revision.
    pub expire: Option<String>,
    pub expected_revision: Option<i64>,
    #[serde(flatten)]
    pub content: crate::secrets::ContentInput,
}
