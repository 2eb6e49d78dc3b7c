//! Updating and removing secrets.

use domain::{
    Description, ModelName, Permission, RevisionNumber, RotatePolicy, SecretContent, SecretId,
    SecretName, Timestamp, ValidationError,
};

use super::secrets::{own_secrets, write_permission};
use super::{Actor, Caller, Scope, SecretRef, Services, Subject};
use crate::audit::AuditAction;
use crate::error::{Conflict, Forbidden, Missing, ServiceError, ServiceResult};
use crate::store::{SecretOwner, SecretRecord, Tx, WriteAbout};

/// What to change. `None` leaves a field as it is; at least one must be set.
#[derive(Debug, Default, Clone)]
pub struct SecretUpdate {
    pub content: Option<SecretContent>,
    pub name: Option<SecretName>,
    pub description: Option<Description>,
    pub auto_prune: Option<bool>,
    pub rotate_policy: Option<RotatePolicy>,
    pub expire_at: Option<Timestamp>,
    /// Refuse with a conflict unless the latest revision is still this one.
    pub expected_revision: Option<RevisionNumber>,
}

impl SecretUpdate {
    fn is_empty(&self) -> bool {
        self.content.is_none()
            && self.name.is_none()
            && self.description.is_none()
            && self.auto_prune.is_none()
            && self.rotate_policy.is_none()
            && self.expire_at.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOutcome {
    pub secret: SecretRecord,
    /// The revision the update created; `None` when the content was unchanged or not given.
    pub new_revision: Option<RevisionNumber>,
    pub pruned: Vec<RevisionNumber>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoveOutcome {
    SecretRemoved(SecretId),
    RevisionRemoved(SecretId, RevisionNumber),
}

impl Services {
    /// A write transaction about one secret: on SQLite its BEGIN looks up the model, the
    /// caller's standing, the secret and its latest revision in the same round trip.
    pub(crate) async fn writing_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
    ) -> ServiceResult<Box<dyn Tx>> {
        let Some(asker) = caller.asker() else {
            return Ok(self.store.write().await?);
        };
        let about = WriteAbout {
            model: model.clone(),
            asker,
            secret: secret.named_id().cloned(),
        };
        Ok(self.store.write_about(&about).await?)
    }

    /// Finds a secret the caller may change: people change user secrets, an application its own.
    pub(crate) async fn modifiable_secret(
        &self,
        tx: Box<dyn Tx>,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        (permission, action): (Permission, AuditAction),
    ) -> ServiceResult<(Box<dyn Tx>, Scope, SecretRecord)> {
        let (mut tx, scope) = self
            .authorize(tx, caller, model, permission, action)
            .await?;
        let record = self
            .find_secret(&mut *tx, &scope, secret, own_secrets(caller))
            .await?;
        let refusal = match (&caller.actor, record.owner) {
            (Actor::Application { id, .. }, SecretOwner::Application(owner)) if *id == owner => {
                None
            }
            (Actor::Application { .. }, _) => Some(Forbidden::AccessLevel),
            (_, SecretOwner::Application(_)) => Some(Forbidden::ApplicationOwned),
            (_, SecretOwner::Model) => None,
        };
        match refusal {
            None => Ok((tx, scope, record)),
            Some(f) => {
                let subject = Subject::secret(&scope.model, &record.id);
                Err(self
                    .refuse(tx, caller, action, subject, ServiceError::Forbidden(f))
                    .await)
            }
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn update_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        update: SecretUpdate,
    ) -> ServiceResult<UpdateOutcome> {
        let tx = self.writing_secret(caller, model, secret).await?;
        let (mut tx, scope, mut record) = self
            .modifiable_secret(
                tx,
                caller,
                model,
                secret,
                (write_permission(caller), AuditAction::SecretUpdate),
            )
            .await?;
        if update.is_empty() {
            return Err(ValidationError::NothingToUpdate.into());
        }
        if let Some(expected) = update
            .expected_revision
            .filter(|e| *e != record.latest_revision)
        {
            return Err(ServiceError::Conflict(Conflict::StaleRevision {
                uri: record.id.uri(),
                expected,
                latest: record.latest_revision,
            }));
        }
        let user_secret = record.owner == SecretOwner::Model;
        if user_secret && (update.rotate_policy.is_some() || update.expire_at.is_some()) {
            return Err(ValidationError::RotationOnUserSecret.into());
        }
        if !user_secret && update.auto_prune.is_some() {
            return Err(ValidationError::AutoPruneOnApplicationSecret.into());
        }
        let now = self.clock.now();
        let mut changes = Vec::new();
        if let Some(name) = update.name.filter(|n| record.name.as_ref() != Some(n)) {
            if tx
                .secret_by_name(scope.model.id, record.owner, &name)
                .await?
                .is_some()
            {
                return Err(ServiceError::Conflict(Conflict::SecretName(
                    name.to_string(),
                )));
            }
            changes.push(format!("renamed to {name}"));
            record.name = Some(name);
        }
        if let Some(description) = update.description.filter(|d| *d != record.description) {
            changes.push("description changed".to_owned());
            record.description = description;
        }
        let mut prune_due = false;
        if let Some(on) = update.auto_prune.filter(|on| *on != record.auto_prune) {
            changes.push(format!("auto-prune {}", if on { "on" } else { "off" }));
            record.auto_prune = on;
            prune_due |= on;
        }
        if let Some(policy) = update.rotate_policy.filter(|p| *p != record.rotate_policy) {
            changes.push(format!("rotation {policy}"));
            record.rotate_policy = policy;
            record.next_rotate_at = policy.next_rotation(now);
        }
        let mut new_revision = None;
        let mut announced = false;
        let mut changes_told = None;
        if let Some(content) = &update.content {
            let latest = tx.revision(&record.id, record.latest_revision).await?;
            let unchanged = match &latest {
                Some(r) => self.holds(&scope.model, r, content)?,
                None => false,
            };
            if unchanged {
                changes.push("content unchanged".to_owned());
            } else {
                let n = record.revision_counter.next();
                self.write_revision(
                    &mut *tx,
                    &scope.model,
                    &record.id,
                    n,
                    content,
                    update.expire_at,
                )
                .await?;
                changes.push(format!("revision {n} created"));
                let previous = Some(record.latest_revision);
                changes_told = Some(tx.announce_change(&record.id, n, now).await?);
                let mut after = record.clone();
                after.latest_revision = n;
                announced |= self
                    .announce_if_obsolete(&mut *tx, &after, previous)
                    .await?;
                record.latest_revision = n;
                record.revision_counter = n;
                // A new revision is the rotation: the next one falls due a period from now.
                if !user_secret && update.rotate_policy.is_none() {
                    record.next_rotate_at = record.rotate_policy.next_rotation(now);
                }
                new_revision = Some(n);
                prune_due = true;
            }
        }
        record.updated_at = now;
        tx.update_secret(&record).await?;
        let mut subject = Subject::secret(&scope.model, &record.id).detail(changes.join("; "));
        subject.revision = new_revision;
        self.succeeded(&mut *tx, caller, AuditAction::SecretUpdate, subject)
            .await?;
        let pruned = if prune_due {
            self.prune_obsolete(&mut *tx, &scope.model, &record).await?
        } else {
            Vec::new()
        };
        tx.commit().await?;
        if announced || changes_told.is_some_and(|told| told.get() > 0) {
            self.wake_event_streams();
        }
        Ok(UpdateOutcome {
            secret: record,
            new_revision,
            pruned,
        })
    }

    /// Removes one revision, or all of them. Removing the last revision removes the secret.
    #[tracing::instrument(skip_all)]
    pub async fn remove_secret(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        revision: Option<RevisionNumber>,
    ) -> ServiceResult<RemoveOutcome> {
        let action = if revision.is_some() {
            AuditAction::RevisionRemove
        } else {
            AuditAction::SecretRemove
        };
        let tx = self.writing_secret(caller, model, secret).await?;
        let (mut tx, scope, mut record) = self
            .modifiable_secret(
                tx,
                caller,
                model,
                secret,
                (write_permission(caller), action),
            )
            .await?;
        let existing: Vec<_> = tx
            .revisions(&record.id)
            .await?
            .into_iter()
            .map(|m| m.revision)
            .collect();
        let outcome = match revision {
            Some(n) if !existing.contains(&n) => {
                return Err(ServiceError::NotFound(Missing::Revision {
                    revision: n,
                    uri: record.id.uri(),
                }));
            }
            Some(n) if existing.len() > 1 => {
                tx.delete_revision(&record.id, n).await?;
                if n == record.latest_revision {
                    record.latest_revision = existing
                        .iter()
                        .copied()
                        .filter(|r| *r != n)
                        .max()
                        .unwrap_or(n);
                }
                record.updated_at = self.clock.now();
                tx.update_secret(&record).await?;
                let subject = Subject::secret(&scope.model, &record.id)
                    .revision(n)
                    .detail(format!("revision {n} removed"));
                self.succeeded(&mut *tx, caller, AuditAction::RevisionRemove, subject)
                    .await?;
                RemoveOutcome::RevisionRemoved(record.id.clone(), n)
            }
            _ => {
                tx.announce_removal(&record.id, self.clock.now()).await?;
                tx.delete_secret(&record.id).await?;
                let detail = match revision {
                    Some(n) => format!("revision {n} was the last one; secret removed"),
                    None => format!("all {} revisions removed", existing.len()),
                };
                let subject = Subject::secret(&scope.model, &record.id).detail(detail);
                self.succeeded(&mut *tx, caller, AuditAction::SecretRemove, subject)
                    .await?;
                RemoveOutcome::SecretRemoved(record.id.clone())
            }
        };
        tx.commit().await?;
        if matches!(outcome, RemoveOutcome::SecretRemoved(_)) {
            self.wake_event_streams();
        }
        Ok(outcome)
    }
}
