//! What the store keeps for Juju's vault secret backend (ADR 0030): backends, their mounts,
//! their ACL policies and their tokens.

use async_trait::async_trait;
use domain::{
    JujuBackendId, JujuBackendName, JujuOwner, ModelId, Timestamp, VaultMountPath, VaultPolicyName,
    VaultTokenId,
};

use super::{ModelRecord, StoreResult};
use crate::token::TokenHash;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JujuBackendRecord {
    pub id: JujuBackendId,
    pub name: JujuBackendName,
    pub created_at: Timestamp,
}

/// A KV version 1 mount; its secrets live in the model the backend owns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultMountRecord {
    pub path: VaultMountPath,
    pub backend: JujuBackendId,
    pub model: ModelId,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultPolicyRecord {
    pub backend: JujuBackendId,
    pub name: VaultPolicyName,
    /// The policy's HCL, as it was put (checked when put).
    pub body: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Where a token's powers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenPowers {
    /// The backend's own role: its token, and any made from one without naming policies.
    Backend,
    /// The rules of these policies of the backend (and of its default policy, if attached).
    Policies {
        names: Vec<VaultPolicyName>,
        default_policy: bool,
    },
}

impl TokenPowers {
    /// The policies as Vault reports a token's: the names, with `default` when attached, in
    /// order; `root` for the backend's own role, which answers as Vault's root token does.
    pub fn reported(&self) -> Vec<String> {
        match self {
            TokenPowers::Backend => vec!["root".to_owned()],
            TokenPowers::Policies {
                names,
                default_policy,
            } => {
                let mut all: Vec<String> = names.iter().map(|n| n.to_string()).collect();
                if *default_policy {
                    all.push("default".to_owned());
                }
                all.sort();
                all
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultTokenRecord {
    pub id: VaultTokenId,
    pub backend: JujuBackendId,
    /// None: an orphan (or the backend's first token).
    pub parent: Option<VaultTokenId>,
    pub accessor: String,
    pub display_name: String,
    pub powers: TokenPowers,
    pub created_at: Timestamp,
    /// None: it does not expire.
    pub expires_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct NewVaultToken {
    pub backend: JujuBackendId,
    pub parent: Option<VaultTokenId>,
    pub hash: TokenHash,
    pub accessor: String,
    pub display_name: String,
    pub powers: TokenPowers,
    pub now: Timestamp,
    pub expires_at: Option<Timestamp>,
}

#[async_trait]
pub trait JujuTx {
    /// A new backend; a name already taken is a conflict.
    async fn insert_juju_backend(
        &mut self,
        name: &JujuBackendName,
        now: Timestamp,
    ) -> StoreResult<JujuBackendId>;
    async fn juju_backend_by_name(
        &mut self,
        name: &JujuBackendName,
    ) -> StoreResult<Option<JujuBackendRecord>>;

    async fn insert_vault_token(&mut self, token: &NewVaultToken) -> StoreResult<VaultTokenId>;
    /// The token whose hash this is, if neither it nor any token it descends from has expired
    /// by `now`.
    async fn live_vault_token(
        &mut self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Option<VaultTokenRecord>>;
    /// Removes the token and every token made from it; how many went.
    async fn revoke_vault_token(&mut self, id: VaultTokenId) -> StoreResult<u64>;
    /// Removes every token of the backend, its own and those made from them; how many went.
    async fn revoke_backend_vault_tokens(&mut self, backend: JujuBackendId) -> StoreResult<u64>;
    /// Removes every token expired by `now`, with the tokens made from them; how many went.
    async fn remove_expired_vault_tokens(&mut self, now: Timestamp) -> StoreResult<u64>;

    /// Puts the policy, replacing one of the same name; whether it is new.
    async fn put_vault_policy(&mut self, policy: &VaultPolicyRecord) -> StoreResult<bool>;
    async fn vault_policy(
        &mut self,
        backend: JujuBackendId,
        name: &VaultPolicyName,
    ) -> StoreResult<Option<VaultPolicyRecord>>;
    /// Those of `names` that exist, in name order.
    async fn vault_policies_named(
        &mut self,
        backend: JujuBackendId,
        names: &[VaultPolicyName],
    ) -> StoreResult<Vec<VaultPolicyRecord>>;
    /// The backend's policy names, in order.
    async fn vault_policy_names(
        &mut self,
        backend: JujuBackendId,
    ) -> StoreResult<Vec<VaultPolicyName>>;
    /// Whether there was one to delete.
    async fn delete_vault_policy(
        &mut self,
        backend: JujuBackendId,
        name: &VaultPolicyName,
    ) -> StoreResult<bool>;

    async fn insert_vault_mount(&mut self, mount: &VaultMountRecord) -> StoreResult<()>;
    async fn vault_mount(&mut self, path: &VaultMountPath)
    -> StoreResult<Option<VaultMountRecord>>;
    /// The longest of `candidates` that the backend has mounted, with the model it is.
    async fn vault_mount_at(
        &mut self,
        backend: JujuBackendId,
        candidates: &[VaultMountPath],
    ) -> StoreResult<Option<(VaultMountRecord, ModelRecord)>>;
    /// The backend's mounts, in path order.
    async fn vault_mounts(&mut self, backend: JujuBackendId) -> StoreResult<Vec<VaultMountRecord>>;
    /// The backend owning the model and the mount it is, if a backend owns the model.
    async fn juju_owner_of_model(&mut self, model: ModelId) -> StoreResult<Option<JujuOwner>>;
}
