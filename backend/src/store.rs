//! The storage boundary. All SQL lives below this module; the services see only these traits.
//!
//! A [`Store`] hands out transactions. Every service operation runs in one, so a change and the
//! audit event that records it commit together or not at all. The traits are split by subject
//! only so that each implementation file stays small; [`Tx`] is all of them.

use async_trait::async_trait;
use domain::{
    AccessLevel, ApplicationId, ApplicationName, ModelId, ModelName, ModelUuid, RevisionNumber,
    SecretId, SecretName, Timestamp, UserId, UserName,
};
use thiserror::Error;

use crate::audit::{AuditEvent, NewAuditEvent};
use crate::crypto::Sealed;
use crate::token::TokenHash;

mod ahead;
mod data_file;
mod event_log;
mod identity_store;
mod juju_store;
pub mod postgres;
mod read_cache;
mod records;
mod review_records;
mod sql;
pub mod sqlite;
mod webhook_store;

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
pub(crate) use read_cache::{CacheChange, ReadKey};
pub use read_cache::{ReadCache, Relied};
pub use records::*;
pub use review_records::*;
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

#[async_trait]
pub trait UserTx {
    async fn insert_user(&mut self, user: &NewUser) -> StoreResult<UserId>;
    async fn user(&mut self, id: UserId) -> StoreResult<Option<UserRecord>>;
    async fn user_by_name(&mut self, name: &UserName) -> StoreResult<Option<UserRecord>>;
    async fn users(&mut self) -> StoreResult<Vec<UserRecord>>;
    async fn set_superuser(
        &mut self,
        id: UserId,
        superuser: bool,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn set_password_hash(
        &mut self,
        id: UserId,
        hash: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Ends every session that began before `cutoff`.
    async fn set_sessions_valid_after(&mut self, id: UserId, cutoff: Timestamp) -> StoreResult<()>;
}

#[async_trait]
pub trait ModelTx {
    async fn insert_model(
        &mut self,
        uuid: ModelUuid,
        name: &ModelName,
        now: Timestamp,
    ) -> StoreResult<ModelRecord>;
    async fn model(&mut self, id: ModelId) -> StoreResult<Option<ModelRecord>>;
    async fn model_by_name(&mut self, name: &ModelName) -> StoreResult<Option<ModelRecord>>;
    /// The model named `name` and where `asker` stands in it, in one statement: every request
    /// that names a model asks.
    async fn model_with_standing(
        &mut self,
        name: &ModelName,
        asker: Asker,
    ) -> StoreResult<Option<(ModelRecord, Standing)>>;
    async fn models(&mut self) -> StoreResult<Vec<ModelRecord>>;
    /// Removes the model with everything in it (its secrets, applications, members and
    /// grants); whether there was one. Only a Juju backend's unmount removes a model.
    async fn delete_model(&mut self, id: ModelId) -> StoreResult<bool>;
    async fn set_member(
        &mut self,
        model: ModelId,
        user: UserId,
        access: AccessLevel,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn remove_member(&mut self, model: ModelId, user: UserId) -> StoreResult<bool>;
    async fn members(&mut self, model: ModelId) -> StoreResult<Vec<MemberRecord>>;
    async fn memberships(&mut self, user: UserId) -> StoreResult<Vec<(ModelRecord, AccessLevel)>>;
    /// Every membership of every user, for the users page.
    async fn all_memberships(&mut self) -> StoreResult<Vec<(UserId, ModelName, AccessLevel)>>;
}

#[async_trait]
pub trait ApplicationTx {
    async fn insert_application(
        &mut self,
        model: ModelId,
        name: &ApplicationName,
        now: Timestamp,
    ) -> StoreResult<ApplicationRecord>;
    async fn application(&mut self, id: ApplicationId) -> StoreResult<Option<ApplicationRecord>>;
    async fn application_by_name(
        &mut self,
        model: ModelId,
        name: &ApplicationName,
    ) -> StoreResult<Option<ApplicationRecord>>;
    async fn applications(&mut self, model: ModelId) -> StoreResult<Vec<ApplicationRecord>>;
    async fn delete_application(&mut self, id: ApplicationId) -> StoreResult<()>;
    async fn insert_token(&mut self, token: &NewToken) -> StoreResult<TokenRecord>;
    async fn token_by_hash(&mut self, hash: &TokenHash) -> StoreResult<Option<TokenRecord>>;
    /// Who the token stands for, in one statement: every API request asks.
    async fn token_holder(&mut self, hash: &TokenHash) -> StoreResult<Option<TokenHolder>>;
    async fn tokens_of(&mut self, owner: TokenOwner) -> StoreResult<Vec<TokenRecord>>;
    async fn delete_token(&mut self, token: &TokenRecord) -> StoreResult<()>;
    /// Every person's personal tokens, for the users page.
    async fn personal_tokens(&mut self) -> StoreResult<Vec<TokenRecord>>;
    /// Deletes every token of `owner`; returns how many there were.
    async fn delete_tokens_of(&mut self, owner: TokenOwner) -> StoreResult<u64>;
}

#[async_trait]
pub trait SecretTx {
    async fn insert_secret(&mut self, secret: &SecretRecord) -> StoreResult<()>;
    async fn secret(&mut self, model: ModelId, id: &SecretId) -> StoreResult<Option<SecretRecord>>;
    async fn secret_by_name(
        &mut self,
        model: ModelId,
        owner: SecretOwner,
        name: &SecretName,
    ) -> StoreResult<Option<SecretRecord>>;
    async fn update_secret(&mut self, secret: &SecretRecord) -> StoreResult<()>;
    async fn delete_secret(&mut self, id: &SecretId) -> StoreResult<()>;
    /// Every revision of every secret in the model, by secret ID and then revision.
    async fn model_revision_keys(
        &mut self,
        model: ModelId,
    ) -> StoreResult<Vec<(SecretId, RevisionNumber)>>;
    /// Named secrets whose natural sort key is not filled in yet (rows from before ADR 0025).
    async fn unsorted_names(&mut self, limit: i64) -> StoreResult<Vec<(SecretId, String)>>;
    async fn set_name_sort(&mut self, id: &SecretId, key: &str) -> StoreResult<()>;
    async fn list_secrets(
        &mut self,
        model: ModelId,
        query: &SecretQuery,
    ) -> StoreResult<Vec<SecretSummary>>;
    /// Secrets an application owns or was granted.
    async fn readable_secrets(&mut self, app: ApplicationId) -> StoreResult<Vec<SecretSummary>>;
}

#[async_trait]
pub trait RevisionTx {
    async fn insert_revision(&mut self, revision: &RevisionRecord) -> StoreResult<()>;
    async fn revision(
        &mut self,
        secret: &SecretId,
        n: RevisionNumber,
    ) -> StoreResult<Option<RevisionRecord>>;
    async fn revisions(&mut self, secret: &SecretId) -> StoreResult<Vec<RevisionMeta>>;
    async fn delete_revision(&mut self, secret: &SecretId, n: RevisionNumber) -> StoreResult<()>;
    /// A page of sealed revisions in key order, for re-wrapping under a new master key.
    async fn sealed_page(
        &mut self,
        after: Option<(SecretId, RevisionNumber)>,
        limit: u32,
    ) -> StoreResult<Vec<SealedRow>>;
    async fn update_wrapped_key(
        &mut self,
        secret: &SecretId,
        n: RevisionNumber,
        sealed: &Sealed,
    ) -> StoreResult<()>;
    /// Revisions whose checksum predates keyed checksums (migration 0004).
    async fn unkeyed_revisions(&mut self, limit: u32) -> StoreResult<Vec<SealedRow>>;
    async fn set_keyed_checksum(
        &mut self,
        secret: &SecretId,
        n: RevisionNumber,
        checksum: &str,
    ) -> StoreResult<()>;
}

#[async_trait]
pub trait AccessTx {
    async fn grants(&mut self, secret: &SecretId) -> StoreResult<Vec<GrantRecord>>;
    /// The secret, `app`'s grant and tracked revision, and the revision a read returns, in one
    /// statement. `prefer_tracked`: the tracked revision if it still exists, else the latest.
    async fn application_read(
        &mut self,
        model: ModelId,
        secret: &SecretId,
        app: ApplicationId,
        prefer_tracked: bool,
    ) -> StoreResult<Option<ApplicationRead>>;
    /// Returns false when the grant already existed.
    async fn insert_grant(
        &mut self,
        secret: &SecretId,
        app: ApplicationId,
        by: &str,
        now: Timestamp,
    ) -> StoreResult<bool>;
    async fn delete_grant(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<bool>;
    async fn model_grants(&mut self, model: ModelId) -> StoreResult<Vec<ModelGrantRecord>>;
    async fn consumers(&mut self, secret: &SecretId) -> StoreResult<Vec<ConsumerRecord>>;
    async fn track(
        &mut self,
        secret: &SecretId,
        app: ApplicationId,
        revision: RevisionNumber,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn untrack(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<()>;
    /// Secrets whose revisions this application tracks.
    async fn consumed_secrets(&mut self, app: ApplicationId) -> StoreResult<Vec<SecretId>>;
}

/// The access review's usage counts and sign-offs (ADR 0024).
#[async_trait]
pub trait ReviewTx {
    /// Adds reads to the per-day counts.
    async fn record_usage(&mut self, usage: &[UsageTally]) -> StoreResult<()>;
    /// Drops the counts of one grant, which goes in the same transaction: a new grant of the
    /// pair starts unread.
    async fn forget_usage(&mut self, secret: &SecretId, app: ApplicationId) -> StoreResult<()>;
    async fn insert_sign_off(&mut self, new: &NewSignOff) -> StoreResult<SignOffRecord>;
    /// The newest `limit` sign-offs of the model, newest first.
    async fn sign_offs(&mut self, model: ModelId, limit: i64) -> StoreResult<Vec<SignOffRecord>>;
}

/// The access review's reads: flag counts, windows of grants and of secrets (ADR 0024).
#[async_trait]
pub trait ReviewQueryTx {
    /// Per application of the model, its grants under `filter` and their flag counts
    /// (applications without such grants are left out).
    async fn review_counts(&mut self, filter: &ReviewFilter) -> StoreResult<Vec<ReviewAppCounts>>;
    /// The grants `filter` selects with their usage, the `rows` of them asked for; in secret
    /// name order (natural, then id) within each application.
    async fn review_grants(
        &mut self,
        filter: &ReviewFilter,
        rows: ReviewRows,
    ) -> StoreResult<Vec<GrantUsageRecord>>;
    /// The secrets with a grant `filter` selects, in name order (natural, then id), a window.
    async fn review_secrets(
        &mut self,
        filter: &ReviewFilter,
        offset: i64,
        limit: i64,
    ) -> StoreResult<Vec<(SecretId, Option<SecretName>)>>;
    async fn review_secret_count(&mut self, filter: &ReviewFilter) -> StoreResult<i64>;
    async fn grant_set(&mut self, model: ModelId) -> StoreResult<GrantSetState>;
}

/// What a model's overview counts.
#[async_trait]
pub trait OverviewTx {
    async fn model_counts(&mut self, model: ModelId) -> StoreResult<ModelCounts>;
    /// Application secrets whose rotation or latest revision's expiry falls before `before`
    /// (overdue ones too), soonest first, at most 50.
    async fn due_before(
        &mut self,
        model: ModelId,
        before: Timestamp,
    ) -> StoreResult<Vec<DueSoonRecord>>;
}

#[async_trait]
pub trait AuditTx {
    /// Appends to the chain; the store links the event to the current head.
    async fn append_audit(&mut self, event: &NewAuditEvent) -> StoreResult<AuditEvent>;
    /// Appends several events in order, with one read of the head (a trigger moves it).
    async fn append_audits(&mut self, events: &[NewAuditEvent]) -> StoreResult<Vec<AuditEvent>>;
    async fn audit_events(&mut self, query: &AuditQuery) -> StoreResult<Vec<AuditEvent>>;
    /// Events with `seq > after`, oldest first.
    async fn audit_chain_page(&mut self, after: i64, limit: u32) -> StoreResult<Vec<AuditEvent>>;
    async fn audit_head(&mut self) -> StoreResult<Option<(i64, String)>>;
}

#[async_trait]
pub trait KeyTx {
    async fn master_key_id(&mut self) -> StoreResult<Option<String>>;
    async fn set_master_key_id(&mut self, id: &str, now: Timestamp) -> StoreResult<()>;
}

/// The sign-in back-off's state, shared by every node through the database.
#[async_trait]
pub trait ThrottleTx {
    async fn login_throttle(&mut self, key: &str) -> StoreResult<Option<LoginThrottle>>;
    async fn put_login_throttle(&mut self, row: &LoginThrottle) -> StoreResult<()>;
    async fn clear_login_throttle(&mut self, key: &str) -> StoreResult<()>;
    /// Drops the records of names that have not failed since `before`.
    async fn forget_login_throttles(&mut self, before: Timestamp) -> StoreResult<()>;
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
