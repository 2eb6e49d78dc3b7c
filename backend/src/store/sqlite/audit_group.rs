//! The journal's group commit on SQLite, in two round trips to the connection's thread.

use sqlx::{QueryBuilder, SqliteConnection};

use super::{SqliteStore, SqliteTx};
use crate::audit::{NewAuditEvent, chain};
use crate::store::StoreResult;
use crate::store::sql::AUDIT_ROWS_PER_STATEMENT;

impl SqliteStore {
    /// Two round trips instead of four: BEGIN travels with the head read and COMMIT with the
    /// insert (each round trip to the connection's thread costs about 40 µs here, more than
    /// the statements; ADR 0019). The head read is a write, so the lock is taken before it
    /// reads. sqlx does not know of this transaction and cannot roll it back if this stops
    /// half way, so the writer slot has the next holder do it.
    pub(super) async fn append_audit_group_in_two_trips(
        &self,
        events: &[NewAuditEvent],
    ) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let mut conn = self.writer_connection().await?;
        self.writer_slot().in_use();
        let appended = append_and_commit(&mut conn, events).await;
        if appended.is_ok() {
            self.writer_slot().clean();
        } else {
            // At once, so the write lock is not held until the next writer comes.
            let _ = sqlx::query("rollback").execute(&mut *conn).await;
        }
        appended
    }
}

/// One group of audit events in two round trips: BEGIN with the head read, COMMIT with the
/// last insert.
async fn append_and_commit(
    conn: &mut SqliteConnection,
    events: &[NewAuditEvent],
) -> StoreResult<()> {
    let head: Option<(i64, String)> =
        sqlx::query_as("begin; update audit_head set seq = seq where id = 1 returning seq, hash")
            .fetch_optional(&mut *conn)
            .await?;
    let appended = chain(head, events);
    let mut chunks = appended.chunks(AUDIT_ROWS_PER_STATEMENT).peekable();
    while let Some(chunk) = chunks.next() {
        let mut sql = QueryBuilder::new("");
        SqliteTx::push_audit_insert(&mut sql, chunk);
        if chunks.peek().is_none() {
            sql.push("; commit");
        }
        // Each group size is a different statement text: kept, they would push the hot
        // queries out of the connection's statement cache.
        sql.build()
            .persistent(chunk.len() == 1)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
