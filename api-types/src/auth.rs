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
