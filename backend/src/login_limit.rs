//! Back-off after failed sign-ins: the first few failures cost nothing, then each further one
//! doubles the wait, up to a cap. Kept per user name, in memory on each node.

use domain::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;

const FREE_ATTEMPTS: u32 = 3;
const FIRST_DELAY_MS: i64 = 2_000;
const MAX_DELAY_MS: i64 = 15 * 60 * 1000;
/// A name that has not failed for this long starts afresh.
const FORGET_AFTER_MS: i64 = 60 * 60 * 1000;

#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last: Timestamp,
    blocked_until: Timestamp,
}

impl LoginLimiter {
    /// How long the caller must wait before trying `name` again, in seconds; `None` if it may try now.
    pub fn wait(&self, name: &str, now: Timestamp) -> Option<u64> {
        let map = self.failures.lock().ok()?;
        let f = map.get(&name.to_lowercase())?;
        (f.blocked_until > now)
            .then(|| ((f.blocked_until.millis() - now.millis()) as u64).div_ceil(1000))
    }

    pub fn failed(&self, name: &str, now: Timestamp) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        map.retain(|_, f| now.millis() - f.last.millis() < FORGET_AFTER_MS);
        let entry = map.entry(name.to_lowercase()).or_insert(Failures {
            count: 0,
            last: now,
            blocked_until: now,
        });
        entry.count += 1;
        entry.last = now;
        if entry.count > FREE_ATTEMPTS {
            let doublings = (entry.count - FREE_ATTEMPTS - 1).min(20);
            let delay = (FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS);
            entry.blocked_until = now.plus_millis(delay);
        }
    }

    pub fn succeeded(&self, name: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&name.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_the_free_attempts_and_success_resets() {
        let limiter = LoginLimiter::default();
        let t = Timestamp(1_000_000);
        for _ in 0..3 {
            limiter.failed("Alice", t);
            assert_eq!(limiter.wait("alice", t), None, "three free attempts");
        }
        limiter.failed("alice", t);
        assert_eq!(limiter.wait("alice", t), Some(2));
        limiter.failed("alice", t);
        assert_eq!(limiter.wait("alice", t), Some(4), "doubles");
        assert_eq!(
            limiter.wait("alice", t.plus_millis(4_000)),
            None,
            "and passes"
        );
        assert_eq!(limiter.wait("bob", t), None, "per name");
        limiter.succeeded("alice");
        limiter.failed("alice", t);
        assert_eq!(limiter.wait("alice", t), None, "a success starts afresh");
        for _ in 0..40 {
            limiter.failed("carol", t);
        }
        assert_eq!(limiter.wait("carol", t), Some(900), "capped at 15 minutes");
    }
}
