//! The embedded store: one SQLite file in WAL mode with foreign keys on.
//!
//! Writers take the single connection of a pool of one, in arrival order; readers have a pool of
//! their own. SQLite allows one writer at a time anyway, and a writer that waits for the lock
//! inside SQLite sleeps in growing steps (its busy handler) and can starve: under load that gave
//! a p99 of hundreds of milliseconds and "database is locked" after the timeout (ADR 0010).
//! Waiting in the pool's queue instead costs nothing and is fair.
//!
//! The connections are held in `deadpool`'s unmanaged pools rather than sqlx's: sqlx pings a
//! connection each time it goes back to its pool, one more round trip to the connection's
//! worker thread. On the single writer that ping was on every write's critical path, and a
//! read paid it twice (ADR 0014). A connection to a local file does not go stale, and the
//! worker runs its commands in order, so a transaction dropped half-way is rolled back before
//! the next holder's first statement.

use async_trait::async_trait;
use deadpool::unmanaged::{Object, Pool, PoolError};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions,
    SqliteSynchronous, SqliteTransactionManager,
};
use sqlx::{ConnectOptions as _, Sqlite, SqlitePool, TransactionManager as _};
use std::str::FromStr;
use std::time::Duration;

mod application_ids;
mod audit_group;
mod cache_changes;
mod handoff;
mod held;
mod read_ahead;
mod search;
mod write_batch;

use super::{
    Appended, GroupEvent, ReadAhead, ReadCache, Store, StoreError, StoreResult, Tx, WriteAbout,
    data_file,
};
use crate::audit::NewAuditEvent;
use crate::store::sql::impl_transaction_traits;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// Readers at once. WAL readers never block each other or the writer; past the number of cores
/// more only queue inside SQLite's worker threads.
const READERS: usize = 8;
/// Connections for the session store and for tests that inspect the file.
const SIDE_POOL: u32 = 4;
/// How long a writer waits for its turn before the request fails.
const WRITER_WAIT: Duration = Duration::from_secs(30);
/// Prepared statements kept per connection: more than the store has queries, so a hot path
/// never prepares again.
const STATEMENT_CACHE: usize = 256;
#[derive(Clone)]
pub struct SqliteStore {
    writer: WriterSlot,
    readers: Pool<SqliteConnection>,
    side: SqlitePool,
    /// Applications' read lookups, for the one server that holds `serve_lock`.
    cache: Option<Arc<ReadCache>>,
    serve_lock: Option<Arc<std::fs::File>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .statement_cache_capacity(STATEMENT_CACHE);
        data_file::owner_only(options.get_filename())?;
        let mut writer = options.connect().await?;
        MIGRATOR
            .run(&mut writer)
            .await
            .map_err(StoreError::Migrate)?;
        application_ids::never_reused(&mut writer).await?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            readers.push(options.connect().await?);
        }
        let side = SqlitePoolOptions::new()
            .max_connections(SIDE_POOL)
            .connect_with(options)
            .await?;
        let store = SqliteStore {
            writer: WriterSlot {
                pool: Pool::from([writer]),
                dirty: Arc::default(),
                handoff: Arc::default(),
            },
            readers: Pool::from(readers),
            side,
            cache: None,
            serve_lock: None,
        };
        super::fill_name_sort(&store).await?;
        Ok(store)
    }

    /// Opens the database for serving: refused while another server serves the same file, and
    /// with applications' read lookups kept in memory between writes (docs/adr/0017).
    pub async fn connect_serving(url: &str) -> StoreResult<Self> {
        let file = SqliteConnectOptions::from_str(url)?
            .get_filename()
            .to_owned();
        let lock = match file.as_os_str() {
            name if name.is_empty() || name == ":memory:" => None,
            _ => Some(Arc::new(data_file::serve_lock(&file)?)),
        };
        let mut store = Self::connect(url).await?;
        cache_changes::record_on(&mut *store.writer_connection().await?).await?;
        store.serve_lock = lock;
        store.cache = Some(Arc::default());
        Ok(store)
    }

    /// The writer connection, with no transaction open.
    pub(super) async fn writer_connection(&self) -> StoreResult<Object<SqliteConnection>> {
        self.writer.take().await
    }

    pub(super) fn writer_slot(&self) -> &WriterSlot {
        &self.writer
    }

    /// A pool on the same file for the session store (its rare writes wait in SQLite's busy
    /// handler) and for tests that inspect the file.
    pub fn pool(&self) -> &SqlitePool {
        &self.side
    }
}

