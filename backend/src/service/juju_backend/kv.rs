//! The keys of a backend's KV version 1 mounts. Juju writes `<secret id>-<revision>`; each is
//! a revision of the secret with that ID in the mount's model, encrypted and audited as any
//! other. What a write needs is told as Vault tells it: `update` if the key holds something,
//! else `create`.

use std::collections::BTreeMap;

use domain::{
    ContentEntry, Description, RevisionNumber, RotatePolicy, SecretContent, SecretId, VaultRefusal,
};

use super::{denied, holder};
use crate::audit::{AuditAction, Outcome};
use crate::error::{Missing, ServiceError, ServiceResult};
use crate::service::caller::{JujuTokenHolder, Subject};
use crate::service::{Caller, Services};
use crate::store::{ModelRecord, SecretOwner, SecretRecord, TokenPowers, Tx, VaultMountRecord};
use crate::vault_policy::Capability;

/// A key's values: Juju's base64 text, by name.
pub type KvValues = BTreeMap<String, String>;

/// The mount a path is under and the rest of the path.
struct Located {
    mount: VaultMountRecord,
    model: ModelRecord,
    key: String,
}

/// The powers a change or read was made under, for the audit trail.
fn under(holder: &JujuTokenHolder) -> String {
    match &holder.powers {
        TokenPowers::Backend => ", with the backend's own token".to_owned(),
        TokenPowers::Policies { names, .. } => {
            let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
            format!(", under policies {}", names.join(", "))
        }
    }
}

fn not_found() -> ServiceError {
    ServiceError::NotFound(Missing::VaultPath)
}

/// `<secret id>-<revision>`, the only keys Juju writes.
fn secret_key(key: &str) -> Option<(SecretId, RevisionNumber)> {
    let (id, revision) = key.rsplit_once('-')?;
    let revision = RevisionNumber::new(revision.parse().ok()?).ok()?;
    Some((SecretId::parse(id).ok()?, revision))
}

impl Services {
    /// The backend's mount that `path` is under (the longest), with its model: every prefix
    /// of the path that could be a mount, asked in one statement.
    async fn locate(
        &self,
        tx: &mut dyn Tx,
        holder: &JujuTokenHolder,
        path: &str,
    ) -> ServiceResult<Option<Located>> {
        let path = path.trim_matches('/');
        let candidates: Vec<domain::VaultMountPath> = path
            .match_indices('/')
            .map(|(i, _)| &path[..i])
            .chain(std::iter::once(path))
            .filter_map(|head| domain::VaultMountPath::parse(head).ok())
            .collect();
        let Some((mount, model)) = tx.vault_mount_at(holder.backend, &candidates).await? else {
            return Ok(None);
        };
        let key = path[mount.path.as_str().len()..]
            .trim_start_matches('/')
            .to_owned();
        Ok(Some(Located { mount, model, key }))
    }

    /// Whether the token may do `capability` at `path`.
    async fn allowed(
        &self,
        tx: &mut dyn Tx,
        holder: &JujuTokenHolder,
        path: &str,
        capability: Capability,
    ) -> ServiceResult<bool> {
        Ok(holder.powers == TokenPowers::Backend
            || self.acl_of(tx, holder).await?.allows(path, capability))
    }

    /// Records the refusal once the transaction is given up: the audit's group commit may
    /// need the write lock it holds.
    async fn refuse_at(
        &self,
        tx: Box<dyn Tx>,
        caller: &Caller,
        path: &str,
        capability: Capability,
        action: AuditAction,
    ) -> ServiceError {
        drop(tx);
        let subject =
            Subject::default().detail(format!("{capability} {path}: not in its policies"));
        self.refused(caller, action, subject, denied()).await
    }

