//! Password hashing with argon2id. Hashing is slow on purpose, so it runs on the blocking pool,
//! never on the async runtime's threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::rngs::OsRng;
use zeroize::Zeroizing;

use crate::error::{InternalError, ServiceResult};

pub const MIN_PASSWORD_LEN: usize = 8;

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
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| InternalError::PasswordHash(e.to_string()))
    })
    .await
    .map_err(InternalError::Task)?
    .map_err(Into::into)
}

/// Checks a password. With no stored hash (unknown user) it still does the work of one check,
/// so response time does not tell which user names exist.
pub async fn verify(password: Password, stored: Option<String>) -> ServiceResult<bool> {
    tokio::task::spawn_blocking(move || {
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
    .map_err(|e| InternalError::Task(e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = hash(Password::new("correct horse".into()))
            .await
            .expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(
            verify(Password::new("correct horse".into()), Some(h.clone()))
                .await
                .expect("ok")
        );
        assert!(
            !verify(Password::new("wrong".into()), Some(h))
                .await
                .expect("ok")
        );
        assert!(!verify(Password::new("x".into()), None).await.expect("ok"));
    }
}