/// The single writer connection. Its transactions are begun with raw SQL, one round trip where
/// sqlx spends two on a custom BEGIN (ADR 0019); sqlx does not know of them, so `dirty` says the
/// connection may hold one that nobody will end, and whoever takes it next rolls that back.
#[derive(Clone)]
pub(super) struct WriterSlot {
    pool: Pool<SqliteConnection>,
    dirty: Arc<AtomicBool>,
    /// Who waits, and the transaction begun for one of them with the last COMMIT.
    handoff: handoff::SharedHandoff,
}

impl WriterSlot {
    async fn take(&self) -> StoreResult<Object<SqliteConnection>> {
        Ok(self.take_for(None).await?.0)
    }

    /// The connection, in the transaction begun for `ticket` with what it read, or with no
    /// transaction open.
    async fn take_for(
        &self,
        ticket: Option<&handoff::Ticket>,
    ) -> StoreResult<(Object<SqliteConnection>, Option<ReadAhead>)> {
        let mut conn = tokio::time::timeout(WRITER_WAIT, self.pool.get())
            .await
            .map_err(|_| pool_error(PoolError::Timeout))?
            .map_err(pool_error)?;
        let handed = self.begun(ticket);
        if self.dirty.swap(false, Ordering::SeqCst) {
            if handed.is_some() {
                self.in_use();
                return Ok((conn, handed));
            }
            // Fails harmlessly when the transaction never began or did commit.
            let _ = sqlx::query("rollback").execute(&mut *conn).await;
        }
        Ok((conn, None))
    }

    /// A transaction is about to begin on the connection; until it ends, it is not clean.
    pub(super) fn in_use(&self) {
        self.dirty.store(true, Ordering::SeqCst);
    }

    /// Rolls back, as soon as the connection is back in the pool, a transaction nobody will
    /// end: the write lock is let go then, not at the next write.
    pub(super) fn end_soon(&self) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let writer = self.clone();
            runtime.spawn(async move { writer.take().await });
        }
    }

    /// The transaction ended (committed or rolled back).
    pub(super) fn clean(&self) {
        self.dirty.store(false, Ordering::SeqCst);
    }
}

fn pool_error(e: PoolError) -> StoreError {
    match e {
        PoolError::Timeout => StoreError::Database(sqlx::Error::PoolTimedOut),
        _ => StoreError::Database(sqlx::Error::PoolClosed),
    }
}

/// A connection taken from one of the pools, inside a transaction or not.
pub struct SqliteTx {
    conn: Object<SqliteConnection>,
    /// A transaction was begun and has not ended; dropping the value rolls it back, as
    /// sqlx's own `Transaction` does.
    open: bool,
    /// Lookups outside a transaction answer from here while nothing has been written.
    lookups: Option<Arc<ReadCache>>,
    /// A write transaction whose commit makes those answers stale.
    invalidates: Option<Arc<ReadCache>>,
    /// Set for the writer's transactions, which sqlx does not track.
    writer: Option<WriterSlot>,
    /// What a write transaction read with its BEGIN.
    ahead: Option<ReadAhead>,
    /// A write transaction's writes that nothing has needed the result of yet: sent with the
    /// next statement's round trip or with the COMMIT (ADR 0021).
    pending: Option<held::Held>,
    /// What waits for the commit (`Tx::after_commit`).
    after: Vec<super::AfterCommit>,
}

impl SqliteTx {
    /// `conn`, outside any transaction, answering nothing from memory.
    fn on(conn: Object<SqliteConnection>) -> Self {
        SqliteTx {
            conn,
            open: false,
            lookups: None,
            invalidates: None,
            writer: None,
            ahead: None,
            pending: None,
            after: Vec::new(),
        }
    }

    fn read_ahead(&mut self) -> Option<&mut ReadAhead> {
        self.ahead.as_mut()
    }

    fn read_cache(&self) -> Option<&Arc<ReadCache>> {
        self.lookups.as_ref()
    }