    pub async fn read_juju_key(&self, caller: &Caller, path: &str) -> ServiceResult<KvValues> {
        let holder = holder(caller)?;
        let action = AuditAction::ContentRead;
        let mut tx = self.store.read().await?;
        if !self
            .allowed(&mut *tx, holder, path, Capability::Read)
            .await?
        {
            return Err(self
                .refuse_at(tx, caller, path, Capability::Read, action)
                .await);
        }
        let Some(at) = self.locate(&mut *tx, holder, path).await? else {
            return Err(not_found());
        };
        let Some((id, n)) = secret_key(&at.key) else {
            return Err(not_found());
        };
        let Some(revision) = tx.revision(&id, n).await? else {
            return Err(not_found());
        };
        drop(tx);
        let content = self.open_revision(&at.model, &revision)?;
        let subject = Subject::secret(&at.model, &id).revision(n).detail(format!(
            "read through Juju's backend at {}/{}{}",
            at.mount.path,
            at.key,
            under(holder)
        ));
        let event = self.event(caller, action, Outcome::Success, subject);
        self.journal.record(event).await?;
        Ok(content
            .encoded()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }

    pub async fn write_juju_key(
        &self,
        caller: &Caller,
        path: &str,
        values: KvValues,
    ) -> ServiceResult<()> {
        let holder = holder(caller)?;
        let entries = values
            .into_iter()
            .map(|(key, value)| ContentEntry::Base64 { key, value })
            .collect();
        let content = SecretContent::from_entries(entries)?;
        let mut tx = self.store.write().await?;
        let Some(at) = self.locate(&mut *tx, holder, path).await? else {
            return Err(not_found());
        };
        let Some((id, n)) = secret_key(&at.key) else {
            return Err(ServiceError::Invalid(
                VaultRefusal::KeyForm(at.key.clone()).into(),
            ));
        };
        let existing = tx.revision(&id, n).await?.is_some();
        let (capability, action) = if existing {
            (Capability::Update, AuditAction::SecretUpdate)
        } else {
            (Capability::Create, AuditAction::SecretAdd)
        };
        if !self.allowed(&mut *tx, holder, path, capability).await? {
            return Err(self.refuse_at(tx, caller, path, capability, action).await);
        }
        let now = self.clock.now();
        let (record, action, detail) = match tx.secret(at.model.id, &id).await? {
            None => {
                let record = SecretRecord {
                    id: id.clone(),
                    model_id: at.model.id,
                    owner: SecretOwner::Model,
                    name: None,
                    description: Description::parse("").expect("empty description"),
                    auto_prune: false,
                    rotate_policy: RotatePolicy::Never,
                    next_rotate_at: None,
                    latest_revision: n,
                    revision_counter: n,
                    created_at: now,
                    updated_at: now,
                };
                tx.insert_secret(&record).await?;
                let detail = format!("created by Juju's backend with revision {n}");
                (record, AuditAction::SecretAdd, detail)
            }
            Some(mut record) => {
                record.latest_revision = record.latest_revision.max(n);
                record.revision_counter = record.revision_counter.max(n);
                record.updated_at = now;
                tx.update_secret(&record).await?;
                let done = if existing { "rewritten" } else { "created" };
                let detail = format!("revision {n} {done} by Juju's backend");
                (record, AuditAction::SecretUpdate, detail)
            }
        };
        if existing {
            tx.delete_revision(&id, n).await?;
        }
        self.write_revision(&mut *tx, &at.model, &record.id, n, &content, None)
            .await?;
        let detail = format!("{detail}{}", under(holder));
        let subject = Subject::secret(&at.model, &id).revision(n).detail(detail);
        self.succeeded(&mut *tx, caller, action, subject).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deleting a key that holds nothing succeeds, as in Vault.
    pub async fn delete_juju_key(&self, caller: &Caller, path: &str) -> ServiceResult<()> {
        let holder = holder(caller)?;
        let mut tx = self.store.write().await?;
        if !self
            .allowed(&mut *tx, holder, path, Capability::Delete)
            .await?
        {
            let action = AuditAction::RevisionRemove;
            return Err(self
                .refuse_at(tx, caller, path, Capability::Delete, action)
                .await);
        }
        let Some(at) = self.locate(&mut *tx, holder, path).await? else {
            return Err(not_found());
        };
        let Some((id, n)) = secret_key(&at.key) else {
            return Ok(());
        };
        let (Some(mut record), Some(_)) = (
            tx.secret(at.model.id, &id).await?,
            tx.revision(&id, n).await?,
        ) else {
            return Ok(());
        };
        let left: Vec<RevisionNumber> = tx
            .revisions(&id)
            .await?
            .into_iter()
            .map(|r| r.revision)
            .filter(|r| *r != n)
            .collect();
        let subject = Subject::secret(&at.model, &id).revision(n);
        let (action, subject) = match left.iter().max() {
            Some(latest) => {
                tx.delete_revision(&id, n).await?;
                record.latest_revision = *latest;
                record.updated_at = self.clock.now();
                tx.update_secret(&record).await?;
                let detail = format!("revision {n} deleted by Juju's backend{}", under(holder));
                (AuditAction::RevisionRemove, subject.detail(detail))
            }
            None => {
                tx.announce_removal(&id, self.clock.now()).await?;
                tx.delete_secret(&id).await?;
                let detail = format!(
                    "revision {n}, the last, deleted by Juju's backend{}",
                    under(holder)
                );
                (AuditAction::SecretRemove, subject.detail(detail))
            }
        };
        self.succeeded(&mut *tx, caller, action, subject).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The keys directly under a mount; a mount with none is not found, as in Vault.
    pub async fn list_juju_keys(&self, caller: &Caller, path: &str) -> ServiceResult<Vec<String>> {
        let holder = holder(caller)?;
        let listed = format!("{}/", path.trim_matches('/'));
        let mut tx = self.store.read().await?;
        if !self
            .allowed(&mut *tx, holder, &listed, Capability::List)
            .await?
        {
            let action = AuditAction::SecretView;
            return Err(self
                .refuse_at(tx, caller, &listed, Capability::List, action)
                .await);
        }
        let Some(at) = self.locate(&mut *tx, holder, path).await? else {
            return Err(not_found());
        };
        if !at.key.is_empty() {
            return Err(not_found());
        }
        let mut keys: Vec<String> = tx
            .model_revision_keys(at.model.id)
            .await?
            .into_iter()
            .map(|(secret, n)| format!("{secret}-{n}"))
            .collect();
        if keys.is_empty() {
            return Err(not_found());
        }
        keys.sort();
        Ok(keys)
    }
}
