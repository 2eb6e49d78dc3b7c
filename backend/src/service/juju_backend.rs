//! Juju's `vault` secret backend (issue 29, ADR 0030): the tokens, policies, mounts and keys
//! Juju's calls work with. Every check is here: a backend's own role, or the rules of the
//! token's policies (`crate::vault_policy`), with create told from update by the store.

mod kv;
mod mounts;
mod policies;
mod tokens;

pub use kv::KvValues;
pub use mounts::MountRequest;
pub use tokens::{IssuedVaultToken, VaultTokenRequest};

use crate::audit::AuditAction;
use crate::error::{Forbidden, ServiceError, ServiceResult};
use domain::{Capabilities, JujuOwner, ModelId, VaultRefusal};
use std::sync::Arc;

use crate::service::caller::{Actor, JujuTokenHolder, Scope, Subject};
use crate::service::{Caller, Services};
use crate::store::{TokenPowers, Tx, VaultPolicyRecord};
use crate::token::PlainToken;
use crate::vault_policy::{Acl, Policy};

/// How many policy texts a node keeps parsed: Juju makes two or three per secret, and a full
/// cache starts again rather than track which text was used last.
const POLICY_CACHE_SIZE: usize = 10_000;

/// A policy-holding token lacks the capability (Vault's words for it, which differ from those
/// for an unknown token).
fn denied() -> ServiceError {
    ServiceError::Forbidden(Forbidden::VaultPolicy)
}

/// A request refused in Vault's words where Vault has them (a 400).
fn bad(refusal: VaultRefusal) -> ServiceError {
    ServiceError::Invalid(refusal.into())
}

fn holder(caller: &Caller) -> ServiceResult<&JujuTokenHolder> {
    match &caller.actor {
        Actor::JujuToken(holder) => Ok(holder),
        _ => Err(ServiceError::Unauthenticated),
    }
}

impl Services {
    /// The caller a Juju backend's token makes, if the token is live: neither it nor any token
    /// it was made from has expired or been revoked.
    pub async fn authenticate_juju_token(&self, presented: &str) -> ServiceResult<Caller> {
        let hash = PlainToken::from_presented(presented).hash();
        let mut tx = self.store.read().await?;
        let Some(token) = tx.live_vault_token(&hash, self.clock.now()).await? else {
            return Err(ServiceError::Unauthenticated);
        };
        Ok(Caller {
            actor: Actor::JujuToken(JujuTokenHolder {
                backend: token.backend,
                token: token.id,
                accessor: token.accessor,
                display_name: token.display_name,
                powers: token.powers,
                created_at: token.created_at,
                expires_at: token.expires_at,
            }),
            source: None,
            remembered: None,
        })
    }

    /// Refuses, with an audit record, a caller that lacks the backend's own role.
    async fn backend_role<'a>(
        &self,
        caller: &'a Caller,
        action: AuditAction,
        what: &str,
    ) -> ServiceResult<&'a JujuTokenHolder> {
        let holder = holder(caller)?;
        if holder.powers == TokenPowers::Backend {
            return Ok(holder);
        }
        let subject = Subject::default().detail(format!("{what}: needs the backend's own token"));
        Err(self.refused(caller, action, subject, denied()).await)
    }

    /// Whether a Juju backend owns the model. Ownership is fixed when a model is made (a mount
    /// always makes a new one) and PostgreSQL never reuses a model's id, so each node keeps the
    /// answer; SQLite, which may reuse the id of a removed model, runs on one node, and that
    /// node forgets the model when it unmounts it. Native writes ask on every request, so the
    /// answer costs no round trip after the first.
    pub(crate) async fn juju_owner(
        &self,
        tx: &mut dyn Tx,
        model: ModelId,
    ) -> ServiceResult<Option<JujuOwner>> {
        if let Some(known) = self.juju_owned.lock().expect("not poisoned").get(&model) {
            return Ok(known.clone());
        }
        let owner = tx.juju_owner_of_model(model).await?;
        self.juju_owned
            .lock()
            .expect("not poisoned")
            .insert(model, owner.clone());
        Ok(owner)
    }

    pub(crate) fn forget_juju_owned(&self, model: ModelId) {
        self.juju_owned.lock().expect("not poisoned").remove(&model);
    }

    /// What a page may offer in the scope's model: the role's capabilities, without the
    /// changes Juju alone makes in a model its backend owns.
    pub(crate) async fn capabilities_in(
        &self,
        tx: &mut dyn Tx,
        scope: &Scope,
    ) -> ServiceResult<Capabilities> {
        let mut capabilities = scope.role.capabilities();
        if let Some(owner) = self.juju_owner(tx, scope.model.id).await? {
            capabilities.write_secrets = false;
            capabilities.grant_access = false;
            capabilities.manage_applications = false;
            capabilities.juju_owner = Some(owner);
        }
        Ok(capabilities)
    }

    /// The rules a token's policies give it, read now: a policy changed or deleted applies at
    /// once, as in Vault. Each text is parsed once per node (`parsed_policy`).
    async fn acl_of(&self, tx: &mut dyn Tx, holder: &JujuTokenHolder) -> ServiceResult<Acl> {
        let TokenPowers::Policies { names, .. } = &holder.powers else {
            return Ok(Acl::default());
        };
        let stored = tx.vault_policies_named(holder.backend, names).await?;
        let parsed: Vec<Arc<Policy>> = stored
            .iter()
            .filter_map(|record| self.parsed_policy(record))
            .collect();
        Ok(Acl::new(parsed.iter().map(|p| &**p)))
    }

    /// The policy a stored text says, parsed on first sight: the text, not the name, is the
    /// key, so a changed policy is parsed anew and never read stale. Every agent's read asks
    /// for its policy, and parsing HCL costs more than the rest of the read.
    fn parsed_policy(&self, record: &VaultPolicyRecord) -> Option<Arc<Policy>> {
        if let Some(known) = self
            .vault_policies
            .lock()
            .expect("not poisoned")
            .get(&record.body)
        {
            return Some(known.clone());
        }
        // Checked when put; a row that no longer parses grants nothing rather than fail every
        // request of every token holding it.
        let policy = match Policy::parse(&record.body) {
            Ok(policy) => Arc::new(policy),
            Err(e) => {
                tracing::warn!(policy = %record.name, error = %e, "stored policy skipped");
                return None;
            }
        };
        let mut cache = self.vault_policies.lock().expect("not poisoned");
        if cache.len() >= POLICY_CACHE_SIZE {
            cache.clear();
        }
        cache.insert(record.body.clone(), policy.clone());
        Some(policy)
    }
}
