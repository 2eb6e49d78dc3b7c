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

/// What the person did with a command line's request to sign in (`strongbox login --web`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliDecision {
    Pending,
    Approved(UserId),
    Denied,
}

impl CliDecision {
    /// The stored form: the `decision` column and the approving user.
    pub fn columns(self) -> (&'static str, Option<i64>) {
        match self {
            CliDecision::Pending => ("pending", None),
            CliDecision::Approved(user) => ("approved", Some(user.0)),
            CliDecision::Denied => ("denied", None),
        }
    }

    pub fn from_columns(decision: &str, user: Option<i64>) -> Result<Self, String> {
        match (decision, user) {
            ("pending", _) => Ok(CliDecision::Pending),
            ("approved", Some(id)) => Ok(CliDecision::Approved(UserId(id))),
            ("denied", _) => Ok(CliDecision::Denied),
            other => Err(format!("{other:?}")),
        }
    }
}

/// A command line waiting for a person's approval in the dashboard. Its Debug leaves the
/// poll hash out.
#[derive(Clone, PartialEq, Eq)]
pub struct CliApproval {
    /// SHA-256 of the secret the command line collects its token with, hex.
    pub poll_hash: String,
    /// The short code both the terminal and the dashboard show, `BCDF-GHJK`.
    pub user_code: String,
    /// The token's label: `strongbox cli on HOST`.
    pub label: String,
    pub created_at: Timestamp,
    pub decision: CliDecision,
}

impl std::fmt::Debug for CliApproval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CliApproval")
            .field("user_code", &self.user_code)
            .field("label", &self.label)
            .field("decision", &self.decision)
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
    /// Keeps a new request, after forgetting those made before `since`; how many remain.
    async fn insert_cli_approval(
        &mut self,
        approval: &CliApproval,
        since: Timestamp,
    ) -> StoreResult<i64>;
    /// The request whose code is `user_code`, made at or after `since`.
    async fn cli_approval_by_code(
        &mut self,
        user_code: &str,
        since: Timestamp,
    ) -> StoreResult<Option<CliApproval>>;
    /// Records the decision on a pending request made at or after `since`; false if there is
    /// none (unknown, expired, or decided already).
    async fn decide_cli_approval(
        &mut self,
        user_code: &str,
        since: Timestamp,
        decision: CliDecision,
    ) -> StoreResult<bool>;
    /// The request whose secret hashes to `poll_hash`, made at or after `since`; removed when
    /// it is decided, so a decision is collected once.
    async fn take_decided_cli_approval(
        &mut self,
        poll_hash: &str,
        since: Timestamp,
    ) -> StoreResult<Option<CliApproval>>;
    async fn set_group_superuser(
        &mut self,
        user: UserId,
        superuser: bool,
        now: Timestamp,
    ) -> StoreResult<()>;
}
