//! PostgreSQL: the changes this node has followed lately, so that a read which used remembered
//! answers can be checked against what other nodes changed since it looked them up
//! (docs/adr/0028).

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use domain::{ApplicationId, SecretId};

/// Changes kept to check reads against; a read that looked up before the oldest is asked again.
const KEPT: usize = 100_000;
/// Rows of `cache_change` are pruned after ten minutes. A node that has not followed for this
/// long may have missed some, so it forgets everything it remembers.
const LONGEST_PAUSE: Duration = Duration::from_secs(300);

/// What one committed change makes stale (a row of `cache_change`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CacheChange {
    /// That application's token holders.
    Application(ApplicationId),
    /// Reads of that secret.
    Secret(SecretId),
    Everything,
}

impl CacheChange {
    /// A row of `cache_change`: an application, else a secret; neither (or an ID the domain
    /// does not take, which nothing remembered can name) is everything.
    pub(crate) fn of(application: Option<i64>, secret: Option<String>) -> CacheChange {
        match (application, secret.map(|s| SecretId::parse(&s))) {
            (Some(a), _) => CacheChange::Application(ApplicationId(a)),
            (None, Some(Ok(s))) => CacheChange::Secret(s),
            _ => CacheChange::Everything,
        }
    }
}

/// What a read answered from memory relied on: the application and secret, and how far this
/// node had followed other nodes' changes before it looked them up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relied {
    pub since: u64,
    pub application: ApplicationId,
    pub secret: SecretId,
}

#[derive(Default)]
pub(super) struct Followed {
    /// Changes after `floor`, oldest first.
    recent: VecDeque<(u64, CacheChange)>,
    /// Changes up to here are not known one by one.
    floor: u64,
    last: Option<Instant>,
}

/// What a batch of changes makes stale.
#[derive(Default)]
pub(super) struct Stale {
    pub everything: bool,
    pub applications: HashSet<ApplicationId>,
    pub secrets: HashSet<SecretId>,
}

impl Stale {
    pub(super) fn of<'a>(changes: impl IntoIterator<Item = &'a CacheChange>) -> Stale {
        let mut stale = Stale::default();
        for change in changes {
            match change {
                CacheChange::Everything => stale.everything = true,
                CacheChange::Application(a) => {
                    stale.applications.insert(*a);
                }
                CacheChange::Secret(s) => {
                    stale.secrets.insert(s.clone());
                }
            }
        }
        stale
    }
}

impl Followed {
    /// Following begins at `seq` (the newest change when the store connected).
    pub(super) fn begin_at(&mut self, seq: u64) {
        self.recent.clear();
        self.floor = seq;
        self.last = Some(Instant::now());
    }

    /// Called before each batch: true if this node paused so long that it must forget
    /// everything, and check no read from before `to` one by one.
    pub(super) fn after_pause(&mut self, to: u64) -> bool {
        let paused = self.last.is_none_or(|t| t.elapsed() > LONGEST_PAUSE);
        if paused {
            self.begin_at(to);
        }
        self.last = Some(Instant::now());
        paused
    }

    /// Whether this node followed lately enough that no change it has not seen can have been
    /// pruned: a read can then be checked against those changes by the database
    /// (docs/adr/0031).
    pub(super) fn lately(&self) -> bool {
        self.last.is_some_and(|t| t.elapsed() < LONGEST_PAUSE / 2)
    }

    /// Adds the changes that follow the last batch; returns what they make stale.
    pub(super) fn add(&mut self, changes: &[(u64, CacheChange)]) -> Stale {
        let stale = Stale::of(changes.iter().map(|(_, change)| change));
        for (seq, change) in changes {
            if *seq > self.floor {
                self.recent.push_back((*seq, change.clone()));
            }
        }
        while self.recent.len() > KEPT {
            if let Some((seq, _)) = self.recent.pop_front() {
                self.floor = seq;
            }
        }
        stale
    }

    /// Whether no change followed after `relied.since` touches what it relied on.
    pub(super) fn untouched(&self, relied: &Relied) -> bool {
        if relied.since < self.floor {
            return false;
        }
        !self
            .recent
            .iter()
            .rev()
            .take_while(|(seq, _)| *seq > relied.since)
            .any(|(_, change)| match change {
                CacheChange::Everything => true,
                CacheChange::Application(a) => *a == relied.application,
                CacheChange::Secret(s) => *s == relied.secret,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn relied(since: u64, app: i64, secret: &SecretId) -> Relied {
        Relied {
            since,
            application: ApplicationId(app),
            secret: secret.clone(),
        }
    }

    #[test]
    fn a_read_is_checked_against_the_changes_after_its_lookup() {
        let (s1, s2) = (
            SecretId::from_parts(1, [1; 8]),
            SecretId::from_parts(1, [2; 8]),
        );
        let mut followed = Followed::default();
        followed.begin_at(10);
        followed.add(&[(12, CacheChange::Secret(s1.clone()))]);
        followed.add(&[(15, CacheChange::Application(ApplicationId(7)))]);
        assert!(
            !followed.untouched(&relied(11, 1, &s1)),
            "its secret changed"
        );
        assert!(
            followed.untouched(&relied(12, 1, &s1)),
            "looked up after it"
        );
        assert!(
            !followed.untouched(&relied(14, 7, &s2)),
            "its tokens changed"
        );
        assert!(followed.untouched(&relied(11, 1, &s2)));
        assert!(
            !followed.untouched(&relied(9, 1, &s2)),
            "before following began"
        );
        followed.add(&[(16, CacheChange::Everything)]);
        assert!(!followed.untouched(&relied(15, 1, &s2)));
    }
}
