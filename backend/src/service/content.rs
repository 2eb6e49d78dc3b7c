//! Plaintext leaves the store here only: an application reading what it was granted, or an
//! admin's reveal. The content is handed out only after the read's audit event has committed
//! (in the transaction that moved the tracking, or in the journal's group), so an unaudited
//! read cannot happen.

use domain::{ApplicationId, ModelName, Permission, RevisionNumber, SecretContent, SecretId};

use super::secrets::own_secrets;
use super::vault_read::ReadSurface;
use super::{Actor, Caller, Scope, SecretRef, Services, Subject};
use crate::audit::{AuditAction, Outcome};
use crate::error::{Forbidden, Missing, ServiceError, ServiceResult};
use crate::store::{RevisionRecord, SecretOwner, SecretRecord, StoreError, Tx, UsageTally};

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
    /// This revision, which must be the latest or the tracked one; the tracking stays (a Vault
    /// client's `?version=N`).
    Exact(RevisionNumber),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevealedContent {
    pub secret: SecretId,
    pub revision: RevisionNumber,
    /// When this revision was made.
    pub created: domain::Timestamp,
    pub owner: SecretOwner,
    pub latest: RevisionNumber,
    /// The revision the reading application tracks, after the read; `None` for a reveal.
    pub tracked: Option<RevisionNumber>,
    /// The revision's keyed checksum.
    pub checksum: String,
    pub content: SecretContent,
}

/// What a read will return, decided from one statement's view of the secret.
struct ReadPlan {
    tx: Box<dyn Tx>,
    app: ApplicationId,
    record: SecretRecord,
    revision: RevisionNumber,
    /// The stored revision, read with the plan; `None` if it is gone.
    stored: Option<RevisionRecord>,
    /// Where the tracking moves, if it does.
    track_to: Option<RevisionNumber>,
    /// The revision the tracking leaves, if it moves off one.
    left: Option<RevisionNumber>,
    /// The tracked revision once the read is done.
    tracked: Option<RevisionNumber>,
}

impl Services {
    /// An application reads a secret it owns or was granted.
    /// `model` is the application's own; any other model does not exist for it.
    ///
    /// Most reads move nothing: they run outside a transaction and their audit event goes to
    /// the journal's group commit. A read that moves the tracking is decided again under the
    /// write lock, so the move and its auto-prune see the current state.
    #[tracing::instrument(skip_all)]
    pub async fn read_content(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        mode: ReadMode,
    ) -> ServiceResult<RevealedContent> {
        self.read_content_through(caller, model, secret, mode, ReadSurface::Native)
            .await
    }

    /// One try at `read_content_through` (`remembered_read`): with lookups from this node's
    /// memory if the caller's token came from there, else from the database.
    pub(super) async fn read_once(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        mode: ReadMode,
        surface: ReadSurface,
    ) -> ServiceResult<RevealedContent> {
        let action = AuditAction::ContentRead;
        let permission = Permission::ReadGrantedContent;
        // No snapshot: the audit event is appended after the read anyway, so a change that
        // commits between two of its statements is ordered after it either way, and the
        // BEGIN and ROLLBACK round trips are saved (ADR 0011).
        let remembered = caller.remembered.as_ref();
        let tx = match remembered {
            Some(_) => self.store.single_remembered().await?,
            None => self.store.single().await?,
        };
        let (tx, scope) = self
            .authorize_own_read(tx, caller, model, permission, action)
            .await?;
        let plan = self.plan_read(tx, caller, &scope, secret, mode).await?;
        if plan.track_to.is_some() && remembered.is_some() {
            // A write follows, and nothing checks a write against what was remembered.
            return Err(StoreError::Stale.into());
        }
        if plan.track_to.is_none() {
            drop(plan.tx);
            let content = self.open_loaded(
                &scope.model,
                &plan.record,
                plan.revision,
                plan.stored,
                plan.tracked,
            )?;
            let subject = surface
                .named(Subject::secret(&scope.model, &content.secret).revision(content.revision));
            let event = self.event(caller, action, Outcome::Success, subject);
            let read_by = Some((plan.app, content.secret.clone()));
            let since = remembered.map(|r| r.since);
            self.journal.record_read(event, read_by, since).await?;
            return Ok(content);
        }
        drop(plan);
        let (tx, scope) = self.writing(caller, model, permission, action).await?;
        let ReadPlan {
            mut tx,
            app,
            record,
            revision,
            stored,
            track_to,
            left,
            tracked,
        } = self.plan_read(tx, caller, &scope, secret, mode).await?;
        let mut told = false;
        if let Some(r) = track_to {
            tx.track(&record.id, app, r, self.clock.now()).await?;
            told = self.announce_if_obsolete(&mut *tx, &record, left).await?;
        }
        let content = self.open_loaded(&scope.model, &record, revision, stored, tracked)?;
        let subject = surface.named(Subject::secret(&scope.model, &record.id).revision(revision));
        self.succeeded(&mut *tx, caller, action, subject).await?;
        tx.record_usage(&[UsageTally::one_read(app, &record.id, self.clock.now())])
            .await?;
        if track_to.is_some() {
            self.prune_obsolete(&mut *tx, &scope.model, &record).await?;
        }
        tx.commit().await?;
        if told {
            self.wake_event_streams();
        }
        Ok(content)
    }

