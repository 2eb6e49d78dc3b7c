//! What the store keeps for sign-in through an OpenID provider (ADR 0026): flows between the
//! redirect and the callback, who a provider's person is here, and the access their groups give.

use async_trait::async_trait;
use domain::{AccessLevel, ModelId, ModelName, Timestamp, UserId};

use super::{StoreResult, UserRecord};

/// A sign-in begun at the provider and not yet finished. Its Debug leaves the PKCE verifier
/// and the nonce out.
#[derive(Clone, PartialEq, Eq)]
pub struct ProviderFlow {
    /// SHA-256 of the `state` sent to the provider, hex: the state itself is never stored.
    pub state_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// The local path to go to once signed in.
    pub return_to: String,
    pub created_at: Timestamp,
}

impl std::fmt::Debug for ProviderFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderFlow")
            .field("return_to", &self.return_to)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// A person as a provider knows them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
}

/// Access in one model that a person holds through provider groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupMembership {
    pub model_id: ModelId,
    pub model_name: ModelName,
    pub access: AccessLevel,
    /// The groups that give it, comma-separated, for the users page.
    pub groups: String,
}

#[async_trait]
pub trait IdentityTx {
    async fn insert_provider_flow(&mut self, flow: &ProviderFlow) -> StoreResult<()>;
    /// Removes and returns the flow whose state hashes to `state_hash` if it began at or after
    /// `since`; every flow begun before `since` goes too. A flow is used once.
    async fn take_provider_flow(
        &mut self,
        state_hash: &str,
        since: Timestamp,
    ) -> StoreResult<Option<ProviderFlow>>;
    async fn user_by_identity(&mut self, identity: &Identity) -> StoreResult<Option<UserRecord>>;
    async fn link_identity(
        &mut self,
        identity: &Identity,
        user: UserId,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// The identities linked to `user`.
    async fn identities(&mut self, user: UserId) -> StoreResult<Vec<Identity>>;
    /// The user's access from groups, in model name order.
    async fn group_memberships(&mut self, user: UserId) -> StoreResult<Vec<GroupMembership>>;
    async fn set_group_member(
        &mut self,
        model: ModelId,
        user: UserId,
        access: AccessLevel,
        groups: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn remove_group_member(&mut self, model: ModelId, user: UserId) -> StoreResult<()>;
    async fn set_group_superuser(
        &mut self,
        user: UserId,
        superuser: bool,
        now: Timestamp,
    ) -> StoreResult<()>;
}
