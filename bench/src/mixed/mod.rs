//! The mixed workload's plan: what each kind of request sends, with the secrets in order of
//! popularity.

use serde::{Deserialize, Serialize};

pub mod drive;
pub mod prepare;

/// How big the workload is.
pub struct Shape {
    pub secrets: usize,
    pub tokens: usize,
    pub applications: usize,
}

/// One request: method, path and JSON body; `{n}` in the body becomes a number that changes.
#[derive(Clone, Serialize, Deserialize)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub body: Option<String>,
}

/// A secret of the workload: how it is read (with any of `tokens`) and updated.
#[derive(Serialize, Deserialize)]
pub struct Target {
    pub read: String,
    pub tokens: Vec<String>,
    pub update: Call,
}

#[derive(Serialize, Deserialize)]
pub struct Plan {
    /// The base URL.
    pub url: String,
    /// The header that carries a token, and what comes before the token in it.
    pub token_header: String,
    pub token_prefix: String,
    /// Most popular first.
    pub secrets: Vec<Target>,
    /// The token that updates and changes grants.
    pub admin_token: String,
    /// Grant changes, made in turn (a grant then its revoke, a policy and its rewrite).
    pub grant_changes: Vec<Call>,
}

/// Of every 1,000 requests: 50 updates (5 %), 1 grant change, the rest reads.
pub const UPDATES_PER_MILLE: u32 = 50;
pub const GRANT_CHANGES_PER_MILLE: u32 = 1;
