//! A write transaction's writes, held until something needs the database and then sent as one
//! statement (ADR 0032): on PostgreSQL each statement is a round trip, and the write lock is
//! held across all of them, so an update's insert of its revision, the "secret changed" events,
//! the secret's row and its audit event go together rather than one by one.
//!
//! The batch is one statement of data-modifying CTEs, `with w0 as (… returning 1), w1 as (…)
//! select (select count(*) from w0), …`. Its parts all see the snapshot from before it and run
//! in no set order, which is sound only because a batch holds at most one write of each
//! [`HeldWrite`] kind, and no kind reads what another kind writes; the triggers they fire run
//! after the whole statement and see all of it.

use sqlx::{PgConnection, Postgres, QueryBuilder};

use super::{PgOn, PgTx};
use crate::store::sql::HeldWrite;
use crate::store::{RowsChanged, StoreError, StoreResult};

/// The statement so far, and each part's kind with the count it fills: part `i` is `w{i}`.
pub(super) struct HeldBatch {
    sql: QueryBuilder<'static, Postgres>,
    parts: Vec<(HeldWrite, RowsChanged)>,
}

impl HeldBatch {
    fn new() -> Self {
        HeldBatch {
            sql: QueryBuilder::new("with "),
            parts: Vec::new(),
        }
    }

    fn holds(&self, kind: HeldWrite) -> bool {
        self.parts.iter().any(|(k, _)| *k == kind)
    }

    fn push(
        &mut self,
        kind: HeldWrite,
        push: impl FnOnce(&mut QueryBuilder<'static, Postgres>),
        count: RowsChanged,
    ) {
        let at = self.parts.len();
        if at > 0 {
            self.sql.push(", ");
        }
        self.sql.push(format_args!("w{at} as ("));
        push(&mut self.sql);
        self.sql.push(" returning 1)");
        self.parts.push((kind, count));
    }

    /// Sends the batch, and tells each part's count its own.
    pub(super) async fn send(mut self, conn: &mut PgConnection) -> StoreResult<()> {
        self.sql.push(" select array[");
        for at in 0..self.parts.len() {
            if at > 0 {
                self.sql.push(", ");
            }
            self.sql.push(format_args!("(select count(*) from w{at})"));
        }
        self.sql.push("]");
        let counts: Vec<i64> = self.sql.build_query_scalar().fetch_one(conn).await?;
        if counts.len() != self.parts.len() {
            return Err(StoreError::Corrupt {
                what: "held writes",
                problem: format!("{} counts for {} parts", counts.len(), self.parts.len()),
            });
        }
        for ((_, count), rows) in self.parts.into_iter().zip(counts) {
            count.set(u64::try_from(rows).unwrap_or_default());
        }
        Ok(())
    }
}

impl PgTx {
    /// The connection, for a statement of the transaction's own, with the held writes sent
    /// before it. From here on, what was looked up after the BEGIN may be stale.
    pub(super) async fn conn(&mut self) -> StoreResult<&mut PgConnection> {
        if let Some(ahead) = &mut self.ahead {
            ahead.forget_lookups();
        }
        if let PgOn::Later(pool) = &self.on {
            self.on = PgOn::Single(pool.acquire().await?);
        }
        let conn: &mut PgConnection = match &mut self.on {
            PgOn::Transaction(tx) => tx,
            PgOn::Single(conn) => conn,
            // Replaced just above.
            PgOn::Later(_) => return Err(StoreError::Database(sqlx::Error::PoolClosed)),
        };
        if let Some(held) = self.held.take() {
            held.send(conn).await?;
        }
        Ok(conn)
    }

    /// Runs the write `push` appends, or in a write transaction that read ahead holds it until
    /// the next statement or the COMMIT; returns how many rows it changed, known once it ran.
    pub(super) async fn write_counted(
        &mut self,
        kind: HeldWrite,
        push: impl FnOnce(&mut QueryBuilder<'static, Postgres>),
    ) -> StoreResult<RowsChanged> {
        let count = RowsChanged::default();
        if self.ahead.is_none() {
            let mut now = QueryBuilder::new("");
            push(&mut now);
            let done = now.build().execute(self.conn().await?).await?;
            count.set(done.rows_affected());
            return Ok(count);
        }
        if self.held.as_ref().is_some_and(|h| h.holds(kind)) {
            // A second write of one kind waits for the first to be sent.
            self.conn().await?;
        }
        if let Some(ahead) = &mut self.ahead {
            ahead.forget_lookups();
        }
        let held = self.held.get_or_insert_with(HeldBatch::new);
        held.push(kind, push, count.clone());
        Ok(count)
    }

    /// `write_counted`, for a write whose count nobody reads.
    pub(super) async fn write_later(
        &mut self,
        kind: HeldWrite,
        push: impl FnOnce(&mut QueryBuilder<'static, Postgres>),
    ) -> StoreResult<()> {
        self.write_counted(kind, push).await.map(drop)
    }

    /// Sends what is held, before the COMMIT.
    pub(super) async fn send_held(&mut self) -> StoreResult<()> {
        if self.held.is_some() {
            self.conn().await?;
        }
        Ok(())
    }
}
