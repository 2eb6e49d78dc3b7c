//! Answers to an application's two read lookups (its token's holder, and the secret with its
//! grant, tracking and revision), kept in memory while nothing has been written.
//!
//! Every write transaction that commits moves a change counter; an answer is kept under the
//! counter read *before* its statement ran and is served only while the counter has not moved
//! since. A statement that raced a commit is therefore never served after that commit has
//! returned to its caller, so a revoked grant or token is refused from the first request after
//! the revoke. Audit group commits only append to the chain, which nothing here holds, and do
//! not move the counter.
//!
//! On SQLite it is right only while this process makes every write that can narrow an
//! application's access, which is why only a store that holds the data directory's serve lock
//! uses it (docs/adr/0017). On PostgreSQL other nodes write too: there the counter is the last
//! change this node has followed (`forget`), answers are forgotten one by one, and a read that
//! used them is checked against what changed since before it is answered (docs/adr/0028).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use domain::{ApplicationId, ModelId, SecretId};

use super::{ApplicationRead, TokenHolder};
use crate::token::TokenHash;

mod followed;
pub(crate) use followed::CacheChange;
pub use followed::Relied;

/// Token holders kept at most; past it the map starts again empty.
const MAX_HOLDERS: usize = 10_000;
/// Bytes of secret reads kept at most (sealed content and names, roughly).
const MAX_READ_BYTES: usize = 32 << 20;

/// Which read an application made: the same four values the store's statement takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ReadKey {
    pub model: ModelId,
    pub secret: SecretId,
    pub app: ApplicationId,
    pub prefer_tracked: bool,
}

/// The counter value read before a statement: the answer may be kept only under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Generation(pub(super) u64);

#[derive(Default)]
pub struct ReadCache {
    changes: AtomicU64,
    holders: Mutex<Kept<TokenHash, TokenHolder>>,
    reads: Mutex<Kept<ReadKey, ApplicationRead>>,
    /// PostgreSQL: the changes followed lately, to check reads against.
    followed: Mutex<followed::Followed>,
}

impl ReadCache {
    /// Read before the statement whose answer may be kept.
    pub(crate) fn generation(&self) -> Generation {
        Generation(self.changes.load(Ordering::Acquire))
    }

    /// Called once a write transaction has committed, before its caller hears of it.
    pub(crate) fn changed(&self) {
        self.changes.fetch_add(1, Ordering::AcqRel);
    }

    pub(crate) fn holder(&self, hash: &TokenHash) -> Option<TokenHolder> {
        lock(&self.holders).get(self.generation(), hash)
    }

    /// Only applications' holders are kept: a person's standing can also change through
    /// `strongbox admin` in another process.
    pub(crate) fn keep_holder(&self, at: Generation, hash: &TokenHash, holder: &TokenHolder) {
        if matches!(holder, TokenHolder::Application { .. }) {
            let now = self.generation();
            lock(&self.holders).keep(now, at, hash.clone(), holder.clone(), 1, MAX_HOLDERS);
        }
    }

    pub(crate) fn read(&self, key: &ReadKey) -> Option<ApplicationRead> {
        lock(&self.reads).get(self.generation(), key)
    }

    /// PostgreSQL: following other nodes' changes begins after change `seq`.
    pub(crate) fn follow_from(&self, seq: u64) {
        lock(&self.followed).begin_at(seq);
        lock(&self.holders).generation = seq;
        lock(&self.reads).generation = seq;
        self.changes.store(seq, Ordering::Release);
    }

