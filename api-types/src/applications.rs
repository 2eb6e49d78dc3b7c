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

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct EventParams {
    /// Continue after this event (the `next` of the last answer, or an event's `id`); the
    /// `Last-Event-ID` header does the same for an event stream. Without either, only what
    /// happens from now on. Opaque: it tells nothing of other applications' events.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub since: Option<domain::EventCursor>,
    /// Long poll: answer as soon as there is an event, or after this many seconds (at most 60).
    pub wait: Option<u32>,
}

/// One thing the application is told. `secret-changed`: read the secret with `?mode=refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventJson {
    /// The cursor after this event; absent for what is reported on connecting (secrets found
    /// behind the latest revision, `resync`).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub id: Option<domain::EventCursor>,
    pub kind: domain::EventKind,
    pub secret: Option<domain::SecretId>,
    /// The revision a `secret-expired` is about.
    pub revision: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub uri: Option<domain::SecretUri>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPageJson {
    pub events: Vec<EventJson>,
    /// Pass as `since` next time.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub next: domain::EventCursor,
}
