//! The journal's group commit on PostgreSQL, which also follows every node's changes and checks
//! the reads answered from this node's memory against them (docs/adr/0028).

use std::sync::Arc;

use sqlx::{PgPool, QueryBuilder};

use super::{LOCKED_BEGIN, PgTx, live_connections::DroppedConnections};
use crate::audit::{NewAuditEvent, chain};
use crate::store::sql::AUDIT_ROWS_PER_STATEMENT;
use crate::store::{Appended, CacheChange, GroupEvent, ReadCache, StoreResult};

/// The audit head (taking its row lock), and every change past `$1`, oldest first, in one
/// statement. It runs after the write lock is held, so its snapshot has every write committed
/// before: in particular any revoke whose answer a read in this group was sent after.
const HEAD_AND_CHANGES: &str = "with h as (update audit_head set seq = seq where id = 1 \
     returning seq, hash) \
     select h.seq, h.hash, c.seq, c.application_id, c.secret_id from (select 1) one \
     left join h on true left join cache_change c on c.seq > $1 order by c.seq";

type Row = (
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// Four round trips: BEGIN with the write lock; the head and the changes; the insert; COMMIT.
pub(super) async fn append_checked(
    pool: &PgPool,
    dropped: &DroppedConnections,
    cache: &Arc<ReadCache>,
    group: &[GroupEvent],
) -> StoreResult<Vec<Appended>> {
    let mut tx = dropped.begin(pool, LOCKED_BEGIN).await?;
    let followed = cache.generation().0;
    let rows: Vec<Row> = sqlx::query_as(HEAD_AND_CHANGES)
        .bind(i64::try_from(followed).unwrap_or(i64::MAX))
        .fetch_all(&mut *tx)
        .await?;
    let head = rows
        .first()
        .and_then(|(seq, hash, ..)| Some((*seq)?).zip(hash.clone()));
    let mut changes = Vec::new();
    for (_, _, seq, application, secret) in rows {
        if let Some(seq) = seq {
            changes.push((
                u64::try_from(seq).unwrap_or(0),
                CacheChange::of(application, secret),
            ));
        }
    }
    let to = changes.last().map_or(followed, |(seq, _)| *seq);
    cache.forget(&changes, to);
    let outcome: Vec<Appended> = group
        .iter()
        .map(|g| match &g.relied {
            Some(relied) if !cache.still_holds(relied) => Appended::Stale,
            _ => Appended::Committed,
        })
        .collect();
    let kept: Vec<NewAuditEvent> = group
        .iter()
        .zip(&outcome)
        .filter(|(_, o)| **o == Appended::Committed)
        .map(|(g, _)| g.event.clone())
        .collect();
    let appended = chain(head, &kept);
    for chunk in appended.chunks(AUDIT_ROWS_PER_STATEMENT) {
        let mut sql = QueryBuilder::new("");
        PgTx::push_audit_insert(&mut sql, chunk);
        sql.build()
            .persistent(chunk.len() == 1)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(outcome)
}
