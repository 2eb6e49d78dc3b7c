//! Answers to an application's two read lookups (its token's holder, and the secret with its
//! grant, tracking and revision), kept in memory until a write changes what they looked up.
//!
//! Every write transaction that commits moves a change counter; an answer is kept under the
//! counter read *before* its statement ran, so a statement that raced a commit is never kept
//! after that commit has returned to its caller. A commit forgets the answers its changes name
//! (an application's holders, a secret's reads, or everything) before its caller hears of it,
//! so a revoked grant or token is refused from the first request after the revoke. Audit group
//! commits only append to the chain, which nothing here holds, and do not move the counter.
//!
//! On SQLite the writer connection's TEMP triggers record what each commit changed (docs/adr/
//! 0029); that is right only while this process makes every write that can narrow an
//! application's access, which is why only a store that holds the data directory's serve lock
//! uses it (docs/adr/0017). On PostgreSQL other nodes write too: there the counter is the last
//! change this node has followed (`forget`), and a read that used remembered answers is checked
//! against what changed since before it is answered (docs/adr/0028).

use std::collections::{HashMap, HashSet};
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

    /// Called once a write transaction has committed without knowing what it changed, before
    /// its caller hears of it: everything kept is forgotten.
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
        forget_stale(&mut holders, &mut reads, &stale);
        holders.generation = holders.generation.max(to);
        reads.generation = reads.generation.max(to);
        self.changes.fetch_max(to, Ordering::AcqRel);
    }

    /// SQLite: a write transaction on this node has committed `changes`. What they name is
    /// forgotten, and the counter moves, so that no read which raced the commit is kept; the
    /// rest stays (docs/adr/0029).
    pub(crate) fn forget_committed(&self, changes: &[CacheChange]) {
        let mut holders = lock(&self.holders);
        let mut reads = lock(&self.reads);
        // A commit whose changes were not known (`changed`) clears everything here first.
        let now = self.generation();
        holders.forget_if_older(now);
        reads.forget_if_older(now);
        forget_stale(&mut holders, &mut reads, &followed::Stale::of(changes));
        let next = self.changes.fetch_add(1, Ordering::AcqRel) + 1;
        if next != now.0 + 1 {
            // Another commit moved the counter meanwhile, with changes not known here.
            holders.clear();
            reads.clear();
        }
        holders.generation = next;
        reads.generation = next;
    }

    /// PostgreSQL: whether this node followed every node's changes lately (`Followed::lately`).
    pub(crate) fn followed_lately(&self) -> bool {
        lock(&self.followed).lately()
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

fn forget_stale(
    holders: &mut Kept<TokenHash, TokenHolder>,
    reads: &mut Kept<ReadKey, ApplicationRead>,
    stale: &followed::Stale,
) {
    if stale.everything {
        holders.clear();
        reads.clear();
        return;
    }
    if !stale.applications.is_empty() {
        // No person's holder is kept (`keep_holder`), so only applications' groups hold any.
        holders.forget_groups(stale.applications.iter().map(|a| Some(*a)));
    }
    reads.forget_groups(stale.secrets.iter().cloned());
}

/// Which group an answer belongs to: what a commit names to forget it (`CacheChange`).
trait Grouped<K> {
    type Group: Eq + Hash;
    fn group(key: &K, value: &Self) -> Self::Group;
}

impl Grouped<TokenHash> for TokenHolder {
    type Group = Option<ApplicationId>;
    fn group(_: &TokenHash, holder: &TokenHolder) -> Option<ApplicationId> {
        match holder {
            TokenHolder::Application { id, .. } => Some(*id),
            TokenHolder::User { .. } => None,
        }
    }
}

impl Grouped<ReadKey> for ApplicationRead {
    type Group = SecretId;
    fn group(key: &ReadKey, _: &ApplicationRead) -> SecretId {
        key.secret.clone()
    }
}

fn lock<T>(kept: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves at worst a map of valid answers.
    kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Answers kept under one generation, with their cost against a budget, and their keys by
/// group, so that a commit forgets what it names without a walk over every answer (with a few
/// hundred commits a second and tens of thousands of answers, that walk under the lock was a
/// seventh of a SQLite node's CPU in the mixed workload).
struct Kept<K, V: Grouped<K>> {
    generation: u64,
    cost: usize,
    answers: HashMap<K, (V, usize)>,
    groups: HashMap<V::Group, HashSet<K>>,
}

impl<K, V: Grouped<K>> Default for Kept<K, V> {
    fn default() -> Self {
        Kept {
            generation: 0,
            cost: 0,
            answers: HashMap::new(),
            groups: HashMap::new(),
        }
    }
}

impl<K: Eq + Hash + Clone, V: Clone + Grouped<K>> Kept<K, V> {
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
            self.clear();
        }
        self.groups
            .entry(V::group(&key, &value))
            .or_default()
            .insert(key.clone());
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
        self.groups.clear();
        self.cost = 0;
    }

    fn forget_groups(&mut self, stale: impl Iterator<Item = V::Group>) {
        for group in stale {
            for key in self.groups.remove(&group).unwrap_or_default() {
                if let Some((_, cost)) = self.answers.remove(&key) {
                    self.cost -= cost;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl<K> Grouped<K> for i32 {
        type Group = ();
        fn group(_: &K, _: &i32) {}
    }

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

    fn holder(app: i64) -> TokenHolder {
        TokenHolder::Application {
            id: ApplicationId(app),
            name: domain::ApplicationName::parse("app").expect("name"),
            model: crate::store::ModelRecord {
                id: ModelId(1),
                uuid: domain::ModelUuid(uuid::Uuid::nil()),
                name: domain::ModelName::parse("prod").expect("name"),
                created_at: domain::Timestamp(0),
            },
        }
    }

    #[test]
    fn a_commit_forgets_what_it_names_and_keeps_the_rest() {
        let cache = ReadCache::default();
        let (one, two) = (TokenHash("one".into()), TokenHash("two".into()));
        let at = cache.generation();
        cache.keep_holder(at, &one, &holder(1));
        cache.keep_holder(at, &two, &holder(2));
        let raced = cache.generation();
        cache.forget_committed(&[CacheChange::Application(ApplicationId(1))]);
        assert_eq!(cache.holder(&one), None, "named");
        assert_eq!(cache.holder(&two), Some(holder(2)), "kept");
        cache.keep_holder(raced, &one, &holder(1));
        assert_eq!(
            cache.holder(&one),
            None,
            "looked up before the commit: not kept"
        );
        cache.changed();
        cache.forget_committed(&[]);
        assert_eq!(
            cache.holder(&two),
            None,
            "a commit not known forgets everything"
        );
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
