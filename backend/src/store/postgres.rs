//! The shared store: PostgreSQL, for several `strongbox serve` nodes on one database.

use async_trait::async_trait;
use sqlx::Connection as _;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool};
use sqlx::{PgConnection, Postgres, QueryBuilder, Transaction};
use std::str::FromStr;
use std::time::Duration;

use super::{
    Appended, GroupEvent, ReadAhead, ReadCache, Store, StoreError, StoreResult, Tx, WriteAbout,
};
use crate::store::sql::{SearchPlan, impl_transaction_traits, like_pattern};
use std::sync::Arc;

mod audit_group;
mod cache_changes;
mod head_guess;
mod held_batch;
mod live_connections;
mod read_ahead;

use live_connections::{CONNECT_WAIT, DroppedConnections};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Every write transaction takes a transaction-scoped advisory lock first, in the same round
/// trip as its BEGIN. Writers then run one at a time across all nodes, as on SQLite: the audit
/// chain needs a single head, a read-then-write sequence cannot be overtaken, and the rows of
/// `cache_change` follow commit order (docs/adr/0028). The key is 0x5354524f4e474258,
/// "STRONGBX".
macro_rules! take_the_write_lock {
    () => {
        "select pg_advisory_xact_lock(6004514703760900696)"
    };
}
use take_the_write_lock;
const LOCKED_BEGIN: &str = concat!("begin; ", take_the_write_lock!());

/// The channel the event counter's trigger notifies (migration 0007).
const EVENTS_CHANNEL: &str = "strongbox_events";

#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    /// Applications' read lookups, forgotten as this node follows every node's changes.
    cache: Arc<ReadCache>,
    /// Moves when any node commits application events, and after each reconnection.
    events: tokio::sync::watch::Receiver<u64>,
    dropped: DroppedConnections,
    /// The audit head the next group commit expects (docs/adr/0031).
    head: head_guess::HeadGuess,
}

