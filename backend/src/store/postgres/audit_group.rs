//! The journal's group commit on PostgreSQL, which also follows every node's changes and checks
//! the reads answered from this node's memory against them (docs/adr/0028).

use std::sync::Arc;

use sqlx::{PgConnection, PgPool};

use super::{live_connections::DroppedConnections, take_the_write_lock};
use crate::audit::{AuditEvent, NewAuditEvent, chain};
use crate::store::{Appended, CacheChange, GroupEvent, ReadCache, StoreResult};

/// The group's BEGIN, with the write lock, and its statements planned once per connection:
/// PostgreSQL would otherwise plan `HEAD_AND_CHANGES` again at every group (a custom plan for
/// `c.seq > $1`, about 0.2 ms of its CPU each time), though the generic plan is the same index
/// scan.
const GROUP_BEGIN: &str = concat!(
    "begin; set local plan_cache_mode = force_generic_plan; ",
    take_the_write_lock!()
);

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
    let mut tx = dropped.begin(pool, GROUP_BEGIN).await?;
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
    insert_events(&mut tx, &chain(head, &kept)).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// A group's events in one prepared statement, whatever their number: a row of values per
/// event made a statement of its own for each group size, parsed and planned every time.
const INSERT_EVENTS: &str = "insert into audit_event (seq, at, actor_kind, actor_name, \
     model_uuid, secret_id, revision, action, outcome, source, detail, prev_hash, hash) \
     select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
     $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], \
     $13::text[])";

async fn insert_events(conn: &mut PgConnection, events: &[AuditEvent]) -> StoreResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let each = |f: fn(&AuditEvent) -> Option<String>| events.iter().map(f).collect::<Vec<_>>();
    let text = |f: fn(&AuditEvent) -> String| events.iter().map(f).collect::<Vec<_>>();
    let number = |f: fn(&AuditEvent) -> Option<i64>| events.iter().map(f).collect::<Vec<_>>();
    sqlx::query(INSERT_EVENTS)
        .bind(number(|a| Some(a.seq)))
        .bind(number(|a| Some(a.event.at.millis())))
        .bind(text(|a| a.event.actor.kind.as_str().to_owned()))
        .bind(text(|a| a.event.actor.name.clone()))
        .bind(each(|a| a.event.model.map(|m| m.to_string())))
        .bind(each(|a| {
            a.event.secret.as_ref().map(|s| s.as_str().to_owned())
        }))
        .bind(number(|a| a.event.revision.map(|r| r.get())))
        .bind(text(|a| a.event.action.as_str().to_owned()))
        .bind(text(|a| a.event.outcome.as_str().to_owned()))
        .bind(each(|a| a.event.source.clone()))
        .bind(text(|a| a.event.detail.clone()))
        .bind(text(|a| a.prev_hash.clone()))
        .bind(text(|a| a.hash.clone()))
        .execute(conn)
        .await?;
    Ok(())
}
