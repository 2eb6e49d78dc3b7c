//! The storage boundary. All SQL lives below this module; the services see only these traits.
//!
//! A [`Store`] hands out transactions. Every service operation runs in one, so a change and the
//! audit event that records it commit together or not at all. The traits are split by subject
//! only so that each implementation file stays small; [`Tx`] is all of them.

use async_trait::async_trait;
use thiserror::Error;

use crate::audit::NewAuditEvent;

mod account_txs;
mod ahead;
mod data_file;
mod event_log;
mod identity_store;
mod juju_store;
mod oversight_txs;
pub mod postgres;
mod read_cache;
mod records;
mod review_records;
mod secret_txs;
mod sql;
pub mod sqlite;
mod webhook_store;

pub use account_txs::{ApplicationTx, ModelTx, UserTx};
pub(crate) use ahead::ReadAhead;
pub use ahead::WriteAbout;
pub use event_log::{AppEventRecord, DueSecret, EventHead, EventTx};
pub use identity_store::{
    CliApproval, CliDecision, GroupMembership, Identity, IdentityTx, ProviderFlow,
};
pub use juju_store::{
    JujuBackendRecord, JujuTx, NewVaultToken, TokenPowers, VaultMountRecord, VaultPolicyRecord,
    VaultTokenRecord,
};
pub use oversight_txs::{AuditTx, KeyTx, OverviewTx, ReviewQueryTx, ReviewTx, ThrottleTx};
pub(crate) use read_cache::{CacheChange, ReadKey};
pub use read_cache::{ReadCache, Relied};
pub use records::*;
pub use review_records::*;
pub use secret_txs::{AccessTx, RevisionTx, SecretTx};
pub use webhook_store::{NewWebhook, WebhookProgress, WebhookRecord, WebhookTx, WrappedKey};

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A uniqueness or foreign-key rule refused the write.
    #[error("constraint violated")]
    Conflict(#[source] sqlx::Error),
    /// A row holds something the domain rules reject: the database was edited by hand.
    #[error("stored {what} is not valid: {problem}")]
    Corrupt { what: &'static str, problem: String },
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("database migration failed")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// The group commit that held this request's audit event failed; every request in the
    /// group gets the same error.
    #[error("audit group commit failed")]
    Group(#[source] std::sync::Arc<StoreError>),
    /// A read answered from this node's memory relied on something another node has changed
    /// since; it was not recorded, and is made again from the database (docs/adr/0028).
    #[error("a remembered answer was stale")]
    Stale,
    /// The task that commits audit groups is gone (the runtime is shutting down).
    #[error("audit journal stopped")]
    JournalStopped,
    /// Something this kind of database does not do here, and what to use instead.
    #[error("{0}")]
    Unsupported(&'static str),
    /// Another `strongbox serve` holds the SQLite file's serve lock.
    #[error(
        "another `strongbox serve` is using {0}: stop it first, or give this server a data directory of its own"
    )]
    InUse(String),
    #[error("{what}: {source}")]
    File {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// Whether the database could not be reached, rather than refusing or failing a
    /// statement: no connection within the wait, a connection that broke, or a server that is
    /// shutting down or starting (PostgreSQL's classes 08 and 57P).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(e) => match e {
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
                sqlx::Error::Database(db) => db
                    .code()
                    .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
                _ => false,
            },
            StoreError::Group(inner) => inner.is_unavailable(),
            _ => false,
        }
    }
}

/// Fills the natural sort key of secrets named before the key existed, a batch per
/// transaction; a no-op once done (ADR 0025).
pub(crate) async fn fill_name_sort(store: &dyn Store) -> StoreResult<()> {
    loop {
        let mut tx = store.write().await?;
        let batch = tx.unsorted_names(1000).await?;
        if batch.is_empty() {
            return Ok(());
        }
        for (id, name) in &batch {
            tx.set_name_sort(id, &domain::natural_order::natural_sort_key(name))
                .await?;
        }
        tx.commit().await?;
    }
}