    /// Finds the secret, checks the grant, and picks the revision to read.
    async fn plan_read(
        &self,
        mut tx: Box<dyn Tx>,
        caller: &Caller,
        scope: &Scope,
        secret: &SecretRef,
        mode: ReadMode,
    ) -> ServiceResult<ReadPlan> {
        // Only an application's role allows this permission.
        let Actor::Application { id: app, .. } = &caller.actor else {
            return Err(ServiceError::Forbidden(Forbidden::AccessLevel));
        };
        let id = self
            .secret_id_of(&mut *tx, scope, secret, own_secrets(caller))
            .await?;
        // The revision the read returns comes with the plan: the tracked one for a tracked
        // read (the latest if it is gone), the latest otherwise.
        let prefer_tracked = matches!(mode, ReadMode::Tracked | ReadMode::Exact(_));
        let read = tx
            .application_read(scope.model.id, &id, *app, prefer_tracked)
            .await?
            .ok_or_else(|| secret.not_found())?;
        let (record, view) = (read.secret, read.view);
        let owned = record.owner == SecretOwner::Application(*app);
        if caller.remembered.is_some() && !(owned || view.granted) {
            // Not refused from memory: a grant made on another node may not be followed yet.
            return Err(StoreError::Stale.into());
        }
        if !owned && !view.granted {
            let subject = Subject::secret(&scope.model, &record.id);
            let error = ServiceError::Forbidden(Forbidden::NotGranted);
            return Err(self
                .refuse(tx, caller, AuditAction::ContentRead, subject, error)
                .await);
        }
        let latest = record.latest_revision;
        // A tracked revision that has been removed since is not in the view; then the read
        // tracks the latest.
        let tracked = view.tracked;
        let (revision, track_to) = match (mode, tracked) {
            (ReadMode::Peek, _) => (latest, None),
            (ReadMode::Exact(n), t) if n == latest || t == Some(n) => (n, None),
            // Not answered from memory: the revision may be new on another node.
            (ReadMode::Exact(_), _) if caller.remembered.is_some() => {
                return Err(StoreError::Stale.into());
            }
            (ReadMode::Exact(n), _) if n > latest => {
                let uri = record.id.uri();
                return Err(ServiceError::NotFound(Missing::Revision {
                    revision: n,
                    uri,
                }));
            }
            (ReadMode::Exact(n), _) => {
                let subject = Subject::secret(&scope.model, &record.id).revision(n);
                let error = ServiceError::Forbidden(Forbidden::UntrackedRevision(n));
                return Err(self
                    .refuse(tx, caller, AuditAction::ContentRead, subject, error)
                    .await);
            }
            (ReadMode::Refresh, Some(r)) if r == latest => (latest, None),
            (ReadMode::Refresh, _) | (ReadMode::Tracked, None) => (latest, Some(latest)),
            (ReadMode::Tracked, Some(r)) => (r, None),
        };
        // The statement chose the same revision; a mismatch would mean a bug, never other
        // content.
        let stored = match read.revision.filter(|r| r.revision == revision) {
            // An exact read of the latest when another is tracked: the statement read that one.
            None if matches!(mode, ReadMode::Exact(_)) => tx.revision(&record.id, revision).await?,
            loaded => loaded,
        };
        Ok(ReadPlan {
            tx,
            app: *app,
            record,
            revision,
            stored,
            track_to,
            left: tracked.filter(|t| track_to.is_some_and(|to| to != *t)),
            tracked: track_to.or(tracked),
        })
    }

    /// An admin reads any revision of a user or application secret.
    #[tracing::instrument(skip_all)]
    pub async fn reveal(
        &self,
        caller: &Caller,
        model: &ModelName,
        secret: &SecretRef,
        revision: Option<RevisionNumber>,
    ) -> ServiceResult<RevealedContent> {
        let action = AuditAction::SecretReveal;
        let (mut tx, scope) = self
            .reading(caller, model, Permission::RevealContent, action)
            .await?;
        let record = self
            .find_secret(&mut *tx, &scope, secret, SecretOwner::Model)
            .await?;
        let revision = revision.unwrap_or(record.latest_revision);
        let content = self
            .open_stored(&mut *tx, &scope.model, &record, revision)
            .await?;
        drop(tx);
        let subject = Subject::secret(&scope.model, &record.id).revision(revision);
        self.journaled(caller, action, subject).await?;
        Ok(content)
    }

    /// Decrypts one stored revision. The caller audits the read before handing it out.
    async fn open_stored(
        &self,
        tx: &mut dyn Tx,
        model: &crate::store::ModelRecord,
        record: &SecretRecord,
        revision: RevisionNumber,
    ) -> ServiceResult<RevealedContent> {
        let stored = tx.revision(&record.id, revision).await?;
        self.open_loaded(model, record, revision, stored, None)
    }

    /// Decrypts a revision already read; `None` means it is gone.
    fn open_loaded(
        &self,
        model: &crate::store::ModelRecord,
        record: &SecretRecord,
        revision: RevisionNumber,
        stored: Option<RevisionRecord>,
        tracked: Option<RevisionNumber>,
    ) -> ServiceResult<RevealedContent> {
        let stored = stored.ok_or_else(|| {
            ServiceError::NotFound(Missing::Revision {
                revision,
                uri: record.id.uri(),
            })
        })?;
        let content = self.open_revision(model, &stored)?;
        Ok(RevealedContent {
            secret: record.id.clone(),
            revision,
            created: stored.created_at,
            owner: record.owner,
            latest: record.latest_revision,
            tracked,
            checksum: stored.checksum,
            content,
        })
    }
}

impl Services {
    /// What an application may read: the secrets it owns and those granted to it.
    #[tracing::instrument(skip_all)]
    pub async fn readable_secrets(
        &self,
        caller: &Caller,
    ) -> ServiceResult<Vec<crate::store::SecretSummary>> {
        // Only an application has secrets it may read; anyone else's attempt is audited.
        let app = self
            .calling_application(caller, AuditAction::SecretView)
            .await?;
        let mut tx = self.store.read().await?;
        Ok(tx.readable_secrets(app).await?)
    }
}
