//! The error every server function returns. It crosses the wire as JSON, keeps the form field a
//! message belongs to, and carries internal failures only as a reference id.

use domain::error::Field;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Your session has ended. Sign in again.")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    Invalid {
        field: Option<Field>,
        message: String,
    },
    #[error("{message}")]
    Conflict {
        field: Option<Field>,
        message: String,
    },
    #[error("Too many failed sign-ins. Try again in {retry_after_secs} s.")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("The server is busy. Try again in a moment.")]
    Busy,
    #[error("Something went wrong on our side. Reference: {ref_id}")]
    Internal { ref_id: String },
    #[error("The request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// The form field this error should be shown next to.
    pub fn field(&self) -> Option<Field> {
        match self {
            AppError::Invalid { field, .. } | AppError::Conflict { field, .. } => *field,
            _ => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Busy => 503,
            AppError::Internal { .. } => 500,
            AppError::Transport(_) => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server this is reached before the function's body runs, when its arguments or
    /// request cannot be read: that is the caller's fault, a 400 in the documented shape (the
    /// server-function layer would otherwise answer 500). A failure of our own making is logged
    /// under a reference id.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            let error = match value {
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_)
                | ServerFnErrorErr::UnsupportedRequestMethod(_)
                | ServerFnErrorErr::Request(_) => AppError::Transport(value.to_string()),
                other => crate::api::ssr::internal(&other),
            };
            crate::api::ssr::set_status(&error);
            error
        }
        #[cfg(not(feature = "ssr"))]
        AppError::Transport(value.to_string())
    }
}
