//! The group commit in one round trip (migration 0019, docs/adr/0031): the events chained from
//! the head this node expects, sent with how far it has followed `cache_change` and what its
//! remembered reads relied on, to one statement outside any transaction.

use std::sync::Arc;

use sqlx::postgres::PgArguments;
use sqlx::{Arguments as _, PgPool};

use super::super::live_connections::{DroppedConnections, dropped_by_the_database};
use super::{Judged, add_events, as_seq, follow, head_after};
use crate::audit::{AuditEvent, chain};
use crate::store::{Appended, GroupEvent, ReadCache, StoreError, StoreResult};

const APPEND: &str = "select appended, head_seq, head_hash, change_seq, change_application, \
     change_secret from audit_group_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
     $13, $14, $15, $16, $17, $18)";

/// Whether an event is in the chain where it was sent.
const LANDED: &str = "select exists (select 1 from audit_event where seq = $1 and hash = $2)";

/// A row of the answer: whether the group went in, the head it found, then a change or none.
type Answer = (
    bool,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

pub(super) enum Tried {
    /// In the chain: what became of each event, and the head after them.
    Appended(Vec<Appended>, Option<(i64, String)>),
    /// Nothing appended: the head was not the one expected, or something a remembered read
    /// relied on changed. The head found; its changes are followed.
    Moved(Option<(i64, String)>),
    /// The connection was lost and the group is not in the chain.
    Unknown,
}

/// One try at appending `group` after `head`.
pub(super) async fn try_append(
    pool: &PgPool,
    dropped: &DroppedConnections,
    cache: &Arc<ReadCache>,
    head: Option<(i64, String)>,
    group: &[GroupEvent],
) -> StoreResult<Tried> {
    let followed = cache.generation().0;
    let judged = Judged::of(cache, group);
    let appended = chain(head.clone(), &judged.kept);
    let args = arguments(&head, followed, group, &judged, &appended)?;
    let answer: Result<Vec<Answer>, sqlx::Error> =
        sqlx::query_as_with(APPEND, args).fetch_all(pool).await;
    let rows = match answer {
        Ok(rows) => rows,
        Err(e) if dropped_by_the_database(&e) => {
            dropped.seen();
            // One statement commits whole or not at all: its first event tells which.
            return Ok(match landed(pool, &appended).await? {
                true => Tried::Appended(judged.outcome, head_after(head, &appended)),
                false => Tried::Unknown,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let went_in = rows.first().is_some_and(|r| r.0);
    let found = rows
        .first()
        .and_then(|(_, seq, hash, ..)| Some((*seq)?).zip(hash.clone()));
    follow(
        cache,
        followed,
        rows.into_iter()
            .map(|(_, _, _, seq, app, secret)| (seq, app, secret)),
    );
    Ok(match went_in {
        true => Tried::Appended(judged.outcome, head_after(head, &appended)),
        false => Tried::Moved(found),
    })
}

/// The statement's eighteen arguments: the head expected, the point followed, what the kept
/// remembered reads relied on, and the events.
fn arguments(
    head: &Option<(i64, String)>,
    followed: u64,
    group: &[GroupEvent],
    judged: &Judged,
    appended: &[AuditEvent],
) -> StoreResult<PgArguments> {
    let relied: Vec<_> = group
        .iter()
        .zip(&judged.outcome)
        .filter(|(_, o)| **o == Appended::Committed)
        .filter_map(|(g, _)| g.relied.as_ref())
        .collect();
    let applications: Vec<i64> = relied.iter().map(|r| r.application.0).collect();
    let secrets: Vec<String> = relied
        .iter()
        .map(|r| r.secret.as_str().to_owned())
        .collect();
    let bound = |e: sqlx::error::BoxDynError| StoreError::Database(sqlx::Error::Encode(e));
    let mut args = PgArguments::default();
    args.add(head.as_ref().map(|h| h.0)).map_err(bound)?;
    args.add(head.as_ref().map(|h| h.1.clone()))
        .map_err(bound)?;
    args.add(as_seq(followed)).map_err(bound)?;
    args.add(applications).map_err(bound)?;
    args.add(secrets).map_err(bound)?;
    add_events(&mut args, appended)?;
    Ok(args)
}

/// Whether the group's first event is in the chain; an empty group never is.
async fn landed(pool: &PgPool, appended: &[AuditEvent]) -> StoreResult<bool> {
    let Some(first) = appended.first() else {
        return Ok(false);
    };
    Ok(sqlx::query_scalar(LANDED)
        .bind(first.seq)
        .bind(&first.hash)
        .fetch_one(pool)
        .await?)
}