impl PgStore {
    /// Connects and applies pending migrations. Several nodes may do this at once: sqlx
    /// serializes migrations with a lock of its own.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        // One connection first, so that start-up reports why the database cannot be reached
        // (the pool would only say it timed out).
        let options = PgConnectOptions::from_str(url)?;
        let first = tokio::time::timeout(CONNECT_WAIT, PgConnection::connect_with(&options))
            .await
            .map_err(|_| StoreError::Database(sqlx::Error::PoolTimedOut))??;
        drop(first);
        let dropped = DroppedConnections::default();
        let pool = dropped.pool_options().connect_with(options).await?;
        MIGRATOR.run(&pool).await.map_err(StoreError::Migrate)?;
        let (wake, events) = tokio::sync::watch::channel(0);
        tokio::spawn(listen_for_events(pool.clone(), wake, dropped.clone()));
        let cache = Arc::new(ReadCache::default());
        cache_changes::follow_from_now(&pool, &cache).await?;
        tokio::spawn(cache_changes::prune_old(pool.clone()));
        let store = PgStore {
            pool,
            cache,
            events,
            dropped,
            head: head_guess::HeadGuess::default(),
        };
        super::fill_name_sort(&store).await?;
        Ok(store)
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Wakes this node's event consumers on every node's commits. A notification sent while the
/// listening connection is down is lost, so each (re)connection wakes them too: they look for
/// what they missed. The listening connection is the first to hear that the database went away,
/// so its loss marks every pooled connection idle since then as one to check before use.
async fn listen_for_events(
    pool: PgPool,
    wake: tokio::sync::watch::Sender<u64>,
    dropped: DroppedConnections,
) {
    let bump = || wake.send_modify(|n| *n = n.wrapping_add(1));
    while !pool.is_closed() {
        if let Ok(mut listener) = sqlx::postgres::PgListener::connect_with(&pool).await
            && listener.listen(EVENTS_CHANNEL).await.is_ok()
        {
            bump();
            // `None`: the connection was lost; listen again on a new one, then catch up.
            while let Ok(Some(_)) = listener.try_recv().await {
                bump();
            }
            dropped.seen();
            tracing::warn!("event notifications: the listening connection was lost; reconnecting");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

pub struct PgTx {
    on: PgOn,
    after: Vec<super::AfterCommit>,
    /// Lookups outside a transaction that may answer from memory, to be checked in the audit
    /// group commit (`Store::single_remembered`).
    lookups: Option<Arc<ReadCache>>,
    /// What a write looked up after its BEGIN (`Store::write_about`).
    ahead: Option<ReadAhead>,
    /// Told the audit head a write with `ahead` leaves, when it commits.
    head: Option<head_guess::HeadGuess>,
    /// Writes waiting to be sent together (`held_batch`).
    held: Option<held_batch::HeldBatch>,
}

enum PgOn {
    Transaction(Transaction<'static, Postgres>),
    Single(PoolConnection<Postgres>),
    /// A single connection taken only when a statement needs it: a read answered from memory
    /// never touches the pool.
    Later(PgPool),
}

impl PgTx {
    fn new(on: PgOn) -> Box<Self> {
        Box::new(PgTx {
            on,
            after: Vec::new(),
            lookups: None,
            ahead: None,
            head: None,
            held: None,
        })
    }

    fn read_ahead(&mut self) -> Option<&mut ReadAhead> {
        self.ahead.as_mut()
    }

    /// Only for `single_remembered`: other nodes write too, so an answer from memory holds
    /// only once the audit group commit has checked it.
    fn read_cache(&self) -> Option<&Arc<ReadCache>> {
        self.lookups.as_ref()
    }

    /// PostgreSQL's planner weighs the trigram index against the sort order from its own
    /// statistics, so no term needs steering.
    async fn search_plan(&mut self, _term: &str) -> StoreResult<SearchPlan> {
        Ok(SearchPlan::Scan)
    }

    /// Keeps the secrets whose search document contains `term`, in any case; the trigram index
    /// serves ILIKE for terms of three characters or more.
    fn push_search(sql: &mut QueryBuilder<'_, Postgres>, term: &str, _plan: SearchPlan) {
        sql.push(" and s.id in (select secret_id from secret_search_doc where doc ilike ")
            .push_bind(like_pattern(term))
            .push(" escape '\\')");
    }
}

impl_transaction_traits!(PgTx, Postgres);

#[async_trait]
impl Store for PgStore {
    async fn read(&self) -> StoreResult<Box<dyn Tx>> {
        // One snapshot for the whole transaction, as SQLite's read transactions have.
        let begin = "begin isolation level repeatable read, read only";
        let tx = self.dropped.begin(&self.pool, begin).await?;
        Ok(PgTx::new(PgOn::Transaction(tx)))
    }

    async fn single(&self) -> StoreResult<Box<dyn Tx>> {
        Ok(PgTx::new(PgOn::Single(self.pool.acquire().await?)))
    }

    async fn single_remembered(&self) -> StoreResult<Box<dyn Tx>> {
        let mut tx = PgTx::new(PgOn::Later(self.pool.clone()));
        tx.lookups = Some(self.cache.clone());
        Ok(tx)
    }

    fn changes_followed(&self) -> Option<u64> {
        Some(self.cache.generation().0)
    }

    async fn write(&self) -> StoreResult<Box<dyn Tx>> {
        let tx = self.dropped.begin(&self.pool, LOCKED_BEGIN).await?;
        Ok(PgTx::new(PgOn::Transaction(tx)))
    }

    /// The write lock with the BEGIN, then the lookups for `about` (`read_ahead::look_up`).
    async fn write_about(&self, about: &WriteAbout) -> StoreResult<Box<dyn Tx>> {
        let mut tx = self.dropped.begin(&self.pool, LOCKED_BEGIN).await?;
        let ahead = read_ahead::look_up(&mut tx, about).await?;
        let mut tx = PgTx::new(PgOn::Transaction(tx));
        tx.ahead = Some(ahead);
        tx.head = Some(self.head.clone());
        Ok(tx)
    }

    async fn append_audit_group(&self, group: &[GroupEvent]) -> StoreResult<Vec<Appended>> {
        audit_group::append_checked(&self.pool, &self.dropped, &self.cache, &self.head, group).await
    }

    async fn ready(&self) -> StoreResult<()> {
        let applied: i64 =
            sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
                .fetch_one(&self.pool)
                .await?;
        super::migrations_current(applied, &MIGRATOR)
    }

    fn event_notifications(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        Some(self.events.clone())
    }

    async fn wake_other_nodes(&self) -> StoreResult<()> {
        sqlx::query("select pg_notify($1, '')")
            .bind(EVENTS_CHANNEL)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    fn connections(&self) -> super::ConnectionUse {
        super::ConnectionUse {
            open: self.pool.size() as usize,
            idle: self.pool.num_idle(),
        }
    }

    async fn backup_into(&self, _path: &std::path::Path) -> StoreResult<()> {
        Err(StoreError::Unsupported(
            "a PostgreSQL database is backed up with pg_dump (docs/deploy.md), not by strongbox",
        ))
    }
}

#[async_trait]
impl Tx for PgTx {
    async fn commit(mut self: Box<Self>) -> StoreResult<()> {
        self.send_held().await?;
        let PgTx {
            on,
            after,
            ahead,
            head,
            ..
        } = *self;
        if let PgOn::Transaction(tx) = on {
            tx.commit().await?;
        }
        // The write held the lock from its BEGIN, so the head it knows was the chain's head
        // when it committed.
        if let (Some(head), Some(left)) = (head, ahead.and_then(|a| a.audit_head)) {
            head.offer(left);
        }
        super::run_after_commit(after);
        Ok(())
    }

    fn after_commit(&mut self, then: super::AfterCommit) {
        self.after.push(then);
    }
}
