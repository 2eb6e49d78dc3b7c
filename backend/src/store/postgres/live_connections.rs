//! Pooled connections the database dropped (a restart, a failover, a firewall's idle timeout)
//! are found before a request uses them, without a ping on every checkout under load.
//!
//! A connection idle for a while, or idle since this node last met a dropped one (its listening
//! connection hears a restart at once), is pinged as it leaves the pool; one that fails is
//! closed and the pool hands out another. A
//! transaction's BEGIN that still meets a dropped connection is begun again on another: BEGIN
//! changes nothing, so trying again is safe.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Connection as _, Postgres, Transaction};

use crate::store::{StoreResult, uncancellable};

/// Connections in one node's pool.
pub(super) const POOL_SIZE: u32 = 16;

/// A request waits this long for a connection: while the database is down it gets 503 after
/// this, not a hang.
pub(super) const CONNECT_WAIT: Duration = Duration::from_secs(3);

/// A connection idle this long is pinged before use. Under load connections come back within
/// milliseconds and are never pinged; a ping on every checkout was one more round trip per
/// statement outside a transaction (docs/adr/0028).
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// When this node last met a connection the database had dropped.
#[derive(Clone, Default)]
pub(super) struct DroppedConnections(Arc<Mutex<Option<Instant>>>);

impl DroppedConnections {
    /// The pool's options: its size, its wait, and the ping of connections that may be dead.
    pub(super) fn pool_options(&self) -> PgPoolOptions {
        let dropped = self.clone();
        PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .test_before_acquire(false)
            .acquire_timeout(CONNECT_WAIT)
            .before_acquire(move |conn, meta| {
                let suspect = meta.idle_for >= IDLE_BEFORE_PING || dropped.since(meta.idle_for);
                Box::pin(async move {
                    if suspect {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
    }

    /// Begins a transaction with `sql` on a live connection.
    pub(super) async fn begin(
        &self,
        pool: &PgPool,
        sql: &'static str,
    ) -> StoreResult<Transaction<'static, Postgres>> {
        let (pool, dropped) = (pool.clone(), self.clone());
        uncancellable(async move {
            // Each dropped connection fails once and is closed, so a full pool of them is
            // passed after POOL_SIZE tries.
            let mut tries = 0;
            loop {
                match pool.begin_with(sql).await {
                    Err(e) if dropped_by_the_database(&e) && tries < POOL_SIZE => {
                        dropped.seen();
                        tries += 1;
                    }
                    begun => return begun,
                }
            }
        })
        .await
    }

    /// Marks every connection idle from now back as one to ping before use.
    pub(super) fn seen(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    }

    /// Whether a connection idle for `idle` has been idle since a dropped one was met.
    fn since(&self, idle: Duration) -> bool {
        let seen = *self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.is_some_and(|at| {
            Instant::now()
                .checked_sub(idle)
                .is_none_or(|used| used <= at)
        })
    }
}

/// An established connection that the database closed: the socket broke, or the server said
/// it was shutting down (57P01 administrator command, 57P02 crash). A database that cannot be
/// reached at all fails the pool's wait instead (PoolTimedOut), and is not tried again here.
pub(super) fn dropped_by_the_database(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(io) => matches!(
            io.kind(),
            std::io::ErrorKind::BrokenPipe
                | std::io::ErrorKind::ConnectionReset
                | std::io::ErrorKind::ConnectionAborted
                | std::io::ErrorKind::UnexpectedEof
        ),
        sqlx::Error::Database(db) => db.code().is_some_and(|c| c == "57P01" || c == "57P02"),
        _ => false,
    }
}
