//! Service errors: what a caller did wrong, in words meant for them, or an internal failure
//! whose details go only to the log.

use domain::error::Field;
use domain::{RevisionNumber, ValidationError};
use thiserror::Error;

use crate::crypto::CryptoError;
use crate::store::StoreError;

pub type ServiceResult<T> = Result<T, ServiceError>;

#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("authentication required")]
    Unauthenticated,
    /// Sign-ins for this name are held back after repeated failures.
    #[error("too many failed sign-ins; try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Too many password checks are already under way; nothing was looked at.
    #[error("the server is busy checking passwords; try again shortly")]
    Busy,
    #[error("{0}")]
    Forbidden(Forbidden),
    #[error("{0}")]
    NotFound(Missing),
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("{0}")]
    Conflict(Conflict),
    #[error("internal error")]
    Internal(#[from] InternalError),
}

impl ServiceError {
    /// The form field a client error is about, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            ServiceError::Invalid(e) => Some(e.field()),
            ServiceError::Conflict(c) => Some(c.field()),
            ServiceError::NotFound(Missing::Application(_)) => Some(Field::Application),
            ServiceError::NotFound(Missing::Revision { .. }) => Some(Field::Revision),
            _ => None,
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        ServiceError::Internal(InternalError::Store(e))
    }
}

impl From<CryptoError> for ServiceError {
    fn from(e: CryptoError) -> Self {
        ServiceError::Internal(InternalError::Crypto(e))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Forbidden {
    #[error("permission denied")]
    AccessLevel,
    #[error("This secret can only be modified by the application.")]
    ApplicationOwned,
    #[error("permission denied: the secret is not granted to this application")]
    NotGranted,
    #[error("permission denied: revision {0} is not the one this application tracks")]
    UntrackedRevision(RevisionNumber),
}

/// Something the caller named that does not exist (or that they may not know exists).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Missing {
    #[error("model \"{0}\" not found")]
    Model(String),
    #[error("secret \"{0}\" not found")]
    Secret(String),
    #[error("revision {revision} for secret \"{uri}\" not found")]
    Revision {
        revision: RevisionNumber,
        uri: String,
    },
    #[error("application \"{0}\" not found")]
    Application(String),
    #[error("user \"{0}\" not found")]
    User(String),
    #[error("token not found")]
    Token,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Conflict {
    #[error("secret with name \"{0}\" already exists")]
    SecretName(String),
    #[error("secret \"{uri}\" is at revision {latest}, not {expected}")]
    StaleRevision {
        uri: String,
        expected: RevisionNumber,
        latest: RevisionNumber,
    },
    #[error("model \"{0}\" already exists")]
    ModelName(String),
    #[error("application \"{0}\" already exists")]
    ApplicationName(String),
    #[error("user \"{0}\" already exists")]
    UserName(String),
}

impl Conflict {
    pub fn field(&self) -> Field {
        match self {
            Conflict::SecretName(_) => Field::Name,
            Conflict::StaleRevision { .. } => Field::Revision,
            Conflict::ModelName(_) => Field::Model,
            Conflict::ApplicationName(_) => Field::Application,
            Conflict::UserName(_) => Field::User,
        }
    }
}

/// Failures that are ours, not the caller's. Shown to users only as a reference id.
#[derive(Debug, Error)]
pub enum InternalError {
    #[error("storage failed")]
    Store(#[source] StoreError),
    #[error("encryption failed")]
    Crypto(#[source] CryptoError),
    #[error("a background task failed")]
    Task(#[source] tokio::task::JoinError),
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
}
