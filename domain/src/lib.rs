//! Strongbox's domain vocabulary, shared by the server and the browser.
//!
//! Everything here is pure: parsing, validation and the permission table. Nothing does I/O, so
//! the crate compiles to wasm and every rule can be unit-tested next to its definition.

pub mod access;
pub mod content;
pub mod document;
pub mod error;
pub mod event;
pub mod expiry;
pub mod ids;
pub mod names;
pub mod natural_order;
pub mod review;
pub mod rotate;
pub mod sign_in;
pub mod timestamp;
pub mod uri;
pub mod url;
pub mod vault_names;
pub mod vault_refusal;
mod xid;

pub use access::{AccessLevel, Capabilities, Denial, Permission, Role};
pub use content::{ContentArg, ContentEntry, SecretContent, SecretKey, ValueSource};
pub use error::ValidationError;
pub use event::{EventCursor, EventKind};
pub use ids::{
    ApplicationId, JujuBackendId, ModelId, ModelUuid, RevisionNumber, SecretId, TokenId, UserId,
    VaultTokenId,
};
pub use names::{ApplicationName, Description, ModelName, SecretName, UserName};
pub use review::{ReviewFlag, SignOffNote, StaleDays};
pub use rotate::RotatePolicy;
pub use timestamp::Timestamp;
pub use uri::SecretUri;
pub use vault_names::{JujuBackendName, JujuOwner, VaultMountPath, VaultPolicyName};
pub use vault_refusal::VaultRefusal;
