//! A write transaction's writes, held until something needs the database: then sent in the
//! same round trip as that statement, or as the COMMIT (ADR 0021).
//!
//! Each statement is a round trip to the connection's thread, which costs more than the
//! statement (ADR 0019). A write whose result nobody reads (an insert, an update by key) can
//! wait; every other statement goes through [`SqliteTx::conn`], which sends what waits first,
//! so the transaction's statements still run in the order it made them. A failed write is
//! reported by the statement it travelled with, and fails the transaction all the same.

use futures::TryStreamExt as _;
use sqlx::sqlite::{SqliteConnection, SqliteTransactionManager};
use sqlx::{Either, QueryBuilder, Sqlite, TransactionManager as _};

use super::SqliteTx;
use crate::store::StoreResult;

impl SqliteTx {
    /// The connection, for a statement of the transaction's own, with every held write sent
    /// before it. From here on, what was looked up with the BEGIN may be stale.
    pub(super) async fn conn(&mut self) -> StoreResult<&mut SqliteConnection> {
        if let Some(ahead) = &mut self.ahead {
            ahead.forget_lookups();
        }
        if let Some(mut pending) = self.pending.take() {
            pending.build().execute(&mut *self.conn).await?;
        }
        Ok(&mut self.conn)
    }

    /// Runs the write `push` appends, or holds it until the next statement in a write
    /// transaction.
    pub(crate) async fn write_later(
        &mut self,
        push: impl FnOnce(&mut QueryBuilder<'static, Sqlite>),
    ) -> StoreResult<()> {
        if let Some(ahead) = &mut self.ahead {
            ahead.forget_lookups();
            let held = self.pending.get_or_insert_with(|| QueryBuilder::new(""));
            if !held.sql().is_empty() {
                held.push("; ");
            }
            push(held);
            return Ok(());
        }
        self.write_now(push).await.map(drop)
    }

    /// Runs the write `push` appends, with the held writes in the same round trip; returns
    /// how many rows it changed.
    pub(crate) async fn write_now(
        &mut self,
        push: impl FnOnce(&mut QueryBuilder<'static, Sqlite>),
    ) -> StoreResult<u64> {
        if let Some(ahead) = &mut self.ahead {
            ahead.forget_lookups();
        }
        let mut sql = self.pending.take().unwrap_or_else(|| QueryBuilder::new(""));
        if !sql.sql().is_empty() {
            sql.push("; ");
        }
        push(&mut sql);
        // The rows the last statement changed: sqlx reports each statement's as it ends.
        // `fetch_many` is deprecated only because other drivers cannot run several statements.
        let mut changed = 0;
        #[allow(deprecated)]
        let mut steps = sql.build().fetch_many(&mut *self.conn);
        while let Some(step) = steps.try_next().await? {
            if let Either::Left(done) = step {
                changed = done.rows_affected();
            }
        }
        Ok(changed)
    }

    /// Commits, with the held writes in the same round trip.
    pub(super) async fn end_with_commit(&mut self) -> StoreResult<()> {
        let Some(writer) = self.writer.clone() else {
            SqliteTransactionManager::commit(&mut self.conn).await?;
            return Ok(());
        };
        let mut sql = self.pending.take().unwrap_or_else(|| QueryBuilder::new(""));
        if !sql.sql().is_empty() {
            sql.push("; ");
        }
        sql.push("commit");
        sql.build().execute(&mut *self.conn).await?;
        writer.clean();
        Ok(())
    }
}
