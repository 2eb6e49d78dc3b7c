//! What a call can end in besides its answer.

use api_types::error::ErrorBody;
use domain::error::{ErrorCode, Field};
use std::path::PathBuf;

pub type ClientResult<T> = Result<T, ClientError>;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server answered with its error body.
    #[error("{}", body.message)]
    Api { status: u16, body: ErrorBody },
    #[error("cannot reach {server}: {source}")]
    Unreachable {
        server: String,
        #[source]
        source: reqwest::Error,
    },
    /// An answer that is not what the contract says (a proxy's error page, say).
    #[error("the server answered {status} with something unexpected: {problem}")]
    Unexpected { status: u16, problem: String },
    #[error("CA file {path}: {problem}")]
    CaFile { path: PathBuf, problem: String },
}

impl ClientError {
    /// The server's code for a refusal, to branch on.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api { body, .. } => Some(body.error),
            _ => None,
        }
    }

    /// The part of the request the server found at fault.
    pub fn field(&self) -> Option<Field> {
        match self {
            ClientError::Api { body, .. } => body.field,
            _ => None,
        }
    }
}
