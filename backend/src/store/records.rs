//! What the store reads and writes, in domain types.

use domain::{
    AccessLevel, ApplicationId, ApplicationName, Description, ModelId, ModelName, ModelUuid,
    RevisionNumber, RotatePolicy, SecretId, SecretName, Timestamp, TokenId, UserId, UserName,
};
use serde::{Deserialize, Serialize};

use crate::audit::{ActorKind, AuditAction};
use crate::crypto::Sealed;
use crate::token::TokenHash;

pub struct NewUser {
    pub name: UserName,
    pub password_hash: String,
    pub superuser: bool,
    pub now: Timestamp,
}

#[derive(Clone)]
pub struct UserRecord {
    pub id: UserId,
    pub name: UserName,
    pub password_hash: String,
    /// A superuser by an admin's hand.
    pub superuser: bool,
    /// A superuser by a provider group (ADR 0026), apart from the flag set by hand.
    pub group_superuser: bool,
    pub created_at: Timestamp,
    /// Sessions that began before this are over.
    pub sessions_valid_after: Timestamp,
}

impl UserRecord {
    /// A superuser either way.
    pub fn is_superuser(&self) -> bool {
        self.superuser || self.group_superuser
    }
}

impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("superuser", &self.superuser)
            .field("group_superuser", &self.group_superuser)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelRecord {
    pub id: ModelId,
    pub uuid: ModelUuid,
    pub name: ModelName,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    pub user_id: UserId,
    pub user_name: UserName,
    pub access: AccessLevel,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRecord {
    pub id: ApplicationId,
    pub model_id: ModelId,
    pub name: ApplicationName,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenOwner {
    Application(ApplicationId),
    User(UserId),
}

pub struct NewToken {
    pub owner: TokenOwner,
    pub hash: TokenHash,
    pub label: String,
    pub now: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub id: TokenId,
    pub owner: TokenOwner,
    pub label: String,
    pub created_at: Timestamp,
}

/// Who asks about a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asker {
    User(UserId),
    Application(ApplicationId),
}

/// What the store knows of an asker in one model; the service turns it into a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The asker's row is gone: removed since its session or token was checked.
    Gone,
    User {
        superuser: bool,
        access: Option<AccessLevel>,
    },
    Application {
        of_this_model: bool,
    },
}

/// What one application may see of one secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderView {
    pub granted: bool,
    /// The revision it tracks, when it tracks one that still exists.
    pub tracked: Option<RevisionNumber>,
}

/// One application's read of one secret, gathered in one statement: every read asks.
#[derive(Clone)]
pub struct ApplicationRead {
    pub secret: SecretRecord,
    pub view: ReaderView,
    /// The revision the read returns: the tracked one when the read prefers it and it still
    /// exists, otherwise the latest. `None` if that revision is gone.
    pub revision: Option<RevisionRecord>,
}

/// Who a token stands for, with the names a caller carries, read in one lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenHolder {
    Application {
        id: ApplicationId,
        name: ApplicationName,
        model: ModelRecord,
    },
    User {
        id: UserId,
        name: UserName,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SecretOwner {
    /// A user secret.
    Model,
    Application(ApplicationId),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretRecord {
    pub id: SecretId,
    pub model_id: ModelId,
    pub owner: SecretOwner,
    pub name: Option<SecretName>,
    pub description: Description,
    pub auto_prune: bool,
    pub rotate_policy: RotatePolicy,
    pub next_rotate_at: Option<Timestamp>,
    pub latest_revision: RevisionNumber,
    pub revision_counter: RevisionNumber,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A row of the secrets list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretSummary {
    pub secret: SecretRecord,
    /// The owning application's name, for application-owned secrets.
    pub owner_name: Option<ApplicationName>,
    pub grant_count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortKey {
    #[default]
    Name,
    Created,
    Updated,
}

/// `OwnerFilter::Model` keeps user secrets only; `Application` one application's secrets.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum OwnerFilter {
    #[default]
    Any,
    Model,
    Application(ApplicationName),
}

/// Where the previous page ended: the sort value and id of its last row. For the name order
/// the value is the name's natural sort key (ADR 0025), not the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cursor {
    Text(String, SecretId),
    Time(Timestamp, SecretId),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretQuery {
    /// Case-insensitive substring of name, id, description, owner or grantee.
    pub search: Option<String>,
    pub owner: OwnerFilter,
    pub sort: SortKey,
    pub descending: bool,
    pub after: Option<Cursor>,
    pub limit: u32,
}

#[derive(Clone)]
pub struct RevisionRecord {
    pub secret_id: SecretId,
    pub revision: RevisionNumber,
    pub checksum: String,
    pub expire_at: Option<Timestamp>,
    pub sealed: Sealed,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionMeta {
    pub revision: RevisionNumber,
    pub checksum: String,
    pub expire_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

pub struct SealedRow {
    pub secret_id: SecretId,
    pub model_uuid: ModelUuid,
    pub revision: RevisionNumber,
    pub sealed: Sealed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRecord {
    pub application_id: ApplicationId,
    pub application_name: ApplicationName,
    pub granted_by: String,
    pub granted_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelGrantRecord {
    pub secret_id: SecretId,
    pub secret_name: Option<SecretName>,
    pub grant: GrantRecord,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumerRecord {
    pub application_id: ApplicationId,
    pub application_name: ApplicationName,
    pub current_revision: RevisionNumber,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub model: Option<ModelUuid>,
    pub secret: Option<SecretId>,
    pub actor: Option<(ActorKind, String)>,
    pub action: Option<AuditAction>,
    /// Events with a smaller `seq`: the newest come first.
    pub before: Option<i64>,
    pub limit: u32,
}

impl Cursor {
    /// The cursor as opaque URL-safe text, for `?after=`.
    pub fn encode(&self) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// Reads back what [`Cursor::encode`] wrote; anything else is `None`.
    pub fn decode(text: &str) -> Option<Cursor> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.as_bytes())
            .ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// The failed sign-ins recorded against one user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginThrottle {
    /// Hex SHA-256 of the lower-cased name.
    pub key: String,
    pub failures: u32,
    pub blocked_until: Timestamp,
    pub last_failure: Timestamp,
}
