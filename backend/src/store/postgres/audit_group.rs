//! The journal's group commit on PostgreSQL, which also follows every node's changes and checks
//! the reads answered from this node's memory against them (docs/adr/0028). It is tried in one
//! round trip from the audit head this node expects (`one_trip`, docs/adr/0031), and made in
//! a transaction of its own, which reads the head, when that does not go through.

mod one_trip;

use std::sync::Arc;

use sqlx::postgres::PgArguments;
use sqlx::{Arguments as _, PgPool};

use super::head_guess::HeadGuess;
use super::{live_connections::DroppedConnections, take_the_write_lock};
use crate::audit::{AuditEvent, NewAuditEvent, chain};
use crate::store::{Appended, CacheChange, GroupEvent, ReadCache, StoreError, StoreResult};

/// Tries in one round trip before the group is made in a transaction of its own: each miss
/// (another node wrote, or changed what a remembered read relied on) tells the head to expect.
const ONE_TRIP_TRIES: usize = 3;

/// Appends `group`, leaving out the remembered reads that something changed since they were
/// looked up (`Appended::Stale`).
pub(super) async fn append_checked(
    pool: &PgPool,
    dropped: &DroppedConnections,
    cache: &Arc<ReadCache>,
    expected: &HeadGuess,
    group: &[GroupEvent],
) -> StoreResult<Vec<Appended>> {
    let mut trips = 0;
    let mut outcome = None;
    for _ in 0..ONE_TRIP_TRIES {
        // After a long pause, changes this node has not seen may have been pruned, so the
        // database could not check a read against them: the transaction follows first.
        let Some(head) = expected.get().filter(|_| cache.followed_lately()) else {
            break;
        };
        trips += 1;
        match one_trip::try_append(pool, dropped, cache, head, group).await? {
            one_trip::Tried::Appended(appended, new_head) => {
                expected.set(new_head);
                outcome = Some(appended);
                break;
            }
            one_trip::Tried::Moved(actual) => expected.set(actual),
            one_trip::Tried::Unknown => expected.forget(),
        }
    }
    let outcome = match outcome {
        Some(appended) => appended,
        None => {
            trips += 4;
            let (appended, new_head) = append_in_transaction(pool, dropped, cache, group).await?;
            expected.set(new_head);
            appended
        }
    };
    // Their ratio is the round trips a group takes (docs/deploy.md, "Watching it").
    metrics::counter!("strongbox_audit_group_commits_total").increment(1);
    metrics::counter!("strongbox_audit_group_round_trips_total").increment(trips);
    Ok(outcome)
}

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

