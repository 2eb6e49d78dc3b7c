//! Password hashing with argon2id. Hashing is slow on purpose, so it runs on the blocking pool,
//! never on the async runtime's threads.
//!
//! Each check takes about 19 MiB and tens of milliseconds of one core, so checks run on a fixed
//! pool of one thread per core, a bounded number wait their turn, and any more are refused at
//! once with [`ServiceError::Busy`]. Dedicated threads matter as much as the bound: on tokio's
//! blocking pool every new thread got a malloc arena of its own that kept its 19 MiB after the
//! hash, and 300 bad sign-ins left the server at 686 MiB. A burst now costs about
//! `cores × 19 MiB`, however large it is.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::rngs::OsRng;
use zeroize::Zeroizing;

use crate::error::{InternalError, ServiceError, ServiceResult};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const MIN_PASSWORD_LEN: usize = 8;
/// Longer input is refused before it is hashed.
pub const MAX_PASSWORD_LEN: usize = 1024;
/// How many checks may wait for a core before more are refused as busy.
const MAX_WAITING: usize = 64;

/// The pool is process-wide because what it guards, cores and memory, is.
static POOL: LazyLock<HashingPool> =
    LazyLock::new(|| HashingPool::new(std::thread::available_parallelism().map_or(2, usize::from)));

struct HashingPool {
    threads: rayon::ThreadPool,
    admitted: AtomicUsize,
    limit: usize,
}

impl HashingPool {
    fn new(cores: usize) -> Self {
        let threads = rayon::ThreadPoolBuilder::new()
            .num_threads(cores)
            .thread_name(|i| format!("argon2-{i}"))
            .build()
            .unwrap_or_else(|e| panic!("cannot start the password hashing threads: {e}"));
        HashingPool {
            threads,
            admitted: AtomicUsize::new(0),
            limit: cores + MAX_WAITING,
        }
    }

    fn admit(&'static self) -> ServiceResult<Turn> {
        let before = self.admitted.fetch_add(1, Ordering::AcqRel);
        let turn = Turn(self);
        if before >= self.limit {
            return Err(ServiceError::Busy);
        }
        Ok(turn)
    }
}

/// A place in the hashing pool: held from admission until its hash is done.
pub struct Turn(&'static HashingPool);

impl Drop for Turn {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A place for one hash, or `Busy` at once when the pool and its queue are full.
pub fn admit() -> ServiceResult<Turn> {
    POOL.admit()
}

impl Turn {
    /// Runs `work` on a hashing thread once one is free. The job itself holds the place until
    /// it is done: a caller that goes away (a client that disconnects) must not free a place
    /// while its hash still waits or runs, or disconnecting clients could queue unbounded work.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> ServiceResult<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let pool = self.0;
        pool.threads.spawn(move || {
            let _place = self;
            let _ = tx.send(work());
        });
        rx.await
            .map_err(|_| InternalError::PasswordHash("a hashing thread failed".into()).into())
    }
}

/// A password as typed. Never printed.
pub struct Password(Zeroizing<String>);

impl Password {
    pub fn new(s: String) -> Self {
        Password(Zeroizing::new(s))
    }

    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

pub async fn hash(password: Password) -> ServiceResult<String> {
    admit()?
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.0.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| InternalError::PasswordHash(e.to_string()))
        })
        .await?
        .map_err(Into::into)
}

/// Checks a password. With no stored hash (unknown user) it still does the work of one check,
/// so response time does not tell which user names exist.
pub async fn verify(turn: Turn, password: Password, stored: Option<String>) -> ServiceResult<bool> {
    turn.run(move || {
        let Some(stored) = stored else {
            let salt = SaltString::generate(&mut OsRng);
            let _ = Argon2::default().hash_password(password.0.as_bytes(), &salt);
            return false;
        };
        PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.0.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_cancelled_caller_keeps_its_place_until_the_hash_is_done() {
        let pool: &'static HashingPool = Box::leak(Box::new(HashingPool::new(1)));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (finished, done) = std::sync::mpsc::channel::<()>();
        let turn = pool.admit().expect("a place");
        let job = turn.run(move || {
            let _ = wait.recv();
            let _ = finished.send(());
        });
        // The caller gives up (its client disconnected) while the job is under way.
        let gave_up = tokio::time::timeout(std::time::Duration::from_millis(20), job).await;
        assert!(gave_up.is_err(), "still hashing");
        assert_eq!(
            pool.admitted.load(Ordering::Acquire),
            1,
            "the place stays taken while the hash runs"
        );
        release.send(()).expect("release");
        done.recv().expect("finished");
        // The pool's one thread takes the next job only once the last one (and its place) is
        // dropped.
        pool.threads.install(|| ());
        assert_eq!(
            pool.admitted.load(Ordering::Acquire),
            0,
            "and comes back after"
        );
    }

    #[test]
    fn the_pool_refuses_past_its_queue_and_frees_places() {
        let pool: &'static HashingPool = Box::leak(Box::new(HashingPool::new(1)));
        let turns: Vec<_> = (0..=MAX_WAITING)
            .map(|_| pool.admit().expect("within the limit"))
            .collect();
        assert!(matches!(pool.admit(), Err(ServiceError::Busy)), "full");
        drop(turns);
        assert!(pool.admit().is_ok(), "places come back");
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = hash(Password::new("correct horse".into()))
            .await
            .expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(
            verify(
                admit().expect("turn"),
                Password::new("correct horse".into()),
                Some(h.clone())
            )
            .await
            .expect("ok")
        );
        assert!(
            !verify(
                admit().expect("turn"),
                Password::new("wrong".into()),
                Some(h)
            )
            .await
            .expect("ok")
        );
        assert!(
            !verify(admit().expect("turn"), Password::new("x".into()), None)
                .await
                .expect("ok")
        );
    }
}