    /// Begins with `statement`, or a plain deferred BEGIN, which sqlx sends without the extra
    /// round trip it spends checking a custom one.
    async fn begin(
        conn: Object<SqliteConnection>,
        statement: Option<&'static str>,
    ) -> StoreResult<Self> {
        // Open from before the BEGIN is sent: if this is cancelled once the BEGIN has run (sqlx
        // checks a custom BEGIN in a second round trip), the drop must still roll it back. A
        // rollback with no transaction open does nothing.
        let mut tx = SqliteTx::on(conn);
        tx.open = true;
        SqliteTransactionManager::begin(&mut tx.conn, statement.map(Into::into)).await?;
        Ok(tx)
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        match &self.writer {
            // Queued ahead of anything the connection's next holder sends.
            None => SqliteTransactionManager::start_rollback(&mut self.conn),
            // The slot is marked; roll back as soon as the connection is back in the pool, so
            // the write lock is not held until the next write comes.
            Some(writer) => writer.end_soon(),
        }
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn read(&self) -> StoreResult<Box<dyn Tx>> {
        let conn = self.readers.get().await.map_err(pool_error)?;
        Ok(Box::new(SqliteTx::begin(conn, None).await?))
    }

    async fn single(&self) -> StoreResult<Box<dyn Tx>> {
        let conn = self.readers.get().await.map_err(pool_error)?;
        let mut tx = SqliteTx::on(conn);
        tx.lookups = self.cache.clone();
        Ok(Box::new(tx))
    }

    async fn write(&self) -> StoreResult<Box<dyn Tx>> {
        self.begin_writing(None).await
    }

    async fn write_about(&self, about: &WriteAbout) -> StoreResult<Box<dyn Tx>> {
        self.begin_writing(Some(about)).await
    }

    /// Every event is kept: this server made every write, so nothing it remembered is stale.
    async fn append_audit_group(&self, group: &[GroupEvent]) -> StoreResult<Vec<Appended>> {
        let events: Vec<NewAuditEvent> = group.iter().map(|g| g.event.clone()).collect();
        self.append_audit_group_in_two_trips(&events).await?;
        Ok(vec![Appended::Committed; group.len()])
    }

    async fn ready(&self) -> StoreResult<()> {
        let mut conn = self.readers.get().await.map_err(pool_error)?;
        let applied: i64 =
            sqlx::query_scalar("select count(*) from _sqlx_migrations where success = 1")
                .fetch_one(&mut *conn)
                .await?;
        super::migrations_current(applied, &MIGRATOR)
    }

    fn serves_alone(&self) -> bool {
        self.serve_lock.is_some()
    }

    fn connections(&self) -> super::ConnectionUse {
        let (writer, readers) = (self.writer.pool.status(), self.readers.status());
        super::ConnectionUse {
            open: writer.size + readers.size,
            idle: writer.available + readers.available,
        }
    }

    async fn backup_into(&self, path: &std::path::Path) -> StoreResult<()> {
        use std::os::unix::fs::OpenOptionsExt as _;
        // VACUUM INTO writes a file of its own with the default mode; made first, empty and
        // owner-only, it keeps that mode (it holds wrapped keys and the audit log).
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|source| StoreError::File {
                what: format!("cannot create {}", path.display()),
                source,
            })?;
        let target = path.to_str().ok_or(StoreError::Unsupported(
            "the backup file's path must be UTF-8",
        ))?;
        let mut conn = self.readers.get().await.map_err(pool_error)?;
        // One read snapshot: a consistent copy while writers go on.
        sqlx::query("vacuum into $1")
            .bind(target)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

impl_transaction_traits!(SqliteTx, Sqlite);

#[async_trait]
impl Tx for SqliteTx {
    async fn commit(mut self: Box<Self>) -> StoreResult<()> {
        let after = std::mem::take(&mut self.after);
        self.commit_only().await?;
        super::run_after_commit(after);
        Ok(())
    }

    fn after_commit(&mut self, then: super::AfterCommit) {
        self.after.push(then);
    }
}

impl SqliteTx {
    async fn commit_only(mut self: Box<Self>) -> StoreResult<()> {
        if !self.open {
            return Ok(());
        }
        let Some(cache) = self.invalidates.take() else {
            self.end_with_commit(false).await?;
            self.open = false;
            return Ok(());
        };
        // Run to the end even if the request is cancelled: a COMMIT that has been sent but
        // whose caller went away must still make the cached answers stale.
        let committing = tokio::spawn(async move {
            let committed = self.end_with_commit(true).await;
            self.open = committed.is_err();
            match &committed {
                Ok(Some(changes)) => cache.forget_committed(changes),
                _ => cache.changed(),
            }
            committed.map(drop)
        });
        match committing.await {
            Ok(committed) => Ok(committed?),
            Err(_) => Err(StoreError::Database(sqlx::Error::PoolClosed)),
        }
    }
}
