//! The application event log's store side (issue 13): written in the transaction that made the
//! change, read by the consumers' streams.

use async_trait::async_trait;
use domain::{ApplicationId, EventKind, ModelId, RevisionNumber, SecretId, Timestamp};

use super::{RowsChanged, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppEventRecord {
    pub seq: i64,
    pub kind: EventKind,
    pub secret: SecretId,
    /// The revision a `secret-expired` is about.
    pub revision: Option<RevisionNumber>,
    pub at: Timestamp,
}

/// An application-owned secret whose rotation or latest revision's expiry is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueSecret {
    pub secret: SecretId,
    pub model: ModelId,
    pub owner: ApplicationId,
    /// For an expiry: the expired revision.
    pub revision: Option<RevisionNumber>,
}

/// The counter's state: the last sequence number given, and how far pruning went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EventHead {
    pub seq: i64,
    pub pruned_through: i64,
}

#[async_trait]
pub trait EventTx {
    /// `secret-changed` for every application that tracks `secret` at another revision than
    /// `latest` (the owner is never told of its own change), unless one since it last moved its
    /// tracking is still there: revisions made meanwhile collapse into it. Returns how many
    /// were written, once the transaction has committed.
    async fn announce_change(
        &mut self,
        secret: &SecretId,
        latest: RevisionNumber,
        at: Timestamp,
    ) -> StoreResult<RowsChanged>;
    /// One event for one application.
    async fn announce_to(
        &mut self,
        app: ApplicationId,
        kind: EventKind,
        secret: &SecretId,
        revision: Option<RevisionNumber>,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// Application-owned secrets whose next rotation is at or before `now`.
    async fn due_rotations(&mut self, now: Timestamp) -> StoreResult<Vec<DueSecret>>;
    /// Application-owned secrets whose latest revision expired at or before `now`, and whose
    /// owner was not told since `told_before`.
    async fn due_expiries(
        &mut self,
        now: Timestamp,
        told_before: Timestamp,
    ) -> StoreResult<Vec<DueSecret>>;
    /// When the owner is to be told of the rotation next.
    async fn set_next_rotation(&mut self, secret: &SecretId, at: Timestamp) -> StoreResult<()>;
    async fn set_expiry_told(
        &mut self,
        secret: &SecretId,
        revision: RevisionNumber,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// `secret-removed` for every application granted or tracking `secret`; call it before the
    /// secret's rows go.
    async fn announce_removal(&mut self, secret: &SecretId, at: Timestamp) -> StoreResult<u64>;
    /// The application's events after `after`, oldest first, as they stand now: a
    /// `secret-changed` only while the application may still read the secret and is behind.
    async fn events_after(
        &mut self,
        app: ApplicationId,
        after: i64,
        limit: u32,
    ) -> StoreResult<Vec<AppEventRecord>>;
    /// Secrets the application tracks, may still read, and whose latest revision is another.
    async fn behind(&mut self, app: ApplicationId) -> StoreResult<Vec<SecretId>>;
    async fn event_head(&mut self) -> StoreResult<EventHead>;
    /// Drops events older than `before`; returns how many.
    async fn prune_events(&mut self, before: Timestamp) -> StoreResult<u64>;
}
