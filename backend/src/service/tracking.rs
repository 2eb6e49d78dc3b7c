//! Obsolete revisions and auto-prune (juju-secrets.md §3).
//!
//! A revision is obsolete when it is neither the latest nor tracked by any consumer. That is
//! derived from the consumer rows each time rather than stored, so it cannot go stale. With
//! auto-prune on, a user secret's obsolete revisions are deleted whenever something could have
//! made one obsolete: a new revision, a consumer moving on, a consumer going away.

use domain::{EventKind, RevisionNumber};
use std::collections::HashSet;

use super::{Caller, Services, Subject};
use crate::audit::{AuditAction, Outcome};
use crate::error::ServiceResult;
use crate::store::{ModelRecord, SecretOwner, SecretRecord, Tx};

impl Services {
    /// Juju's `secret-remove` hook: the owner of an application secret hears that no
    /// application tracks `revision` (one it no longer is the latest of) any more, so it may
    /// remove it. Call it after the tracking moved off `revision`; returns whether it told.
    pub(crate) async fn announce_if_obsolete(
        &self,
        tx: &mut dyn Tx,
        secret: &SecretRecord,
        revision: Option<RevisionNumber>,
    ) -> ServiceResult<bool> {
        let (SecretOwner::Application(owner), Some(revision)) = (secret.owner, revision) else {
            return Ok(false);
        };
        if revision == secret.latest_revision {
            return Ok(false);
        }
        let consumers = tx.consumers(&secret.id).await?;
        if consumers.iter().any(|c| c.current_revision == revision) {
            return Ok(false);
        }
        let kind = EventKind::RevisionObsolete;
        tx.announce_to(owner, kind, &secret.id, Some(revision), self.clock.now())
            .await?;
        Ok(true)
    }

    /// Revisions of `secret` that nothing needs any more.
    pub(crate) async fn obsolete_revisions(
        &self,
        tx: &mut dyn Tx,
        secret: &SecretRecord,
    ) -> ServiceResult<Vec<RevisionNumber>> {
        let tracked: HashSet<_> = tx
            .consumers(&secret.id)
            .await?
            .into_iter()
            .map(|c| c.current_revision)
            .collect();
        Ok(tx
            .revisions(&secret.id)
            .await?
            .into_iter()
            .map(|m| m.revision)
            .filter(|r| *r != secret.latest_revision && !tracked.contains(r))
            .collect())
    }

    /// Deletes the obsolete revisions of a user secret that has auto-prune on. Never the latest,
    /// never a tracked one. Each deletion is audited as the system's doing.
    pub(crate) async fn prune_obsolete(
        &self,
        tx: &mut dyn Tx,
        model: &ModelRecord,
        secret: &SecretRecord,
    ) -> ServiceResult<Vec<RevisionNumber>> {
        if !secret.auto_prune || secret.owner != SecretOwner::Model {
            return Ok(Vec::new());
        }
        let obsolete = self.obsolete_revisions(tx, secret).await?;
        for revision in &obsolete {
            tx.delete_revision(&secret.id, *revision).await?;
            let subject = Subject::secret(model, &secret.id)
                .revision(*revision)
                .detail("auto-prune: obsolete revision removed");
            self.audit(
                tx,
                &Caller::system(),
                AuditAction::RevisionPrune,
                Outcome::Success,
                subject,
            )
            .await?;
        }
        Ok(obsolete)
    }
}