/// After any error a transaction must be dropped, not used further: PostgreSQL refuses every
/// statement in a transaction that has failed, and both stores roll back on drop.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A transaction for reading only.
    async fn read(&self) -> StoreResult<Box<dyn Tx>>;
    /// A reader's connection outside any transaction: each statement sees the latest commit
    /// on its own. For lookups where separate statements need no common snapshot; it saves
    /// the BEGIN and ROLLBACK round trips on hot paths. Writing through it is a bug.
    async fn single(&self) -> StoreResult<Box<dyn Tx>>;
    /// A transaction that will write. On SQLite it takes the write lock at once, so a
    /// read-then-write sequence cannot fail half way on a concurrent writer.
    async fn write(&self) -> StoreResult<Box<dyn Tx>>;
    /// `write`, telling the store what the transaction is about so that it may look that up
    /// with the BEGIN (on SQLite, in the same round trip; ADR 0021).
    async fn write_about(&self, about: &WriteAbout) -> StoreResult<Box<dyn Tx>> {
        let _ = about;
        self.write().await
    }
    /// Appends the group's events to the audit chain and commits them: the journal's group
    /// commit. Cached reads do not hold the audit chain, so this leaves them valid. An event
    /// whose read relied on remembered answers that another node has since made stale is left
    /// out and reported `Appended::Stale` (PostgreSQL; docs/adr/0028).
    async fn append_audit_group(&self, group: &[GroupEvent]) -> StoreResult<Vec<Appended>> {
        let events: Vec<NewAuditEvent> = group.iter().map(|g| g.event.clone()).collect();
        let mut tx = self.write().await?;
        tx.append_audits(&events).await?;
        tx.commit().await?;
        Ok(vec![Appended::Committed; group.len()])
    }
    /// `single`, with lookups that may answer from what this node remembers even where other
    /// nodes write: a read through it must be checked in its audit group commit (its
    /// `GroupEvent::relied`). Where this process makes every write, the same as `single`.
    async fn single_remembered(&self) -> StoreResult<Box<dyn Tx>> {
        self.single().await
    }
    /// How far this node has followed other nodes' changes, where it remembers answers that
    /// they can make stale (PostgreSQL); taken before the lookups a read relies on.
    fn changes_followed(&self) -> Option<u64> {
        None
    }
    /// Adds `usage` to the read counts in a transaction of its own: the journal gathers reads
    /// for about a second and writes them at once (ADR 0024).
    async fn add_usage(&self, usage: &[UsageTally]) -> StoreResult<()> {
        let mut tx = self.write().await?;
        tx.record_usage(usage).await?;
        tx.commit().await
    }
    /// Whether the database answers and its schema is current.
    async fn ready(&self) -> StoreResult<()>;
    /// A consistent copy of the whole database, taken while it serves, into `path` (which
    /// must be absent or empty). Only the embedded store can; PostgreSQL has `pg_dump`.
    async fn backup_into(&self, path: &std::path::Path) -> StoreResult<()>;
    /// Database connections open and idle now, for the metrics.
    fn connections(&self) -> ConnectionUse;
    /// Whether this process makes every write (SQLite, holding the serve lock), so that
    /// in-process wake-ups see every change.
    fn serves_alone(&self) -> bool {
        false
    }
    /// Wake-ups for application events committed by any node (PostgreSQL's LISTEN/NOTIFY),
    /// which also move after the listening connection comes back. `None` where this process
    /// makes every write.
    fn event_notifications(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        None
    }
    /// Wakes the event streams of the other nodes, for a change that writes no event (a token
    /// or an application gone: their streams must end). Nothing where this process makes
    /// every write.
    async fn wake_other_nodes(&self) -> StoreResult<()> {
        Ok(())
    }
}

/// An audit event for the journal's group commit, with what its read relied on.
#[derive(Debug, Clone)]
pub struct GroupEvent {
    pub event: NewAuditEvent,
    pub relied: Option<Relied>,
}

/// What became of a group commit's event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    Committed,
    /// Left out: the read it records relied on answers another node has since made stale, and
    /// must be made again from the database.
    Stale,
}

/// How many rows a write changed. A write the store holds back to send with a later statement
/// (ADR 0021) is counted when it is sent: at the latest, when its transaction commits.
#[derive(Debug, Clone, Default)]
pub struct RowsChanged(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl RowsChanged {
    pub fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub(crate) fn set(&self, rows: u64) {
        self.0.store(rows, std::sync::atomic::Ordering::SeqCst);
    }
}

/// How many database connections are open, and how many of those wait unused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConnectionUse {
    pub open: usize,
    pub idle: usize,
}

#[async_trait]
pub trait Tx:
    UserTx
    + ModelTx
    + ApplicationTx
    + SecretTx
    + RevisionTx
    + AccessTx
    + AuditTx
    + KeyTx
    + ThrottleTx
    + EventTx
    + WebhookTx
    + ReviewTx
    + ReviewQueryTx
    + OverviewTx
    + IdentityTx
    + JujuTx
    + Send
{
    async fn commit(self: Box<Self>) -> StoreResult<()>;
    /// Runs `then` once this transaction has committed, and never if it does not: for what
    /// must count only what committed (the audit metric).
    fn after_commit(&mut self, then: AfterCommit);
}

/// Work a transaction does once it has committed (`Tx::after_commit`).
pub type AfterCommit = Box<dyn FnOnce() + Send + Sync>;

/// Runs what waited for a commit that has succeeded.
pub(crate) fn run_after_commit(after: Vec<AfterCommit>) {
    for then in after {
        then();
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &e {
            sqlx::Error::Database(d)
                if matches!(
                    d.kind(),
                    ErrorKind::UniqueViolation | ErrorKind::ForeignKeyViolation
                ) =>
            {
                StoreError::Conflict(e)
            }
            _ => StoreError::Database(e),
        }
    }
}

/// Converts a stored value into its domain type, or reports the row as corrupt.
pub(crate) fn stored<T, E: std::fmt::Display>(
    what: &'static str,
    r: Result<T, E>,
) -> StoreResult<T> {
    r.map_err(|e| StoreError::Corrupt {
        what,
        problem: e.to_string(),
    })
}

/// Runs a BEGIN to completion even if the request that asked for it is cancelled (a client
/// that hangs up). Cancelled half way, sqlx can leave the pooled connection inside a
/// transaction that nobody holds: every later BEGIN on it then fails
/// (`InvalidSavePointStatement`), which under wrk's disconnects stopped all writes. Finished
/// in a task, the transaction is returned, or dropped there and rolled back.
pub(crate) async fn uncancellable<DB: sqlx::Database>(
    begin: impl Future<Output = sqlx::Result<sqlx::Transaction<'static, DB>>> + Send + 'static,
) -> StoreResult<sqlx::Transaction<'static, DB>> {
    match tokio::spawn(begin).await {
        Ok(tx) => Ok(tx?),
        Err(_) => Err(StoreError::Database(sqlx::Error::WorkerCrashed)),
    }
}

/// Whether every migration the binary knows has been applied.
pub(crate) fn migrations_current(
    applied: i64,
    migrator: &sqlx::migrate::Migrator,
) -> StoreResult<()> {
    let known = i64::try_from(migrator.iter().count()).unwrap_or(i64::MAX);
    if applied >= known {
        Ok(())
    } else {
        Err(StoreError::Corrupt {
            what: "schema",
            problem: format!("{applied} of {known} migrations applied"),
        })
    }
}
