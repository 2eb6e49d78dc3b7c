//! Signing in for a personal token.

use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// Shown in the token list, e.g. the machine's name.
    #[serde(default)]
    pub label: String,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginResponse {
    /// The personal access token, shown this once. Send it as `Authorization: Bearer …`.
    pub token: String,
    pub user: domain::UserName,
}

/// `POST /api/v1/login/web`: a command line asks to be approved in the dashboard.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebLoginRequest {
    /// The token's label once approved, e.g. `strongbox cli on build-01`.
    pub label: String,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebLoginStarted {
    /// The short code the terminal shows and the approval page shows too, `BCDF-GHJK`.
    pub code: String,
    /// Where the person approves, on this server: `/approve-cli?code=…`.
    pub approve_path: String,
    /// Only the command line knows it: it collects the token with it.
    pub poll_secret: String,
    pub expires_in_seconds: u64,
    /// How long to wait between two collection attempts.
    pub interval_seconds: u64,
}

/// `POST /api/v1/login/web/collect`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebLoginCollect {
    pub poll_secret: String,
}

/// 202 with `pending` while nobody decided; 200 with the token once approved, this once.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebLoginCollected {
    pub pending: bool,
    pub token: Option<String>,
    pub user: Option<domain::UserName>,
}