    /// PostgreSQL: other nodes' changes up to `to`, read in an audit group commit. What they
    /// name is forgotten before the counter moves to `to`.
    pub(crate) fn forget(&self, changes: &[(u64, CacheChange)], to: u64) {
        let mut holders = lock(&self.holders);
        let mut reads = lock(&self.reads);
        let mut followed = lock(&self.followed);
        if followed.after_pause(to) {
            holders.clear();
            reads.clear();
        }
        let stale = followed.add(changes);
        if stale.everything {
            holders.clear();
            reads.clear();
        } else {
            if !stale.applications.is_empty() {
                holders.forget(|_, h| match h {
                    TokenHolder::Application { id, .. } => stale.applications.contains(id),
                    TokenHolder::User { .. } => true,
                });
            }
            if !stale.secrets.is_empty() {
                reads.forget(|key, _| stale.secrets.contains(&key.secret));
            }
        }
        holders.generation = holders.generation.max(to);
        reads.generation = reads.generation.max(to);
        self.changes.fetch_max(to, Ordering::AcqRel);
    }

    /// PostgreSQL: whether nothing `relied` on changed after it was looked up.
    pub(crate) fn still_holds(&self, relied: &Relied) -> bool {
        lock(&self.followed).untouched(relied)
    }

    pub(crate) fn keep_read(&self, at: Generation, key: ReadKey, read: &ApplicationRead) {
        let cost = 256
            + read
                .revision
                .as_ref()
                .map_or(0, |r| r.sealed.ciphertext.len() + r.checksum.len());
        let now = self.generation();
        lock(&self.reads).keep(now, at, key, read.clone(), cost, MAX_READ_BYTES);
    }
}

fn lock<T>(kept: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves at worst a map of valid answers.
    kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Answers kept under one generation, with their cost against a budget.
struct Kept<K, V> {
    generation: u64,
    cost: usize,
    answers: HashMap<K, (V, usize)>,
}

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept {
            generation: 0,
            cost: 0,
            answers: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Kept<K, V> {
    fn get(&mut self, now: Generation, key: &K) -> Option<V> {
        self.forget_if_older(now);
        self.answers.get(key).map(|(v, _)| v.clone())
    }

    fn keep(
        &mut self,
        now: Generation,
        at: Generation,
        key: K,
        value: V,
        cost: usize,
        budget: usize,
    ) {
        self.forget_if_older(now);
        // A commit since the statement ran (or, on PostgreSQL, changes followed since): its
        // answer may already be stale.
        if at.0 != self.generation {
            return;
        }
        if self.cost + cost > budget {
            self.answers.clear();
            self.cost = 0;
        }
        if let Some((_, old)) = self.answers.insert(key, (value, cost)) {
            self.cost -= old;
        }
        self.cost += cost;
    }

    /// SQLite: a write committed since, so everything goes. (PostgreSQL's `forget` moves the
    /// generation here first, so this finds nothing newer.)
    fn forget_if_older(&mut self, now: Generation) {
        if now.0 > self.generation {
            self.clear();
            self.generation = now.0;
        }
    }

    fn clear(&mut self) {
        self.answers.clear();
        self.cost = 0;
    }

    fn forget(&mut self, stale: impl Fn(&K, &V) -> bool) {
        let mut freed = 0;
        self.answers.retain(|k, (v, cost)| {
            let gone = stale(k, v);
            if gone {
                freed += *cost;
            }
            !gone
        });
        self.cost -= freed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_until_a_write_commits() {
        let mut kept = Kept::default();
        let cache = ReadCache::default();
        let at = cache.generation();
        kept.keep(cache.generation(), at, "token", 1, 1, 10);
        assert_eq!(kept.get(cache.generation(), &"token"), Some(1));
        cache.changed();
        assert_eq!(kept.get(cache.generation(), &"token"), None);
    }

    #[test]
    fn an_answer_read_before_a_commit_is_not_kept_after_it() {
        let mut kept = Kept::default();
        let cache = ReadCache::default();
        let at = cache.generation();
        cache.changed();
        kept.keep(cache.generation(), at, "token", 1, 1, 10);
        assert_eq!(kept.get(cache.generation(), &"token"), None);
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let mut kept = Kept::default();
        let now = ReadCache::default().generation();
        for i in 0..100 {
            kept.keep(now, now, i, i, 10, 95);
        }
        assert!(kept.cost <= 95);
        assert!(kept.answers.len() <= 9);
        assert_eq!(kept.get(now, &99), Some(99));
    }
}
