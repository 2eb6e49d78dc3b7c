//! What pages receive from server functions. Plain data in domain types, never plaintext
//! secret values (those travel only in `Revealed`, the answer to an explicit reveal).

use domain::{AccessLevel, Capabilities, RotatePolicy, Timestamp};

mod review;
pub use review::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub name: String,
    pub superuser: bool,
}

/// How the sign-in page lets people in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInChoices {
    /// "Sign in with NAME": the OpenID provider's button, when there is one.
    pub provider: Option<String>,
    /// The password form.
    pub password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelSummary {
    pub name: String,
    pub uuid: String,
    pub access: AccessLevel,
    pub created: Timestamp,
}

/// Who owns a secret: the model (a user secret) or an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    Model,
    Application(String),
}

impl Owner {
    pub fn label(&self) -> String {
        match self {
            Owner::Model => "Model".to_owned(),
            Owner::Application(app) => app.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretRow {
    pub id: String,
    pub uri: String,
    pub name: Option<String>,
    pub owner: Owner,
    pub description: String,
    pub revision: i64,
    pub granted_to: i64,
    pub auto_prune: bool,
    pub rotation: RotatePolicy,
    pub created: Timestamp,
    pub updated: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretsPageData {
    pub rows: Vec<SecretRow>,
    /// Opaque; pass back as `after` for the next page.
    pub next: Option<String>,
    /// What the caller may do in the model.
    pub can: Capabilities,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionRow {
    pub revision: i64,
    pub created: Timestamp,
    pub latest: bool,
    pub obsolete: bool,
    pub tracked_by: Vec<String>,
    pub checksum: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRow {
    pub application: String,
    pub granted_by: String,
    pub granted_at: Timestamp,
}

/// An application tracking an older revision than the latest, since the next one was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BehindRow {
    pub application: String,
    pub tracked: i64,
    pub since: Timestamp,
}

/// An audit event as the dashboard and `/api/v1` both show it: one shape, the contract's.
pub use api_types::admin::{AuditJson, TokenJson};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretDetail {
    pub row: SecretRow,
    /// What the caller may do in the model.
    pub can: Capabilities,
    /// Whether the caller may update, grant, revoke and remove this secret.
    pub changeable: bool,
    pub revisions: Vec<RevisionRow>,
    pub grants: Vec<GrantRow>,
    /// Applications that have not refreshed to the latest revision yet.
    pub behind: Vec<BehindRow>,
    pub audit: Vec<AuditJson>,
    /// Every application of the model, for the grant dialog.
    pub applications: Vec<String>,
}

/// Added, removed and changed keys between two revisions; names only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDiffView {
    pub from: i64,
    pub to: i64,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
}

/// Decoded values of one revision, for an admin who asked.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revealed {
    pub revision: i64,
    pub values: Vec<RevealedValue>,
}

/// One value: text when it is UTF-8, else base64 (and said so).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevealedValue {
    pub key: String,
    pub value: String,
    pub base64: bool,
}

impl std::fmt::Debug for Revealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Revealed(revision {}, {} values redacted)",
            self.revision,
            self.values.len()
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditJson>,
    /// Pass as `before` for older events; `None` when there are none.
    pub next_before: Option<i64>,
    /// Every action name, for the filter.
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationsPage {
    /// What the caller may do in the model.
    pub can: Capabilities,
    pub applications: Vec<ApplicationView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub name: String,
    pub created: Timestamp,
    /// Secrets it owns or was granted: (id, name).
    pub readable: Vec<(String, Option<String>)>,
    pub tokens: Vec<TokenJson>,
    pub webhook: Option<WebhookView>,
}

/// An application's webhook as the applications page shows it: never its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    /// Model admins only.
    pub url: Option<String>,
    pub enabled: bool,
    pub failures: u32,
    pub retry_at: Option<Timestamp>,
    pub last_error: Option<String>,
    pub last_success: Option<Timestamp>,
}

/// A webhook's signing secret, shown once right after the webhook is set.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewWebhookSecret {
    pub application: String,
    pub secret: String,
}

impl std::fmt::Debug for NewWebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewWebhookSecret({}, <redacted>)", self.application)
    }
}

/// A token in the clear, shown once right after it is made.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    /// The application or person the token acts as.
    pub owner: String,
    pub token: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewToken({}, <redacted>)", self.owner)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub name: String,
    pub superuser: bool,
    /// A superuser through a provider group (`--oidc-superuser-group`), apart from the flag.
    pub group_superuser: bool,
    pub created: Timestamp,
    /// Set by hand.
    pub memberships: Vec<(String, AccessLevel)>,
    /// From provider groups: model, level, and the groups that give it.
    pub group_memberships: Vec<(String, AccessLevel, String)>,
    /// `subject at issuer`, for people who sign in through a provider.
    pub identities: Vec<String>,
    pub tokens: Vec<TokenJson>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub users: Vec<UserView>,
    pub models: Vec<String>,
}

/// A command line waiting to be approved (`strongbox login URL --web`), for `/approve-cli`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingCommandLine {
    pub code: String,
    /// What its token will be called: `strongbox cli on HOST`.
    pub label: String,
    pub requested: domain::Timestamp,
}
