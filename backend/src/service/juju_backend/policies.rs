//! `sys/policies/acl`: the backend's ACL policies, put, read, listed and deleted by its own
//! token. A policy is checked when put, so a stored one always parses.

use domain::{VaultPolicyName, VaultRefusal};

use super::bad;
use crate::audit::AuditAction;
use crate::error::ServiceResult;
use crate::service::caller::Subject;
use crate::service::{Caller, Services};
use crate::store::VaultPolicyRecord;
use crate::vault_policy::Policy;

/// The policies every Vault has, which Strongbox lists as Vault does but never stores.
const BUILT_IN: [&str; 2] = ["default", "root"];

impl Services {
    pub async fn put_juju_policy(
        &self,
        caller: &Caller,
        name: &str,
        body: Option<&str>,
    ) -> ServiceResult<()> {
        let action = AuditAction::VaultPolicyPut;
        let holder = self
            .backend_role(caller, action, "sys/policies/acl")
            .await?;
        let name = VaultPolicyName::from_request(name)?;
        if BUILT_IN.contains(&name.as_str()) {
            return Err(bad(VaultRefusal::UpdateBuiltInPolicy(name)));
        }
        let body = body.filter(|b| !b.trim().is_empty());
        let Some(body) = body else {
            return Err(bad(VaultRefusal::NoPolicyBody));
        };
        Policy::parse(body).map_err(|e| bad(VaultRefusal::PolicyNotParsed(e.to_string())))?;
        let now = self.clock.now();
        let mut tx = self.store.write().await?;
        let record = VaultPolicyRecord {
            backend: holder.backend,
            name,
            body: body.to_owned(),
            created_at: now,
            updated_at: now,
        };
        let new = tx.put_vault_policy(&record).await?;
        let verb = if new { "created" } else { "replaced" };
        let subject = Subject::default().detail(format!("policy {} {verb}", record.name));
        self.succeeded(&mut *tx, caller, action, subject).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The policy's text; `None` when there is none of that name.
    pub async fn juju_policy(
        &self,
        caller: &Caller,
        name: &str,
    ) -> ServiceResult<Option<VaultPolicyRecord>> {
        let action = AuditAction::VaultSystemRead;
        let holder = self
            .backend_role(caller, action, "sys/policies/acl")
            .await?;
        let name = VaultPolicyName::from_request(name)?;
        let mut tx = self.store.read().await?;
        Ok(tx.vault_policy(holder.backend, &name).await?)
    }

    /// The names in Vault's order: `default`, the backend's own, then `root`.
    pub async fn juju_policy_names(&self, caller: &Caller) -> ServiceResult<Vec<String>> {
        let action = AuditAction::VaultSystemRead;
        let holder = self
            .backend_role(caller, action, "sys/policies/acl")
            .await?;
        let mut tx = self.store.read().await?;
        let own = tx.vault_policy_names(holder.backend).await?;
        let mut names = vec!["default".to_owned()];
        names.extend(own.into_iter().map(String::from));
        names.push("root".to_owned());
        Ok(names)
    }

    /// Deleting a policy that is not there succeeds, as in Vault.
    pub async fn delete_juju_policy(&self, caller: &Caller, name: &str) -> ServiceResult<()> {
        let action = AuditAction::VaultPolicyDelete;
        let holder = self
            .backend_role(caller, action, "sys/policies/acl")
            .await?;
        let name = VaultPolicyName::from_request(name)?;
        if BUILT_IN.contains(&name.as_str()) {
            return Err(bad(VaultRefusal::DeleteBuiltInPolicy(name)));
        }
        let mut tx = self.store.write().await?;
        if tx.delete_vault_policy(holder.backend, &name).await? {
            let subject = Subject::default().detail(format!("policy {name} deleted"));
            self.succeeded(&mut *tx, caller, action, subject).await?;
            tx.commit().await?;
        }
        Ok(())
    }
}
