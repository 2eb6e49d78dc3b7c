//! Plaintext leaves the store here only: an application reading what it was granted, or an
//! admin's reveal. Both are audited in the transaction that reads, and the content is handed
//! out only after that transaction commits, so an unaudited read cannot happen.

use domain::{ModelName, Permission, RevisionNumber, SecretContent, SecretId};

use super::secrets::own_secrets;
use super::{Actor, Caller, SecretRef, Services, Subject};
use crate::audit::{AuditAction, Outcome};
use crate::error::{Forbidden, Missing, ServiceError, ServiceResult};
use crate::store::{SecretOwner, SecretRecord, Tx};

/// How an application reads (Juju's `secret-get`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReadMode {
    /// The tracked revision; the first read tracks the latest.
    #[default]
    Tracked,
    /// The latest revision, without moving the tracking.
    Peek,
    /// Move the tracking to the latest revision and read it.
    Refresh,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevealedContent {
    pub secret: SecretId,
    pub revision: RevisionNumber,
    /// The revision's keyed checksum.
    pub checksum: String,
    pub content: SecretContent,
}

impl Services {
    /// An application reads a secret it owns or was granted.
    /// `model` is the application's own; any other model does not exist for it.
    pub async fn read_content(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        mode: ReadMode,
    ) -> ServiceResult<RevealedContent> {
        let (mut tx, scope) = self
            .writing(
                caller,
                model,
                Permission::ReadGrantedContent,
                AuditAction::ContentRead,
            )
            .await?;
        // Only an application's role allows this permission.
        let Actor::Application { id: app, .. } = &caller.actor else {
            return Err(ServiceError::Forbidden(Forbidden::AccessLevel));
        };
        let record = self
            .find_secret(&mut *tx, &scope, secret, own_secrets(caller))
            .await?;
        let owned = record.owner == SecretOwner::Application(*app);
        if !owned && !tx.has_grant(&record.id, *app).await? {
            let subject = Subject::secret(&scope.model, &record.id);
            let error = ServiceError::Forbidden(Forbidden::NotGranted);
            return Err(self
                .refuse(tx, caller, AuditAction::ContentRead, subject, error)
                .await);
        }
        let latest = record.latest_revision;
        let tracked = match tx.consumer(&record.id, *app).await? {
            Some(r) if tx.revision(&record.id, r).await?.is_some() => Some(r),
            _ => None,
        };
        let (revision, track_to) = match (mode, tracked) {
            (ReadMode::Peek, _) => (latest, None),
            (ReadMode::Refresh, Some(r)) if r == latest => (latest, None),
            (ReadMode::Refresh, _) | (ReadMode::Tracked, None) => (latest, Some(latest)),
            (ReadMode::Tracked, Some(r)) => (r, None),
        };
        if let Some(r) = track_to {
            tx.track(&record.id, *app, r, self.clock.now()).await?;
        }
        let content = self
            .audited_open(
                &mut *tx,
                caller,
                &scope.model,
                &record,
                revision,
                AuditAction::ContentRead,
            )
            .await?;
        if track_to.is_some() {
            self.prune_obsolete(&mut *tx, &scope.model, &record).await?;
        }
        tx.commit().await?;
        Ok(content)
    }

    /// An admin reads any revision of a user or application secret.
    pub async fn reveal(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        revision: Option<RevisionNumber>,
    ) -> ServiceResult<RevealedContent> {
        let (mut tx, scope) = self
            .writing(
                caller,
                model,
                Permission::RevealContent,
                AuditAction::SecretReveal,
            )
            .await?;
        let record = self
            .find_secret(&mut *tx, &scope, secret, SecretOwner::Model)
            .await?;
        let revision = revision.unwrap_or(record.latest_revision);
        let content = self
            .audited_open(
                &mut *tx,
                caller,
                &scope.model,
                &record,
                revision,
                AuditAction::SecretReveal,
            )
            .await?;
        tx.commit().await?;
        Ok(content)
    }

    async fn audited_open(
        &self,
        tx: &mut dyn Tx,
        caller: &Caller,
        model: &crate::store::ModelRecord,
        record: &SecretRecord,
        revision: RevisionNumber,
        action: AuditAction,
    ) -> ServiceResult<RevealedContent> {
        let stored = tx.revision(&record.id, revision).await?.ok_or_else(|| {
            ServiceError::NotFound(Missing::Revision {
                revision,
                uri: record.id.uri(),
            })
        })?;
        let content = self.open_revision(model, &stored)?;
        let subject = Subject::secret(model, &record.id).revision(revision);
        self.audit(tx, caller, action, Outcome::Success, subject)
            .await?;
        Ok(RevealedContent {
            secret: record.id.clone(),
            revision,
            checksum: stored.checksum,
            content,
        })
    }
}

impl Services {
    /// What an application may read: the secrets it owns and those granted to it.
    pub async fn readable_secrets(
        &self,
        caller: &Caller,
    ) -> ServiceResult<Vec<crate::store::SecretSummary>> {
        let Actor::Application { id, .. } = &caller.actor else {
            return Err(ServiceError::Forbidden(Forbidden::AccessLevel));
        };
        let mut tx = self.store.read().await?;
        Ok(tx.readable_secrets(*id).await?)
    }
}
