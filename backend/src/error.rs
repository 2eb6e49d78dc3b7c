//! Service errors: what a caller did wrong, in words meant for them, or an internal failure
//! whose details go only to the log.

use domain::error::{ErrorCode, Field};
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
    /// The token or its application already holds as many event streams as it may.
    #[error(
        "too many event streams open for this {per}: at most {limit}; close one (or reuse it) before opening another"
    )]
    TooManyStreams { limit: usize, per: StreamHolder },
    /// Too many password checks are already under way; nothing was looked at.
    #[error("the server is busy checking passwords; try again shortly")]
    Busy,
    /// The database cannot be reached (stopped, failing over, or every connection busy past
    /// the wait). Nothing was changed; the request may be sent again.
    #[error("the database is unavailable; try again shortly")]
    Unavailable,
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

/// Who holds the streams a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamHolder {
    Token,
    Application,
}

impl std::fmt::Display for StreamHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StreamHolder::Token => "token",
            StreamHolder::Application => "application",
        })
    }
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

/// A service error as every edge reports it: the API's JSON body and the dashboard's error are
/// both made from this one classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: ErrorCode,
    pub field: Option<Field>,
    /// For people; an internal error says only that it happened, and its reference.
    pub message: String,
    /// An internal error's reference: the id its full chain is logged under.
    pub reference: Option<String>,
}

impl ServiceError {
    /// Classifies the error for an edge. An internal error is logged here, in full, under a new
    /// reference id; only the id goes out.
    pub fn classify(&self) -> Failure {
        let code = match self {
            ServiceError::Unauthenticated => ErrorCode::Unauthenticated,
            ServiceError::TooManyAttempts { .. } => ErrorCode::TooManyAttempts,
            ServiceError::TooManyStreams { .. } => ErrorCode::TooManyStreams,
            ServiceError::Busy | ServiceError::Unavailable => ErrorCode::Busy,
            ServiceError::Forbidden(_) => ErrorCode::Forbidden,
            ServiceError::NotFound(_) => ErrorCode::NotFound,
            ServiceError::Conflict(_) => ErrorCode::Conflict,
            ServiceError::Invalid(v) if v.is_size() => ErrorCode::TooLarge,
            ServiceError::Invalid(v) if v.is_bad_request() => ErrorCode::BadRequest,
            ServiceError::Invalid(_) => ErrorCode::Invalid,
            ServiceError::Internal(inner) => return Failure::internal(inner),
        };
        Failure {
            code,
            field: self.field(),
            message: self.to_string(),
            reference: None,
        }
    }
}

impl Failure {
    /// Logs `error` under a reference id (the request's, when serving one) and returns the
    /// failure that names only the id.
    pub fn internal(error: &dyn std::fmt::Debug) -> Failure {
        let reference = crate::request_id::current().unwrap_or_else(crate::request_id::new_id);
        tracing::error!(%reference, error = ?error, "internal error");
        Failure {
            code: ErrorCode::Internal,
            field: None,
            message: format!("internal error; reference {reference}"),
            reference: Some(reference),
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = ?e, "database unavailable");
            return ServiceError::Unavailable;
        }
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
    /// `--password-sign-in off`: people sign in through the OpenID provider only.
    #[error("password sign-in is off on this server; sign in through the identity provider")]
    PasswordSignInOff,
    /// The person denied a command line's sign-in in the dashboard.
    #[error("the sign-in was denied in the dashboard")]
    CliDenied,
    /// A native change to a model a Juju backend owns (ADR 0030).
    #[error(
        "Juju owns this model through its secret backend: change its secrets with juju; here they are read-only"
    )]
    JujuOwned,
    /// A Juju backend token's policies do not allow the call (ADR 0030).
    #[error("permission denied: the token's policies do not allow this")]
    VaultPolicy,
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
    /// `strongbox login --web`: an unknown code or secret, one older than ten minutes, or one
    /// already used.
    #[error(
        "no command-line sign-in waits with that code: it expired (after ten minutes) or was used"
    )]
    CliApproval,
    #[error("application \"{0}\" has no webhook")]
    Webhook(String),
    #[error("application \"{application}\" has no grant on secret \"{secret}\"")]
    Grant { application: String, secret: String },
    /// Nothing at a path of a Juju backend's mount (Vault answers 404 with no message).
    #[error("nothing at this path")]
    VaultPath,
    #[error("no Juju backend is named \"{0}\"")]
    JujuBackend(String),
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
    #[error(
        "a Juju backend named \"{0}\" already exists; `strongbox admin juju-backend-token {0} --replace` revokes its tokens and makes a new one"
    )]
    JujuBackend(String),
    #[error("application \"{0}\" already exists")]
    ApplicationName(String),
    #[error("user \"{0}\" already exists")]
    UserName(String),
    /// A provider's person whose username a local user already has: never taken over.
    #[error(
        "a local user named \"{0}\" already exists; an administrator can link them with `strongbox admin link-user {0} --issuer … --subject …`"
    )]
    LocalUser(String),
    /// `link-user` with an identity another user already has.
    #[error("that identity is already linked to user \"{0}\"")]
    IdentityLinked(String),
}

impl Conflict {
    pub fn field(&self) -> Field {
        match self {
            Conflict::SecretName(_) | Conflict::JujuBackend(_) => Field::Name,
            Conflict::StaleRevision { .. } => Field::Revision,
            Conflict::ModelName(_) => Field::Model,
            Conflict::ApplicationName(_) => Field::Application,
            Conflict::UserName(_) | Conflict::LocalUser(_) | Conflict::IdentityLinked(_) => {
                Field::User
            }
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
    #[error("writing the CSV export failed")]
    Csv(#[source] csv::Error),
}
