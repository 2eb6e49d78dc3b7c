//! Juju's `secret-rotate` and `secret-expired`: the owner of an application secret is told when
//! its rotate policy falls due or its latest revision expires, and told again every few minutes
//! until it makes a new revision (or removes the expired one). Each notice is audited as
//! `rotate-due` or `expiry-due`.

use domain::{EventKind, RevisionNumber};

use super::{Caller, Services, Subject};
use crate::audit::AuditAction;
use crate::error::ServiceResult;
use crate::store::{DueSecret, Tx};

/// How long an owner has to act before it is told again (Juju retries rotation every 5 min).
pub const RETRY_MS: i64 = 5 * 60_000;

impl Services {
    /// Tells owners what fell due since the last call; run every half minute by each server.
    /// Returns how many notices went out. Nodes running it at once take turns on the write
    /// lock, and the second finds nothing left to tell.
    #[tracing::instrument(skip_all)]
    pub async fn announce_due(&self) -> ServiceResult<usize> {
        let now = self.clock.now();
        let retry = now.plus_millis(RETRY_MS);
        let told_before = now.plus_millis(-RETRY_MS);
        // Usually nothing is due: look without the write lock first. An empty write would still
        // queue behind writers and, on SQLite, empty the read cache (ADR 0017) twice a minute.
        let mut look = self.store.single().await?;
        if look.due_rotations(now).await?.is_empty()
            && look.due_expiries(now, told_before).await?.is_empty()
        {
            return Ok(0);
        }
        drop(look);
        let mut tx = self.store.write().await?;
        let rotations = tx.due_rotations(now).await?;
        let expiries = tx.due_expiries(now, told_before).await?;
        for due in &rotations {
            tx.set_next_rotation(&due.secret, retry).await?;
            self.notice(&mut *tx, due, EventKind::SecretRotate).await?;
        }
        for due in &expiries {
            let revision = due.revision.unwrap_or(RevisionNumber::FIRST);
            tx.set_expiry_told(&due.secret, revision, now).await?;
            self.notice(&mut *tx, due, EventKind::SecretExpired).await?;
        }
        tx.commit().await?;
        let told = rotations.len() + expiries.len();
        if told > 0 {
            self.wake_event_streams();
        }
        Ok(told)
    }

    async fn notice(&self, tx: &mut dyn Tx, due: &DueSecret, kind: EventKind) -> ServiceResult<()> {
        let now = self.clock.now();
        tx.announce_to(due.owner, kind, &due.secret, due.revision, now)
            .await?;
        let (action, detail) = match kind {
            EventKind::SecretRotate => (
                AuditAction::RotateDue,
                "rotation due: owner told".to_owned(),
            ),
            _ => (
                AuditAction::ExpiryDue,
                format!(
                    "revision {} expired: owner told",
                    due.revision.map_or(0, RevisionNumber::get)
                ),
            ),
        };
        let Some(model) = tx.model(due.model).await? else {
            return Ok(());
        };
        let mut subject = Subject::secret(&model, &due.secret).detail(detail);
        subject.revision = due.revision;
        self.succeeded(tx, &Caller::system(), action, subject).await
    }
}
