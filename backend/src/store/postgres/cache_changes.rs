//! The rows of `cache_change` (migration 0016): where a node begins to follow them, and their
//! pruning (docs/adr/0028).

use std::time::Duration;

use sqlx::PgPool;

use crate::store::{ReadCache, StoreResult};

/// Rows older than this are deleted. A node that has not followed for half as long forgets
/// everything it remembers (`read_cache::followed`), so it never misses a pruned row.
const KEEP_FOR: &str = "10 minutes";
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// A node remembers nothing when it connects, so it follows from the newest row.
pub(super) async fn follow_from_now(pool: &PgPool, cache: &ReadCache) -> StoreResult<()> {
    let newest: i64 = sqlx::query_scalar("select coalesce(max(seq), 0) from cache_change")
        .fetch_one(pool)
        .await?;
    cache.follow_from(u64::try_from(newest).unwrap_or(0));
    Ok(())
}

pub(super) async fn prune_old(pool: PgPool) {
    let mut every = tokio::time::interval(PRUNE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !pool.is_closed() {
        every.tick().await;
        let pruned = sqlx::query(&format!(
            "delete from cache_change where at < now() - interval '{KEEP_FOR}'"
        ))
        .execute(&pool)
        .await;
        if let Err(e) = pruned {
            tracing::debug!(error = %e, "pruning cache_change failed; tried again in a minute");
        }
    }
}
