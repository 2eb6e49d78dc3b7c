//! A write transaction's writes, held until something needs the database: then sent in the
//! same round trip as that statement, or as the COMMIT (ADR 0021).
//!
//! Each statement is a round trip to the connection's thread, which costs more than the
//! statement (ADR 0019). A write whose result is not needed at once (an insert, an update by
//! key, a count read after the commit) can wait; every other statement goes through
//! [`SqliteTx::conn`], which sends what waits first, so the transaction's statements still run
//! in the order it made them. A failed write is reported by the statement it travelled with,
//! and fails the transaction all the same.

use sqlx::sqlite::{SqliteConnection, SqliteTransactionManager};
use sqlx::{QueryBuilder, Sqlite, TransactionManager as _};

use super::held::Held;
use super::read_ahead::push_begin;
use super::{SqliteTx, cache_changes};
use crate::store::sql::HeldWrite;
use crate::store::sql::read_ahead::read_rows;
use crate::store::{CacheChange, RowsChanged, StoreResult};

impl SqliteTx {
    /// The connection, for a statement of the transaction's own, with every held write sent
    /// before it. From here on, what was looked up with the BEGIN may be stale.
    pub(super) async fn conn(&mut self) -> StoreResult<&mut SqliteConnection> {
        if let Some(ahead) = &mut self.ahead {
            ahead.forget_lookups();
        }
        if let Some(held) = self.pending.take() {
            held.send(&mut self.conn).await?;
        }
        Ok(&mut self.conn)
    }

    /// Runs the write `push` appends, or in a write transaction holds it until the next
    /// statement. SQLite runs held writes as separate statements in order, so their kind does
    /// not matter here.
    pub(crate) async fn write_later(
        &mut self,
        _kind: HeldWrite,
        push: impl FnOnce(&mut QueryBuilder<'static, Sqlite>),
    ) -> StoreResult<()> {
        self.write(push, None).await
    }

    /// `write_later`, for a write whose changed rows the caller reads once the transaction
    /// has committed.
    pub(crate) async fn write_counted(
        &mut self,
        _kind: HeldWrite,
        push: impl FnOnce(&mut QueryBuilder<'static, Sqlite>),
    ) -> StoreResult<RowsChanged> {
        let count = RowsChanged::default();
        self.write(push, Some(count.clone())).await?;
        Ok(count)
    }

    async fn write(
        &mut self,
        push: impl FnOnce(&mut QueryBuilder<'static, Sqlite>),
        count: Option<RowsChanged>,
    ) -> StoreResult<()> {
        // Only a write transaction holds writes: it alone reads ahead.
        let Some(ahead) = &mut self.ahead else {
            let mut now = Held::new();
            let at = now.push(push);
            now.counted.extend(count.map(|c| (at, c)));
            return now.send(&mut self.conn).await;
        };
        ahead.forget_lookups();
        let held = self.pending.get_or_insert_with(Held::new);
        let at = held.push(push);
        held.counted.extend(count.map(|c| (at, c)));
        Ok(())
    }

    /// Commits, with the held writes in the same round trip, and begins the first waiting
    /// write's transaction with its lookups there too. With `changes`, also reads what the
    /// transaction changed that the read cache holds: `None` when that is not known.
    pub(super) async fn end_with_commit(
        &mut self,
        changes: bool,
    ) -> StoreResult<Option<Vec<CacheChange>>> {
        let Some(writer) = self.writer.clone() else {
            SqliteTransactionManager::commit(&mut self.conn).await?;
            return Ok(None);
        };
        let mut held = self.pending.take().unwrap_or_else(Held::new);
        let changed = changes.then(|| {
            let read = held.push(|sql| {
                sql.push(cache_changes::CHANGES);
            });
            held.push(|sql| {
                sql.push(cache_changes::FORGET);
            });
            read
        });
        let commit = held.push(|sql| {
            sql.push("commit");
        });
        let next = writer.first_waiting();
        let lookups = next
            .as_ref()
            .map(|(_, about)| push_begin(&mut held, Some(about)));
        match held.send_rows(&mut self.conn).await {
            Ok(rows) => {
                writer.clean();
                if let (Some((id, about)), Some(at)) = (next, lookups) {
                    // Open now, for the waiter; anyone else taking the connection ends it.
                    writer.in_use();
                    match read_rows(|i| rows.get(at + i).and_then(Option::as_ref), Some(&about)) {
                        Ok(ahead) => writer.begun_for(id, ahead),
                        // A row that does not decode: the waiter begins on its own and meets
                        // the same row, which it reports; this write did commit.
                        Err(_) => writer.end_soon(),
                    }
                }
                // Committed whatever the row says: one that does not read is not known.
                Ok(changed.and_then(|i| {
                    cache_changes::changes_in(rows.get(i).and_then(Option::as_ref)).ok()
                }))
            }
            // Committed; the next BEGIN failed or half ran: the next holder rolls it back.
            Err((finished, _)) if finished > commit => {
                writer.clean();
                writer.in_use();
                writer.end_soon();
                Ok(None)
            }
            Err((_, e)) => Err(e),
        }
    }
}
