//! Signing in with a password, behind a back-off that every node shares through the database.
//!
//! The policy (docs/security.md): three failures for a name cost nothing; the fourth blocks the
//! name for 2 s, and each failure after a block doubles it, up to 15 minutes. An attempt is
//! counted *before* its password is checked, in the same write transaction that reads the
//! count, so simultaneous guesses cannot slip past it. Attempts made while the name is blocked
//! are refused without being counted or checked, so one burst blocks the owner for seconds, not
//! minutes; only failures spread over time make the block grow. A success clears the record,
//! and a name that has not failed for an hour starts afresh.

use domain::{Timestamp, UserName};
use sha2::{Digest, Sha256};

use super::{Caller, Services, Subject};
use crate::audit::AuditAction;
use crate::error::{Forbidden, ServiceError, ServiceResult};
use crate::password::{self, MAX_PASSWORD_LEN, Password};
use crate::store::{LoginThrottle, UserRecord};
use crate::token::PlainToken;

const FREE_ATTEMPTS: u32 = 3;
const FIRST_DELAY_MS: i64 = 2_000;
const MAX_DELAY_MS: i64 = 15 * 60 * 1000;
const FORGET_AFTER_MS: i64 = 60 * 60 * 1000;

/// The record after one more counted failure at `now`.
fn count_failure(before: Option<LoginThrottle>, key: String, now: Timestamp) -> LoginThrottle {
    let failures = match before {
        Some(b) if now.millis() - b.last_failure.millis() < FORGET_AFTER_MS => b.failures + 1,
        _ => 1,
    };
    let blocked_until = if failures > FREE_ATTEMPTS {
        let doublings = (failures - FREE_ATTEMPTS - 1).min(20);
        now.plus_millis((FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS))
    } else {
        now
    };
    LoginThrottle {
        key,
        failures,
        blocked_until,
        last_failure: now,
    }
}

/// The name as the throttle knows it: case does not make a new name.
fn throttle_key(name: &UserName) -> String {
    hex::encode(Sha256::digest(name.as_str().to_lowercase().as_bytes()))
}

impl Services {
    /// The user whose name and password these are. Every wrong guess looks the same to the
    /// caller: `Unauthenticated`, whether or not the name exists.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in(&self, name: &str, password: Password) -> ServiceResult<UserRecord> {
        if !self.password_sign_in {
            return Err(ServiceError::Forbidden(Forbidden::PasswordSignInOff));
        }
        // A name that cannot exist, or a password no account can have, is refused before
        // anything is stored or hashed.
        let Ok(name) = UserName::parse(name) else {
            return Err(ServiceError::Unauthenticated);
        };
        if password.len() > MAX_PASSWORD_LEN {
            return Err(ServiceError::Unauthenticated);
        }
        // Admission first: a request refused as busy must not count against the name.
        let turn = password::admit()?;
        let key = throttle_key(&name);
        self.count_attempt(&key).await?;
        let user = self.store.read().await?.user_by_name(&name).await?;
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        match (password::verify(turn, password, stored).await?, user) {
            (true, Some(user)) => {
                let mut tx = self.store.write().await?;
                tx.clear_login_throttle(&key).await?;
                let caller = Caller::user(user.id, user.name.clone());
                let subject = Subject::default().detail("signed in with a password");
                self.succeeded(&mut *tx, &caller, AuditAction::SignIn, subject)
                    .await?;
                tx.commit().await?;
                Ok(user)
            }
            _ => Err(ServiceError::Unauthenticated),
        }
    }

    /// Signs in and issues a personal token labelled `label`, for the API and the CLI: the
    /// password check with its back-off, then the token, audited as the user's own.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in_for_token(
        &self,
        name: &str,
        password: Password,
        label: &str,
    ) -> ServiceResult<(UserRecord, PlainToken)> {
        let user = self.sign_in(name, password).await?;
        let caller = Caller::user(user.id, user.name.clone());
        let (_, token) = self.create_personal_token(&caller, label).await?;
        Ok((user, token))
    }

    /// Counts an attempt as failed until it succeeds, or refuses it while the name is blocked.
    async fn count_attempt(&self, key: &str) -> ServiceResult<()> {
        let now = self.clock.now();
        let mut tx = self.store.write().await?;
        let before = tx.login_throttle(key).await?;
        if let Some(b) = &before
            && b.blocked_until > now
        {
            let wait_ms = b.blocked_until.millis() - now.millis();
            return Err(ServiceError::TooManyAttempts {
                retry_after_secs: u64::try_from(wait_ms).unwrap_or(0).div_ceil(1000),
            });
        }
        tx.put_login_throttle(&count_failure(before, key.to_owned(), now))
            .await?;
        tx.forget_login_throttles(Timestamp(now.millis() - FORGET_AFTER_MS))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail_n(n: usize, now: Timestamp) -> LoginThrottle {
        let mut row = None;
        for _ in 0..n {
            row = Some(count_failure(row, "k".into(), now));
        }
        row.expect("at least one")
    }

    #[test]
    fn three_failures_are_free_then_the_block_doubles_up_to_fifteen_minutes() {
        let t = Timestamp(1_000_000);
        assert_eq!(fail_n(3, t).blocked_until, t, "free");
        assert_eq!(fail_n(4, t).blocked_until, t.plus_millis(2_000));
        assert_eq!(fail_n(5, t).blocked_until, t.plus_millis(4_000));
        assert_eq!(fail_n(40, t).blocked_until, t.plus_millis(MAX_DELAY_MS));
    }

    #[test]
    fn an_hour_without_failures_starts_afresh() {
        let t = Timestamp(1_000_000);
        let later = t.plus_millis(FORGET_AFTER_MS);
        let row = count_failure(Some(fail_n(10, t)), "k".into(), later);
        assert_eq!((row.failures, row.blocked_until), (1, later));
    }

    #[test]
    fn case_does_not_make_a_new_name() {
        let a = throttle_key(&UserName::parse("Alice").expect("name"));
        let b = throttle_key(&UserName::parse("alice").expect("name"));
        assert_eq!(a, b);
        assert!(!a.contains("alice"));
    }
}