/// A row of the head with the changes: the head on every row, then a change or none.
type HeadAndChange = (
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// Four round trips: BEGIN with the write lock; the head and the changes; the insert; COMMIT.
/// Returns what became of each event, and the head after them.
async fn append_in_transaction(
    pool: &PgPool,
    dropped: &DroppedConnections,
    cache: &Arc<ReadCache>,
    group: &[GroupEvent],
) -> StoreResult<(Vec<Appended>, Option<(i64, String)>)> {
    let mut tx = dropped.begin(pool, GROUP_BEGIN).await?;
    let followed = cache.generation().0;
    let rows: Vec<HeadAndChange> = sqlx::query_as(HEAD_AND_CHANGES)
        .bind(as_seq(followed))
        .fetch_all(&mut *tx)
        .await?;
    let head = rows
        .first()
        .and_then(|(seq, hash, ..)| Some((*seq)?).zip(hash.clone()));
    follow(
        cache,
        followed,
        rows.into_iter()
            .map(|(_, _, seq, app, secret)| (seq, app, secret)),
    );
    let judged = Judged::of(cache, group);
    let appended = chain(head.clone(), &judged.kept);
    if !appended.is_empty() {
        let mut args = PgArguments::default();
        add_events(&mut args, &appended)?;
        sqlx::query_with(INSERT_EVENTS, args)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let new_head = head_after(head, &appended);
    Ok((judged.outcome, new_head))
}

/// Forgets what the changes after `followed` name, and moves the node's counter past them.
fn follow(
    cache: &ReadCache,
    followed: u64,
    rows: impl Iterator<Item = (Option<i64>, Option<i64>, Option<String>)>,
) {
    let changes: Vec<(u64, CacheChange)> = rows
        .filter_map(|(seq, application, secret)| {
            Some((
                u64::try_from(seq?).unwrap_or(0),
                CacheChange::of(application, secret),
            ))
        })
        .collect();
    let to = changes.last().map_or(followed, |(seq, _)| *seq);
    cache.forget(&changes, to);
}

/// The group's events judged against the changes this node has followed: remembered reads
/// that something changed since their lookup are left out.
struct Judged {
    outcome: Vec<Appended>,
    kept: Vec<NewAuditEvent>,
}

impl Judged {
    fn of(cache: &ReadCache, group: &[GroupEvent]) -> Judged {
        let outcome: Vec<Appended> = group
            .iter()
            .map(|g| match &g.relied {
                Some(relied) if !cache.still_holds(relied) => Appended::Stale,
                _ => Appended::Committed,
            })
            .collect();
        let kept = group
            .iter()
            .zip(&outcome)
            .filter(|(_, o)| **o == Appended::Committed)
            .map(|(g, _)| g.event.clone())
            .collect();
        Judged { outcome, kept }
    }
}

fn head_after(head: Option<(i64, String)>, appended: &[AuditEvent]) -> Option<(i64, String)> {
    appended
        .last()
        .map(|last| (last.seq, last.hash.clone()))
        .or(head)
}

fn as_seq(followed: u64) -> i64 {
    i64::try_from(followed).unwrap_or(i64::MAX)
}

/// A group's events in one prepared statement, whatever their number: a row of values per
/// event made a statement of its own for each group size, parsed and planned every time.
const INSERT_EVENTS: &str = "insert into audit_event (seq, at, actor_kind, actor_name, \
     model_uuid, secret_id, revision, action, outcome, source, detail, prev_hash, hash) \
     select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
     $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], \
     $13::text[])";

/// The events' columns as thirteen arrays, in the order of `INSERT_EVENTS`.
fn add_events(args: &mut PgArguments, events: &[AuditEvent]) -> StoreResult<()> {
    let each = |f: fn(&AuditEvent) -> Option<String>| events.iter().map(f).collect::<Vec<_>>();
    let text = |f: fn(&AuditEvent) -> String| events.iter().map(f).collect::<Vec<_>>();
    let number = |f: fn(&AuditEvent) -> Option<i64>| events.iter().map(f).collect::<Vec<_>>();
    let bound = |e: sqlx::error::BoxDynError| StoreError::Database(sqlx::Error::Encode(e));
    args.add(number(|a| Some(a.seq))).map_err(bound)?;
    args.add(number(|a| Some(a.event.at.millis())))
        .map_err(bound)?;
    args.add(text(|a| a.event.actor.kind.as_str().to_owned()))
        .map_err(bound)?;
    args.add(text(|a| a.event.actor.name.clone()))
        .map_err(bound)?;
    args.add(each(|a| a.event.model.map(|m| m.to_string())))
        .map_err(bound)?;
    args.add(each(|a| {
        a.event.secret.as_ref().map(|s| s.as_str().to_owned())
    }))
    .map_err(bound)?;
    args.add(number(|a| a.event.revision.map(|r| r.get())))
        .map_err(bound)?;
    args.add(text(|a| a.event.action.as_str().to_owned()))
        .map_err(bound)?;
    args.add(text(|a| a.event.outcome.as_str().to_owned()))
        .map_err(bound)?;
    args.add(each(|a| a.event.source.clone())).map_err(bound)?;
    args.add(text(|a| a.event.detail.clone())).map_err(bound)?;
    args.add(text(|a| a.prev_hash.clone())).map_err(bound)?;
    args.add(text(|a| a.hash.clone())).map_err(bound)?;
    Ok(())
}
